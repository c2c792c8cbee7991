/* The logger: every line comes out whole, exactly once, in the order each thread wrote it, also when
   the buffer overflows and callers write directly; and everything is out once tk_logger_close returns. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "logger.h"

#define THREADS 4
#define LINES 20000 /* per thread: about 1.5 MB in all, far past the buffer, so the direct path runs too */

static int saved_stderr = -1;
static FILE *captured;

/* Points stderr at a fresh temporary file for the duration of one test. */
static int capture(void **state) {
  (void)state;
  captured = tmpfile();
  assert_non_null(captured);
  fflush(stderr);
  saved_stderr = dup(STDERR_FILENO);
  assert_true(saved_stderr >= 0);
  assert_true(dup2(fileno(captured), STDERR_FILENO) >= 0);
  return 0;
}

static int restore(void **state) {
  (void)state;
  dup2(saved_stderr, STDERR_FILENO);
  close(saved_stderr);
  fclose(captured);
  return 0;
}

/* The captured bytes, NUL-terminated; caller frees. */
static char *captured_text(size_t *n) {
  long len;
  char *buf;
  assert_int_equal(fseek(captured, 0, SEEK_END), 0);
  len = ftell(captured);
  assert_true(len >= 0);
  rewind(captured);
  buf = malloc((size_t)len + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)len, captured), (size_t)len);
  buf[len] = '\0';
  *n = (size_t)len;
  return buf;
}

static void *writer(void *arg) {
  int id = (int)(intptr_t)arg;
  char line[96];
  for (int i = 0; i < LINES; i++) {
    /* Padded so that a torn or merged line would no longer match the format below. */
    int k = snprintf(line, sizeof line, "{\"thread\":%d,\"seq\":%d,\"pad\":\"%040d\"}\n", id, i, i);
    tk_logger_write(line, (size_t)k);
  }
  return NULL;
}

static void logger__lines_whole_ordered_and_flushed_on_close(void **state) {
  pthread_t t[THREADS];
  int next[THREADS] = {0};
  size_t n = 0, lines = 0;
  char *text, *p, *end;
  (void)state;
  assert_int_equal(tk_logger_open(), 0);
  for (int i = 0; i < THREADS; i++) assert_int_equal(pthread_create(&t[i], NULL, writer, (void *)(intptr_t)i), 0);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  tk_logger_close();
  text = captured_text(&n);
  assert_true(n > 0 && text[n - 1] == '\n');
  for (p = text; *p != '\0'; p = end + 1) {
    int id = -1, seq = -1, pad = -1, used = 0;
    end = strchr(p, '\n');
    assert_non_null(end);
    *end = '\0';
    assert_int_equal(sscanf(p, "{\"thread\":%d,\"seq\":%d,\"pad\":\"%d\"}%n", &id, &seq, &pad, &used), 3);
    assert_int_equal((size_t)used, strlen(p));
    assert_true(id >= 0 && id < THREADS);
    assert_int_equal(seq, next[id]); /* each thread's lines in its own order, none lost or doubled */
    assert_int_equal(pad, seq);
    next[id]++;
    lines++;
  }
  assert_int_equal(lines, (size_t)THREADS * LINES);
  free(text);
}

static void logger__writes_directly_when_not_open(void **state) {
  size_t n = 0;
  char *text;
  (void)state;
  tk_logger_write("before\n", 7);
  assert_int_equal(tk_logger_open(), 0);
  tk_logger_write("during\n", 7);
  tk_logger_close();
  tk_logger_write("after\n", 6);
  tk_logger_close(); /* a second close is a no-op */
  text = captured_text(&n);
  assert_string_equal(text, "before\nduring\nafter\n");
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(logger__lines_whole_ordered_and_flushed_on_close, capture, restore),
      cmocka_unit_test_setup_teardown(logger__writes_directly_when_not_open, capture, restore),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
