#ifndef RL_PREFILTER_H
#define RL_PREFILTER_H
/* The prefilter's second stage: facts about a file's raw bytes that decide,
 * before any parse, that a rule cannot fire on it.
 *
 * The first stage is a rule's `needles` (plain literals). A rule whose
 * findings need more than a literal (a secret-named identifier, an import of
 * a given module, a route registration) declares `can_fire`, which asks the
 * questions below. Every answer over-approximates what the parsed file
 * could show: a question answers "no" only when no parse of these bytes could
 * make the rule's check hold. The facts are computed lazily, once per file,
 * and shared by every rule that asks. Not thread-safe: one per worker and
 * file. */
#include <stddef.h>

#include "source.h"

typedef struct rl_prefilter rl_prefilter;

/* The file's bytes (borrowed) and language. */
const char *rl_pf_bytes(const rl_prefilter *pf, size_t *len);
rl_lang rl_pf_lang(const rl_prefilter *pf);

/* 1 if the bytes contain `lit` (case-sensitive), or `lit` in any case. */
int rl_pf_has(const rl_prefilter *pf, const char *lit);
int rl_pf_has_caseless(const rl_prefilter *pf, const char *lit);

/* 1 if some name in the file could be secret-named (rl_name_is_secret): an
 * identifier-like run of bytes, or the text between two quotes (string keys
 * such as 'private-key'; any text with a backslash escape counts, since its
 * decoded value is unknown here). */
int rl_pf_secret_name(rl_prefilter *pf);

/* 1 if `module` could be imported or required: it appears right after a
 * quote, '/' or ':' (`'jose'`, `"npm:jose@5"`, `'https://esm.sh/jose'`) and
 * is followed by a quote, '/', '@' or '?'. */
int rl_pf_module(const rl_prefilter *pf, const char *module);

/* Calls fn(text, len, arg) for the contents of every quote-to-quote span that
 * a string literal could be: from each ', " or ` to the next unescaped same
 * quote, on one line for ' and ", and stopping early (without a call) at the
 * first character for which stop_at returns 1 (pass NULL to never stop).
 * `escaped` is 1 when the text holds a backslash (the literal's value then
 * differs from its text). Stops and returns 1 as soon as fn returns 1. */
int rl_pf_each_quoted(const rl_prefilter *pf, int (*stop_at)(unsigned char c),
                      int (*fn)(const char *text, size_t len, int escaped, void *arg), void *arg);

/* ---- for the engine ---------------------------------------------------------- */

struct rl_prefilter {
  const char *bytes;
  size_t len;
  rl_lang lang;
  signed char secret_name; /* -1 = not computed yet */
};

void rl_prefilter_init(rl_prefilter *pf, const char *bytes, size_t len, rl_lang lang);

#endif
