#ifndef RL_TEST_H
#define RL_TEST_H
/* Shared by the cmocka tests: cmocka's headers need these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "arena.h"

/* A fresh arena for each test: pass rl_test_arena_setup and
 * rl_test_arena_teardown to cmocka_unit_test_setup_teardown and allocate from
 * rl_test_arena. */
static rl_arena *rl_test_arena;

static inline int rl_test_arena_setup(void **state) {
  (void)state;
  rl_test_arena = rl_arena_new();
  return 0;
}

static inline int rl_test_arena_teardown(void **state) {
  (void)state;
  rl_arena_free(rl_test_arena);
  rl_test_arena = NULL;
  return 0;
}

#endif
