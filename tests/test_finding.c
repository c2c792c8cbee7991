/* Ranking identical findings (the occurrence number in their fingerprints):
 * right for many duplicates, and linear work, since a file can hold
 * 100,000 findings (issue 16, item 4: the old ranking rehashed every earlier
 * finding for each one). */
#include "rltest.h"

#include <stdlib.h>

#include "finding.h"
#include "util.h"

#define N 20000

static void finding__rank_counts_earlier_duplicates(void **state) {
  (void)state;
  uint64_t *h = calloc(N, sizeof *h);
  unsigned *out = calloc(N, sizeof *out);
  assert_non_null(h);
  assert_non_null(out);
  /* seven distinct findings repeated, one of them hashing to 0 */
  for (size_t i = 0; i < N; i++) {
    unsigned k = (unsigned)(i % 7);
    h[i] = k == 0 ? 0 : rl_hash64(&k, sizeof k, 0);
  }
  size_t probes = rl_findings_rank(out, h, N);
  for (size_t i = 0; i < N; i++) assert_int_equal(out[i], i / 7);
  assert_true(probes <= 2 * (size_t)N);
  free(h);
  free(out);
}

static void finding__rank_work_is_linear_in_findings(void **state) {
  (void)state;
  uint64_t *h = calloc(N, sizeof *h);
  unsigned *out = calloc(N, sizeof *out);
  assert_non_null(h);
  assert_non_null(out);
  /* every finding distinct but the last, which repeats the first; then all
   * identical: neither may cost more than a few table slots per finding */
  for (size_t i = 0; i < N; i++) h[i] = rl_hash64(&i, sizeof i, 0);
  h[N - 1] = h[0];
  size_t probes = rl_findings_rank(out, h, N);
  for (size_t i = 0; i + 1 < N; i++) assert_int_equal(out[i], 0);
  assert_int_equal(out[N - 1], 1);
  assert_true(probes <= 4 * (size_t)N);
  for (size_t i = 0; i < N; i++) h[i] = 42;
  probes = rl_findings_rank(out, h, N);
  for (size_t i = 0; i < N; i++) assert_int_equal(out[i], i);
  assert_true(probes <= 2 * (size_t)N);
  free(h);
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(finding__rank_counts_earlier_duplicates),
      cmocka_unit_test(finding__rank_work_is_linear_in_findings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
