#ifndef RL_MODEL_VALUES_H
#define RL_MODEL_VALUES_H
/* The evaluator's window on the project model: constants folded through
 * imports (analysis.h rl_jsfile_set_imports), answered by the run's
 * project for the file being scanned. */
#include "rule.h"

/* Gives the file's analysis state the look-up; a no-op with --no-project. */
void rl_ctx__wire_imports(rl_ctx *ctx, rl_jsfile *jf);

#endif
