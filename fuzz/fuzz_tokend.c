/* tokend's request handling, through the code the server runs: the real
 * server (libmicrohttpd, routing, authentication, body parsing and
 * validation, minting) listens on 127.0.0.1 inside this process and each
 * input becomes one HTTP request on a fresh connection. The 100ms API base
 * points at a closed loopback port, so room creation fails fast upstream.
 *
 * Input: a flags byte, then AUTH '\n' BODY.
 *   flags & 3: 0 POST /api/rooms/<valid id>/token, 1 POST /api/rooms,
 *              2 POST /api/rooms/<id made of the body's first bytes>/token, 3 GET /api/config
 *   flags & 4: AUTH is a claims object that the harness signs with the
 *              configured HS256 secret (so validation runs behind a valid
 *              signature); otherwise AUTH is the raw Bearer credential
 *   flags & 8: a Content-Type other than application/json
 *   flags & 16: Transfer-Encoding: chunked instead of Content-Length
 * A reply that never comes (10 s) is reported as a hang. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "config.h"
#include "server.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define USER_SECRET "user_jwt_secret_for_fuzzing_0123456789abcdef"
#define ROOM "65f1a2b3c4d5e6f7a8b9c0d1"

static const char *const env[][2] = {
    {"HMS_ACCESS_KEY", "fuzz_access_key_0123456789"},
    {"HMS_APP_SECRET", "fuzz_app_secret_0123456789abcdef"},
    {"HMS_TEMPLATE_ID", "tmpl_fuzz_1"},
    {"HMS_API_BASE", "http://127.0.0.1:9"},
    {"AUTH_JWT_ALG", "HS256"},
    {"AUTH_JWT_SECRET", USER_SECRET},
    {"AUTH_JWT_ISSUER", "https://auth.example.test"},
    {"AUTH_JWT_AUDIENCE", "roomlint-app"},
    {"AUTH_LEEWAY_SECONDS", "5"},
    {"ALLOWED_ROLES", "guest,host,viewer"},
    {"PRIVILEGED_ROLES", "host"},
    {"BIND_ADDR", "127.0.0.1"},
    {"PORT", "0"},
    {"THREADS", "1"},
    {"CONN_TIMEOUT_SECONDS", "5"},
    {"RATE_LIMIT_PER_MIN", "0"},
    {"MAX_BODY_BYTES", "4096"},
    {"LOG_LEVEL", "error"},
};

static const char *get(void *ctx, const char *name) {
  (void)ctx;
  for (size_t i = 0; i < sizeof env / sizeof env[0]; i++)
    if (strcmp(env[i][0], name) == 0) return env[i][1];
  return NULL;
}

static tk_config cfg;
static tk_server *server;
static struct sockaddr_in addr;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  char err[256];
  (void)argc;
  (void)argv;
  if (tk_config_load(&cfg, get, NULL, err, sizeof err) != 0 || tk_server_start(&server, &cfg, err, sizeof err) != 0) {
    fprintf(stderr, "fuzz_tokend: %s\n", err);
    abort();
  }
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)tk_server_port(server));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return 0;
}

typedef struct buf {
  char *p;
  size_t n, cap;
} buf;

static void put(buf *b, const void *p, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
  }
  memcpy(b->p + b->n, p, n);
  b->n += n;
  b->p[b->n] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

/* Header-safe: CR, LF and NUL would end the header early and only test libmicrohttpd's framing. */
static void put_header_value(buf *b, const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = (p[i] == '\r' || p[i] == '\n' || p[i] == '\0') ? ' ' : p[i];
    put(b, &c, 1);
  }
}

static void put_b64url(buf *b, const unsigned char *p, size_t n) {
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
    char out[4] = {a[v >> 18 & 63], a[v >> 12 & 63], a[v >> 6 & 63], a[v & 63]};
    put(b, out, n - i >= 3 ? 4 : n - i + 1);
  }
}

/* An HS256 JWT over the given claims bytes, signed with the server's secret. */
static void put_signed(buf *b, const char *claims, size_t n) {
  static const char hdr[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  buf t = {0};
  put_b64url(&t, (const unsigned char *)hdr, sizeof hdr - 1);
  puts_(&t, ".");
  put_b64url(&t, (const unsigned char *)claims, n);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (!HMAC(EVP_sha256(), USER_SECRET, (int)strlen(USER_SECRET), (const unsigned char *)t.p, t.n, mac, &len)) abort();
  puts_(&t, ".");
  put_b64url(&t, mac, len);
  put(b, t.p, t.n);
  free(t.p);
}

static int send_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Connects fd to the server. libFuzzer's timeout timer (SIGALRM) can
 * interrupt a blocking connect(); the connection then completes on its own,
 * so wait for it instead of calling that a failure. */
static int connect_once(int fd) {
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) return 0;
  if (errno != EINTR) return -1;
  struct pollfd pfd = {fd, POLLOUT, 0};
  int r;
  do r = poll(&pfd, 1, 10000);
  while (r < 0 && errno == EINTR);
  if (r <= 0) {
    if (r == 0) errno = ETIMEDOUT;
    return -1;
  }
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return -1;
  errno = err;
  return err ? -1 : 0;
}

/* Reads one response: headers, then Content-Length bytes (or to EOF). */
static void read_response(int fd) {
  buf r = {0};
  char chunk[4096];
  size_t need = (size_t)-1;
  for (;;) {
    if (need == (size_t)-1 && r.p) {
      char *end = strstr(r.p, "\r\n\r\n");
      if (end) {
        size_t hdr = (size_t)(end - r.p) + 4, cl = 0;
        const char *h = strcasestr(r.p, "\r\nContent-Length:");
        if (h && h < end) cl = strtoul(h + 17, NULL, 10);
        need = hdr + cl;
      }
    }
    if (need != (size_t)-1 && r.n >= need) break;
    ssize_t got = recv(fd, chunk, sizeof chunk, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      fprintf(stderr, "fuzz_tokend: no reply within 10 s\n");
      abort();
    }
    if (got <= 0) break; /* the server closed the connection: fine */
    put(&r, chunk, (size_t)got);
  }
  if (r.n && strncmp(r.p, "HTTP/1.1 ", 9) != 0 && strncmp(r.p, "HTTP/1.0 ", 9) != 0) {
    fprintf(stderr, "fuzz_tokend: not an HTTP response\n");
    abort();
  }
  free(r.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  unsigned flags = data[0];
  const char *p = (const char *)data + 1;
  size_t n = size - 1;
  const char *nl = memchr(p, '\n', n);
  size_t alen = nl ? (size_t)(nl - p) : n;
  const char *body = nl ? nl + 1 : p + n;
  size_t blen = nl ? n - alen - 1 : 0;

  buf req = {0};
  switch (flags & 3) {
  case 0: puts_(&req, "POST /api/rooms/" ROOM "/token HTTP/1.1\r\n"); break;
  case 1: puts_(&req, "POST /api/rooms HTTP/1.1\r\n"); break;
  case 2: {
    puts_(&req, "POST /api/rooms/");
    for (size_t i = 0; i < 24; i++) {
      char c = i < blen ? body[i] : 'a';
      if (c <= ' ' || c >= 127 || c == '?' || c == '#' || c == '%' || c == '/') c = 'f';
      put(&req, &c, 1);
    }
    puts_(&req, "/token HTTP/1.1\r\n");
    break;
  }
  default: puts_(&req, "GET /api/config HTTP/1.1\r\n"); break;
  }
  puts_(&req, "Host: 127.0.0.1\r\nAuthorization: Bearer ");
  if (flags & 4)
    put_signed(&req, p, alen);
  else
    put_header_value(&req, p, alen);
  puts_(&req, (flags & 8) ? "\r\nContent-Type: text/plain\r\n" : "\r\nContent-Type: application/json\r\n");
  if (flags & 16) {
    char line[32];
    puts_(&req, "Transfer-Encoding: chunked\r\n\r\n");
    if (blen) {
      snprintf(line, sizeof line, "%zx\r\n", blen);
      puts_(&req, line);
      put(&req, body, blen);
      puts_(&req, "\r\n");
    }
    puts_(&req, "0\r\n\r\n");
  } else {
    char line[64];
    snprintf(line, sizeof line, "Content-Length: %zu\r\n\r\n", blen);
    puts_(&req, line);
    put(&req, body, blen);
  }

  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) abort();
  struct timeval tv = {10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect_once(fd) != 0) {
    fprintf(stderr, "fuzz_tokend: connect: %s\n", strerror(errno));
    abort();
  }
  if (send_all(fd, req.p, req.n) == 0) read_response(fd);
  /* Reset rather than close: no TIME_WAIT pile-up over millions of connections. */
  struct linger lg = {1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  close(fd);
  free(req.p);
  return 0;
}
