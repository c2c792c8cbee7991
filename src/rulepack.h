#ifndef RL_RULEPACK_H
#define RL_RULEPACK_H
/* User rule packs (--rules DIR): every *.scm file in DIR is one rule, a
 * tree-sitter query whose leading `;` comment block holds its metadata:
 *
 *   ; id: no-room-code-in-url
 *   ; severity: warning                 (error | warning | note)
 *   ; title: Room code in a URL literal
 *   ; message: room code {code} is hard-coded in a URL
 *   ; languages: javascript, typescript, tsx
 *   ; context: client                   (optional: client, server, test, unknown)
 *   ; cwe: 200                          (optional)
 *   ; secret: token                     (optional: captures holding a secret)
 *
 * The @finding capture is the location; {name} in the message is replaced by
 * the text of capture @name. A capture listed in `secret` is masked wherever
 * its text shows (message, snippet), as built-in secrets are; a string
 * literal's quotes stay outside the mask. */
#include <stddef.h>

#include "rule.h"

typedef struct rl_rulepack rl_rulepack;

/* Loads every *.scm in dir (sorted by name). On a broken file returns
 * RL_EINVALID with rl_error_last() = "FILE:LINE:COL: problem". Caller frees. */
int rl_rulepack_load(rl_rulepack **out, const char *dir);
void rl_rulepack_free(rl_rulepack *p);
size_t rl_rulepack_count(const rl_rulepack *p);
/* Borrowed, valid until rl_rulepack_free. */
const rl_rule *rl_rulepack_rule(const rl_rulepack *p, size_t i);

#endif
