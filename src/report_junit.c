/* The JUnit sink: JUnit XML for CI test tabs (GitLab's artifacts:reports:
 * junit, Jenkins, Azure Pipelines). One <testsuite> per scanned file, one
 * failing <testcase> per unsuppressed finding, a <skipped> one per
 * suppressed finding, and one passing testcase for a file with none, so
 * clean files show as passed. Skipped files are skipped testcases. Text is
 * escaped for XML 1.0: characters it cannot hold become U+FFFD; messages
 * and snippets come masked from the engine. Written at end(). */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_common.h"
#include "util.h"
#include "version.h"

typedef struct junit_sink {
  rl_sink base;
  FILE *out;
  rl_buf suites;
  size_t tests, failures, skipped;
} junit_sink;

static void xml_escape(rl_buf *b, const char *s) {
  size_t n = s ? strlen(s) : 0;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    int valid;
    size_t step = rl_utf8_step(s + i, n - i, &valid);
    if (!valid || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
      rl_buf_puts(b, "\xEF\xBF\xBD");
    else if (c == '&')
      rl_buf_puts(b, "&amp;");
    else if (c == '<')
      rl_buf_puts(b, "&lt;");
    else if (c == '>')
      rl_buf_puts(b, "&gt;");
    else if (c == '"')
      rl_buf_puts(b, "&quot;");
    else if (c == '\'')
      rl_buf_puts(b, "&apos;");
    else
      rl_buf_put(b, s + i, step);
    i += step;
  }
}

static int junit_begin(rl_sink *s, const rl_run_info *run) {
  (void)s;
  (void)run;
  return 0;
}

static void testcase_open(rl_buf *b, const char *name, const rl_file_result *r, uint32_t line) {
  rl_buf_puts(b, "    <testcase name=\"");
  xml_escape(b, name);
  rl_buf_puts(b, "\" classname=\"");
  xml_escape(b, r->path);
  rl_buf_puts(b, "\" file=\"");
  xml_escape(b, r->path);
  if (line) rl_buf_printf(b, "\" line=\"%u", (unsigned)line);
  rl_buf_puts(b, "\" time=\"0\">\n");
}

static int junit_file(rl_sink *s, const rl_file_result *r) {
  junit_sink *j = (junit_sink *)s;
  rl_buf *b = &j->suites;
  size_t tests = 0, failures = 0, skipped = 0;
  rl_buf cases = {0};
  if (r->skip != RL_SKIP_NONE) {
    testcase_open(&cases, "roomlint", r, 0);
    rl_buf_puts(&cases, "      <skipped message=\"");
    xml_escape(&cases, r->skip_detail ? r->skip_detail : rl_skip_name(r->skip));
    rl_buf_puts(&cases, "\"/>\n    </testcase>\n");
    tests = skipped = 1;
  }
  for (size_t i = 0; i < r->nfindings; i++) {
    const rl_finding *f = &r->findings[i];
    rl_buf name = {0};
    rl_buf_printf(&name, "%s at %u:%u", f->rule ? f->rule->id : "roomlint", (unsigned)f->start_line,
                  (unsigned)f->start_col);
    testcase_open(&cases, name.ptr, r, f->start_line);
    rl_buf_free(&name);
    tests++;
    if (f->suppressed != RL_SUPPRESS_NONE) {
      skipped++;
      rl_buf_puts(&cases, "      <skipped message=\"suppressed");
      if (f->justification) {
        rl_buf_puts(&cases, ": ");
        xml_escape(&cases, f->justification);
      }
      rl_buf_puts(&cases, "\"/>\n");
    } else {
      failures++;
      rl_buf_puts(&cases, "      <failure message=\"");
      xml_escape(&cases, f->message);
      rl_buf_printf(&cases, "\" type=\"%s\">", rl_severity_name(f->severity));
      rl_buf msg = {0};
      rl_buf_printf(&msg, "%s:%u:%u %s %s [%s]\n%s\n", r->path, (unsigned)f->start_line, (unsigned)f->start_col,
                    rl_severity_name(f->severity), f->message ? f->message : "", f->rule ? f->rule->id : "",
                    f->snippet ? f->snippet : "");
      xml_escape(&cases, msg.ptr);
      rl_buf_free(&msg);
      rl_buf_puts(&cases, "</failure>\n");
    }
    rl_buf_puts(&cases, "    </testcase>\n");
  }
  if (tests == 0) { /* scanned, nothing found: a passing test */
    testcase_open(&cases, "roomlint", r, 0);
    rl_buf_puts(&cases, "    </testcase>\n");
    tests = 1;
  }
  rl_buf_puts(b, "  <testsuite name=\"");
  xml_escape(b, r->path);
  rl_buf_printf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\">\n", tests, failures,
                skipped);
  if (cases.ptr) rl_buf_put(b, cases.ptr, cases.len);
  rl_buf_puts(b, "  </testsuite>\n");
  rl_buf_free(&cases);
  j->tests += tests;
  j->failures += failures;
  j->skipped += skipped;
  return 0;
}

static int junit_end(rl_sink *s, const rl_summary *sum) {
  junit_sink *j = (junit_sink *)s;
  fprintf(j->out,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<testsuites name=\"roomlint %s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" "
          "time=\"%.3f\">\n",
          RL_VERSION, j->tests, j->failures, j->skipped, sum ? sum->seconds : 0.0);
  if (j->suites.ptr) fwrite(j->suites.ptr, 1, j->suites.len, j->out);
  fputs("</testsuites>\n", j->out);
  return fflush(j->out) != 0 || ferror(j->out) ? RL_EIO : 0;
}

static void junit_sink_free(rl_sink *s) {
  junit_sink *j = (junit_sink *)s;
  if (!j) return;
  rl_buf_free(&j->suites);
  free(j);
}

rl_sink *rl_sink_junit_new(FILE *out) {
  junit_sink *j = rl_xcalloc(1, sizeof *j);
  j->base.begin = junit_begin;
  j->base.file = junit_file;
  j->base.end = junit_end;
  j->base.free = junit_sink_free;
  j->out = out;
  return &j->base;
}
