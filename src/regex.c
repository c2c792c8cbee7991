#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <stdlib.h>

#include "util.h"

struct rl_regex {
  pcre2_code *code;
  int jit;
};

int rl_regex_new(rl_regex **out, const char *pattern, size_t len, int flags) {
  int err = 0;
  PCRE2_SIZE off = 0;
  uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
  if (flags & RL_RE_CASELESS) opts |= PCRE2_CASELESS;
  *out = NULL;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, len, opts, &err, &off, NULL);
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    rl_error_set("%s at offset %zu", (const char *)msg, (size_t)off);
    return RL_EINVALID;
  }
  rl_regex *re = rl_xcalloc(1, sizeof *re);
  re->code = code;
  re->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  *out = re;
  return 0;
}

void rl_regex_free(rl_regex *re) {
  if (!re) return;
  pcre2_code_free(re->code);
  free(re);
}

/* Per thread: match data grown to the largest pattern seen (a regex is
 * shared read-only between workers), and a match context with a JIT stack
 * larger than PCRE2's 32 KiB default, on which `^(\w|-)+$` runs out after a
 * few thousand characters. The interpreter, the fallback when the JIT stack
 * is still too small, keeps its backtracking on the heap, capped here. */
#define JIT_STACK_START (32u * 1024)
#define JIT_STACK_MAX (4u * 1024 * 1024)
#define HEAP_LIMIT_KIB (64u * 1024)

static _Thread_local pcre2_match_data *tls_md;
static _Thread_local uint32_t tls_md_pairs;
static _Thread_local pcre2_match_context *tls_mctx;
static _Thread_local pcre2_jit_stack *tls_jit;

static pcre2_match_data *match_data_for(const pcre2_code *code) {
  uint32_t pairs = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &pairs);
  pairs += 1;
  if (!tls_md || tls_md_pairs < pairs) {
    pcre2_match_data_free(tls_md);
    tls_md = pcre2_match_data_create(pairs < 16 ? 16 : pairs, NULL);
    if (!tls_md) rl_oom();
    tls_md_pairs = pairs < 16 ? 16 : pairs;
  }
  return tls_md;
}

static pcre2_match_context *match_context(void) {
  if (tls_mctx) return tls_mctx;
  tls_mctx = pcre2_match_context_create(NULL);
  if (!tls_mctx) rl_oom();
  pcre2_set_heap_limit(tls_mctx, HEAP_LIMIT_KIB);
  /* Without a JIT stack of its own, JIT matching uses the 32 KiB default. */
  tls_jit = pcre2_jit_stack_create(JIT_STACK_START, JIT_STACK_MAX, NULL);
  if (tls_jit) pcre2_jit_stack_assign(tls_mctx, NULL, tls_jit);
  return tls_mctx;
}

void rl_regex_thread_done(void) {
  pcre2_match_data_free(tls_md);
  tls_md = NULL;
  tls_md_pairs = 0;
  pcre2_match_context_free(tls_mctx);
  tls_mctx = NULL;
  pcre2_jit_stack_free(tls_jit);
  tls_jit = NULL;
}

static int is_limit(int rc) {
  return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
         rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_NOMEMORY;
}

int rl_regex_search_from(const rl_regex *re, const char *s, size_t n, size_t from, size_t span[4]) {
  pcre2_match_data *md = match_data_for(re->code);
  pcre2_match_context *mc = match_context();
  int rc = re->jit ? pcre2_jit_match(re->code, (PCRE2_SPTR)s, n, from, 0, md, mc)
                   : pcre2_match(re->code, (PCRE2_SPTR)s, n, from, 0, md, mc);
  /* The JIT ran out of stack or steps: the interpreter counts differently
   * and keeps its backtracking on the heap. */
  if (re->jit && is_limit(rc)) rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, from, PCRE2_NO_JIT, md, mc);
  if (rc == PCRE2_ERROR_NOMATCH) return 0;
  if (rc < 0) {
    PCRE2_UCHAR msg[128];
    pcre2_get_error_message(rc, msg, sizeof msg);
    rl_error_set("%s", (const char *)msg); /* e.g. "match limit exceeded" */
    return RL_ERROR;
  }
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
  span[0] = ov[0];
  span[1] = ov[1];
  /* rc > 1: group 1 is set (rc counts up to the highest set group). */
  int group = rc > 1 && ov[2] != PCRE2_UNSET;
  span[2] = group ? ov[2] : ov[0];
  span[3] = group ? ov[3] : ov[1];
  return 1;
}

int rl_regex_search(const rl_regex *re, const char *s, size_t n, size_t *start, size_t *end) {
  size_t span[4];
  int rc = rl_regex_search_from(re, s, n, 0, span);
  if (rc == 1) {
    if (start) *start = span[0];
    if (end) *end = span[1];
  }
  return rc;
}

int rl_regex_match(const rl_regex *re, const char *s, size_t n) { return rl_regex_search(re, s, n, NULL, NULL); }
