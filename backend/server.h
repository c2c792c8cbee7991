/* The HTTP side of tokend: libmicrohttpd, the routes, and the per-request log line. */
#ifndef TK_SERVER_H
#define TK_SERVER_H
#include <stddef.h>

#include "config.h"

typedef struct tk_server tk_server;

/* Starts listening with the settings in cfg (borrowed; must outlive the server). On failure writes a
   one-line reason to err. Caller stops it with tk_server_free. */
int tk_server_start(tk_server **out, const tk_config *cfg, char *err, size_t err_len);

/* The bound port (useful with PORT=0). */
unsigned tk_server_port(const tk_server *s);

/* Stops accepting new connections; readyz answers 503 and every response carries Connection: close. */
void tk_server_drain(tk_server *s);

/* While draining: closes the connections that have sat idle briefly (no request in progress or
   waiting) and returns how many connections are still open. Busy ones close after their
   Connection: close answer. */
int tk_server_open(tk_server *s);

/* Room creations waiting on 100ms give up within about a second and are answered 502. */
void tk_server_abort_upstream(tk_server *s);

/* Requests that have started and not yet completed. */
int tk_server_inflight(const tk_server *s);

/* Closes everything that is left and frees the server. NULL is a no-op. */
void tk_server_free(tk_server *s);

/* Writes one JSON log line {"ts","level","msg"} on stderr when level is enabled. */
void tk_log_event(const tk_config *cfg, int level, const char *msg);

#endif
