#ifndef RL_INSTANCES_H
#define RL_INSTANCES_H
/* Which class an instance expression belongs to, where `new T()` is not in
 * sight: constructor parameter properties (NestJS dependency injection). */
#include <tree_sitter/api.h>

#include "analysis.h"

/* `this.x` in a class whose constructor declares `private readonly x: T`
 * (any accessibility modifier, or `readonly`), T imported: "spec:T" (or
 * "spec:" for a default import), in jf's arena. NULL otherwise. */
const char *rl_param_property_class(rl_jsfile *jf, TSNode member_expr);

#endif
