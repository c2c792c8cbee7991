/* tokend's two helper commands, beside serving: `tokend --check-config` and `tokend dev-token`. */
#ifndef TK_CLI_H
#define TK_CLI_H
#include <stdio.h>

/* Writes each line of a tk_config_load message as "tokend: LINE" to f. */
void tk_cli_print_errors(FILE *f, const char *err);

/* Loads every setting from the environment and also tries the user-token key; prints every bad setting
   (names, never values) to stderr, or one summary line to stdout. Returns the exit code: 0 or 2. */
int tk_cli_check_config(void);

/* `dev-token --sub ID [--roles a,b] [--rooms r1,r2] [--create-rooms] [--ttl SECONDS]`: prints a user JWT
   for local testing, signed with AUTH_JWT_SECRET. Only for AUTH_JWT_ALG=HS256 and a loopback BIND_ADDR,
   so a production key (RS256/ES256, or a public listener) never mints logins. Returns the exit code. */
int tk_cli_dev_token(int argc, char **argv);

#endif
