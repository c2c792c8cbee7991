#ifndef RL_SECRETPAT_H
#define RL_SECRETPAT_H
/* Custom secret patterns (.roomlint.yml `secrets:`) as rules: each runs its
 * regex over every scanned file (JS, TS, TSX and dotenv alike) once one of
 * its keywords occurs, keeps matches whose secret (capture group 1, else the
 * whole match) reaches the minimum entropy, and reports them masked like
 * the built-in secrets. */
#include <stddef.h>

#include "config.h"
#include "rule.h"

typedef struct rl_secretpats rl_secretpats;

/* One rule per pattern of c, which must outlive the result (the rules borrow
 * its compiled regexes). Caller frees with rl_secretpats_free. */
rl_secretpats *rl_secretpats_new(const rl_config *c);
void rl_secretpats_free(rl_secretpats *p);
/* The rules, borrowed until rl_secretpats_free; *n receives the count. */
const rl_rule *const *rl_secretpats_rules(const rl_secretpats *p, size_t *n);

/* Shannon entropy of p[0..n) in bits per byte (0 for n == 0). */
double rl_shannon_entropy(const char *p, size_t n);

#endif
