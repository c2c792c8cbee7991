#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static int ends_with(const char *s, size_t n, const char *suffix) {
  size_t m = strlen(suffix);
  return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

rl_lang rl_lang_for_path(const char *path) {
  const char *base = base_name(path);
  size_t n = strlen(base);
  if (strcmp(base, ".env") == 0 || strncmp(base, ".env.", 5) == 0) return RL_LANG_DOTENV;
  /* NAME.env (data.env, prod.env): dotenv.config({ path: 'data.env' }) and
   * docker --env-file read such files too */
  if (n > 4 && ends_with(base, n, ".env")) return RL_LANG_DOTENV;
  if (strcmp(base, "app.json") == 0 || strcmp(base, "app.config.json") == 0) return RL_LANG_JSON;
  /* Google service-account key files, as Firebase and the Cloud console name
   * their downloads: read for the private key they hold. */
  if (ends_with(base, n, ".json") && (strstr(base, "firebase-adminsdk") || strstr(base, "service-account") ||
                                      strstr(base, "service_account") || strstr(base, "serviceAccount")))
    return RL_LANG_JSON;
  static const struct {
    const char *ext;
    rl_lang lang;
  } exts[] = {
      {".js", RL_LANG_JS},      {".jsx", RL_LANG_JS},   {".mjs", RL_LANG_JS},   {".cjs", RL_LANG_JS},
      {".ts", RL_LANG_TS},      {".mts", RL_LANG_TS},   {".cts", RL_LANG_TS},   {".tsx", RL_LANG_TSX},
      {".html", RL_LANG_HTML},  {".htm", RL_LANG_HTML}, {".vue", RL_LANG_HTML}, {".svelte", RL_LANG_HTML},
      {".astro", RL_LANG_HTML},
  };
  for (size_t i = 0; i < RL_ARRAY_LEN(exts); i++) {
    /* A bare ".js" is a hidden file, not a JavaScript file with an empty name. */
    if (n > strlen(exts[i].ext) && ends_with(base, n, exts[i].ext)) return exts[i].lang;
  }
  return RL_LANG_NONE;
}

const char *rl_lang_name(rl_lang lang) {
  switch (lang) {
  case RL_LANG_JS: return "javascript";
  case RL_LANG_TS: return "typescript";
  case RL_LANG_TSX: return "tsx";
  case RL_LANG_DOTENV: return "dotenv";
  case RL_LANG_HTML: return "html";
  case RL_LANG_JSON: return "json";
  default: return "none";
  }
}

rl_lang rl_lang_from_name(const char *name, size_t n) {
  static const struct {
    const char *name;
    rl_lang lang;
  } names[] = {
      {"javascript", RL_LANG_JS}, {"js", RL_LANG_JS},   {"jsx", RL_LANG_JS},        {"typescript", RL_LANG_TS},
      {"ts", RL_LANG_TS},         {"tsx", RL_LANG_TSX}, {"dotenv", RL_LANG_DOTENV}, {"env", RL_LANG_DOTENV},
  };
  for (size_t i = 0; i < RL_ARRAY_LEN(names); i++)
    if (strlen(names[i].name) == n && memcmp(names[i].name, name, n) == 0) return names[i].lang;
  return RL_LANG_NONE;
}

int rl_dotenv_is_template(const char *path) {
  const char *base = base_name(path);
  static const char *const templates[] = {".example", ".sample", ".template", ".dist"};
  size_t n = strlen(base);
  for (size_t i = 0; i < RL_ARRAY_LEN(templates); i++)
    if (ends_with(base, n, templates[i])) return 1;
  /* example.env, app.sample.env, docker-template.env: the word before .env */
  if (n > 4 && ends_with(base, n, ".env")) {
    size_t stem = n - 4;
    for (size_t i = 0; i < RL_ARRAY_LEN(templates); i++) {
      size_t k = strlen(templates[i]) - 1; /* the word without its dot */
      if (stem < k || memcmp(base + stem - k, templates[i] + 1, k) != 0) continue;
      if (stem == k || strchr(".-_", base[stem - k - 1])) return 1;
    }
  }
  return 0;
}

void rl_source_init(rl_source *src, const char *path, const char *bytes, size_t len, rl_lang lang, rl_arena *arena) {
  memset(src, 0, sizeof *src);
  src->path = path;
  src->bytes = bytes;
  src->len = len;
  src->lang = lang;
  src->arena = arena;
}

static void build_line_index(rl_source *src) {
  size_t count = 1;
  for (const char *p = src->bytes, *end = src->bytes + src->len;
       p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
    count++;
  src->line_starts = rl_arena_calloc(src->arena, count, sizeof *src->line_starts);
  size_t i = 0;
  src->line_starts[i++] = 0;
  for (size_t off = 0; off < src->len; off++)
    if (src->bytes[off] == '\n') src->line_starts[i++] = (uint32_t)(off + 1);
  src->nlines = (uint32_t)count;
}

void rl_source_position(rl_source *src, size_t offset, uint32_t *line, uint32_t *col) {
  if (!src->line_starts) build_line_index(src);
  if (offset > src->len) offset = src->len;
  /* Binary search for the last line start <= offset. */
  uint32_t lo = 0, hi = src->nlines;
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (src->line_starts[mid] <= offset)
      lo = mid;
    else
      hi = mid;
  }
  uint32_t c = 1;
  for (size_t i = src->line_starts[lo]; i < offset; i++)
    if (((unsigned char)src->bytes[i] & 0xC0) != 0x80) c++;
  *line = lo + 1;
  *col = c;
}

void rl_source_line(rl_source *src, uint32_t line, const char **out, size_t *n) {
  if (!src->line_starts) build_line_index(src);
  if (line == 0 || line > src->nlines) {
    *out = src->bytes + src->len;
    *n = 0;
    return;
  }
  size_t start = src->line_starts[line - 1];
  size_t end = line < src->nlines ? src->line_starts[line] - 1 : src->len;
  if (end > start && src->bytes[end - 1] == '\r') end--;
  *out = src->bytes + start;
  *n = end - start;
}

const char *rl_skip_name(rl_skip s) {
  switch (s) {
  case RL_SKIP_NONE: return "none";
  case RL_SKIP_TOO_LARGE: return "too-large";
  case RL_SKIP_BINARY: return "binary";
  case RL_SKIP_MINIFIED: return "minified";
  case RL_SKIP_SPECIAL: return "special-file";
  case RL_SKIP_SYMLINK_OUT: return "symlink-outside-root";
  case RL_SKIP_SYMLINK_LOOP: return "symlink-loop";
  case RL_SKIP_UNREADABLE: return "unreadable";
  case RL_SKIP_NOT_SOURCE: return "not-source";
  case RL_SKIP_IGNORED: return "ignored";
  case RL_SKIP__COUNT: break;
  }
  return "unknown";
}

#define BINARY_PROBE 8192

/* Sets the message, closes fd (if open) and leaves err in errno. */
static rl_skip unreadable(int fd, int err) {
  rl_error_set("%s", strerror(err));
  if (fd >= 0) close(fd);
  errno = err;
  return RL_SKIP_UNREADABLE;
}

rl_skip rl_file_read(const char *fs_path, size_t max_size, char **out, size_t *len) {
  return rl_file_read_as(fs_path, NULL, max_size, out, len);
}

rl_skip rl_file_read_as(const char *fs_path, const rl_file_id *id, size_t max_size, char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  if (id && !id->known) id = NULL;
  if (max_size > RL_FILE_SIZE_MAX) max_size = RL_FILE_SIZE_MAX;
  /* O_NONBLOCK: opening a FIFO that slipped past the walker must not hang. */
  int fd = open(fs_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | (id && id->nofollow ? O_NOFOLLOW : 0));
  if (fd < 0 && id && errno == ELOOP) {
    rl_error_set("replaced by a symbolic link during the scan, not followed");
    errno = ELOOP;
    return RL_SKIP_UNREADABLE;
  }
  if (fd < 0) return unreadable(-1, errno);
  struct stat st;
  if (fstat(fd, &st) < 0) return unreadable(fd, errno);
  if (id && ((unsigned long long)st.st_dev != id->dev || (unsigned long long)st.st_ino != id->ino)) {
    close(fd);
    rl_error_set("replaced by another file during the scan, not read");
    errno = ESTALE;
    return RL_SKIP_UNREADABLE;
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return RL_SKIP_SPECIAL;
  }
  if ((unsigned long long)st.st_size > (unsigned long long)max_size) {
    close(fd);
    return RL_SKIP_TOO_LARGE;
  }
  /* The first 8 KiB first: a binary file is refused on them, not after
   * its gigabytes have been read into memory. */
  size_t size = (size_t)st.st_size, n = 0;
  /* room for one byte past the size fstat gave: a read that stops short
   * of it has met the end, so a file costs one read, not a second one that
   * returns 0 */
  size_t cap = (size < BINARY_PROBE ? size + 1 : BINARY_PROBE) + 1;
  char *buf = rl_xmalloc(cap);
  int probed = 0;
  for (;;) {
    if (!probed && (n + 1 >= cap || n >= BINARY_PROBE)) {
      if (memchr(buf, '\0', n < BINARY_PROBE ? n : BINARY_PROBE)) {
        free(buf);
        close(fd);
        return RL_SKIP_BINARY;
      }
      probed = 1;
      if (cap < size + 2) {
        cap = size + 2;
        buf = rl_xrealloc(buf, cap);
      }
    }
    if (n + 1 >= cap) {
      /* The file grew while we read it: keep reading up to the limit. */
      if (cap - 1 > max_size) {
        free(buf);
        close(fd);
        return RL_SKIP_TOO_LARGE;
      }
      cap *= 2;
      buf = rl_xrealloc(buf, cap);
    }
    size_t want = cap - 1 - n;
    ssize_t r = read(fd, buf + n, want);
    if (r < 0) {
      if (errno == EINTR) continue;
      free(buf);
      return unreadable(fd, errno);
    }
    if (r == 0) break;
    n += (size_t)r;
    if (n == size && (size_t)r < want) break; /* the end, where fstat put it */
  }
  close(fd);
  if (n > max_size) {
    free(buf);
    return RL_SKIP_TOO_LARGE;
  }
  buf[n] = '\0';
  if (memchr(buf, '\0', n < BINARY_PROBE ? n : BINARY_PROBE)) {
    free(buf);
    return RL_SKIP_BINARY;
  }
  *out = buf;
  *len = n;
  return RL_SKIP_NONE;
}

/* Minified: named *.min.* or *-min.js, or has a line over 10,000 bytes while
 * its average line is over 200 bytes. One long data line in an otherwise
 * ordinary file does not make it minified: that file is still scanned. */
#define MINIFIED_LINE 10000
#define MINIFIED_AVG 200

int rl_source_looks_minified(const char *path, const char *bytes, size_t len) {
  const char *base = base_name(path);
  if (strstr(base, ".min.") || strstr(base, "-min.js")) return 1;
  size_t lines = 1, longest = 0, start = 0;
  for (const char *p = bytes, *end = bytes + len; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t stop = nl ? (size_t)(nl - bytes) : len;
    if (stop - start > longest) longest = stop - start;
    if (!nl) break;
    lines++;
    start = stop + 1;
    p = nl + 1;
  }
  return longest > MINIFIED_LINE && len / lines > MINIFIED_AVG;
}
