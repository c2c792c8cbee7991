#include "report_common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util.h"

json_t *rl_report__jstrn(const char *s, size_t n) {
  rl_buf b = {0};
  size_t i = 0;
  int clean = 1;
  while (i < n) {
    int valid;
    size_t step = rl_utf8_step(s + i, n - i, &valid);
    if (!valid || s[i] == '\0') {
      clean = 0;
      break;
    }
    i += step;
  }
  if (clean) {
    json_t *j = json_stringn(s, n);
    if (!j) rl_oom();
    return j;
  }
  rl_buf_put(&b, s, 0);
  for (i = 0; i < n;) {
    int valid;
    size_t step = rl_utf8_step(s + i, n - i, &valid);
    if (!valid || s[i] == '\0')
      rl_buf_puts(&b, "\xEF\xBF\xBD");
    else
      rl_buf_put(&b, s + i, step);
    i += step;
  }
  json_t *j = json_stringn(b.ptr, b.len);
  rl_buf_free(&b);
  if (!j) rl_oom();
  return j;
}

json_t *rl_report__jstr(const char *s) {
  if (!s) return json_null();
  return rl_report__jstrn(s, strlen(s));
}

int rl_report__dump(const json_t *root, FILE *out) {
  errno = 0;
  int failed = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) != 0;
  if (!failed) failed = fputc('\n', out) == EOF;
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

json_t *rl_report__history_props(const rl_file_result *r, const rl_finding *f) {
  if (!r->commit) return NULL;
  char date[32];
  json_t *o = rl_report__object();
  rl_report__put(o, "commit", rl_report__jstr(r->commit));
  rl_report__put(o, "commitDate", json_string(rl_report__commit_date(r->commit_time, date)));
  rl_report__put(o, "presentAtHead", json_boolean(f->history == RL_HISTORY_AT_HEAD));
  return o;
}

size_t rl_report__visible(const rl_file_result *r) {
  size_t n = 0;
  for (size_t i = 0; i < r->nfindings; i++)
    if (r->findings[i].suppressed == RL_SUPPRESS_NONE) n++;
  return n;
}

void rl_report__put(json_t *obj, const char *key, json_t *value) {
  if (!value || json_object_set_new(obj, key, value) != 0) rl_oom();
}

void rl_report__push(json_t *arr, json_t *value) {
  if (!value || json_array_append_new(arr, value) != 0) rl_oom();
}

json_t *rl_report__object(void) {
  json_t *o = json_object();
  if (!o) rl_oom();
  return o;
}

json_t *rl_report__array(void) {
  json_t *a = json_array();
  if (!a) rl_oom();
  return a;
}
