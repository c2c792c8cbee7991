#ifndef RL_LSP_H
#define RL_LSP_H
/* `roomlint lsp`: a language server over standard input and output (LSP
 * 3.17, JSON-RPC 2.0 with Content-Length framing). Open documents are
 * scanned from the editor's text on open, change (full sync) and save, and
 * each scan is published as textDocument/publishDiagnostics; a file the walk
 * would leave out (ignore files, the config's ignore:) gets no diagnostics.
 * Bad framing or JSON gets a JSON-RPC error response and the server goes on;
 * a message over LSP_MAX_BODY bytes is read past, never held in memory. */
#include "engine.h"

typedef struct rl_lsp_options {
  const char *const *extra_ignores; /* config ignore globs, NULL-terminated or NULL */
  int no_ignore;                    /* --no-ignore */
} rl_lsp_options;

/* Serves until `exit` or the end of input. Returns the process exit status:
 * 0 after shutdown then exit, 1 otherwise (exit without shutdown, input
 * closed, output broken), as the protocol asks. e is borrowed. */
int rl_lsp_serve(rl_engine *e, int in_fd, int out_fd, const rl_lsp_options *opts);

#endif
