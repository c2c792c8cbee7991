#ifndef RL_UTIL_H
#define RL_UTIL_H
/* Allocation, errors and growable buffers shared by the whole scanner.
 *
 * Allocation style: every allocation in the scanner goes through the aborting
 * rl_x* wrappers (as tree-sitter's alloc.c does): running out of memory ends
 * the process with a message instead of threading ENOMEM through every rule.
 *
 * Errors (libgit2 style): functions that can fail return 0 or a negative
 * RL_E* code and set a one-line message once, at the origin, with
 * rl_error_set(); callers pass the code up unchanged. The message is
 * thread-local. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum {
  RL_OK = 0,
  RL_ERROR = -1,    /* generic failure; see rl_error_last() */
  RL_EUSAGE = -2,   /* bad command line or configuration */
  RL_EIO = -3,      /* could not read or write a file */
  RL_EINVALID = -4, /* malformed input (rule file, query, JSON) */
  RL_ENOTFOUND = -5
};

#if defined(__GNUC__)
#define RL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define RL_NORETURN __attribute__((noreturn))
#else
#define RL_PRINTF(a, b)
#define RL_NORETURN
#endif

#define RL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *rl_xmalloc(size_t n);
void *rl_xcalloc(size_t count, size_t size);
void *rl_xrealloc(void *p, size_t n);
/* rl_xreallocarray: p resized to count*size bytes; aborts on overflow. */
void *rl_xreallocarray(void *p, size_t count, size_t size);
char *rl_xstrdup(const char *s);
char *rl_xstrndup(const char *s, size_t n);
/* Prints "roomlint: out of memory", runs the fatal cleanup and exits 2. */
RL_NORETURN void rl_oom(void);
/* fn runs in rl_oom before the process exits (main removes its -o temporary
 * file); it must be async-signal-safe, as a signal handler may share it. */
void rl_set_fatal_cleanup(void (*fn)(void));

/* Overflow-checked size arithmetic: 0 on success, -1 on overflow. */
int rl_size_add(size_t *out, size_t a, size_t b);
int rl_size_mul(size_t *out, size_t a, size_t b);
/* 1 if x is a whole number that a long long holds (so casting it is
 * defined): 30.0 yes, 1.5, 1e30, NaN and infinities no. */
int rl_num_whole(double x);

/* 1 for an errno that says the process, not the file, is in trouble (EMFILE,
 * ENFILE, ENOMEM): a run that meets one cannot trust what it skipped. */
int rl_errno_is_exhaustion(int err);

/* Sets this thread's last error message (one line, no trailing newline). */
void rl_error_set(const char *fmt, ...) RL_PRINTF(1, 2);
/* Returns this thread's last message; a borrowed pointer valid until the next
 * rl_error_set on this thread. Never NULL. */
const char *rl_error_last(void);
void rl_error_clear(void);

/* A growable byte buffer. Zero-initialise ({0}) to start; always
 * NUL-terminated after the first put; free with rl_buf_free. */
typedef struct rl_buf {
  char *ptr;
  size_t len;
  size_t cap;
} rl_buf;

void rl_buf_put(rl_buf *b, const char *p, size_t n);
void rl_buf_puts(rl_buf *b, const char *s);
void rl_buf_putc(rl_buf *b, char c);
void rl_buf_printf(rl_buf *b, const char *fmt, ...) RL_PRINTF(2, 3);
void rl_buf_vprintf(rl_buf *b, const char *fmt, va_list ap) RL_PRINTF(2, 0);
/* Returns the contents, caller frees with free(); the buffer is reset. */
char *rl_buf_detach(rl_buf *b);
void rl_buf_free(rl_buf *b);

/* ASCII helpers that do not depend on the locale. */
int rl_ascii_lower(int c);
int rl_strncasecmp_ascii(const char *a, const char *b, size_t n);
/* Case-insensitive search of needle (NUL-terminated) in hay[0..n). */
const char *rl_memcasemem(const char *hay, size_t n, const char *needle);
/* 1 if any word of the NULL-terminated list occurs in hay, ignoring ASCII case. */
int rl_memcasemem_any(const char *hay, size_t n, const char *const *words);
/* 1 if s[0..n) is one of the NULL-terminated list's strings, exactly. */
int rl_str_in_list(const char *s, size_t n, const char *const *list);

/* Length in bytes of the code point at p[0..n) (n > 0): a well-formed UTF-8
 * sequence, or 1 for an invalid byte, which then counts as one column (the
 * same rule rl_source_position uses). *valid says which it was. */
size_t rl_utf8_step(const char *p, size_t n, int *valid);

/* Writes code point cp (at most U+10FFFF) as UTF-8 at o (room for 4 bytes);
 * returns the bytes written. */
size_t rl_utf8_put(char *o, uint32_t cp);

/* 64-bit FNV-1a, for fingerprints and hash tables. */
uint64_t rl_hash64(const void *p, size_t n, uint64_t seed);

/* A string map (open addressing) for lookups by path: keys are copied, values
 * are the caller's. Zero-initialise; not thread-safe (callers lock). */
typedef struct rl_smap {
  char **keys;
  void **vals;
  size_t cap, n;
} rl_smap;
/* The value slot of k, or NULL if absent. Borrowed until the next put. */
void **rl_smap_get(const rl_smap *m, const char *k);
/* Sets k to v (replacing, not freeing, an old value). */
void rl_smap_put(rl_smap *m, const char *k, void *v);
/* Frees the keys, and each value with free_val unless NULL. */
void rl_smap_free(rl_smap *m, void (*free_val)(void *));

#endif
