#include "server.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "cors.h"
#include "hms.h"
#include "jsonw.h"
#include "logger.h"
#include "mint.h"
#include "provider.h"
#include "proxy.h"
#include "ratelimit.h"
#include "redis_store.h"
#include "roomcodes.h"
#include "tokend.h"
#include "userjwt.h"

#define HEADERS_MAX 8192        /* our own cap on all request headers -> 431 */
#define CONN_MEMORY (32 * 1024) /* libmicrohttpd's per-connection pool; beyond it, its own 431 */
#define ROOM_NAME_MAX 80
#define ROOM_DESCRIPTION_MAX 500
#define UPSTREAM_MAX 64   /* concurrent room creations */
#define BODY_INLINE 256   /* bodies up to this size stay in the request; larger ones get max_body bytes */
#define RESPONSE_MAX 8192 /* any response we write ourselves: a token, four short fields, escaped sub */
#define LOG_LINE_MAX 512
#define DRAIN_IDLE 0.5 /* seconds: while draining, a connection idle this long is closed */

/* One open connection, from libmicrohttpd's STARTED to its CLOSED notification. */
typedef struct conn_node {
  struct conn_node *next, *prev;
  MHD_socket fd;
  ino_t ino;                 /* the socket's inode: the fd is only shut while it still names this socket */
  atomic_int busy;           /* a request has started and not completed */
  _Atomic double idle_since; /* monotonic time of the last completed request (or the accept) */
} conn_node;

struct tk_server {
  const tk_config *cfg;
  struct MHD_Daemon *d;
  MHD_socket quiesced; /* the listen socket after tk_server_drain, closed only after stopping */
  tk_verifier *verifier;
  tk_jwks *jwks;         /* AUTH_JWKS_URL, or NULL */
  tk_ratelimit *limiter; /* NULL when RATE_LIMIT_PER_MIN=0 */
  tk_redis *redis;       /* REDIS_URL: the limit shared by every instance, or NULL */
  tk_hmac *redis_hmac;   /* keyed with a key derived from the app secret: Redis key names */
  tk_hms *hms;
  tk_mint_key key;
  tk_hmac *app_hmac; /* keyed with the app secret: signs tokens */
  tk_hmac *log_hmac; /* keyed with a key derived from it: the log's user tags, never a token signature */
  atomic_int inflight;
  atomic_int draining;         /* 0 serving, 1 stopping the listener, 2 listener gone */
  atomic_int upstream_running; /* create_room_job threads alive */
  pthread_mutex_t conns_mu;    /* guards the list; held while a socket in it is shut, so it is never closed meanwhile */
  conn_node *conns;
  int n_conns;
  double drain_t0;
  unsigned port;
};

enum route { R_NONE, R_HEALTHZ, R_READYZ, R_CONFIG, R_ROOMS, R_TOKEN, R_CODES };

typedef struct req {
  enum route route;
  char method[12];
  double t0;
  unsigned status;
  char room[TK_ROOM_MAX + 1]; /* as the provider names rooms (tk_provider_room_valid) */
  int room_ok;
  int preflight;       /* an answered CORS preflight: the answer carries the route's methods */
  char client_tag[17]; /* keyed hash of the client address (TRUSTED_PROXIES decides which), for the log */
  tk_user user;
  char user_tag[17]; /* keyed hash of the user id, for the log; "" when not authenticated */
  char *body;        /* body_inline, or malloc'ed when the body outgrows it */
  size_t body_len, seen;
  int too_big;
  /* POST /api/rooms while the 100ms call is in progress */
  struct tk_server *server;
  struct MHD_Connection *conn;
  json_t *pending;        /* the validated body, owned */
  json_t *upstream_room;  /* 100ms's answer, owned */
  json_t *upstream_codes; /* the room's codes from 100ms, owned */
  int upstream_rc, upstream_done;
  int drain_seen;                /* 0 = not looked yet, 1 = serving, 2 = draining: one answer per request */
  int must_close;                /* the request's framing cannot be trusted: answer, then close the connection */
  char body_inline[BODY_INLINE]; /* last, and never zeroed: only body_len bytes of it are ever read */
} req;

struct route_def {
  const char *name; /* as logged: a pattern, never the raw path */
  const char *allow;
  int post;
};

static const struct route_def routes[] = {
    [R_NONE] = {"-", NULL, 0},
    [R_HEALTHZ] = {"/healthz", "GET, HEAD", 0},
    [R_READYZ] = {"/readyz", "GET, HEAD", 0},
    [R_CONFIG] = {"/api/config", "GET, HEAD", 0},
    [R_ROOMS] = {"/api/rooms", "POST", 1},
    [R_TOKEN] = {"/api/rooms/:room_id/token", "POST", 1},
    [R_CODES] = {"/api/rooms/:room_id/codes", "GET, HEAD", 0},
};

static double monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t wall(void) { return (int64_t)time(NULL); }

/* ---- logging: whole JSON lines handed to the logger, so concurrent lines never interleave ------------ */

static void put_escaped(char *out, size_t cap, const char *s) {
  size_t o = 0;
  for (; *s && o + 7 < cap; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') {
      out[o++] = '\\';
      out[o++] = (char)ch;
    } else if (ch < 0x20 || ch >= 0x7f) {
      o += (size_t)snprintf(out + o, cap - o, "\\u%04x", ch);
    } else {
      out[o++] = (char)ch;
    }
  }
  out[o] = '\0';
}

static void write_line(const char *line, int n) {
  if (n > 0) tk_logger_write(line, (size_t)n);
}

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void tk_log_event(const tk_config *cfg, int level, const char *msg) {
  char esc[512], line[700];
  int n;
  if (level > cfg->log_level) return;
  put_escaped(esc, sizeof esc, msg);
  n = snprintf(line, sizeof line, "{\"ts\":%lld,\"level\":\"%s\",\"msg\":\"%s\"}\n", (long long)wall(),
               level_names[level], esc);
  write_line(line, n < (int)sizeof line ? n : (int)sizeof line - 1);
}

static void log_request(const tk_server *s, const req *r, int aborted) {
  char line[LOG_LINE_MAX];
  tk_jsonw w = tk_jsonw_over(line, sizeof line);
  long long us;
  char ms[4];
  if (s->cfg->log_level < TK_LOG_INFO) return;
  us = (long long)((monotonic() - r->t0) * 1e6);
  ms[0] = (char)('0' + us % 1000 / 100);
  ms[1] = (char)('0' + us % 100 / 10);
  ms[2] = (char)('0' + us % 10);
  ms[3] = '\0';
  /* Written by hand rather than with snprintf: this runs once per request. Every field but the
     method is ours; the method was reduced to [A-Z?] when the request began. */
  tk_jsonw_lit(&w, "{\"ts\":");
  tk_jsonw_int(&w, wall());
  tk_jsonw_lit(&w, ",\"level\":\"info\",\"method\":");
  tk_jsonw_str(&w, r->method);
  tk_jsonw_lit(&w, ",\"route\":");
  tk_jsonw_str(&w, routes[r->route].name);
  tk_jsonw_lit(&w, ",\"status\":");
  tk_jsonw_int(&w, r->status);
  tk_jsonw_lit(&w, ",\"duration_ms\":");
  tk_jsonw_int(&w, us / 1000);
  tk_jsonw_raw(&w, ".", 1);
  tk_jsonw_lit(&w, ms);
  tk_jsonw_lit(&w, ",\"client\":");
  if (r->client_tag[0])
    tk_jsonw_str(&w, r->client_tag);
  else
    tk_jsonw_lit(&w, "null");
  tk_jsonw_lit(&w, ",\"user\":");
  if (r->user_tag[0])
    tk_jsonw_str(&w, r->user_tag);
  else
    tk_jsonw_lit(&w, "null");
  if (aborted) tk_jsonw_lit(&w, ",\"aborted\":true");
  tk_jsonw_lit(&w, "}\n");
  if (!w.failed) write_line(line, (int)w.n);
}

static void mhd_logger(void *cls, const char *fmt, va_list ap) {
  tk_server *s = cls;
  char msg[400];
  /* The format comes from libmicrohttpd itself, never from a request. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  vsnprintf(msg, sizeof msg, fmt, ap);
#pragma GCC diagnostic pop
  msg[strcspn(msg, "\n")] = '\0';
  tk_log_event(s->cfg, TK_LOG_WARN, msg);
}

/* ---- responses: every one is built, queued and destroyed here ---------------------------------------- */

/* Whether this request is answered as "draining". The flag is read once per request, so a /readyz
   answer and its Connection header always agree even when SIGTERM lands between the two. */
static int draining(tk_server *s, req *r) {
  const struct timespec pause = {0, 50 * 1000};
  int d;
  if (r->drain_seen == 0) {
    d = atomic_load(&s->draining);
    /* While the listener is being stopped (microseconds, unless the draining thread is descheduled),
       wait: a client that has heard "draining" must never get a new connection served afterwards. */
    while (d == 1) {
      nanosleep(&pause, NULL);
      d = atomic_load(&s->draining);
    }
    r->drain_seen = d ? 2 : 1;
  }
  return r->drain_seen == 2;
}

/* Sends body[0..n) (copied) with status; one optional extra header. A writer that failed (cannot
   happen for our bounded shapes, but is checked) turns into a 500. */
static enum MHD_Result respond(tk_server *s, struct MHD_Connection *c, req *r, unsigned status, const tk_jsonw *body,
                               const char *hname, const char *hval) {
  static const char internal[] = "{\"error\":\"internal\",\"message\":\"could not write the response\"}";
  const char *text = body->p;
  size_t n = body->n;
  struct MHD_Response *resp;
  enum MHD_Result ret;
  if (body->failed) {
    status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    text = internal;
    n = sizeof internal - 1;
    hname = NULL;
  }
  resp = MHD_create_response_from_buffer(n, (void *)text, MHD_RESPMEM_MUST_COPY);
  if (resp == NULL) return MHD_NO;
  if (n > 0) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  tk_cors_headers(s->cfg, resp, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin"),
                  r->preflight ? routes[r->route].allow : NULL);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  if (hname != NULL) MHD_add_response_header(resp, hname, hval);
  if (draining(s, r) || r->must_close) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
  ret = MHD_queue_response(c, status, resp);
  MHD_destroy_response(resp);
  r->status = status;
  return ret;
}

/* Sends {"<k1>":"<v1>"}, or {"<k1>":"<v1>","<k2>":"<v2>"} when k2 is set. */
static enum MHD_Result respond_pairs(tk_server *s, struct MHD_Connection *c, req *r, unsigned status, const char *k1,
                                     const char *v1, const char *k2, const char *v2, const char *hname,
                                     const char *hval) {
  char mem[RESPONSE_MAX];
  tk_jsonw w = tk_jsonw_over(mem, sizeof mem);
  tk_jsonw_raw(&w, "{", 1);
  tk_jsonw_str(&w, k1);
  tk_jsonw_raw(&w, ":", 1);
  tk_jsonw_str(&w, v1);
  if (k2 != NULL) {
    tk_jsonw_raw(&w, ",", 1);
    tk_jsonw_str(&w, k2);
    tk_jsonw_raw(&w, ":", 1);
    tk_jsonw_str(&w, v2);
  }
  tk_jsonw_raw(&w, "}", 1);
  return respond(s, c, r, status, &w, hname, hval);
}

static enum MHD_Result fail_with(tk_server *s, struct MHD_Connection *c, req *r, unsigned status, const char *code,
                                 const char *message, const char *hname, const char *hval) {
  return respond_pairs(s, c, r, status, "error", code, "message", message, hname, hval);
}

static enum MHD_Result fail(tk_server *s, struct MHD_Connection *c, req *r, unsigned status, const char *code,
                            const char *message) {
  return fail_with(s, c, r, status, code, message, NULL, NULL);
}

/* ---- routing ----------------------------------------------------------------------------------------- */

static enum route match(const char *url, req *r, tk_provider provider) {
  static const char prefix[] = "/api/rooms/";
  const char *seg, *slash;
  if (strcmp(url, "/healthz") == 0) return R_HEALTHZ;
  if (strcmp(url, "/readyz") == 0) return R_READYZ;
  if (strcmp(url, "/api/config") == 0) return R_CONFIG;
  if (strcmp(url, "/api/rooms") == 0) return R_ROOMS;
  if (strncmp(url, prefix, sizeof prefix - 1) != 0) return R_NONE;
  seg = url + sizeof prefix - 1;
  slash = strchr(seg, '/');
  if (slash == NULL || slash == seg || (strcmp(slash, "/token") != 0 && strcmp(slash, "/codes") != 0)) return R_NONE;
  /* The id is checked after authentication, so unauthenticated callers learn nothing from a 400. */
  r->room_ok = tk_provider_room_valid(provider, seg, (size_t)(slash - seg));
  if (r->room_ok) memcpy(r->room, seg, (size_t)(slash - seg)); /* at most TK_ROOM_MAX, zeroed after */
  return strcmp(slash, "/token") == 0 ? R_TOKEN : R_CODES;
}

/* ---- framing: what a proxy in front could read differently from us is refused ------------------ */

typedef struct {
  unsigned content_length, transfer_encoding, host, authorization;
  const char *cl, *te; /* the values, when present */
  size_t cl_len, te_len;
  int bad_name, bad_value;
  size_t bytes; /* the header section's size, name + value + ": " + CRLF for each line */
} header_scan;

/* RFC 9110 token characters: what a field name may be made of. */
static int is_tchar(unsigned char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         (ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

static int name_is(const char *key, size_t n, const char *want) {
  return n == strlen(want) && strncasecmp(key, want, n) == 0;
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_len,
                                   const char *value, size_t value_len) {
  header_scan *h = cls;
  (void)kind;
  h->bytes += key_len + value_len + 4;
  for (size_t i = 0; i < key_len; i++) h->bad_name |= !is_tchar((unsigned char)key[i]);
  /* "Transfer-Encoding : chunked" reaches us as the name "Transfer-Encoding " (libmicrohttpd keeps the
     space), which it does not take as chunked while a lenient proxy would: refused by the loop above. */
  h->bad_name |= key_len == 0;
  for (size_t i = 0; i < value_len; i++) {
    unsigned char ch = (unsigned char)value[i];
    h->bad_value |= (ch < 0x20 && ch != '\t') || ch == 0x7f; /* a bare CR, or any other control */
  }
  /* libmicrohttpd 0.9.75 parses in place: a line "name: value CR LF" leaves value[len] and value[len+1]
     as the two NULs it wrote over CR LF, and the next line (or the empty line ending the header section)
     starts at value[len+2]. A NUL inside the value cuts it short, so value[len+1] is the byte after that
     NUL; a line ended by a bare LF has the next line's first byte there; an obsolete line folding starts
     the next line with a space or tab. All three are refused. These bytes are inside the header section
     libmicrohttpd holds, which always ends with an empty line. */
  if (value != NULL) {
    h->bad_value |= value[value_len + 1] != '\0';
    h->bad_value |= value[value_len + 1] == '\0' && (value[value_len + 2] == ' ' || value[value_len + 2] == '\t');
  }
  if (name_is(key, key_len, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
    h->content_length++;
    h->cl = value;
    h->cl_len = value_len;
  } else if (name_is(key, key_len, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
    h->transfer_encoding++;
    h->te = value;
    h->te_len = value_len;
  } else if (name_is(key, key_len, MHD_HTTP_HEADER_HOST)) {
    h->host++;
  } else if (name_is(key, key_len, MHD_HTTP_HEADER_AUTHORIZATION)) {
    h->authorization++;
  }
  return MHD_YES;
}

/* What a Transfer-Encoding value asks for: 0 plain "chunked" (all we take), 400 when the body length
   cannot be known (chunked missing, not last, or twice), 501 for another coding before a final chunked. */
static unsigned transfer_coding(const char *v, size_t n) {
  size_t i = 0, codings = 0, chunked = 0;
  int last_chunked = 0;
  while (i < n) {
    size_t a, b;
    while (i < n && (v[i] == ' ' || v[i] == '\t')) i++;
    a = i;
    while (i < n && v[i] != ',') i++;
    b = i;
    while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t')) b--;
    if (b == a) return MHD_HTTP_BAD_REQUEST;
    codings++;
    last_chunked = b - a == 7 && strncasecmp(v + a, "chunked", 7) == 0;
    chunked += (size_t)last_chunked;
    if (i < n) i++; /* the comma */
  }
  if (codings == 0 || !last_chunked || chunked > 1) return MHD_HTTP_BAD_REQUEST;
  return codings == 1 ? 0 : MHD_HTTP_NOT_IMPLEMENTED;
}

/* Refuses, with the connection closed after the answer, every request whose end a proxy in front of
   tokend could place elsewhere than libmicrohttpd does (RFC 9112 section 6.3), and header sections
   that are not what they seem. Returns 1 and queues the answer in *ret when refused. The one pass over
   the headers leaves what begin needs of them in *out. */
static int refuse_framing(tk_server *s, struct MHD_Connection *c, req *r, const char *version, header_scan *out,
                          enum MHD_Result *ret) {
  header_scan h;
  const char *why = NULL, *code = "bad_framing";
  unsigned status = MHD_HTTP_BAD_REQUEST;
  memset(&h, 0, sizeof h);
  MHD_get_connection_values_n(c, MHD_HEADER_KIND, scan_header, &h);
  *out = h;
  if (h.bad_name) {
    code = "bad_header";
    why = "a header name is not a token (no spaces before the colon)";
  } else if (h.bad_value) {
    code = "bad_header";
    why = "a header value holds a control character or NUL, or a line is folded or not ended by CRLF";
  } else if (h.host > 1 || h.authorization > 1) {
    code = "bad_header";
    why = "Host and Authorization may appear once";
  } else if (h.content_length > 1) {
    why = "Content-Length appears more than once";
  } else if (h.content_length == 1 && (h.cl_len == 0 || h.cl_len > 18 || strspn(h.cl, "0123456789") != h.cl_len)) {
    why = "Content-Length is not a decimal number";
  } else if (h.transfer_encoding > 0 && h.content_length > 0) {
    why = "send Content-Length or Transfer-Encoding, not both";
  } else if (h.transfer_encoding > 1) {
    why = "Transfer-Encoding appears more than once";
  } else if (h.transfer_encoding == 1 && strcmp(version, MHD_HTTP_VERSION_1_1) != 0) {
    why = "Transfer-Encoding needs HTTP/1.1";
  } else if (h.transfer_encoding == 1 && (status = transfer_coding(h.te, h.te_len)) != 0) {
    if (status == MHD_HTTP_NOT_IMPLEMENTED) code = "unsupported_transfer_coding";
    why = status == MHD_HTTP_NOT_IMPLEMENTED ? "only the chunked transfer coding is supported"
                                             : "chunked must be the final transfer coding, once";
  }
  if (why == NULL) return 0;
  r->must_close = 1;
  *ret = fail(s, c, r, status, code, why);
  return 1;
}

static int is_json(const char *ct) {
  static const char want[] = "application/json";
  size_t n = sizeof want - 1;
  if (ct == NULL || strncasecmp(ct, want, n) != 0) return 0;
  return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* Authenticates the bearer token; on failure queues the 401 and returns 0. */
static int authenticate(tk_server *s, struct MHD_Connection *c, req *r, enum MHD_Result *ret) {
  const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  const char *why = NULL;
  unsigned char mac[32];
  if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0 || h[7] == '\0') {
    *ret = fail_with(s, c, r, MHD_HTTP_UNAUTHORIZED, "unauthenticated", "a Bearer token is required",
                     MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    return 0;
  }
  if (tk_verifier_check(s->verifier, &r->user, &why, h + 7, strlen(h + 7), wall()) != 0) {
    *ret = fail_with(s, c, r, MHD_HTTP_UNAUTHORIZED, "invalid_token", why, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                     "Bearer error=\"invalid_token\"");
    return 0;
  }
  /* A keyed hash: log lines can be correlated per user without naming the user. */
  if (s->cfg->log_level >= TK_LOG_INFO && tk_hmac_sign(s->log_hmac, mac, r->user.sub, strlen(r->user.sub)) == 0) {
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++) {
      r->user_tag[2 * i] = hex[mac[i] >> 4];
      r->user_tag[2 * i + 1] = hex[mac[i] & 15];
    }
    r->user_tag[16] = '\0';
  }
  return 1;
}

typedef struct {
  const char *last;
  int count;
} xff_scan;

static enum MHD_Result scan_xff(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  xff_scan *x = cls;
  (void)kind;
  if (strcasecmp(key, "X-Forwarded-For") == 0) {
    x->last = value;
    x->count++;
  }
  return MHD_YES;
}

/* The client's address, as a keyed hash for the log. X-Forwarded-For counts only from a trusted proxy,
   and only as one header: two of them could be one from the client and one from the proxy. */
static void note_client(tk_server *s, struct MHD_Connection *c, req *r) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  xff_scan x = {NULL, 0};
  char addr[TK_ADDR_MAX];
  unsigned char mac[32];
  static const char hex[] = "0123456789abcdef";
  if (ci == NULL || ci->client_addr == NULL || s->cfg->log_level < TK_LOG_INFO) return;
  if (s->cfg->n_trusted > 0) MHD_get_connection_values(c, MHD_HEADER_KIND, scan_xff, &x);
  if (tk_proxy_client(addr, ci->client_addr, x.count == 1 ? x.last : NULL, s->cfg->trusted, s->cfg->n_trusted) != 0 ||
      tk_hmac_sign(s->log_hmac, mac, addr, strlen(addr)) != 0)
    return;
  for (int i = 0; i < 8; i++) {
    r->client_tag[2 * i] = hex[mac[i] >> 4];
    r->client_tag[2 * i + 1] = hex[mac[i] & 15];
  }
  r->client_tag[16] = '\0';
}

/* A CORS preflight (OPTIONS with Origin and Access-Control-Request-Method): 204 with the route's methods
   for a listed origin, 403 for any other. Anything else sent with OPTIONS is an ordinary 405. */
static enum MHD_Result preflight(tk_server *s, struct MHD_Connection *c, req *r, const struct route_def *rd) {
  const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
  const char *want = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Access-Control-Request-Method");
  tk_jsonw none = tk_jsonw_over(NULL, 0);
  if (origin == NULL || want == NULL)
    return fail_with(s, c, r, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", "method not allowed", "Allow",
                     rd->allow);
  if (!tk_cors_allowed(s->cfg, origin))
    return fail(s, c, r, MHD_HTTP_FORBIDDEN, "origin_not_allowed", "this origin is not in CORS_ALLOWED_ORIGINS");
  r->preflight = 1;
  return respond(s, c, r, MHD_HTTP_NO_CONTENT, &none, NULL, NULL);
}

/* Everything that can be decided from the request line and headers, before any body is read.
   Returns MHD_YES with r->status still 0 when the request may proceed to its body. */
static enum MHD_Result begin(tk_server *s, struct MHD_Connection *c, req *r, const char *url, const char *method,
                             const char *version) {
  const struct route_def *rd;
  header_scan h;
  enum MHD_Result ret = MHD_YES;
  int wait;

  if (refuse_framing(s, c, r, version, &h, &ret)) return ret;
  if (h.bytes > HEADERS_MAX)
    return fail(s, c, r, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large", "request headers too large");
  r->route = match(url, r, s->cfg->provider);
  rd = &routes[r->route];
  note_client(s, c, r);
  if (r->route == R_NONE || ((r->route == R_ROOMS || r->route == R_CODES) && s->cfg->provider != TK_PROVIDER_HMS))
    return fail(s, c, r, MHD_HTTP_NOT_FOUND, "not_found", "no such endpoint");
  if (strcmp(method, "OPTIONS") == 0 && s->cfg->n_cors > 0) return preflight(s, c, r, rd);
  if (rd->post ? strcmp(method, "POST") != 0 : strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
    return fail_with(s, c, r, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", "method not allowed", "Allow",
                     rd->allow);
  if (!rd->post && r->route != R_CODES) return MHD_YES;

  if (!authenticate(s, c, r, &ret)) return ret;
  if (r->route == R_ROOMS && !r->user.can_create_rooms)
    return fail(s, c, r, MHD_HTTP_FORBIDDEN, "forbidden", "this user may not create rooms");
  if (s->limiter != NULL) {
    /* With Redis, the limit is global; without it (or while it is away, by default) per instance. */
    wait = s->redis != NULL ? tk_redis_take(s->redis, r->user.sub, strlen(r->user.sub), monotonic()) : TK_EUNAVAIL;
    if (wait == TK_EUNAVAIL && s->redis != NULL && s->cfg->redis_deny)
      return fail_with(s, c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "limiter_unavailable",
                       "the shared rate limiter cannot be reached", "Retry-After", "1");
    if (wait == TK_EUNAVAIL) wait = tk_ratelimit_take(s->limiter, r->user.sub, strlen(r->user.sub), monotonic());
    if (wait > 0) {
      char secs[16];
      snprintf(secs, sizeof secs, "%d", wait);
      return fail_with(s, c, r, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited", "too many requests", "Retry-After", secs);
    }
  }
  if (!rd->post) return MHD_YES;
  if (!is_json(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE)))
    return fail(s, c, r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "Content-Type must be application/json");
  /* refuse_framing let through at most one Content-Length, all digits */
  if (h.cl != NULL && strtoull(h.cl, NULL, 10) > s->cfg->max_body)
    return fail(s, c, r, MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large", "request body too large");
  return MHD_YES;
}

/* ---- handlers: one per route ----------------------------------------------------------------------- */

static enum MHD_Result handle_healthz(tk_server *s, struct MHD_Connection *c, req *r) {
  return respond_pairs(s, c, r, MHD_HTTP_OK, "status", "ok", NULL, NULL, NULL, NULL);
}

static enum MHD_Result handle_readyz(tk_server *s, struct MHD_Connection *c, req *r) {
  if (draining(s, r))
    return respond_pairs(s, c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "status", "draining", NULL, NULL, NULL, NULL);
  /* Redis away: still serving with the local limiter (ready, degraded), or refusing (not ready). */
  if (s->redis != NULL && !tk_redis_healthy(s->redis))
    return respond_pairs(s, c, r, s->cfg->redis_deny ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_OK, "status", "degraded",
                         NULL, NULL, NULL, NULL);
  return respond_pairs(s, c, r, MHD_HTTP_OK, "status", "ready", NULL, NULL, NULL, NULL);
}

static enum MHD_Result handle_config(tk_server *s, struct MHD_Connection *c, req *r) {
  if (s->cfg->provider != TK_PROVIDER_HMS)
    return respond_pairs(s, c, r, MHD_HTTP_OK, "provider", tk_provider_name(s->cfg->provider), NULL, NULL, NULL, NULL);
  return respond_pairs(s, c, r, MHD_HTTP_OK, "templateId", s->cfg->template_id, NULL, NULL, NULL, NULL);
}

/* Parses the body as a JSON object whose keys are all in `allowed`. On failure queues a 400. */
static json_t *parse_body(tk_server *s, struct MHD_Connection *c, req *r, const char *const *allowed,
                          enum MHD_Result *ret) {
  json_error_t err;
  json_t *body = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &err);
  const char *key;
  json_t *val;
  if (body == NULL) {
    if (json_error_code(&err) == json_error_duplicate_key)
      *ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "duplicate_key", "a key appears twice in the body");
    else
      *ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "malformed_json", "body is not valid JSON");
    return NULL;
  }
  if (!json_is_object(body)) {
    *ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "wrong_type", "body must be a JSON object");
    json_decref(body);
    return NULL;
  }
  json_object_foreach(body, key, val) {
    int known = 0;
    for (const char *const *a = allowed; *a; a++) known |= strcmp(key, *a) == 0;
    if (!known) {
      *ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "unknown_key", "the body has a key this endpoint does not take");
      json_decref(body);
      return NULL;
    }
  }
  return body;
}

/* {"token","room_id","role","user_id","expires_at"}, in that order. */
static enum MHD_Result respond_token(tk_server *s, struct MHD_Connection *c, req *r, const char *token,
                                     const char *role, int64_t expires_at) {
  char mem[RESPONSE_MAX];
  tk_jsonw w = tk_jsonw_over(mem, sizeof mem);
  tk_jsonw_lit(&w, "{\"token\":");
  tk_jsonw_str(&w, token);
  tk_jsonw_lit(&w, ",\"room_id\":");
  tk_jsonw_str(&w, r->room);
  tk_jsonw_lit(&w, ",\"role\":");
  tk_jsonw_str(&w, role);
  tk_jsonw_lit(&w, ",\"user_id\":");
  tk_jsonw_str(&w, r->user.sub);
  tk_jsonw_lit(&w, ",\"expires_at\":");
  tk_jsonw_int(&w, expires_at);
  tk_jsonw_raw(&w, "}", 1);
  return respond(s, c, r, MHD_HTTP_OK, &w, NULL, NULL);
}

/* The room token of the configured provider for the authenticated user. */
static int mint(tk_server *s, char **out, const req *r, const char *role, int64_t now, int64_t ttl) {
  const tk_config *cfg = s->cfg;
  unsigned grants = tk_config_grants(cfg, role);
  uint32_t salt = 0;
  switch (cfg->provider) {
  case TK_PROVIDER_HMS: break;
  case TK_PROVIDER_LIVEKIT: return tk_livekit_mint(out, &s->key, r->room, r->user.sub, grants, now, ttl);
  case TK_PROVIDER_TWILIO: return tk_twilio_mint(out, &s->key, cfg->account_sid, r->room, r->user.sub, now, ttl);
  case TK_PROVIDER_AGORA:
    /* Agora's salt is 1..99999999 */
    if (tk_random_pooled(NULL, (unsigned char *)&salt, sizeof salt) != 0) return TK_ECRYPTO;
    return tk_agora_mint(out, cfg->access_key, (const char *)cfg->app_secret, r->room, r->user.sub, grants, now, ttl,
                         salt % 99999999u + 1);
  }
  return tk_mint_auth(out, &s->key, r->room, r->user.sub, role, now, ttl, tk_random_pooled, NULL);
}

static enum MHD_Result handle_token(tk_server *s, struct MHD_Connection *c, req *r) {
  static const char *const keys[] = {"role", "ttl_seconds", NULL};
  const tk_config *cfg = s->cfg;
  enum MHD_Result ret = MHD_YES;
  json_t *body, *role_j, *ttl_j;
  const char *role;
  json_int_t ttl = cfg->ttl;
  int64_t now;
  char *token = NULL;

  if (!r->room_ok) return fail(s, c, r, MHD_HTTP_BAD_REQUEST, "bad_room_id", tk_provider_room_rule(cfg->provider));
  body = parse_body(s, c, r, keys, &ret);
  if (body == NULL) return ret;
  role_j = json_object_get(body, "role");
  ttl_j = json_object_get(body, "ttl_seconds");
  role = json_string_value(role_j);
  if (role == NULL)
    ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "wrong_type", "role is required and must be a string");
  else if (!tk_role_valid(role))
    ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "bad_role", "role must be 1..64 of [A-Za-z0-9_-]");
  else if (ttl_j != NULL && !json_is_integer(ttl_j))
    ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "wrong_type", "ttl_seconds must be an integer");
  else if (ttl_j != NULL && json_integer_value(ttl_j) < 1)
    ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "bad_ttl", "ttl_seconds must be positive");
  else if (ttl_j != NULL && json_integer_value(ttl_j) > cfg->max_ttl)
    ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "ttl_too_large", "ttl_seconds is above the maximum");
  else if (!tk_role_permitted(cfg, &r->user, role))
    ret = fail(s, c, r, MHD_HTTP_FORBIDDEN, "role_not_allowed", "this user may not join with that role");
  else if (!tk_user_may_join(&r->user, r->room))
    ret = fail(s, c, r, MHD_HTTP_FORBIDDEN, "room_not_allowed", "this user may not join that room");
  else if (!tk_provider_user_valid(cfg->provider, r->user.sub))
    ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "bad_user_id",
               "the user id cannot be an Agora user account (1..255 bytes of letters, digits and Agora's punctuation)");
  else {
    if (ttl_j != NULL) ttl = json_integer_value(ttl_j);
    now = wall();
    if (mint(s, &token, r, role, now, ttl) != 0)
      ret = fail(s, c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "could not mint a token");
    else
      ret = respond_token(s, c, r, token, role, now + ttl);
  }
  free(token);
  json_decref(body);
  return ret;
}

static int room_name_valid(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > ROOM_NAME_MAX) return 0;
  for (; *s; s++) {
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr("._:-", *s)))
      return 0;
  }
  return 1;
}

/* The 100ms call runs on its own thread while the connection is suspended, so a slow upstream never
   holds one of the few HTTP worker threads. The thread must not touch `r` after resuming. */
static void *upstream_job(void *arg) {
  req *r = arg;
  tk_server *s = r->server;
  json_t *body = r->pending;
  if (r->route == R_CODES) {
    r->upstream_rc = tk_roomcodes_fetch(s->hms, &r->upstream_codes, r->room, 0, wall());
  } else {
    r->upstream_rc = tk_hms_create_room(s->hms, &r->upstream_room, json_string_value(json_object_get(body, "name")),
                                        json_string_value(json_object_get(body, "description")), wall());
    /* The codes are made with the room, so a Prebuilt client can join by code straight away. */
    if (r->upstream_rc == 0) {
      const char *id = json_string_value(json_object_get(r->upstream_room, "id"));
      r->upstream_rc = tk_provider_room_valid(TK_PROVIDER_HMS, id, strlen(id))
                           ? tk_roomcodes_fetch(s->hms, &r->upstream_codes, id, 1, wall())
                           : TK_EINVAL;
    }
  }
  r->upstream_done = 1;
  MHD_resume_connection(r->conn);
  tk_hmac_thread_done(s->app_hmac); /* tk_server_free may free it as soon as the count drops */
  atomic_fetch_sub(&s->upstream_running, 1);
  return NULL;
}

static enum MHD_Result start_upstream(tk_server *s, struct MHD_Connection *c, req *r, json_t *body) {
  pthread_attr_t attr;
  pthread_t t;
  int rc;
  if (atomic_fetch_add(&s->upstream_running, 1) >= UPSTREAM_MAX) {
    atomic_fetch_sub(&s->upstream_running, 1);
    json_decref(body);
    return fail_with(s, c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "busy", "too many room creations in progress",
                     "Retry-After", "1");
  }
  r->pending = body;
  r->server = s;
  r->conn = c;
  MHD_suspend_connection(c);
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  rc = pthread_create(&t, &attr, upstream_job, r);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    MHD_resume_connection(c);
    atomic_fetch_sub(&s->upstream_running, 1);
    return fail(s, c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "busy", "could not start the 100ms call");
  }
  return MHD_YES;
}

/* Sends doc (taken; NULL answers 500) as the body. */
static enum MHD_Result respond_doc(tk_server *s, struct MHD_Connection *c, req *r, unsigned status, json_t *doc) {
  char *text = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
  tk_jsonw w = tk_jsonw_over(text, text != NULL ? strlen(text) : 0);
  enum MHD_Result ret;
  w.n = w.cap;
  w.failed = text == NULL;
  ret = respond(s, c, r, status, &w, NULL, NULL);
  free(text);
  json_decref(doc);
  return ret;
}

/* 201 {"id","name","codes"}: the id is whatever JSON value 100ms gave; codes only for the roles this
   user may take, so a guest never sees the host's code. */
static enum MHD_Result respond_created(tk_server *s, struct MHD_Connection *c, req *r) {
  return respond_doc(s, c, r, MHD_HTTP_CREATED,
                     json_pack("{s:O, s:O, s:o*}", "id", json_object_get(r->upstream_room, "id"), "name",
                               json_object_get(r->pending, "name"), "codes",
                               tk_roomcodes_for_user(s->cfg, &r->user, r->upstream_codes)));
}

/* GET /api/rooms/:room_id/codes: for users holding a privileged role, the codes of the roles they may take. */
static enum MHD_Result handle_codes(tk_server *s, struct MHD_Connection *c, req *r) {
  if (r->upstream_done) {
    if (r->upstream_rc != 0)
      return fail(s, c, r, MHD_HTTP_BAD_GATEWAY, "upstream_error", "the 100ms API did not return the room codes");
    return respond_doc(s, c, r, MHD_HTTP_OK,
                       json_pack("{s:s, s:o*}", "room_id", r->room, "codes",
                                 tk_roomcodes_for_user(s->cfg, &r->user, r->upstream_codes)));
  }
  if (!r->room_ok)
    return fail(s, c, r, MHD_HTTP_BAD_REQUEST, "bad_room_id", "room id must be 24 lowercase hex characters");
  if (!tk_user_privileged(s->cfg, &r->user))
    return fail(s, c, r, MHD_HTTP_FORBIDDEN, "forbidden", "only users with a privileged role may list room codes");
  if (!tk_user_may_join(&r->user, r->room))
    return fail(s, c, r, MHD_HTTP_FORBIDDEN, "room_not_allowed", "this user may not join that room");
  return start_upstream(s, c, r, NULL);
}

static enum MHD_Result handle_rooms(tk_server *s, struct MHD_Connection *c, req *r) {
  static const char *const keys[] = {"name", "description", NULL};
  enum MHD_Result ret = MHD_YES;
  json_t *body, *desc_j;
  const char *name;

  if (r->upstream_done) { /* called again after create_room_job resumed the connection */
    if (r->upstream_rc != 0)
      return fail(s, c, r, MHD_HTTP_BAD_GATEWAY, "upstream_error",
                  "the 100ms API did not create the room or its codes");
    return respond_created(s, c, r);
  }
  body = parse_body(s, c, r, keys, &ret);
  if (body == NULL) return ret;
  name = json_string_value(json_object_get(body, "name"));
  desc_j = json_object_get(body, "description");
  if (name == NULL)
    ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "wrong_type", "name is required and must be a string");
  else if (!room_name_valid(name))
    ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "bad_name", "name must be 1..80 of [A-Za-z0-9._:-]");
  else if (desc_j != NULL && !json_is_string(desc_j))
    ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "wrong_type", "description must be a string");
  else if (desc_j != NULL && json_string_length(desc_j) > ROOM_DESCRIPTION_MAX)
    ret = fail(s, c, r, MHD_HTTP_BAD_REQUEST, "bad_description", "description is longer than 500 bytes");
  else
    return start_upstream(s, c, r, body); /* takes body */
  json_decref(body);
  return ret;
}

static enum MHD_Result dispatch(tk_server *s, struct MHD_Connection *c, req *r) {
  if (r->too_big) return fail(s, c, r, MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large", "request body too large");
  switch (r->route) {
  case R_HEALTHZ: return handle_healthz(s, c, r);
  case R_READYZ: return handle_readyz(s, c, r);
  case R_CONFIG: return handle_config(s, c, r);
  case R_ROOMS: return handle_rooms(s, c, r);
  case R_TOKEN: return handle_token(s, c, r);
  case R_CODES: return handle_codes(s, c, r);
  case R_NONE: break;
  }
  return fail(s, c, r, MHD_HTTP_NOT_FOUND, "not_found", "no such endpoint");
}

/* ---- libmicrohttpd callbacks ----------------------------------------------------------------------- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
  tk_server *s = cls;
  req *r = *con_cls;
  if (r == NULL) {
    size_t i = 0;
    r = malloc(sizeof *r);
    if (r == NULL) return MHD_NO;
    memset(r, 0, offsetof(req, body_inline));
    *con_cls = r;
    atomic_fetch_add(&s->inflight, 1);
    r->t0 = monotonic();
    {
      const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
      if (ci != NULL && ci->socket_context != NULL) atomic_fetch_add(&((conn_node *)ci->socket_context)->busy, 1);
    }
    for (; method[i] && i < sizeof r->method - 1; i++)
      r->method[i] = (method[i] >= 'A' && method[i] <= 'Z') ? method[i] : '?';
    return begin(s, c, r, url, method, version);
  }
  if (r->status != 0) { /* answered early; ignore whatever body follows */
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    size_t n = *upload_data_size;
    const size_t cap = s->cfg->max_body;
    *upload_data_size = 0;
    r->seen += n;
    /* A body that trickles in past the connection timeout, or keeps coming long after it is known
       to be too large, is cut off. */
    if (monotonic() - r->t0 > s->cfg->conn_timeout || r->seen > 4 * cap + 65536) return MHD_NO;
    if (r->too_big || n > cap - r->body_len) {
      r->too_big = 1;
      return MHD_YES;
    }
    if (r->body == NULL) r->body = r->body_inline;
    if (r->body == r->body_inline && n > sizeof r->body_inline - r->body_len) {
      char *big = malloc(cap);
      if (big == NULL) return MHD_NO;
      memcpy(big, r->body_inline, r->body_len);
      r->body = big;
    }
    memcpy(r->body + r->body_len, upload_data, n);
    r->body_len += n;
    return MHD_YES;
  }
  return dispatch(s, c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
  tk_server *s = cls;
  req *r = *con_cls;
  const union MHD_ConnectionInfo *ci;
  if (r == NULL) return;
  ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  if (ci != NULL && ci->socket_context != NULL) {
    conn_node *n = ci->socket_context;
    atomic_store(&n->idle_since, monotonic());
    atomic_fetch_sub(&n->busy, 1);
  }
  log_request(s, r, toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
  tk_user_clear(&r->user);
  json_decref(r->pending);
  json_decref(r->upstream_room);
  json_decref(r->upstream_codes);
  if (r->body != r->body_inline) free(r->body);
  free(r);
  *con_cls = NULL;
  atomic_fetch_sub(&s->inflight, 1);
}

/* Keeps the list of open connections, so that a drain can wait for each of them and close the idle ones. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
  tk_server *s = cls;
  conn_node *n = *socket_context;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    n = calloc(1, sizeof *n);
    if (n == NULL) return; /* untracked: the drain cannot close it early, MHD_stop_daemon still does */
    struct stat st;
    n->fd = ci != NULL && fstat(ci->connect_fd, &st) == 0 ? ci->connect_fd : MHD_INVALID_SOCKET;
    n->ino = n->fd != MHD_INVALID_SOCKET ? st.st_ino : 0;
    atomic_init(&n->busy, 0);
    atomic_init(&n->idle_since, monotonic());
    pthread_mutex_lock(&s->conns_mu);
    n->next = s->conns;
    if (s->conns != NULL) s->conns->prev = n;
    s->conns = n;
    s->n_conns++;
    pthread_mutex_unlock(&s->conns_mu);
    *socket_context = n;
    return;
  }
  if (n == NULL) return;
  pthread_mutex_lock(&s->conns_mu);
  if (n->prev != NULL)
    n->prev->next = n->next;
  else
    s->conns = n->next;
  if (n->next != NULL) n->next->prev = n->prev;
  s->n_conns--;
  pthread_mutex_unlock(&s->conns_mu);
  free(n);
  *socket_context = NULL;
}

/* ---- lifecycle ----------------------------------------------------------------------------------- */

static int errf(char *err, size_t n, const char *msg) {
  snprintf(err, n, "%s", msg);
  return TK_EINVAL;
}

static void redis_log(void *ctx, int level, const char *msg) { tk_log_event(ctx, level, msg); }

/* Nothing is connected here: Redis may come up after tokend, and the fallback policy covers the gap. */
static int start_redis(tk_server *s, const tk_config *cfg) {
  static const char label[] = "tokend/redis-key/v1";
  unsigned char derived[32];
  tk_redis_opts o = {0};
  int rc = tk_hmac_sign(s->app_hmac, derived, label, sizeof label - 1);
  if (rc == 0) rc = tk_hmac_new(&s->redis_hmac, derived, sizeof derived);
  OPENSSL_cleanse(derived, sizeof derived);
  if (rc != 0) return rc;
  o.url = cfg->redis_url;
  o.password = cfg->redis_password;
  o.timeout_ms = cfg->redis_timeout_ms;
  o.conns = cfg->threads + 4; /* the HTTP workers, and room creations fetching the management token */
  o.per_min = cfg->rate_per_min;
  o.burst = cfg->rate_burst;
  /* Tokens leased and not spent are lost to the limit: at most a hundredth of the burst per lease. */
  o.lease_max = cfg->rate_burst / 100 < 1                ? 1
                : cfg->rate_burst / 100 < cfg->lease_max ? cfg->rate_burst / 100
                                                         : cfg->lease_max;
  o.keyer = s->redis_hmac;
  o.log = redis_log;
  o.log_ctx = (void *)cfg;
  rc = tk_redis_new(&s->redis, &o);
  if (rc == 0) tk_hms_set_store(s->hms, tk_redis_token_store(s->redis));
  return rc;
}

int tk_server_start(tk_server **out, const tk_config *cfg, char *err, size_t err_len) {
  tk_server *s = calloc(1, sizeof *s);
  struct sockaddr_in sin;
  struct sockaddr_in6 sin6;
  struct MHD_OptionItem ops[16];
  int k = 0, rc = TK_ENOMEM;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                   MHD_ALLOW_SUSPEND_RESUME;
  unsigned long long seed = 0;
  const union MHD_DaemonInfo *info;

  if (s == NULL) return errf(err, err_len, "out of memory");
  s->cfg = cfg;
  s->quiesced = MHD_INVALID_SOCKET;
  pthread_mutex_init(&s->conns_mu, NULL);
  s->key.access_key = cfg->access_key;
  s->key.secret = cfg->app_secret;
  s->key.secret_len = cfg->app_secret_len;
  if (tk_hmac_new(&s->app_hmac, cfg->app_secret, cfg->app_secret_len) != 0) {
    errf(err, err_len, "HMAC-SHA256 is not available");
    goto fail;
  }
  s->key.hmac = s->app_hmac;
  {
    static const char label[] = "tokend/log-user-tag/v1";
    unsigned char derived[32];
    rc = tk_hmac_sign(s->app_hmac, derived, label, sizeof label - 1);
    if (rc == 0) rc = tk_hmac_new(&s->log_hmac, derived, sizeof derived);
    OPENSSL_cleanse(derived, sizeof derived);
    if (rc != 0) {
      errf(err, err_len, "HMAC-SHA256 is not available");
      goto fail;
    }
  }
  if (cfg->jwks_url != NULL) {
    /* A first fetch now, so the first requests do not wait for it; a failure is not fatal (the
       identity provider may be briefly away): every unknown key id tries again, at most once per
       AUTH_JWKS_REFRESH_SECONDS. */
    rc = tk_jwks_new(&s->jwks, cfg->jwks_url, cfg->jwks_refresh, cfg->jwks_max_age, 3000, NULL);
    if (rc == 0 && tk_jwks_refresh(s->jwks) != 0)
      tk_log_event(cfg, TK_LOG_WARN, "AUTH_JWKS_URL: could not fetch the keys; will retry when a token arrives");
    if (rc == 0) rc = tk_verifier_new_jwks(&s->verifier, s->jwks, cfg->issuer, cfg->audience, cfg->leeway);
    if (rc != 0) {
      errf(err, err_len, "out of memory");
      goto fail;
    }
  } else if ((rc = tk_verifier_new(&s->verifier, cfg->alg, cfg->jwt_secret, cfg->jwt_secret_len, cfg->jwt_pem,
                                   cfg->jwt_pem_len, cfg->issuer, cfg->audience, cfg->leeway)) != 0) {
    errf(err, err_len,
         "AUTH_JWT_PUBLIC_KEY_FILE: not a PEM public key for AUTH_JWT_ALG (RSA >= 2048 bits or EC P-256)");
    goto fail;
  }
  if (RAND_bytes((unsigned char *)&seed, sizeof seed) != 1) {
    errf(err, err_len, "no randomness available");
    goto fail;
  }
  if (cfg->rate_per_min > 0 && tk_ratelimit_new(&s->limiter, cfg->rate_per_min, cfg->rate_burst, seed) != 0) {
    errf(err, err_len, "out of memory");
    goto fail;
  }
  if (cfg->provider == TK_PROVIDER_HMS &&
      tk_hms_new(&s->hms, &s->key, cfg->api_base, cfg->template_id, tk_random_openssl, NULL) != 0) {
    errf(err, err_len, "out of memory");
    goto fail;
  }
  if (cfg->redis_url != NULL && start_redis(s, cfg) != 0) {
    errf(err, err_len, "REDIS_URL: could not set up the Redis client");
    goto fail;
  }

  /* The logger goes first, so libmicrohttpd never prints anything in its own format. */
  ops[k++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_logger, s};
  memset(&sin, 0, sizeof sin);
  memset(&sin6, 0, sizeof sin6);
  if (inet_pton(AF_INET, cfg->bind_addr, &sin.sin_addr) == 1) {
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)cfg->port);
    ops[k++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &sin};
  } else {
    inet_pton(AF_INET6, cfg->bind_addr, &sin6.sin6_addr);
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons((uint16_t)cfg->port);
    ops[k++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &sin6};
    flags |= MHD_USE_IPv6;
  }
  ops[k++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s};
  ops[k++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, s};
  ops[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout, NULL};
  ops[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, cfg->max_conns, NULL};
  ops[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONN_MEMORY, NULL};
  ops[k++] = (struct MHD_OptionItem){MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL};
  if (cfg->max_conn_per_ip > 0)
    ops[k++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_conn_per_ip, NULL};
  if (cfg->threads > 1) ops[k++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, cfg->threads, NULL};
  if (cfg->tls_cert != NULL) {
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
      errf(err, err_len, "TLS_CERT_FILE: this libmicrohttpd was built without TLS");
      goto fail;
    }
    flags |= MHD_USE_TLS;
    ops[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, cfg->tls_cert};
    ops[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, cfg->tls_key};
    ops[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
                                       (void *)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%SERVER_PRECEDENCE"};
  }
  ops[k++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};

  s->d = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, on_request, s, MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
  if (s->d == NULL) {
    errf(err, err_len, "could not listen on BIND_ADDR/PORT (in use, not permitted, or bad TLS_CERT_FILE/TLS_KEY_FILE)");
    goto fail;
  }
  info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
  s->port = info != NULL ? info->port : (unsigned)cfg->port;
  *out = s;
  return TK_OK;
fail:
  tk_server_free(s);
  return TK_EINVAL;
}

unsigned tk_server_port(const tk_server *s) { return s->port; }

void tk_server_drain(tk_server *s) {
  /* Draining starts before the listening socket goes: from here on no request hears "ready". Requests
     that ask in between wait until the socket is shut, so every 503 and Connection: close is sent
     only once no new connection can be served. */
  if (atomic_exchange(&s->draining, 1)) return;
  s->quiesced = MHD_quiesce_daemon(s->d); /* never waits for the worker threads */
  /* Worker threads may still look at the socket until MHD_stop_daemon, so it is shut down now (new
     connections are refused) and closed only in tk_server_free. */
  if (s->quiesced != MHD_INVALID_SOCKET) shutdown(s->quiesced, SHUT_RDWR);
  s->drain_t0 = monotonic();
  atomic_store(&s->draining, 2); /* draining answers may go out now */
}

int tk_server_open(tk_server *s) {
  const double now = monotonic();
  int n;
  pthread_mutex_lock(&s->conns_mu);
  for (conn_node *c = s->conns; c != NULL; c = c->next) {
    double since = atomic_load(&c->idle_since);
    int unread = 0;
    struct stat st;
    if (since < s->drain_t0) since = s->drain_t0;
    /* Idle: no request in progress, none waiting in the socket, and none for DRAIN_IDLE. The
       connection is shut, so libmicrohttpd closes it; a client that writes at this very moment loses
       the race every idle keep-alive close has. Busy ones get Connection: close on their answer. */
    if (c->fd != MHD_INVALID_SOCKET && atomic_load(&c->busy) == 0 && now - since >= DRAIN_IDLE &&
        fstat(c->fd, &st) == 0 && st.st_ino == c->ino && ioctl(c->fd, FIONREAD, &unread) == 0 && unread == 0)
      shutdown(c->fd, SHUT_RDWR);
  }
  n = s->n_conns;
  pthread_mutex_unlock(&s->conns_mu);
  return n;
}

void tk_server_abort_upstream(tk_server *s) {
  if (s->hms != NULL) tk_hms_abort(s->hms);
}

int tk_server_inflight(const tk_server *s) { return atomic_load(&s->inflight); }

void tk_server_free(tk_server *s) {
  const struct timespec tick = {0, 10 * 1000 * 1000};
  if (s == NULL) return;
  /* Room creations in flight hold suspended connections; aborted, they end within about a second. */
  if (s->hms != NULL) tk_hms_abort(s->hms);
  while (atomic_load(&s->upstream_running) > 0) nanosleep(&tick, NULL);
  if (s->d != NULL) MHD_stop_daemon(s->d);
  if (s->quiesced != MHD_INVALID_SOCKET) close(s->quiesced);
  tk_hms_free(s->hms);
  tk_redis_free(s->redis); /* after the store's last user */
  tk_hmac_free(s->redis_hmac);
  tk_ratelimit_free(s->limiter);
  tk_verifier_free(s->verifier);
  tk_jwks_free(s->jwks);
  tk_hmac_free(s->app_hmac);
  tk_hmac_free(s->log_hmac);
  pthread_mutex_destroy(&s->conns_mu);
  free(s);
}
