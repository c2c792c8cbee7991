/* model_values.h: the project model's answers to the evaluator. The symbol
 * is joined as a rule would ask for it (rl_ctx_value): the same question,
 * the same answer, whichever file asked first. */
#include "model_values.h"

#include <string.h>

#include "model.h"

static const rl_symbol *imported(void *data, const char *spec, const char *path) {
  rl_ctx *ctx = data;
  rl_project *p = rl_ctx__project(ctx);
  const char *from = rl_ctx__fs_path(ctx);
  const char *file = rl_project_resolve(p, from ? from : rl_ctx_source(ctx)->path, spec, strlen(spec));
  if (!file) return NULL;
  return rl_project_symbol(p, file, path, rl_ctx_arena(ctx), rl_ctx_js(ctx));
}

void rl_ctx__wire_imports(rl_ctx *ctx, rl_jsfile *jf) {
  if (jf && rl_ctx_project_enabled(ctx)) rl_jsfile_set_imports(jf, imported, ctx);
}
