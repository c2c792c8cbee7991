/* The language server: any bytes on its input end in exit status 0 or 1,
 * and everything it writes is a sequence of Content-Length frames, each one
 * JSON object; never a crash, a leak or a hang. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine.h"
#include "lsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static rl_engine *engine(void) {
  static rl_engine *e;
  if (!e) {
    rl_engine_config cfg = {0};
    cfg.jobs = 1;
    if (rl_engine_new(&e, &cfg) < 0) abort();
  }
  return e;
}

static void check_frames(const char *p, size_t n) {
  while (n) {
    static const char head[] = "Content-Length: ";
    if (n < sizeof head - 1 || memcmp(p, head, sizeof head - 1) != 0) abort();
    char *end;
    unsigned long len = strtoul(p + sizeof head - 1, &end, 10);
    if (end[0] != '\r' || end[1] != '\n' || end[2] != '\r' || end[3] != '\n') abort();
    const char *body = end + 4;
    if ((size_t)(body - p) + len > n) abort();
    json_error_t err;
    json_t *m = json_loadb(body, len, 0, &err);
    if (!json_is_object(m) || !json_object_get(m, "jsonrpc")) abort();
    json_decref(m);
    n -= (size_t)(body - p) + len;
    p = body + len;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int in = memfd_create("lsp-in", 0), out = memfd_create("lsp-out", 0);
  if (in < 0 || out < 0) abort();
  if (size && write(in, data, size) != (ssize_t)size) abort();
  lseek(in, 0, SEEK_SET);
  int status = rl_lsp_serve(engine(), in, out, NULL);
  if (status != 0 && status != 1) abort();
  off_t n = lseek(out, 0, SEEK_END);
  char *buf = malloc(n > 0 ? (size_t)n : 1);
  if (!buf || pread(out, buf, (size_t)n, 0) != n) abort();
  check_frames(buf, (size_t)n);
  free(buf);
  close(in);
  close(out);
  return 0;
}
