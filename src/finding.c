#include "finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "util.h"

const char *rl_severity_name(rl_severity s) {
  switch (s) {
  case RL_SEV_NOTE: return "note";
  case RL_SEV_WARNING: return "warning";
  case RL_SEV_ERROR: return "error";
  case RL_SEV_NONE: break;
  }
  return "none";
}

int rl_severity_parse(const char *s, rl_severity *out) {
  static const struct {
    const char *name;
    rl_severity sev;
  } names[] = {{"error", RL_SEV_ERROR}, {"warning", RL_SEV_WARNING}, {"note", RL_SEV_NOTE}, {"none", RL_SEV_NONE}};
  for (size_t i = 0; i < RL_ARRAY_LEN(names); i++) {
    if (strcmp(s, names[i].name) == 0) {
      *out = names[i].sev;
      return 0;
    }
  }
  return -1;
}

const char *rl_context_name(rl_context c) {
  switch (c) {
  case RL_CTX_CLIENT: return "client";
  case RL_CTX_SERVER: return "server";
  case RL_CTX_TEST: return "test";
  case RL_CTX_UNKNOWN: break;
  }
  return "unknown";
}

void rl_file_result_note(rl_file_result *r, rl_note_level level, const char *id, uint32_t line, uint32_t col,
                         const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *message = rl_arena_vprintf(r->arena, fmt, ap);
  va_end(ap);
  rl_notification *n = rl_arena_grow(r->arena, r->notes, r->nnotes, &r->notes_cap, sizeof *n);
  n[r->nnotes++] = (rl_notification){level, id, message, line, col};
  r->notes = n;
}

rl_file_result *rl_file_result_new(const char *path, rl_lang lang) {
  rl_arena *a = rl_arena_new();
  rl_file_result *r = rl_xcalloc(1, sizeof *r);
  r->arena = a;
  r->path = rl_arena_strdup(a, path);
  r->lang = lang;
  r->context = RL_CTX_UNKNOWN;
  r->context_reason = "not scanned";
  return r;
}

void rl_file_result_free(rl_file_result *r) {
  if (!r) return;
  rl_arena *a = r->arena;
  free(r);
  rl_arena_free(a);
}

/* Counts code points so the length we print matches what an editor shows. */
static size_t utf8_len(const char *p, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)p[i] & 0xC0) != 0x80) count++;
  return count;
}

uint64_t rl_finding_hash(const rl_finding *f, const char *path) {
  uint64_t h = rl_hash64(f->rule->id, strlen(f->rule->id), 0);
  h = rl_hash64(path, strlen(path), h);
  for (const char *p = f->snippet; p && *p; p++) {
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') continue;
    h = rl_hash64(p, 1, h);
  }
  return h;
}

void rl_findings_fingerprint(rl_finding *f, const uint64_t *hashes, size_t n) {
  /* Identical findings ranked by a table, not by rehashing every earlier
   * finding (quadratic in findings per file). */
  unsigned *rank = rl_xcalloc(n ? n : 1, sizeof *rank);
  rl_findings_rank(rank, hashes, n);
  for (size_t i = 0; i < n; i++) {
    unsigned occurrence = rank[i];
    uint64_t h = rl_hash64(&occurrence, sizeof occurrence, hashes[i]);
    snprintf(f[i].fingerprint, sizeof f[i].fingerprint, "%016llx", (unsigned long long)h);
  }
  free(rank);
}

char *rl_mask_secret(rl_arena *a, const char *p, size_t n) {
  size_t chars = utf8_len(p, n);
  if (chars < 8) return rl_arena_printf(a, "…(%zu chars)", chars);
  size_t keep = 0, seen = 0;
  while (keep < n && seen < 4) {
    keep++;
    while (keep < n && ((unsigned char)p[keep] & 0xC0) == 0x80) keep++;
    seen++;
  }
  return rl_arena_printf(a, "%.*s…(%zu chars)", (int)keep, p, chars);
}

typedef struct rank_slot {
  uint64_t hash;
  unsigned seen; /* findings with this hash so far; 0: the slot is empty */
} rank_slot;

size_t rl_findings_rank(unsigned *out, const uint64_t *hashes, size_t n) {
  size_t cap = 16, probes = 0;
  while (cap / 2 < n && cap <= SIZE_MAX / 4) cap *= 2; /* at most half full */
  rank_slot *tab = rl_xcalloc(cap, sizeof *tab);
  for (size_t i = 0; i < n; i++) {
    /* fold the high bits in: the table index uses the low ones */
    size_t k = (size_t)(hashes[i] ^ (hashes[i] >> 29) ^ (hashes[i] >> 47)) & (cap - 1);
    for (;;) {
      probes++;
      if (tab[k].seen == 0 || tab[k].hash == hashes[i]) break;
      k = (k + 1) & (cap - 1);
    }
    tab[k].hash = hashes[i];
    out[i] = tab[k].seen++;
  }
  free(tab);
  return probes;
}
