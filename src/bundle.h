#ifndef RL_BUNDLE_H
#define RL_BUNDLE_H
/* Built JavaScript (dist/, build/, .next/static/, web-build/, --bundle DIR):
 * what actually ships. Minified code is not parsed; the detectors that read
 * text (secrets.h) run over its bytes: 100ms app secrets, provider JWTs
 * (100ms, LiveKit, Twilio), well-known credential formats, and secret-named
 * keys with credential-looking string values. When a source map is found
 * (a sourceMappingURL comment, inline or a file, or FILE.map beside the
 * file) a finding is reported at its original source file and line, with
 * the bundle position beside it. One linear pass per detector. */
#include <stddef.h>

#include "finding.h"

struct rl_rule;
struct rl_baseline;

/* More findings than this in one bundle are counted in a note, not listed. */
#define RL_BUNDLE_MAX_FINDINGS 1000

typedef struct rl_bundle_options {
  const struct rl_rule *rule; /* the rule findings are reported as (hardcoded-secret) */
  rl_severity severity;
  const struct rl_baseline *baseline; /* may be NULL */
  size_t max_map_size;                /* a larger source map is not read (noted) */
} rl_bundle_options;

/* Scans bytes[0..len) of the bundle file at display path `path` (also the
 * path its source map is looked up from). Returns the number of results in
 * *out (caller frees each with rl_file_result_free, then the array): the
 * first is the bundle's own (notes, findings no map places), the others one
 * per original source that mapped findings point into (r->mapped set). */
size_t rl_bundle_scan(rl_file_result ***out, const char *path, const char *bytes, size_t len,
                      const rl_bundle_options *o);

/* 1 if a path named on the command line is a well-known build folder (a
 * folder named dist, build or web-build, or in .next/static) or a file in
 * one (one of its three nearest folders so named). */
int rl_bundle_path_is_build(const char *path);

#endif
