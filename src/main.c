/* roomlint: argv -> options -> run -> exit code, nothing else.
 * Exit codes: 0 no finding at or above --fail-on, 1 there is one,
 * 2 usage error, unreadable path, bad rule file or write failure. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "engine.h"
#include "lsp.h"
#include "gitrepo.h"
#include "history.h"
#include "report.h"
#include "rulepack.h"
#include "secretpat.h"
#include "util.h"
#include "version.h"
#include "walk.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

typedef struct options {
  const char *format;
  const char *output;
  const char *baseline;
  const char *config;
  int no_config;
  rl_severity fail_on;
  int fail_on_set;
  const char **rule_dirs, **enable, **disable;
  size_t nrule_dirs, nenable, ndisable;
  int list_rules;
  const char *explain;
  int jobs;
  size_t max_file_size;
  double max_token_ttl;
  int no_ignore, no_prefilter, verbose, stats, no_project;
  int unused_suppressions; /* rl_engine_config.unused_suppressions */
  int force_exclude, print_config;
  const char *stdin_filename;          /* --stdin-filename: scan standard input as this file */
  int lsp;                             /* `roomlint lsp`: serve the language server protocol */
  int staged, prune_baseline, history; /* git modes (gitrepo.h) */
  const char *baseline_ref, *history_range;
  const char **paths;
  size_t npaths;
  const char **bundles; /* --bundle DIR... */
  size_t nbundles;
  const char **owned; /* copies that list entries point into */
  size_t nowned;
  /* with a config file: its lists merged with the command line's */
  const char **m_rule_dirs, **m_enable, **m_disable;
  size_t nm_rule_dirs, nm_enable, nm_disable;
} options;

static void usage(FILE *out) {
  fputs("Usage: roomlint [OPTIONS] [PATH...]\n"
        "       roomlint [OPTIONS] --stdin-filename PATH < TEXT\n"
        "       roomlint lsp [OPTIONS]   (a language server on standard input and output)\n"
        "Finds leaked video-chat credentials, client-side token minting, unauthenticated token\n"
        "routes, long-lived tokens and plain-HTTP endpoints in JS/TS code and dotenv files.\n"
        "PATH defaults to '.'; files named explicitly are scanned unless --force-exclude.\n"
        "\n"
        "Output:\n"
        "  -f, --format FORMAT      text (default), json, sarif, html, junit (JUnit XML),\n"
        "                           gitlab (GitLab SAST report) or baseline (the compact\n"
        "                           --baseline format: fingerprint, rule, path per line)\n"
        "  -o, --output FILE        write the report to FILE instead of standard output\n"
        "      --fail-on LEVEL      exit 1 when an unsuppressed finding is at or above LEVEL:\n"
        "                           error, warning (default), note or none\n"
        "      --baseline FILE      an earlier SARIF or JSON report: its findings are suppressed\n"
        "                           (kind \"external\") and do not fail the run\n"
        "      --prune-baseline     rewrite the --baseline FILE keeping only the entries this run\n"
        "                           still found (compact format)\n"
        "Git:\n"
        "      --staged             scan what the git index holds (what will be committed),\n"
        "                           not the work tree\n"
        "      --baseline-ref REF   findings that already exist at REF (read from git objects)\n"
        "                           do not fail: fail only on what the branch adds\n"
        "      --history[=RANGE]    scan every blob of the history (default: all refs) with\n"
        "                           the text-level and dotenv rules; PATH is the repository\n"
        "  -v, --verbose            list skipped files and each file's client/server context\n"
        "      --report-unused-suppressions[=LEVEL]\n"
        "                           a roomlint-disable comment that suppresses nothing: note\n"
        "                           (default), error (fails the run) or off\n"
        "      --stdin-filename PATH  scan standard input as the file PATH (its name decides the\n"
        "                           language, context, config and ignore files; an ignored PATH\n"
        "                           reports nothing)\n"
        "Configuration:\n"
        "      --config FILE        read settings from FILE (default: the .roomlint.yml found from\n"
        "                           each PATH up to the repository root); flags override it\n"
        "      --no-config          do not read a .roomlint.yml\n"
        "      --print-config       print the merged settings and where each comes from, then exit\n"
        "Rules:\n"
        "      --rules DIR          load a rule pack (*.scm tree-sitter queries); repeatable\n"
        "      --enable RULE        turn a rule on (repeatable, or comma-separated)\n"
        "      --disable RULE       turn a rule off (repeatable, or comma-separated)\n"
        "      --max-token-ttl DUR  longest acceptable token lifetime (default 24h; e.g. 3600, 12h, 1d)\n"
        "      --list-rules         list rules: id, severity, title\n"
        "      --explain RULE       print a rule's documentation\n"
        "Files:\n"
        "      --no-ignore          scan everything: no default ignored directories, no ignore files\n"
        "      --force-exclude      apply ignore files and the config's ignore: to named PATHs too\n"
        "      --bundle DIR         scan built JavaScript in DIR for secrets, source-mapped to the\n"
        "                           original files (repeatable; dist, build, web-build and\n"
        "                           .next/static named as PATH are read so too)\n"
        "      --max-file-size N    skip files larger than N bytes (default 5242880; K and M suffixes)\n"
        "  -j, --jobs N             worker threads (default: number of online cores)\n"
        "      --no-prefilter       run every rule on every file (slower; for checking the prefilter)\n"
        "      --no-project         judge each file alone: no imported file is read or summarised\n"
        "      --stats              note each parsed file's analysis steps, nodes and nesting\n"
        "\n"
        "  -h, --help               show this help\n"
        "      --version            show the version and the grammar versions\n"
        "\n"
        "Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O error.\n"
        "Suppress a finding with '// roomlint-disable-next-line RULE -- reason'.\n",
        out);
}

static RL_NORETURN void die_usage(const char *fmt, ...) RL_PRINTF(1, 2);
static void die_usage(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("roomlint: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\nTry 'roomlint --help' for more information.\n", stderr);
  va_end(ap);
  exit(EXIT_TROUBLE);
}

/* Standard output closed (>&-): hold fd 1 with /dev/null opened read-only,
 * so no file opened later becomes standard output and every write to it
 * fails, to be reported like any other write error. */
static void hold_closed_stdout(void) {
  if (fcntl(STDOUT_FILENO, F_GETFD) != -1 || errno != EBADF) return;
  int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (fd > STDOUT_FILENO) {
    dup2(fd, STDOUT_FILENO);
    close(fd);
  }
}

/* status, or EXIT_TROUBLE with a message if standard output (--help,
 * --version, --list-rules, --explain) could not be written. The caller
 * clears errno before writing, so a write's error is the one named. */
static int stdout_status(int status) {
  if (fflush(stdout) == 0 && !ferror(stdout)) return status;
  fprintf(stderr, "roomlint: could not write to standard output: %s\n", strerror(errno ? errno : EIO));
  return EXIT_TROUBLE;
}

/* The -o temporary file while it exists: removed by a signal that ends the
 * run and by rl_oom, so neither leaves it beside the report. */
static char *volatile g_tmp;

static void remove_tmp(void) {
  char *t = g_tmp;
  if (t) unlink(t);
}

static void on_fatal_signal(int sig) {
  remove_tmp();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* The signals that end a run: they remove g_tmp first. */
static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static void fatal_signal_set(sigset_t *set) {
  sigemptyset(set);
  for (size_t i = 0; i < RL_ARRAY_LEN(fatal_signals); i++) sigaddset(set, fatal_signals[i]);
}

static void catch_fatal_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_fatal_signal;
  fatal_signal_set(&sa.sa_mask);
  for (size_t i = 0; i < RL_ARRAY_LEN(fatal_signals); i++) {
    struct sigaction old;
    /* A signal ignored on entry (nohup, a background job) stays ignored. */
    if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(fatal_signals[i], &sa, NULL);
  }
  rl_set_fatal_cleanup(remove_tmp);
}

/* Signals held while g_tmp changes meaning (renamed, removed, freed). */
static void hold_signals(int hold, sigset_t *old) {
  sigset_t set;
  fatal_signal_set(&set);
  pthread_sigmask(hold ? SIG_BLOCK : SIG_SETMASK, hold ? &set : old, hold ? old : NULL);
}

static void push(const char ***list, size_t *n, const char *v) {
  *list = rl_xreallocarray(*list, *n + 2, sizeof **list);
  (*list)[(*n)++] = v;
  (*list)[*n] = NULL;
}

/* "a,b , c" -> a b c; the pieces point into a copy we keep for the run. */
static void push_list(options *o, const char ***list, size_t *n, const char *v) {
  char *copy = rl_xstrdup(v);
  push(&o->owned, &o->nowned, copy);
  char *p = copy;
  while (*p) {
    while (*p == ',' || *p == ' ') *p++ = '\0';
    if (!*p) break;
    push(list, n, p);
    while (*p && *p != ',' && *p != ' ') p++;
  }
}

static size_t parse_size(const char *s) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (end == s || errno || s[0] == '-') die_usage("--max-file-size: '%s' is not a size in bytes", s);
  unsigned long long mul = 1;
  if (*end == 'K' || *end == 'k')
    mul = 1024, end++;
  else if (*end == 'M' || *end == 'm')
    mul = 1024 * 1024, end++;
  else if (*end == 'G' || *end == 'g')
    mul = 1024ULL * 1024 * 1024, end++;
  if (*end == 'B' || *end == 'b') end++;
  if (*end || v == 0 || v > (unsigned long long)SIZE_MAX / mul)
    die_usage("--max-file-size: '%s' is not a size in bytes", s);
  /* More than a file can hold is no limit: the largest file roomlint reads. */
  return v * mul > RL_FILE_SIZE_MAX ? RL_FILE_SIZE_MAX : (size_t)(v * mul);
}

/* Debug only (tests): ROOMLINT_DEBUG_BUDGET, a fixed work budget per file
 * in analysis steps; 0 when unset. */
static unsigned long long debug_budget(void) {
  const char *s = getenv("ROOMLINT_DEBUG_BUDGET");
  if (!s || !*s) return 0;
  char *end;
  errno = 0;
  unsigned long long b = strtoull(s, &end, 10);
  if (errno || *end || b == 0 || *s == '-') die_usage("ROOMLINT_DEBUG_BUDGET must be a positive number of steps");
  return b;
}

static int parse_int(const char *s, const char *opt, int lo, int hi) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (end == s || *end || errno || v < lo || v > hi)
    die_usage("%s: '%s' must be a number from %d to %d", opt, s, lo, hi);
  return (int)v;
}

/* The option getopt stopped at, as the user wrote it. argv[optind - 1] is
 * not always it: a short option inside a cluster ("-rf.js") leaves optind on
 * the cluster, so that string is the argument before it. A long option is
 * the word there when its option has the value getopt reports (none for an
 * unknown one); otherwise the option is the short one in optopt. Returns a
 * pointer to static storage. */
static const char *bad_option(const char *arg, int opt, const struct option *longopts) {
  static char name[64];
  if (strncmp(arg, "--", 2) == 0) {
    size_t n = strcspn(arg + 2, "=");
    int is_long = opt == 0;
    for (const struct option *l = longopts; !is_long && l->name; l++)
      is_long = l->val == opt && n && strncmp(l->name, arg + 2, n) == 0;
    if (is_long) {
      snprintf(name, sizeof name, "--%.*s", n < 40 ? (int)n : 40, arg + 2);
      return name;
    }
  }
  snprintf(name, sizeof name, "-%c", opt > ' ' && opt < 127 ? opt : '?');
  return name;
}

static void parse_args(int argc, char **argv, options *o) {
  enum {
    OPT_FAIL_ON = 256,
    OPT_RULES,
    OPT_ENABLE,
    OPT_DISABLE,
    OPT_LIST,
    OPT_EXPLAIN,
    OPT_MAXSIZE,
    OPT_NOIGNORE,
    OPT_VERSION,
    OPT_TTL,
    OPT_NOPREFILTER,
    OPT_NOPROJECT,
    OPT_BASELINE,
    OPT_CONFIG,
    OPT_NOCONFIG,
    OPT_STATS,
    OPT_UNUSED_SUPPRESSIONS,
    OPT_FORCE_EXCLUDE,
    OPT_PRINT_CONFIG,
    OPT_STDIN,
    OPT_BUNDLE,
    OPT_STAGED,
    OPT_BASELINE_REF,
    OPT_PRUNE,
    OPT_HISTORY
  };
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'f'},
      {"output", required_argument, NULL, 'o'},
      {"fail-on", required_argument, NULL, OPT_FAIL_ON},
      {"rules", required_argument, NULL, OPT_RULES},
      {"enable", required_argument, NULL, OPT_ENABLE},
      {"disable", required_argument, NULL, OPT_DISABLE},
      {"list-rules", no_argument, NULL, OPT_LIST},
      {"explain", required_argument, NULL, OPT_EXPLAIN},
      {"jobs", required_argument, NULL, 'j'},
      {"max-file-size", required_argument, NULL, OPT_MAXSIZE},
      {"no-ignore", no_argument, NULL, OPT_NOIGNORE},
      {"verbose", no_argument, NULL, 'v'},
      {"version", no_argument, NULL, OPT_VERSION},
      {"help", no_argument, NULL, 'h'},
      {"max-token-ttl", required_argument, NULL, OPT_TTL},
      {"no-prefilter", no_argument, NULL, OPT_NOPREFILTER},
      {"no-project", no_argument, NULL, OPT_NOPROJECT},
      {"stats", no_argument, NULL, OPT_STATS},
      {"baseline", required_argument, NULL, OPT_BASELINE},
      {"config", required_argument, NULL, OPT_CONFIG},
      {"no-config", no_argument, NULL, OPT_NOCONFIG},
      {"report-unused-suppressions", optional_argument, NULL, OPT_UNUSED_SUPPRESSIONS},
      {"force-exclude", no_argument, NULL, OPT_FORCE_EXCLUDE},
      {"print-config", no_argument, NULL, OPT_PRINT_CONFIG},
      {"stdin-filename", required_argument, NULL, OPT_STDIN},
      {"bundle", required_argument, NULL, OPT_BUNDLE},
      {"staged", no_argument, NULL, OPT_STAGED},
      {"baseline-ref", required_argument, NULL, OPT_BASELINE_REF},
      {"prune-baseline", no_argument, NULL, OPT_PRUNE},
      {"history", optional_argument, NULL, OPT_HISTORY},
      {NULL, 0, NULL, 0}};
  memset(o, 0, sizeof *o);
  o->format = "text";
  o->fail_on = RL_SEV_WARNING;
  opterr = 0;
  /* `roomlint lsp [OPTIONS]`: a subcommand, then the usual options. */
  if (argc > 1 && strcmp(argv[1], "lsp") == 0) {
    o->lsp = 1;
    optind = 2;
  }
  int c;
  while ((c = getopt_long(argc, argv, ":f:o:j:vh", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (strcmp(optarg, "text") && strcmp(optarg, "json") && strcmp(optarg, "sarif") && strcmp(optarg, "html") &&
          strcmp(optarg, "junit") && strcmp(optarg, "gitlab") && strcmp(optarg, "baseline"))
        die_usage("--format: '%s' is not one of text, json, sarif, html, junit, gitlab, baseline", optarg);
      o->format = optarg;
      break;
    case 'o': o->output = optarg; break;
    case OPT_BASELINE: o->baseline = optarg; break;
    case OPT_CONFIG: o->config = optarg; break;
    case OPT_NOCONFIG: o->no_config = 1; break;
    case OPT_STDIN:
      if (!optarg[0]) die_usage("--stdin-filename needs a file name");
      o->stdin_filename = optarg;
      break;
    case OPT_STAGED: o->staged = 1; break;
    case OPT_BASELINE_REF: o->baseline_ref = optarg; break;
    case OPT_PRUNE: o->prune_baseline = 1; break;
    case OPT_HISTORY:
      o->history = 1;
      o->history_range = optarg;
      break;
    case OPT_FAIL_ON:
      if (rl_severity_parse(optarg, &o->fail_on) < 0)
        die_usage("--fail-on: '%s' is not one of error, warning, note, none", optarg);
      o->fail_on_set = 1;
      break;
    case OPT_RULES: push(&o->rule_dirs, &o->nrule_dirs, optarg); break;
    case OPT_BUNDLE: push(&o->bundles, &o->nbundles, optarg); break;
    case OPT_ENABLE: push_list(o, &o->enable, &o->nenable, optarg); break;
    case OPT_DISABLE: push_list(o, &o->disable, &o->ndisable, optarg); break;
    case OPT_LIST: o->list_rules = 1; break;
    case OPT_EXPLAIN: o->explain = optarg; break;
    case 'j': o->jobs = parse_int(optarg, "--jobs", 1, 256); break;
    case OPT_MAXSIZE: o->max_file_size = parse_size(optarg); break;
    case OPT_NOIGNORE: o->no_ignore = 1; break;
    case OPT_NOPREFILTER: o->no_prefilter = 1; break;
    case OPT_NOPROJECT: o->no_project = 1; break;
    case OPT_STATS: o->stats = 1; break;
    case OPT_FORCE_EXCLUDE: o->force_exclude = 1; break;
    case OPT_PRINT_CONFIG: o->print_config = 1; break;
    case OPT_UNUSED_SUPPRESSIONS:
      if (!optarg || strcmp(optarg, "note") == 0)
        o->unused_suppressions = RL_NOTE_NOTE;
      else if (strcmp(optarg, "error") == 0)
        o->unused_suppressions = RL_NOTE_ERROR;
      else if (strcmp(optarg, "off") == 0)
        o->unused_suppressions = -1;
      else
        die_usage("--report-unused-suppressions: '%s' is not one of note, error, off", optarg);
      break;
    case 'v': o->verbose = 1; break;
    case OPT_TTL:
      if (rl_config_parse_ttl(optarg, &o->max_token_ttl) < 0)
        die_usage("--max-token-ttl: '%s' is not a duration from 1 second to 100 years (e.g. 3600, 12h, 1d)", optarg);
      break;
    case OPT_VERSION:
      errno = 0;
      printf("roomlint %s\ntree-sitter-javascript %s\ntree-sitter-typescript %s\n", RL_VERSION, RL_GRAMMAR_JS_VERSION,
             RL_GRAMMAR_TS_VERSION);
      exit(stdout_status(EXIT_CLEAN));
    case 'h':
      errno = 0;
      usage(stdout);
      exit(stdout_status(EXIT_CLEAN));
    case ':': die_usage("option '%s' needs a value", bad_option(argv[optind - 1], optopt, longopts));
    default: {
      const char *name = bad_option(argv[optind - 1], optopt, longopts);
      /* a long option getopt knows, refused: it was given a value */
      if (optopt && strncmp(name, "--", 2) == 0) die_usage("option '%s' takes no value", name);
      die_usage("unknown option '%s'", name);
    }
    }
  }
  for (int i = optind; i < argc; i++) push(&o->paths, &o->npaths, argv[i]);
  if (o->npaths && (o->lsp || o->stdin_filename))
    die_usage("%s takes no PATH (it reads %s)", o->lsp ? "roomlint lsp" : "--stdin-filename",
              o->lsp ? "documents from the editor" : "standard input");
  if (o->lsp && o->stdin_filename) die_usage("roomlint lsp reads documents from the editor, not --stdin-filename");
  if (o->npaths == 0 && o->nbundles == 0) push(&o->paths, &o->npaths, ".");
  if (o->history && o->npaths == 0) push(&o->paths, &o->npaths, "."); /* (--bundle alone) */
  if (o->prune_baseline && !o->baseline) die_usage("--prune-baseline needs --baseline FILE");
  if (o->prune_baseline && o->baseline_ref) die_usage("--prune-baseline prunes a --baseline FILE; drop --baseline-ref");
  if (o->history && (o->staged || o->baseline_ref))
    die_usage("--history reads every commit: it does not combine with --staged or --baseline-ref");
  if (o->history && o->npaths > 1) die_usage("--history takes one PATH: the repository");
  if ((o->history || o->staged || o->baseline_ref) && (o->lsp || o->stdin_filename))
    die_usage("%s reads git objects: it does not combine with %s",
              o->history  ? "--history"
              : o->staged ? "--staged"
                          : "--baseline-ref",
              o->lsp ? "roomlint lsp" : "--stdin-filename");
}

static int list_rules(const rl_engine *e) {
  size_t n;
  const rl_rule *const *rules = rl_engine_rules(e, &n);
  for (size_t i = 0; i < n; i++)
    printf("%-34s %-8s %s\n", rules[i]->id, rl_severity_name(rules[i]->severity), rules[i]->title);
  return EXIT_CLEAN;
}

static int explain(const rl_engine *e, const char *id) {
  const rl_rule *r = rl_engine_rule_find(e, id);
  if (!r) {
    fprintf(stderr, "roomlint: unknown rule '%s' (see --list-rules)\n", id);
    return EXIT_TROUBLE;
  }
  fputs(r->doc ? r->doc : r->title, stdout);
  if (r->doc && r->doc[0] && r->doc[strlen(r->doc) - 1] != '\n') putchar('\n');
  return EXIT_CLEAN;
}

/* An absolute path as shown: relative to the working directory when below it. */
static char *shown_path(char *abs) {
  char cwd[4096];
  size_t n = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
  if (n > 1 && strncmp(abs, cwd, n) == 0 && abs[n] == '/') {
    char *rel = rl_xstrdup(abs + n + 1);
    free(abs);
    return rel;
  }
  return abs;
}

/* --config FILE; for --stdin-filename, the .roomlint.yml nearest the file it
 * names; else the one found from each PATH up to its repository root. PATHs
 * that find different files cannot share one run's settings: a usage error
 * naming both. *out stays NULL if none; *from gets the PATH it was found
 * from (NULL otherwise). */
static int load_config(const options *o, rl_config **out, const char **from) {
  *out = NULL;
  *from = NULL;
  if (o->no_config) return 0;
  char *path = NULL;
  if (o->config) {
    path = rl_xstrdup(o->config);
  } else if (o->stdin_filename) {
    path = rl_config_find_near(o->stdin_filename);
    if (!path) path = rl_config_find(".");
  } else {
    for (size_t i = 0; i < o->npaths; i++) {
      char *p = rl_config_find_up(o->paths[i]);
      if (!p) continue;
      if (!path) {
        path = p;
        *from = o->paths[i];
      } else if (strcmp(p, path) != 0) {
        path = shown_path(path);
        p = shown_path(p);
        rl_error_set("%s uses %s but %s uses %s: scan them in separate runs, or choose one with --config", *from, path,
                     o->paths[i], p);
        free(p);
        free(path);
        return RL_EUSAGE;
      } else {
        free(p);
      }
    }
    if (path) path = shown_path(path);
  }
  if (!path) return 0;
  int rc = rl_config_load(out, path);
  free(path);
  return rc;
}

/* The real path of the directory holding the config file (where its
 * ignore: and overrides: globs are anchored). Caller frees. */
static char *config_dir(const rl_config *c) {
  char *real = realpath(c->path, NULL);
  if (!real) return NULL;
  char *slash = strrchr(real, '/');
  if (slash == real)
    slash[1] = '\0';
  else if (slash)
    *slash = '\0';
  return real;
}

typedef struct known_rules {
  rl_rulepack **packs;
  size_t n;
} known_rules;

static int rule_known(void *data, const char *id) {
  const known_rules *k = data;
  if (rl_builtin_rule_find(id)) return 1;
  for (size_t i = 0; i < k->n; i++)
    for (size_t j = 0; j < rl_rulepack_count(k->packs[i]); j++)
      if (strcmp(rl_rulepack_rule(k->packs[i], j)->id, id) == 0) return 1;
  return 0;
}

/* Names the config line of an unknown rule id (the engine would only name
 * the id). Packs that do not load are left for the engine to report. */
static int check_config_rules(const rl_config *c, const char *const *dirs) {
  known_rules k = {0};
  for (size_t i = 0; dirs && dirs[i]; i++) {
    rl_rulepack *p = NULL;
    if (rl_rulepack_load(&p, dirs[i]) < 0) continue;
    k.packs = rl_xreallocarray(k.packs, k.n + 1, sizeof *k.packs);
    k.packs[k.n++] = p;
  }
  int rc = rl_config_check_rules(c, rule_known, &k);
  for (size_t i = 0; i < k.n; i++) rl_rulepack_free(k.packs[i]);
  free(k.packs);
  return rc;
}

static int listed(const char *const *v, const char *s) {
  for (size_t i = 0; v && v[i]; i++)
    if (strcmp(v[i], s) == 0) return 1;
  return 0;
}

/* The config first, the command line over it. Rule lists: a rule the
 * command line disables stays off even if the config enables it, and one it
 * enables is on whatever the config says (the engine lets enable win). */
static void apply_config(options *o, const rl_config *c, rl_engine_config *cfg) {
  for (size_t i = 0; i < c->rule_packs.n; i++) push(&o->m_rule_dirs, &o->nm_rule_dirs, c->rule_packs.v[i]);
  for (size_t i = 0; i < o->nrule_dirs; i++) push(&o->m_rule_dirs, &o->nm_rule_dirs, o->rule_dirs[i]);
  for (size_t i = 0; i < c->disable.n; i++) push(&o->m_disable, &o->nm_disable, c->disable.v[i]);
  for (size_t i = 0; i < o->ndisable; i++) push(&o->m_disable, &o->nm_disable, o->disable[i]);
  for (size_t i = 0; i < o->nenable; i++) push(&o->m_enable, &o->nm_enable, o->enable[i]);
  for (size_t i = 0; i < c->enable.n; i++)
    if (!listed(o->disable, c->enable.v[i])) push(&o->m_enable, &o->nm_enable, c->enable.v[i]);
  cfg->rule_dirs = o->m_rule_dirs;
  cfg->disable = o->m_disable;
  cfg->enable = o->m_enable;
  if (o->max_token_ttl <= 0 && c->has_max_token_ttl) cfg->max_token_ttl = c->max_token_ttl;
  if (!o->fail_on_set && c->has_fail_on) cfg->fail_on = c->fail_on;
  cfg->extra_ignores = c->ignore.v;
  cfg->severities = c->severities;
  cfg->nseverities = c->nseverities;
  cfg->overrides = c->path_overrides;
  cfg->noverrides = c->noverrides;
}

/* --baseline-ref: scans the PATHs as REF's tree holds them, into a
 * baseline that joins --baseline FILE's; the engine then checks against it
 * and reads the work tree (or the index, with --staged) again. */
static int baseline_from_ref(rl_engine *e, const options *o, rl_baseline **baseline) {
  rl_buf why = {0};
  rl_buf_printf(&why, "baseline-ref %s", o->baseline_ref);
  rl_baseline *ref = rl_baseline_new(why.ptr);
  rl_sink *collect = rl_baseline_sink_new(ref);
  rl_run_info run = {0};
  run.roots = o->paths;
  run.nroots = o->npaths;
  run.cwd = ".";
  rl_summary sum;
  rl_engine_set_git_source(e, RL_GIT_TREE, o->baseline_ref);
  int rc = rl_engine_scan(e, o->paths, o->npaths, collect, &run, &sum);
  collect->free(collect);
  rl_engine_set_git_source(e, o->staged ? RL_GIT_INDEX : 0, NULL);
  if (rc == 0 && *baseline) {
    rl_baseline_merge(*baseline, ref, why.ptr);
    rl_baseline_free(ref);
  } else if (rc == 0) {
    *baseline = ref;
  } else {
    rl_baseline_free(ref);
  }
  rl_buf_free(&why);
  if (rc == 0) rl_engine_set_baseline(e, *baseline);
  return rc;
}

static int prune_baseline(const rl_baseline *b, const char *path) {
  size_t kept = 0, total = rl_baseline_count(b);
  int rc = rl_baseline_write_used(b, path, &kept);
  if (rc == 0)
    fprintf(stderr, "roomlint: baseline %s: kept %zu of %zu entries (%zu no longer match)\n", path, kept, total,
            total - kept);
  return rc;
}

int main(int argc, char **argv) {
  options o;
  hold_closed_stdout();
  parse_args(argc, argv, &o);

  rl_engine_config cfg = {0};
  cfg.rule_dirs = o.rule_dirs;
  cfg.enable = o.enable;
  cfg.disable = o.disable;
  cfg.max_token_ttl = o.max_token_ttl;
  cfg.max_file_size = o.max_file_size;
  cfg.jobs = o.jobs;
  cfg.no_ignore = o.no_ignore;
  cfg.no_prefilter = o.no_prefilter;
  cfg.no_project = o.no_project;
  cfg.fail_on = o.fail_on;
  cfg.verbose = o.verbose;
  cfg.stats = o.stats;
  cfg.unused_suppressions = o.unused_suppressions;
  cfg.force_exclude = o.force_exclude;
  cfg.bundles = o.bundles;
  cfg.debug_budget = debug_budget();
  cfg.git_source = o.staged ? RL_GIT_INDEX : 0;
  cfg.text_only = o.history;

  rl_engine *e = NULL;
  rl_baseline *baseline = NULL;
  rl_config *conf = NULL;
  char *conf_dir = NULL;
  const char *conf_from = NULL;
  rl_secretpats *pats = NULL;
  int status = EXIT_CLEAN;
  if (load_config(&o, &conf, &conf_from) < 0) {
    fprintf(stderr, "roomlint: %s\n", rl_error_last());
    status = EXIT_TROUBLE;
    goto done;
  }
  if (conf) {
    apply_config(&o, conf, &cfg);
    if (check_config_rules(conf, cfg.rule_dirs) < 0) {
      fprintf(stderr, "roomlint: %s\n", rl_error_last());
      status = EXIT_TROUBLE;
      goto done;
    }
    rl_config_install(conf);
    conf_dir = config_dir(conf);
    cfg.extra_base = conf_dir;
    pats = rl_secretpats_new(conf);
    cfg.extra_rules = rl_secretpats_rules(pats, &cfg.nextra_rules);
  }
  if (o.print_config) {
    errno = 0;
    rl_cli_settings cli = {o.enable,  o.disable,       o.rule_dirs, o.fail_on_set,
                           o.fail_on, o.max_token_ttl, o.no_ignore, o.force_exclude};
    rl_config_print(stdout, conf, conf_from, &cli);
    status = stdout_status(EXIT_CLEAN);
    goto done;
  }
  if (o.baseline && rl_baseline_load(&baseline, o.baseline) < 0) {
    fprintf(stderr, "roomlint: %s\n", rl_error_last());
    status = EXIT_TROUBLE;
    goto done;
  }
  cfg.baseline = baseline;
  /* -o naming a file being scanned would replace a source file by the
   * report: the walk refuses it, by identity, whatever path names it. */
  struct stat ost;
  if (o.output && stat(o.output, &ost) == 0 && S_ISREG(ost.st_mode)) {
    cfg.has_protect = 1;
    cfg.protect_dev = (unsigned long long)ost.st_dev;
    cfg.protect_ino = (unsigned long long)ost.st_ino;
  }
  if (rl_engine_new(&e, &cfg) < 0) {
    fprintf(stderr, "roomlint: %s\n", rl_error_last());
    status = EXIT_TROUBLE;
    goto done;
  }
  errno = 0;
  if (o.list_rules) {
    status = stdout_status(list_rules(e));
    goto done;
  }
  if (o.explain) {
    status = stdout_status(explain(e, o.explain));
    goto done;
  }
  if (o.lsp) {
    rl_lsp_options lo = {cfg.extra_ignores, o.no_ignore};
    status = rl_lsp_serve(e, STDIN_FILENO, STDOUT_FILENO, &lo);
    goto done;
  }
  /* --stdin-filename: is the file one the walk would leave out? */
  int stdin_ignored = 0;
  if (o.stdin_filename && !o.no_ignore) {
    rl_walk_options wo = {0};
    wo.extra_ignores = cfg.extra_ignores;
    char *why = NULL;
    stdin_ignored = rl_walk_path_ignored(o.stdin_filename, ".", &wo, &why);
    if (stdin_ignored < 0) {
      fprintf(stderr, "roomlint: %s\n", rl_error_last());
      status = EXIT_TROUBLE;
      goto done;
    }
    if (stdin_ignored && o.verbose) fprintf(stderr, "roomlint: %s: %s, not scanned\n", o.stdin_filename, why);
    free(why);
  }

  /* --baseline-ref: a first pass over REF's tree (git objects), whose
   * findings become the baseline of the real pass. */
  if (o.baseline_ref && baseline_from_ref(e, &o, &baseline) < 0) {
    fprintf(stderr, "roomlint: --baseline-ref %s: %s\n", o.baseline_ref, rl_error_last());
    status = EXIT_TROUBLE;
    goto done;
  }

  /* With -o, write next to FILE and rename on success, so a failed run
   * never leaves a truncated report in place of the previous one. */
  FILE *out = stdout;
  char *tmp = NULL;
  struct stat st;
  if (o.output && stat(o.output, &st) == 0 && !S_ISREG(st.st_mode)) {
    /* /dev/null, a FIFO, /dev/stdout: write to it directly, never beside it. */
    out = fopen(o.output, "wb");
    if (!out) {
      fprintf(stderr, "roomlint: cannot write %s: %s\n", o.output, strerror(errno));
      status = EXIT_TROUBLE;
      goto done;
    }
  } else if (o.output) {
    rl_buf b = {0};
    rl_buf_printf(&b, "%s.tmp-%ld", o.output, (long)getpid());
    tmp = rl_buf_detach(&b);
    catch_fatal_signals();
    g_tmp = tmp;
    out = fopen(tmp, "wb");
    if (!out) {
      g_tmp = NULL;
      fprintf(stderr, "roomlint: cannot write %s: %s\n", o.output, strerror(errno));
      free(tmp);
      status = EXIT_TROUBLE;
      goto done;
    }
  }
  rl_sink *sink;
  if (strcmp(o.format, "json") == 0) {
    sink = rl_sink_json_new(out);
  } else if (strcmp(o.format, "sarif") == 0) {
    sink = rl_sink_sarif_new(out);
  } else if (strcmp(o.format, "html") == 0) {
    sink = rl_sink_html_new(out);
  } else if (strcmp(o.format, "junit") == 0) {
    sink = rl_sink_junit_new(out);
  } else if (strcmp(o.format, "gitlab") == 0) {
    sink = rl_sink_gitlab_new(out);
  } else if (strcmp(o.format, "baseline") == 0) {
    sink = rl_sink_baseline_new(out);
  } else {
    const char *nc = getenv("NO_COLOR");
    rl_text_options to = {isatty(fileno(out)) && !(nc && nc[0]), o.verbose};
    sink = rl_sink_text_new(out, &to);
  }
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, ".");
  rl_run_info run = {0};
  run.roots = o.paths;
  run.nroots = o.npaths;
  run.cwd = cwd;
  rl_summary sum;
  int rc;
  if (o.stdin_filename) {
    const char *shown = o.stdin_filename;
    while (shown[0] == '.' && shown[1] == '/') shown += 2; /* as the walk shows "./src/a.js" */
    run.roots = &o.stdin_filename;
    run.nroots = 1;
    rc = rl_engine_scan_fd(e, shown, STDIN_FILENO, stdin_ignored, sink, &run, &sum);
  } else if (o.history) {
    rc = rl_history_scan(e, o.paths[0], o.history_range, cfg.extra_ignores, o.no_ignore, sink, &run, &sum);
  } else {
    rc = rl_engine_scan(e, o.paths, o.npaths, sink, &run, &sum);
  }
  sink->free(sink);
  if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
    rl_error_set("could not write the report: %s", strerror(errno));
    rc = RL_EIO;
  }
  if (out != stdout) {
    sigset_t held;
    hold_signals(1, &held);
    if (fclose(out) != 0 && rc == 0) {
      rl_error_set("could not write %s: %s", o.output, strerror(errno));
      rc = RL_EIO;
    }
    if (rc == 0 && tmp && rename(tmp, o.output) != 0) {
      rl_error_set("could not write %s: %s", o.output, strerror(errno));
      rc = RL_EIO;
    }
    if (rc != 0 && tmp) unlink(tmp);
    g_tmp = NULL;
    hold_signals(0, &held);
    free(tmp);
  }
  if (rc == 0 && o.prune_baseline) rc = prune_baseline(baseline, o.baseline);
  if (rc < 0) {
    fprintf(stderr, "roomlint: %s\n", rl_error_last());
    status = EXIT_TROUBLE;
  } else {
    status = sum.failed ? EXIT_FINDINGS : EXIT_CLEAN;
  }
done:
  rl_engine_free(e);
  rl_secretpats_free(pats);
  rl_baseline_free(baseline);
  rl_config_install(NULL);
  rl_config_free(conf);
  free(conf_dir);
  free(o.m_rule_dirs);
  free(o.m_enable);
  free(o.m_disable);
  free(o.paths);
  free(o.rule_dirs);
  free(o.bundles);
  free(o.enable);
  free(o.disable);
  for (size_t i = 0; i < o.nowned; i++) free((char *)o.owned[i]);
  free(o.owned);
  return status;
}
