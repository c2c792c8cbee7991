#ifndef RL_OVERRIDES_H
#define RL_OVERRIDES_H
/* Per-path rule overrides (.roomlint.yml `overrides:`, like ESLint's
 * `files` blocks): each entry's globs, in .gitignore syntax, are matched
 * against a file's path relative to the config file's directory; a file
 * below an ignored-style directory pattern (`scripts/`) matches too. */
#include "engine.h"

typedef struct rl_overrides rl_overrides;

/* Compiles n entries anchored at base (a real directory path). Borrows v
 * for the life of the result. Caller frees with rl_overrides_free. */
rl_overrides *rl_overrides_new(const rl_path_override *v, size_t n, const char *base);
void rl_overrides_free(rl_overrides *o);

/* Calls set(data, rule_id, severity) for every rule of every entry that
 * applies to the file at path, in order (later ones win); severity
 * RL_SEV_NONE turns the rule off. Returns how many entries applied. */
size_t rl_overrides_apply(const rl_overrides *o, const char *path,
                          void (*set)(void *data, const char *rule_id, rl_severity sev), void *data);

#endif
