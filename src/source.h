#ifndef RL_SOURCE_H
#define RL_SOURCE_H
/* A scanned file's bytes, its language, and byte offset -> line/column.
 * Line and column are computed only when asked (for findings), from a line
 * index built on first use. */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef enum rl_lang {
  RL_LANG_NONE = 0,
  RL_LANG_JS,     /* .js .jsx .mjs .cjs */
  RL_LANG_TS,     /* .ts .mts .cts */
  RL_LANG_TSX,    /* .tsx */
  RL_LANG_DOTENV, /* .env, .env.* */
  RL_LANG_HTML,   /* .html .htm .vue .svelte .astro: their <script> blocks are
                     scanned as JS/TS (markup.h); no rule targets it itself */
  RL_LANG_JSON,   /* Expo's app.json / app.config.json: its `extra` ships in the app */
  RL_LANG__COUNT
} rl_lang;

#define RL_LANG_BIT(l) (1u << (l))
#define RL_LANGS_CODE (RL_LANG_BIT(RL_LANG_JS) | RL_LANG_BIT(RL_LANG_TS) | RL_LANG_BIT(RL_LANG_TSX))
#define RL_LANGS_ALL (RL_LANGS_CODE | RL_LANG_BIT(RL_LANG_DOTENV))

/* Language of a path, by its base name (dotenv: .env, .env.*, NAME.env):
 * RL_LANG_NONE for files we do not scan. */
rl_lang rl_lang_for_path(const char *path);
/* "javascript", "typescript", "tsx", "dotenv", or "none". */
const char *rl_lang_name(rl_lang lang);
/* Parses a name as above ("js" and "ts" accepted too); RL_LANG_NONE if unknown. */
rl_lang rl_lang_from_name(const char *name, size_t n);
/* True for .env.example, .env.sample, .env.template, .env.dist, and NAME.env
 * files whose last word is one of those (example.env, app.sample.env):
 * placeholders expected. */
int rl_dotenv_is_template(const char *path);

typedef struct rl_source {
  const char *path;  /* display path: as given on the command line joined with
                        the walk, '/'-separated, no leading "./" */
  const char *bytes; /* the file's bytes; not NUL-terminated in general */
  size_t len;
  rl_lang lang;
  /* private: line index, built lazily by rl_source_position */
  uint32_t *line_starts;
  uint32_t nlines;
  rl_arena *arena;
} rl_source;

/* Initialises src over bytes it does not own; the line index lives in arena. */
void rl_source_init(rl_source *src, const char *path, const char *bytes, size_t len, rl_lang lang, rl_arena *arena);

/* 1-based line and 1-based column (in Unicode code points, counting invalid
 * UTF-8 bytes as one each) of a byte offset (clamped to len). */
void rl_source_position(rl_source *src, size_t offset, uint32_t *line, uint32_t *col);
/* The text of 1-based line `line` without its line terminator ("\n" or "\r\n").
 * *out points into src->bytes. */
void rl_source_line(rl_source *src, uint32_t line, const char **out, size_t *n);

/* Why a file was not scanned. */
typedef enum rl_skip {
  RL_SKIP_NONE = 0,
  RL_SKIP_TOO_LARGE,    /* over --max-file-size */
  RL_SKIP_BINARY,       /* NUL byte in the first 8 KiB */
  RL_SKIP_MINIFIED,     /* *.min.* or very long lines */
  RL_SKIP_SPECIAL,      /* FIFO, socket, device: never opened */
  RL_SKIP_SYMLINK_OUT,  /* symlink that leaves the scanned root */
  RL_SKIP_SYMLINK_LOOP, /* symlink cycle or dangling link */
  RL_SKIP_UNREADABLE,   /* open/read failed (permissions, vanished) */
  RL_SKIP_NOT_SOURCE,   /* an explicitly named file of no known language */
  RL_SKIP_IGNORED,      /* a named path an ignore rule leaves out (--force-exclude) */
  RL_SKIP__COUNT
} rl_skip;

/* A stable machine name ("too-large", "binary", ...) */
const char *rl_skip_name(rl_skip s);

/* The largest file roomlint reads: tree-sitter and the line index count
 * bytes in 32 bits. A larger limit is taken as this one. */
#define RL_FILE_SIZE_MAX ((size_t)UINT32_MAX - 1)

/* Reads a regular file with one read loop into a malloc'd buffer (*out,
 * caller frees; NUL-terminated for convenience, *len excludes the NUL).
 * Refuses non-regular files without opening them for reading (O_NONBLOCK +
 * fstat), files over max_size, and files that have a NUL byte in their first
 * 8 KiB. Returns RL_SKIP_NONE on success, or the reason; on RL_SKIP_UNREADABLE
 * rl_error_last() says why and errno holds the cause (see
 * rl_errno_is_exhaustion). */
rl_skip rl_file_read(const char *fs_path, size_t max_size, char **out, size_t *len);

/* The file the walk saw at a path. A later open must find that file: a
 * name swapped for a link or another file in between (to read a secret
 * outside the root) is refused. */
typedef struct rl_file_id {
  int known;
  int nofollow; /* found by the walk, not named: a link there is refused */
  unsigned long long dev, ino;
} rl_file_id;

/* rl_file_read, but only of the file id names (NULL or !known: any file).
 * A mismatch is RL_SKIP_UNREADABLE saying the file changed during the scan. */
rl_skip rl_file_read_as(const char *fs_path, const rl_file_id *id, size_t max_size, char **out, size_t *len);

/* Minified-file heuristic for JS/TS sources (see source.c for the rule). */
int rl_source_looks_minified(const char *path, const char *bytes, size_t len);

#endif
