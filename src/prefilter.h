#ifndef RL_PREFILTER_H
#define RL_PREFILTER_H
/* The prefilter's second stage: facts about a file's raw bytes that decide,
 * before any parse, that a rule cannot fire on it.
 *
 * The first stage is a rule's `needles` (plain literals). A rule whose
 * findings need more than a literal (a secret-named identifier, an import of
 * a given module, a route registration) declares `can_fire`, which asks the
 * questions below. Every answer over-approximates what the parsed file
 * could show: a question answers "no" only when no parse of these bytes could
 * make the rule's check hold. Text spelled with escape sequences instead of
 * its characters ('\x6aose') is read as written, as plain needles read it.
 * The facts are computed lazily, once per file, and shared by every rule
 * that asks. Not thread-safe: one per worker and file. */
#include <stddef.h>
#include <stdint.h>

#include "source.h"

typedef struct rl_prefilter rl_prefilter;

/* The file's bytes (borrowed) and language. */
const char *rl_pf_bytes(const rl_prefilter *pf, size_t *len);
rl_lang rl_pf_lang(const rl_prefilter *pf);
/* The file's display path, as rules see it in rl_ctx_source (borrowed), or
 * NULL when the caller did not give one: facts that depend on the path (a
 * Next.js pages/api file) must then assume any path. */
const char *rl_pf_path(const rl_prefilter *pf);

/* 1 if the bytes contain `lit` (case-sensitive), or `lit` in any case. */
int rl_pf_has(const rl_prefilter *pf, const char *lit);
int rl_pf_has_caseless(const rl_prefilter *pf, const char *lit);

/* `word` as a whole name: neither neighbour an ASCII identifier byte (a
 * non-ASCII neighbour may be Unicode whitespace, so it counts as a
 * boundary). rl_pf_word_from returns the offset of the first such
 * occurrence at or after `from`, or the file's length if none. */
int rl_pf_word(const rl_prefilter *pf, const char *word);
size_t rl_pf_word_from(const rl_prefilter *pf, size_t from, const char *word);

/* Calls fn(text, len, arg) for every identifier-like run of bytes (ASCII
 * letters, digits, _ and $, and non-ASCII bytes: any name a grammar could
 * read there, and parts of longer text); stops and returns 1 as soon as fn
 * returns 1. For rules whose names are judged by word (rl_name_has_word). */
int rl_pf_each_ident(const rl_prefilter *pf, int (*fn)(const char *text, size_t len, void *arg), void *arg);

/* 1 if some name in the file could be secret-named (rl_name_is_secret): an
 * identifier-like run of bytes, or the text between two quotes on one line
 * (string keys such as 'private-key'). Like the needles, names are read as
 * written: one spelled with escape sequences ('app\x53ecret') is not seen. */
int rl_pf_secret_name(rl_prefilter *pf);

/* rl_name_is_secret (and .roomlint.yml's secret-names), with a cheap test
 * first that turns most names down without splitting them into words. */
int rl_pf_name_is_secret(const char *s, size_t n);

/* Calls fn(start, end, arg) for every secret-named identifier run and every
 * secret-named quoted text (start and end then take in the quotes), in no
 * promised order; stops and returns 1 as soon as fn returns 1. The
 * question behind rl_pf_secret_name, for rules that also need to see what
 * follows the name. */
int rl_pf_each_secret_name(const rl_prefilter *pf, int (*fn)(size_t start, size_t end, void *arg), void *arg);

/* ---- the JS lexer -------------------------------------------------------------
 * The one byte-level reader of JS/TS: the prefilter, the suppression-comment
 * lexer (suppress.c) and the rules' can_fire scans all skip comments,
 * strings, templates and regex literals with these, so they agree on where
 * code is. Offsets index b[0..n). */

/* Just past the comment at b[i] (// to the end of its line, / * to past its
 * close or n), or i when b[i] starts no comment. */
size_t rl_pf_comment_end(const char *b, size_t n, size_t i);

/* Just past the closing quote of the ' or " string at b[i], or 0 when it
 * does not close on its line (a backslash-newline continues it). *escaped
 * (may be NULL) says the string holds a backslash. */
size_t rl_pf_string_end(const char *b, size_t n, size_t i, int *escaped);
/* The same scan for a reader that goes on after an unclosed string: where
 * the string stops (past its closing quote, or at the newline or end that
 * cut it), with *closed set to whether it closed. */
size_t rl_pf_string_scan(const char *b, size_t n, size_t i, int *escaped, int *closed);

/* 1 if a '/' at b[i] that opens no comment starts a regex literal: no
 * operand ends before it (an operator, an opening bracket, ',' ';' ':' '?',
 * or a word for which rl_pf_regex_keyword holds). */
int rl_pf_regex_starts(const char *b, size_t i);
/* The keywords after which a '/' starts a regex: return, typeof, case, in,
 * of, void, delete, new, yield, await, else, do, instanceof, throw. */
int rl_pf_regex_keyword(const char *p, size_t n);
/* Just past the regex literal at b[i] and its flags, 0 if it does not close
 * on its line. */
size_t rl_pf_regex_end(const char *b, size_t n, size_t i);

/* Just past the backtick that closes the template literal opening at b[i],
 * reading its ${} substitutions as code (as rl_pf_group_end does); 0 when
 * unsure (same cases as rl_pf_group_end). */
size_t rl_pf_template_end(const char *b, size_t n, size_t i, size_t *budget);

/* Skips what the grammars skip between tokens from b[i]: ASCII and Unicode
 * whitespace (\p{Zs}, U+FEFF, U+2028, U+2029, U+2060, U+200B) and comments.
 * Returns n at the end of the bytes. */
size_t rl_pf_skip_blank(const char *b, size_t n, size_t i);

/* Just past the bracket that closes the one at b[open] ('(', '[' or '{'),
 * reading the bytes between as code: strings, templates and their ${}
 * substitutions, comments and regex literals are passed over whole. Returns
 * 0 when unsure: an unclosed string or regex, templates nested past what is
 * tracked, the end of the bytes, or *budget (bytes left to read, counted
 * down) running out. */
size_t rl_pf_group_end(const char *b, size_t n, size_t open, size_t *budget);

/* At a '/' in code, b[i]: just past the comment (and the blanks after it)
 * or the regex literal it starts, i + 1 when it divides, 0 when a regex
 * does not close on its line. A '/' starts a regex when no operand ends
 * before it (an operator, an opening bracket, ',' ';' ':' '?', or a keyword
 * such as return or typeof). */
size_t rl_pf_slash_end(const char *b, size_t n, size_t i);

/* Calls fn(at, arg), in file order, for every place where `name` (ASCII)
 * could be declared or assigned: the name as a whole ASCII run followed,
 * past blanks and comments, by '=' or ':', or named by `function` /
 * `function*`. Stops at the first nonzero fn and returns it, else 0. The
 * candidates of the whole file are indexed once, on first use, so a
 * question costs its few candidates, not a pass over the bytes. */
int rl_pf_each_decl(const rl_prefilter *pf, const char *name, size_t len, int (*fn)(size_t at, void *arg), void *arg);

/* 0 only when the bytes hold none of the environment reads rl_js_env_read
 * knows: "env" together with process, import (import.meta.env), Deno or Bun. */
int rl_pf_env_read(const rl_prefilter *pf);

/* 1 if `module` could be imported or required: it appears right after a
 * quote, '/' or ':' (`'jose'`, `"npm:jose@5"`, `'https://esm.sh/jose'`) and
 * is followed by a quote, '/', '@' or '?'. Answers are kept per file by the
 * string's address: `module` is a string literal (or other text that lives
 * and stays the same for the run), never a reused buffer. */
int rl_pf_module(const rl_prefilter *pf, const char *module);

/* Calls fn(text, len, arg) for the contents of every quote-to-quote span that
 * a string literal could be: from each ', " or ` to the next unescaped same
 * quote, on one line for ' and ", and stopping early (without a call) at the
 * first character for which stop_at returns 1 (pass NULL to never stop).
 * `escaped` is 1 when the text holds a backslash (the literal's value then
 * differs from its text). Stops and returns 1 as soon as fn returns 1. */
int rl_pf_each_quoted(const rl_prefilter *pf, int (*stop_at)(unsigned char c),
                      int (*fn)(const char *text, size_t len, int escaped, void *arg), void *arg);

/* ---- for the engine ---------------------------------------------------------- */

struct rl_prefilter {
  const char *bytes;
  size_t len;
  rl_lang lang;
  signed char secret_name;  /* -1 = not computed yet */
  const char *path;         /* NULL = unknown */
  signed char routes;       /* rl_routes_possible (rules/routes.h); -1 = not computed yet */
  struct rl_pf_decl *decls; /* rl_pf_each_decl's index, built on first use */
  size_t ndecls;
  int decls_built;
  /* rl_prefilter_set_imports: the project model's answer to "may the
   * module this import specifier names matter?" (NULL: not asked) */
  int (*import_matters)(void *data, const char *spec, size_t len);
  void *import_data;
  /* rl_pf_module's answers so far, by the name's address (rules ask for
   * the same packages from the same tables) */
  struct {
    const char *module;
    signed char yes;
  } modules[64];
  unsigned nmodules;
  /* The byte pairs the bytes hold (hashed to 8192 bits), as written and
   * ASCII-lowercased: a literal with a pair the file lacks is not in it,
   * and most of the questions' literals are not (memmem over every file was
   * a fifth of a scan). Built on the first question. */
  int pairs_built;
  uint64_t pairs[128], folded_pairs[128];
};

void rl_prefilter_init(rl_prefilter *pf, const char *bytes, size_t len, rl_lang lang);
/* Frees what the questions cached; pf can then be initialised again. */
void rl_prefilter_clear(rl_prefilter *pf);
/* Gives the path rules will see (borrowed; must outlive pf). */
void rl_prefilter_set_path(rl_prefilter *pf, const char *path);
/* Lets rl_summary_possible (summary.h) ask the project model about each
 * module the bytes import; without it every project-looking specifier
 * counts. fn returns 1 when the module may matter. */
void rl_prefilter_set_imports(rl_prefilter *pf, int (*fn)(void *data, const char *spec, size_t len), void *data);

/* The first stage for every rule at once: each rule's needles (NULL-terminated
 * literals; a NULL list always hits) matched in one pass over the bytes,
 * instead of one memmem per needle. Built once per engine; read-only and
 * shareable between threads after rl_needles_new. */
typedef struct rl_needles rl_needles;
rl_needles *rl_needles_new(const char *const *const *lists, size_t nlists);
void rl_needles_free(rl_needles *nd);
/* hit[i] = 1 when list i has a needle in bytes (or is NULL), else 0. */
void rl_needles_scan(const rl_needles *nd, const char *bytes, size_t len, unsigned char *hit);

#endif
