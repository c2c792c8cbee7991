/* The built-in rule table, sorted by id (a test checks order and uniqueness).
 * Adding a rule: write rules/<id>.c and rules/<id>.md, add its fixtures in
 * fixtures/rules/<id>/, declare it below and list it in the table. */
#include <string.h>

#include "rule.h"

extern const rl_rule rl_rule_client_chosen_role;
extern const rl_rule rl_rule_client_side_token_minting;
extern const rl_rule rl_rule_hardcoded_secret;
extern const rl_rule rl_rule_insecure_http_url;
extern const rl_rule rl_rule_jwt_weak_verification;
extern const rl_rule rl_rule_management_token_in_client;
extern const rl_rule rl_rule_permissive_cors;
extern const rl_rule rl_rule_privileged_room_code_in_client;
extern const rl_rule rl_rule_public_env_secret;
extern const rl_rule rl_rule_secret_in_env_file;
extern const rl_rule rl_rule_secret_in_response;
extern const rl_rule rl_rule_secret_logged;
extern const rl_rule rl_rule_token_ttl_too_long;
extern const rl_rule rl_rule_token_without_expiry;
extern const rl_rule rl_rule_unauthenticated_room_route;
extern const rl_rule rl_rule_unvalidated_token_input;

const rl_rule *const rl_builtin_rules[] = {
    &rl_rule_client_chosen_role,
    &rl_rule_client_side_token_minting,
    &rl_rule_hardcoded_secret,
    &rl_rule_insecure_http_url,
    &rl_rule_jwt_weak_verification,
    &rl_rule_management_token_in_client,
    &rl_rule_permissive_cors,
    &rl_rule_privileged_room_code_in_client,
    &rl_rule_public_env_secret,
    &rl_rule_secret_in_env_file,
    &rl_rule_secret_in_response,
    &rl_rule_secret_logged,
    &rl_rule_token_ttl_too_long,
    &rl_rule_token_without_expiry,
    &rl_rule_unauthenticated_room_route,
    &rl_rule_unvalidated_token_input,
    NULL /* sentinel */
};

const size_t rl_builtin_rule_count = RL_ARRAY_LEN(rl_builtin_rules) - 1;

const rl_rule *rl_builtin_rule_find(const char *id) {
  for (size_t i = 0; i < rl_builtin_rule_count; i++)
    if (strcmp(rl_builtin_rules[i]->id, id) == 0) return rl_builtin_rules[i];
  return NULL;
}
