#ifndef RL_TEST_H
#define RL_TEST_H
/* Shared by the cmocka tests: cmocka's headers need these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
