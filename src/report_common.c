#include "report_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util.h"

rl_json *rl_report__jstrn(rl_arena *a, const char *s, size_t n) {
  if (!memchr(s, '\0', n)) return rl_json_new_stringn(a, s, n);
  rl_buf b = {0};
  rl_buf_put(&b, s, 0);
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\0')
      rl_buf_puts(&b, "\xEF\xBF\xBD");
    else
      rl_buf_putc(&b, s[i]);
  }
  rl_json *j = rl_json_new_stringn(a, b.ptr, b.len);
  rl_buf_free(&b);
  return j;
}

rl_json *rl_report__jstr(rl_arena *a, const char *s) {
  if (!s) return rl_json_new_null(a);
  return rl_report__jstrn(a, s, strlen(s));
}

int rl_report__dump(const rl_json *root, FILE *out) {
  rl_buf b = {0};
  rl_json_write(&b, root, 2);
  rl_buf_putc(&b, '\n');
  errno = 0;
  int failed = fwrite(b.ptr, 1, b.len, out) != b.len;
  rl_buf_free(&b);
  if (fflush(out) != 0) failed = 1;
  if (ferror(out)) failed = 1;
  if (failed) {
    rl_error_set("cannot write the report: %s", errno ? strerror(errno) : "write error");
    return RL_EIO;
  }
  return 0;
}

size_t rl_report__mask_at(const char *p, size_t n, uint32_t *chars) {
  static const char ellipsis[] = "\xE2\x80\xA6(";
  const size_t elen = sizeof ellipsis - 1;
  for (int keep = 0; keep <= 4; keep += 4) {
    size_t i = 0;
    for (int k = 0; k < keep && i < n; k++) {
      int valid;
      i += rl_utf8_step(p + i, n - i, &valid);
    }
    if (n - i < elen || memcmp(p + i, ellipsis, elen) != 0) continue;
    i += elen;
    uint32_t count = 0;
    size_t digits = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9' && digits < 9) {
      count = count * 10 + (uint32_t)(p[i] - '0');
      i++;
      digits++;
    }
    if (digits == 0 || n - i < 7 || memcmp(p + i, " chars)", 7) != 0) continue;
    if ((keep == 4) != (count >= 8)) continue;
    *chars = count;
    return i + 7;
  }
  return 0;
}

const char *rl_report__commit_date(long long t, char buf[32]) {
  time_t tt = (time_t)t;
  struct tm tm;
  if (!gmtime_r(&tt, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) snprintf(buf, 32, "%lld", t);
  return buf;
}

const char *rl_report__history_words(rl_history_state h) {
  return h == RL_HISTORY_AT_HEAD ? "still at HEAD" : "removed since";
}

rl_json *rl_report__history_props(rl_arena *a, const rl_file_result *r, const rl_finding *f) {
  if (!r->commit) return NULL;
  char date[32];
  rl_json *o = rl_json_new_object(a);
  rl_json_put(a, o, "commit", rl_report__jstr(a, r->commit));
  rl_json_put(a, o, "commitDate", rl_json_new_string(a, rl_report__commit_date(r->commit_time, date)));
  rl_json_put(a, o, "presentAtHead", rl_json_new_bool(a, f->history == RL_HISTORY_AT_HEAD));
  return o;
}

size_t rl_report__visible(const rl_file_result *r) {
  size_t n = 0;
  for (size_t i = 0; i < r->nfindings; i++)
    if (r->findings[i].suppressed == RL_SUPPRESS_NONE) n++;
  return n;
}
