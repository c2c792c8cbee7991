/* The text sink: what people read in a terminal. Findings are grouped by
 * file, each with its source line and a caret line; suppressed findings are
 * only counted; a summary line ends the report. Output is streamed: nothing
 * of a file result is kept after file() returns. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_common.h"
#include "util.h"

#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"
#define SGR_DIM "\033[2m"
#define SGR_RED "\033[31m"
#define SGR_GREEN "\033[32m"
#define SGR_YELLOW "\033[33m"
#define SGR_CYAN "\033[36m"

typedef struct text_sink {
  rl_sink base;
  FILE *out;
  rl_text_options opts;
  int need_blank; /* something was printed since the last blank line */
} text_sink;

static const char *sgr(const text_sink *t, const char *code) { return t->opts.color ? code : ""; }

static const char *severity_sgr(const text_sink *t, rl_severity s) {
  switch (s) {
  case RL_SEV_ERROR: return sgr(t, SGR_RED);
  case RL_SEV_WARNING: return sgr(t, SGR_YELLOW);
  case RL_SEV_NOTE: return sgr(t, SGR_CYAN);
  case RL_SEV_NONE: break;
  }
  return "";
}

static const char *plural(size_t n, const char *one, const char *many) { return n == 1 ? one : many; }

/* Writes s[0..n) for a terminal. Text from scanned files (snippets, paths,
 * messages quoting literals) must not drive the terminal: control characters
 * other than tab, C1 controls, bidi overrides (Trojan Source) and bytes that
 * are not UTF-8 are each printed as U+FFFD, which still takes one column, as
 * the caret line assumes. */
static void put_safe(text_sink *t, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    const unsigned char *u = (const unsigned char *)s + i;
    int valid;
    size_t step = rl_utf8_step(s + i, n - i, &valid);
    int bad = !valid || (u[0] < 0x20 && u[0] != '\t') || u[0] == 0x7F || (step == 2 && u[0] == 0xC2 && u[1] <= 0x9F) ||
              (step == 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE) ||
              (step == 3 && u[0] == 0xE2 && u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9);
    if (bad)
      fputs("\xEF\xBF\xBD", t->out);
    else
      fwrite(s + i, 1, step, t->out);
    i += step;
  }
}

static void put_safe_str(text_sink *t, const char *s) {
  if (s) put_safe(t, s, strlen(s));
}

static int text_begin(rl_sink *s, const rl_run_info *run) {
  (void)s;
  (void)run;
  return 0;
}

/* The first line of a snippet, without its terminator. */
static size_t first_line_len(const char *snippet) {
  size_t n = strcspn(snippet, "\n");
  if (n > 0 && snippet[n - 1] == '\r') n--;
  return n;
}

/* Code points in p[0..n). */
static size_t code_points(const char *p, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; count++) {
    int valid;
    i += rl_utf8_step(p + i, n - i, &valid);
  }
  return count;
}

/* The snippet's first line, then a caret line under columns [start, end) of
 * it. Columns count code points; tabs in the prefix are kept so the carets
 * line up whatever the tab width; a masked secret spans the columns of the
 * secret it hides, so carets cover the mask. A finding that runs past the
 * line is underlined to the line's end. */
static void print_snippet(text_sink *t, const rl_finding *f) {
  if (!f->snippet || !f->snippet[0]) return;
  const char *line = f->snippet;
  size_t n = first_line_len(line);
  fputs("    ", t->out);
  put_safe(t, line, n);
  fputc('\n', t->out);

  uint32_t start = f->start_col ? f->start_col : 1;
  uint32_t end = f->end_line > f->start_line ? UINT32_MAX : f->end_col;
  fputs("    ", t->out);
  uint64_t col = 1;
  size_t i = 0, carets = 0;
  /* A cut line starts with "…" standing for the columns left out. */
  if (f->snippet_col > 0 && n >= 3 && memcmp(line, "\xE2\x80\xA6", 3) == 0) {
    fputc(' ', t->out);
    col += f->snippet_col;
    i = 3;
  }
  while (i < n && col < end) {
    uint32_t chars = 1;
    size_t len = rl_report__mask_at(line + i, n - i, &chars);
    if (len == 0) {
      int valid;
      len = rl_utf8_step(line + i, n - i, &valid);
    }
    if (col + chars <= start) {
      /* Before the finding: one blank per code point, tabs kept. */
      for (size_t k = 0; k < len;) {
        int valid;
        fputc(line[i + k] == '\t' ? '\t' : ' ', t->out);
        k += rl_utf8_step(line + i + k, len - k, &valid);
      }
    } else {
      if (carets == 0) fputs(severity_sgr(t, f->severity), t->out);
      carets += code_points(line + i, len);
      for (size_t k = code_points(line + i, len); k > 0; k--) fputc('^', t->out);
    }
    col += chars;
    i += len;
  }
  if (carets == 0) {
    fputs(severity_sgr(t, f->severity), t->out);
    fputc('^', t->out);
  }
  fprintf(t->out, "%s\n", sgr(t, SGR_RESET));
}

static void print_header(text_sink *t, const rl_file_result *r) {
  fputs(sgr(t, SGR_BOLD), t->out);
  put_safe_str(t, r->path);
  fputs(sgr(t, SGR_RESET), t->out);
  if (t->opts.verbose) {
    fprintf(t->out, "  %s[%s", sgr(t, SGR_DIM), rl_context_name(r->context));
    if (r->context_reason && r->context_reason[0]) {
      fputs(": ", t->out);
      put_safe_str(t, r->context_reason);
    }
    fprintf(t->out, "]%s", sgr(t, SGR_RESET));
  }
  if (r->commit) {
    char date[32];
    fprintf(t->out, "  %scommit %.12s, %.10s%s", sgr(t, SGR_DIM), r->commit,
            rl_report__commit_date(r->commit_time, date), sgr(t, SGR_RESET));
  }
  fputc('\n', t->out);
  t->need_blank = 1;
}

static void print_skipped(text_sink *t, const rl_file_result *r) {
  fprintf(t->out, "%sskipped%s  ", sgr(t, SGR_DIM), sgr(t, SGR_RESET));
  put_safe_str(t, r->path);
  fputs("  ", t->out);
  /* The engine's detail already names the reason in words. */
  if (r->skip_detail && r->skip_detail[0])
    put_safe_str(t, r->skip_detail);
  else
    fputs(rl_skip_name(r->skip), t->out);
  fputc('\n', t->out);
  t->need_blank = 1;
}

/* One line of a group: location, severity, message, rule or notification id. */
static void print_item(text_sink *t, int width, const char *loc, rl_severity sev, const char *message, const char *id) {
  fprintf(t->out, "  %-*s  %s%-7s%s  ", width, loc, severity_sgr(t, sev), rl_severity_name(sev), sgr(t, SGR_RESET));
  put_safe_str(t, message);
  fprintf(t->out, "  %s", sgr(t, SGR_DIM));
  put_safe_str(t, id);
  fprintf(t->out, "%s\n", sgr(t, SGR_RESET));
}

static void format_loc(char *buf, size_t cap, uint32_t line, uint32_t col) {
  if (line == 0)
    snprintf(buf, cap, "-");
  else
    snprintf(buf, cap, "%u:%u", (unsigned)line, (unsigned)(col ? col : 1));
}

static rl_severity note_severity(rl_note_level level) {
  switch (level) {
  case RL_NOTE_ERROR: return RL_SEV_ERROR;
  case RL_NOTE_WARNING: return RL_SEV_WARNING;
  case RL_NOTE_NOTE: break;
  }
  return RL_SEV_NOTE;
}

/* Notes (syntax errors) are for -v; a warning (a limit that cut the
 * analysis short, a parse that failed) always shows, findings may be
 * missing; so does a note about a suppression comment, which the reader
 * wrote and can fix. */
static int note_shown(const text_sink *t, const rl_notification *n) {
  return t->opts.verbose || n->level >= RL_NOTE_WARNING || (n->id && strncmp(n->id, "suppression-", 12) == 0);
}

static int text_file(rl_sink *s, const rl_file_result *r) {
  text_sink *t = (text_sink *)s;
  if (r->skip != RL_SKIP_NONE) {
    if (t->opts.verbose) print_skipped(t, r);
    return 0;
  }
  size_t visible = rl_report__visible(r);
  size_t nnotes = 0;
  for (size_t i = 0; i < r->nnotes; i++)
    if (note_shown(t, &r->notes[i])) nnotes++;
  if (!t->opts.verbose && visible == 0 && nnotes == 0) return 0;
  /* The engine describes syntax errors in a notification; if it did not, say so here. */
  int syntax_line = t->opts.verbose && r->has_syntax_errors && r->nnotes == 0;

  /* The location column is padded to the widest in this file. */
  int width = 1;
  char loc[32];
  for (size_t i = 0; i < r->nfindings; i++) {
    const rl_finding *f = &r->findings[i];
    if (f->suppressed != RL_SUPPRESS_NONE) continue;
    format_loc(loc, sizeof loc, f->start_line, f->start_col);
    if ((int)strlen(loc) > width) width = (int)strlen(loc);
  }
  for (size_t i = 0; i < r->nnotes; i++) {
    if (!note_shown(t, &r->notes[i])) continue;
    format_loc(loc, sizeof loc, r->notes[i].line, r->notes[i].col);
    if ((int)strlen(loc) > width) width = (int)strlen(loc);
  }

  print_header(t, r);
  for (size_t i = 0; i < r->nfindings; i++) {
    const rl_finding *f = &r->findings[i];
    if (f->suppressed != RL_SUPPRESS_NONE) continue;
    format_loc(loc, sizeof loc, f->start_line, f->start_col);
    if (r->commit) {
      rl_buf m = {0};
      rl_buf_printf(&m, "%s [%s]", f->message, rl_report__history_words(f->history));
      print_item(t, width, loc, f->severity, m.ptr, f->rule ? f->rule->id : NULL);
      rl_buf_free(&m);
    } else {
      print_item(t, width, loc, f->severity, f->message, f->rule ? f->rule->id : NULL);
    }
    print_snippet(t, f);
    if (f->bundle_path) {
      fputs("    built into ", t->out);
      put_safe_str(t, f->bundle_path);
      fprintf(t->out, ":%u:%u\n", (unsigned)f->bundle_line, (unsigned)f->bundle_col);
    }
    if (f->related_path) {
      fputs("    related: ", t->out);
      put_safe_str(t, f->related_path);
      fprintf(t->out, ":%u:%u ", (unsigned)f->related_line, (unsigned)f->related_col);
      put_safe_str(t, f->related_message);
      fputc('\n', t->out);
      for (size_t k = 0; k < f->nrelated_more; k++) {
        const rl_related *m = &f->related_more[k];
        fputs("    related: ", t->out);
        put_safe_str(t, m->path);
        fprintf(t->out, ":%u:%u ", (unsigned)m->line, (unsigned)m->col);
        put_safe_str(t, m->message);
        fputc('\n', t->out);
      }
    }
  }
  for (size_t i = 0; i < r->nnotes; i++) {
    const rl_notification *n = &r->notes[i];
    if (!note_shown(t, n)) continue;
    format_loc(loc, sizeof loc, n->line, n->col);
    print_item(t, width, loc, note_severity(n->level), n->message, n->id);
  }
  if (syntax_line) print_item(t, width, "-", RL_SEV_NOTE, "syntax errors; scanned what parsed", "syntax-error");
  if (visible > 0 || nnotes > 0 || syntax_line) {
    fputc('\n', t->out);
    t->need_blank = 0;
  }
  return 0;
}

static int text_end(rl_sink *s, const rl_summary *sum) {
  text_sink *t = (text_sink *)s;
  if (t->need_blank) fputc('\n', t->out);
  size_t problems = sum->errors + sum->warnings + sum->notes;
  if (problems > 0) {
    const char *colour = sum->errors ? SGR_RED : sum->warnings ? SGR_YELLOW : SGR_CYAN;
    fprintf(t->out, "%s%s\xE2\x9C\x96 %zu %s (%zu %s, %zu %s, %zu %s)%s", sgr(t, SGR_BOLD), sgr(t, colour), problems,
            plural(problems, "problem", "problems"), sum->errors, plural(sum->errors, "error", "errors"), sum->warnings,
            plural(sum->warnings, "warning", "warnings"), sum->notes, plural(sum->notes, "note", "notes"),
            sgr(t, SGR_RESET));
  } else if (sum->suppression_errors == 0) {
    fprintf(t->out, "%sno problems found%s", sgr(t, SGR_GREEN), sgr(t, SGR_RESET));
  }
  if (sum->suppression_errors > 0)
    fprintf(t->out, "%s%s%s\xE2\x9C\x96 %zu %s in suppression comments%s", problems ? " \xC2\xB7 " : "",
            sgr(t, SGR_BOLD), sgr(t, SGR_RED), sum->suppression_errors,
            plural(sum->suppression_errors, "error", "errors"), sgr(t, SGR_RESET));
  fprintf(t->out, " \xC2\xB7 %zu %s scanned", sum->files_scanned, plural(sum->files_scanned, "file", "files"));
  if (sum->parse_errors > 0) fprintf(t->out, " (%zu with syntax errors)", sum->parse_errors);
  if (sum->analysis_stopped > 0) fprintf(t->out, " (%zu not fully checked)", sum->analysis_stopped);
  fprintf(t->out, ", %zu skipped", sum->files_skipped);
  if (sum->suppressed > 0) fprintf(t->out, ", %zu suppressed", sum->suppressed);
  fprintf(t->out, " \xC2\xB7 %.2fs\n", sum->seconds);
  if (sum->files_skipped > 0 && !t->opts.verbose)
    fprintf(t->out, "%s(run with -v to list skipped files)%s\n", sgr(t, SGR_DIM), sgr(t, SGR_RESET));
  else if (sum->analysis_stopped > 0 && !t->opts.verbose)
    fprintf(t->out, "%s(run with -v to list the files not fully checked)%s\n", sgr(t, SGR_DIM), sgr(t, SGR_RESET));

  int failed = fflush(t->out) != 0;
  if (ferror(t->out)) failed = 1;
  if (failed) {
    rl_error_set("cannot write the report");
    return RL_EIO;
  }
  return 0;
}

static void text_free(rl_sink *s) { free(s); }

rl_sink *rl_sink_text_new(FILE *out, const rl_text_options *opts) {
  text_sink *t = rl_xcalloc(1, sizeof *t);
  t->base.begin = text_begin;
  t->base.file = text_file;
  t->base.end = text_end;
  t->base.free = text_free;
  t->out = out;
  if (opts) t->opts = *opts;
  return &t->base;
}
