/* tokend: environment -> settings -> server -> wait for a stop signal -> drain -> exit code. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "cli.h"
#include "config.h"
#include "logger.h"
#include "server.h"

#define EXIT_CONFIG 2

static double monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char usage[] =
    "usage: tokend                 serve (configured by environment variables only)\n"
    "       tokend --check-config  report every missing or bad setting, then exit\n"
    "       tokend dev-token --sub USER_ID [--roles ROLE,...]   a user JWT for local testing\n"
    "required: PROVIDER's credentials (100ms: HMS_ACCESS_KEY, HMS_APP_SECRET, HMS_TEMPLATE_ID),\n"
    "          login keys (AUTH_JWT_ALG with AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY_FILE, or AUTH_JWKS_URL\n"
    "          or AUTH_PROVIDER, with AUTH_JWT_ISSUER), ALLOWED_ROLES\n"
    "see backend/README.md for every setting; prints 'listening ADDR:PORT' when ready\n";

int main(int argc, char **argv) {
  tk_config cfg;
  tk_server *server = NULL;
  char err[4096], msg[128];
  sigset_t stop;
  int sig = 0, aborted = 0;
  double deadline;
  const struct timespec tick = {0, 10 * 1000 * 1000};

  if (argc == 2 && strcmp(argv[1], "--check-config") == 0) return tk_cli_check_config();
  if (argc > 1 && strcmp(argv[1], "dev-token") == 0) return tk_cli_dev_token(argc - 1, argv + 1);
  if (argc > 1) {
    int help = strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0;
    fputs(usage, help ? stdout : stderr);
    return help ? EXIT_SUCCESS : EXIT_CONFIG;
  }
  if (tk_config_load(&cfg, tk_config_getenv, NULL, err, sizeof err) != 0) {
    tk_cli_print_errors(stderr, err);
    return EXIT_CONFIG;
  }
  /* Block the signals before any thread starts, so only sigwait below ever sees them. SIGHUP and
     SIGQUIT stop tokend like SIGTERM, with the drain (there is nothing to reload); SIGUSR1 and SIGUSR2
     are ignored. Left to their default actions, all of them would kill the process with no drain. */
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGHUP);
  sigaddset(&stop, SIGQUIT);
  sigaddset(&stop, SIGUSR1);
  sigaddset(&stop, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);
  /* After the signal mask, so the writer thread inherits it. Without it, lines are written directly. */
  tk_logger_open();
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    tk_logger_close();
    fprintf(stderr, "tokend: libcurl failed to initialise\n");
    tk_config_clear(&cfg);
    return EXIT_FAILURE;
  }
  if (tk_server_start(&server, &cfg, err, sizeof err) != 0) {
    tk_logger_close(); /* whatever libmicrohttpd logged comes out before the reason */
    fprintf(stderr, "tokend: %s\n", err);
    curl_global_cleanup();
    tk_config_clear(&cfg);
    return EXIT_CONFIG;
  }
  printf(strchr(cfg.bind_addr, ':') ? "listening [%s]:%u\n" : "listening %s:%u\n", cfg.bind_addr,
         tk_server_port(server));
  fflush(stdout);
  tk_log_event(&cfg, TK_LOG_INFO, "started");

  while (sigwait(&stop, &sig) != 0 || sig == SIGUSR1 || sig == SIGUSR2) {
    snprintf(msg, sizeof msg, "signal %d: ignored", sig);
    tk_log_event(&cfg, TK_LOG_INFO, msg);
  }
  snprintf(msg, sizeof msg, "signal %d: draining", sig);
  tk_log_event(&cfg, TK_LOG_INFO, msg);
  tk_server_drain(server);
  deadline = monotonic() + cfg.grace;
  /* Every open connection is served until it has had its Connection: close answer or sat idle
     briefly: a keep-alive client may have sent its next request already. */
  while ((tk_server_open(server) > 0 || tk_server_inflight(server) > 0) && monotonic() < deadline) {
    /* A call to 100ms takes up to a second to abandon: started a second early, its 502 still goes
       out within the grace period. */
    if (!aborted && monotonic() >= deadline - 1.0) {
      tk_server_abort_upstream(server);
      aborted = 1;
    }
    nanosleep(&tick, NULL);
  }
  if (tk_server_open(server) > 0 || tk_server_inflight(server) > 0)
    tk_log_event(&cfg, TK_LOG_WARN, "grace period over; closing requests still in flight");
  tk_server_free(server);
  curl_global_cleanup();
  tk_log_event(&cfg, TK_LOG_INFO, "stopped");
  tk_logger_close();
  tk_config_clear(&cfg);
  return EXIT_SUCCESS;
}
