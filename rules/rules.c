/* The built-in rule table, from the one list in rules/rules.def. */
#include <string.h>

#include "rule.h"

#define RL_RULE(name) extern const rl_rule rl_rule_##name;
#include "rules.def"
#undef RL_RULE

const rl_rule *const rl_builtin_rules[] = {
#define RL_RULE(name) &rl_rule_##name,
#include "rules.def"
#undef RL_RULE
    NULL /* sentinel */
};

const size_t rl_builtin_rule_count = RL_ARRAY_LEN(rl_builtin_rules) - 1;

const rl_rule *rl_builtin_rule_find(const char *id) {
  for (size_t i = 0; i < rl_builtin_rule_count; i++)
    if (strcmp(rl_builtin_rules[i]->id, id) == 0) return rl_builtin_rules[i];
  return NULL;
}
