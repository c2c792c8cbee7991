#ifndef RL_HISTORY_H
#define RL_HISTORY_H
/* --history: every blob a repository's history holds, scanned once as text
 * (gitrepo.c walks, rl_engine_scan_text scans). A finding is reported once,
 * at the oldest commit whose tree holds it, with that commit, its date, and
 * whether HEAD still holds the secret. Findings keep the fingerprints of a
 * work-tree scan (rule, path, the masked line), so --baseline works across
 * runs and a secret that stays on its line through many versions of a file
 * is one finding. */
#include "engine.h"
#include "report.h"

/* Scans the history of the repository around path: range as git's A..B or
 * one revision, NULL for every ref and HEAD. Returns 0, RL_EUSAGE (not a
 * repository, bad range), or RL_EIO after a complete report when objects
 * could not be read (a damaged repository). */
/* ignores: the config's ignore globs (NULL-terminated, or NULL), which
 * apply with the repository's root .roomlintignore to the blobs' paths;
 * no_ignore drops both. */
int rl_history_scan(rl_engine *e, const char *path, const char *range, const char *const *ignores, int no_ignore,
                    rl_sink *sink, rl_run_info *run, rl_summary *sum);

#endif
