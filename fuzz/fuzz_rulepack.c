/* The user-rule loader: the input is written as x.scm in a private
 * directory and loaded with rl_rulepack_load (metadata parsing and query
 * compilation for each language). Running pack rules over files is covered
 * by fuzz_pipeline, whose engine loads rules/examples. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rulepack.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/rl-fuzz-rulepack-XXXXXX";
static char file[sizeof dir + 8];

static void cleanup(void) {
  unlink(file);
  rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  if (!mkdtemp(dir)) abort();
  snprintf(file, sizeof file, "%s/x.scm", dir);
  atexit(cleanup);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FILE *f = fopen(file, "wb");
  if (!f) abort();
  if (size && fwrite(data, 1, size, f) != size) abort();
  if (fclose(f) != 0) abort();
  rl_rulepack *p = NULL;
  if (rl_rulepack_load(&p, dir) == 0) {
    for (size_t i = 0; i < rl_rulepack_count(p); i++) {
      const rl_rule *r = rl_rulepack_rule(p, i);
      if (!r || !r->id || !r->id[0]) abort();
    }
    rl_rulepack_free(p);
  } else if (p) {
    abort(); /* a failed load hands nothing back */
  }
  return 0;
}
