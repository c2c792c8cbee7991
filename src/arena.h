#ifndef RL_ARENA_H
#define RL_ARENA_H
/* A bump allocator: one per scanned file (and one per run for run-wide data).
 * Everything allocated from it is released by one rl_arena_free.
 * Allocation aborts on out-of-memory, like rl_xmalloc. Not thread-safe:
 * an arena belongs to one file, which belongs to one worker. */
#include <stdarg.h>
#include <stddef.h>

#include "util.h"

typedef struct rl_arena rl_arena;

rl_arena *rl_arena_new(void);
/* Frees every block; rl_arena_free(NULL) is a no-op. */
void rl_arena_free(rl_arena *a);
/* Returns n bytes aligned for any type, zero-filled. */
void *rl_arena_alloc(rl_arena *a, size_t n);
/* Returns count*size zero-filled bytes; aborts on overflow. */
void *rl_arena_calloc(rl_arena *a, size_t count, size_t size);
/* Room for one more element in an arena-backed growable array of n
 * elements of `size` bytes: returns items, or, when n == *cap, a copy with
 * twice the capacity (*cap updated; the old block stays in the arena). */
void *rl_arena_grow(rl_arena *a, void *items, size_t n, size_t *cap, size_t size);
char *rl_arena_strndup(rl_arena *a, const char *s, size_t n);
char *rl_arena_strdup(rl_arena *a, const char *s);
char *rl_arena_printf(rl_arena *a, const char *fmt, ...) RL_PRINTF(2, 3);
char *rl_arena_vprintf(rl_arena *a, const char *fmt, va_list ap) RL_PRINTF(2, 0);
/* Bytes handed out so far (for tests and memory accounting). */
size_t rl_arena_used(const rl_arena *a);

#endif
