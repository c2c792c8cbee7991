/* Custom secret patterns: the entropy they filter by, capture group 1 as
 * the secret, and a pattern run through the engine on JS and dotenv text,
 * masked in message and snippet. */
#include "rltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "engine.h"
#include "regex.h"
#include "secretpat.h"
#include "secrets.h"
#include "util.h"

static double fabs_diff(double a, double b) { return a > b ? a - b : b - a; }

static void secretpat__entropy_in_bits_per_byte(void **state) {
  (void)state;
  assert_true(rl_shannon_entropy("", 0) == 0);
  assert_true(rl_shannon_entropy("aaaaaaaa", 8) == 0);
  assert_true(fabs_diff(rl_shannon_entropy("abab", 4), 1.0) < 1e-9);
  assert_true(fabs_diff(rl_shannon_entropy("abcdefgh", 8), 3.0) < 1e-9);
  char all[256];
  for (int i = 0; i < 256; i++) all[i] = (char)i;
  assert_true(fabs_diff(rl_shannon_entropy(all, 256), 8.0) < 1e-9);
  /* a skewed string: p = 3/4, 1/4 -> 0.811278 bits */
  assert_true(fabs_diff(rl_shannon_entropy("aaab", 4), 0.8112781244591328) < 1e-9);
}

static void secretpat__group_one_is_the_secret(void **state) {
  (void)state;
  rl_regex *re = NULL;
  const char *pat = "key=([a-z0-9]+)";
  assert_int_equal(rl_regex_new(&re, pat, strlen(pat), 0), 0);
  const char *s = "x key=abc1 y key=zz9";
  size_t span[4];
  assert_int_equal(rl_regex_search_from(re, s, strlen(s), 0, span), 1);
  assert_int_equal(span[0], 2);
  assert_int_equal(span[2], 6);
  assert_int_equal(span[3], 10);
  assert_int_equal(rl_regex_search_from(re, s, strlen(s), span[1], span), 1);
  assert_int_equal(span[2], 17);
  assert_int_equal(rl_regex_search_from(re, s, strlen(s), span[1], span), 0);
  rl_regex_free(re);
  /* no group: the whole match */
  assert_int_equal(rl_regex_new(&re, "zz[0-9]", 7, 0), 0);
  assert_int_equal(rl_regex_search_from(re, s, strlen(s), 0, span), 1);
  assert_int_equal(span[2], span[0]);
  assert_int_equal(span[3], span[1]);
  rl_regex_free(re);
}

static void secretpat__engine_reports_masked(void **state) {
  (void)state;
  char path[] = "/tmp/rl-secretpat-XXXXXX.yml";
  int fd = mkstemps(path, 4);
  assert_true(fd >= 0);
  const char *yml = "secrets:\n  - id: acme-key\n    regex: 'acme_[A-Za-z0-9]{16}'\n    keywords: [acme]\n"
                    "    min-entropy: 3\n    description: Acme key\n";
  assert_int_equal(write(fd, yml, strlen(yml)), (ssize_t)strlen(yml));
  close(fd);
  rl_config *c = NULL;
  assert_int_equal(rl_config_load(&c, path), 0);
  unlink(path);
  assert_int_equal(c->nsecrets, 1);
  rl_secretpats *p = rl_secretpats_new(c);
  rl_engine_config cfg = {0};
  cfg.jobs = 1;
  cfg.extra_rules = rl_secretpats_rules(p, &cfg.nextra_rules);
  rl_engine *e = NULL;
  assert_int_equal(rl_engine_new(&e, &cfg), 0);
  const char *js = "const k = 'acme_Zq8Rv2Lm5Tx9Wb3N';\nconst low = 'acme_aaaaaaaaaaaaaaaa';\n";
  rl_file_result *r = rl_engine_scan_buffer(e, "src/a.js", NULL, js, strlen(js));
  size_t n = 0;
  for (size_t i = 0; i < r->nfindings; i++) {
    const rl_finding *f = &r->findings[i];
    if (strcmp(f->rule->id, "acme-key") != 0) continue;
    n++;
    assert_int_equal(f->start_line, 1);
    assert_int_equal(f->start_col, 12);
    assert_string_equal(f->message, "Acme key: acme…(21 chars)");
    assert_null(strstr(f->snippet, "Zq8Rv2"));
  }
  assert_int_equal(n, 1); /* the low-entropy one is left out */
  rl_file_result_free(r);
  const char *env = "ACME=acme_Zq8Rv2Lm5Tx9Wb3N\n";
  r = rl_engine_scan_buffer(e, ".env", NULL, env, strlen(env));
  n = 0;
  for (size_t i = 0; i < r->nfindings; i++) n += strcmp(r->findings[i].rule->id, "acme-key") == 0;
  assert_int_equal(n, 1);
  rl_file_result_free(r);
  rl_engine_free(e);
  rl_secretpats_free(p);
  rl_config_free(c);
}

/* ---- the well-known format table (secrets.c) ---- */

static void secretpat__format_table_is_well_formed(void **state) {
  (void)state;
  size_t n;
  const rl_secret_format *f = rl_secret_formats(&n);
  assert_true(n >= 20);
  for (size_t i = 0; i < n; i++) {
    assert_non_null(f[i].name);
    assert_non_null(f[i].prefix);
    assert_string_not_equal(rl_secret_alphabet_name(f[i].alphabet), "?");
    int own_matcher = f[i].alphabet == RL_SALPHA_PEM || f[i].alphabet == RL_SALPHA_JWT;
    if (!own_matcher) assert_true(f[i].min > 0 && f[i].min <= f[i].max);
    /* a row with no prefix is recognised by its context alone */
    if (!f[i].prefix[0]) assert_int_not_equal(f[i].context, RL_SCTX_NONE);
    for (size_t k = 0; k < i; k++)
      if (f[i].prefix[0]) assert_string_not_equal(f[i].prefix, f[k].prefix);
  }
}

static const char *found(const char *t) {
  size_t s, l;
  const rl_secret_format *f = rl_secret_find_format(t, strlen(t), 0, &s, &l);
  return f ? f->name : NULL;
}

static void secretpat__formats_by_structure(void **state) {
  (void)state;
  static const struct {
    const char *text, *want;
  } cases[] = {
      {"k = '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'",
       "Stripe, Paystack or Clerk live secret key"},
      {"sk_live_39d062f75c20cbccf8b475e176053f1311a7dae8", "Stripe, Paystack or Clerk live secret key"},
      {"sk_test_F0pQcvJVqIWaLfJVCYQ6qOkTBO66JHiQy3u8SiQOPuXLkG", "Stripe, Paystack or Clerk test secret key"},
      {"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",
       "Stripe live restricted key"},
      {"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", "SendGrid API key"},
      {"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", "GitHub personal access token"},
      {"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", "GitHub OAuth token"},
      {"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",
       "GitHub fine-grained token"},
      {"xoxb-573124463502-1739676962372-w9JQv6U58JtqHeZipOV44Fyq", "Slack bot token"},
      {"sk-proj-Qc1HwBCx6gaoP5MNeHdIVNlDqUhH0LXqbPGEj4xO2yFkUXpPKVmUTRiPPO2HIGHDhYVrmun8dw3RWkF4QDXZZv0fegC1TVTilsr9GrVxBRnlLoDPD-lEX4QpT3BlbkFJR0Mp5v6CYrb59ADeshAHDznXSmjRpQGRqhBwX7Qn",
       "OpenAI API key"},
      {"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", "OpenAI API key"},
      {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6dnhrcGxtbmJ0cndoc2QiLCJyb2xlIjoic2VydmljZV9yb2xlIiwiaWF0IjoxNzE4MDAwMDAwLCJleHAiOjIwMzM1NzYwMDB9.qRyNBI7QmSCzwwJ7SFxMKUOu0hEcjvRdsoOuqe3kiCM",
       "Supabase service_role key (JWT)"},
      {"id=AKIAGEMHD6MSNCERCGST secret=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", "AWS access key id"},
      /* near misses */
      {"ghp_sf929M954tS3f41eofotWWYFqjH2VsqGRDfb", NULL}, /* checksum does not hold */
      {"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL}, /* docs placeholder */
      {"sk_test_XXXXXXXXXXXXXXXXXXXXXXXX", NULL},         /* docs placeholder */
      {"sk_live_...", NULL},                              /* truncated */
      {"sk_test_4eC39HqLyjWD", NULL},                     /* too short */
      {"const sk_live_mode = 1", NULL},                   /* the prefix in a name */
      {"mask_live_4eC39HqLyjWDarjtT1zdp7dcXqLy", NULL},   /* inside a word */
      {"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6dnhrcGxtbmJ0cndoc2QiLCJyb2xlIjoiYW5vbiIsImlhdCI6MTcxODAwMDAwMCwiZXhwIjoyMDMzNTc2MDAwfQ.p7mUft4WAJLM7MOLkzz5gB_lI7S9oCWzXXzPj1-ECvQ",
       NULL},                                                                  /* an anon JWT */
      {"id=AKIAGEMHD6MSNCERCGST", NULL},                                       /* no secret beside it */
      {"AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", NULL}, /* AWS's docs */
      {"task-runner-4f3a2c1d9e7b6a5f4c3d2e1f0a9b8c7d6e5f4a3b2c1d", NULL},
      {"sk-4f3a2c1d9e7b6a5f4c3d2e1f0a9b8c7d6e5f4a3b2c1d9e8f", NULL}, /* no OpenAI marker */
      {"xoxb-your-bot-token-goes-here-please", NULL},
      {"SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL},
      {"sha512-dpilGucjv3ewyonRc/NAJONLLbmZ2h+WON2Lh6zJ", NULL}, /* lockfile integrity */
      {"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
       NULL},
  };
  for (size_t i = 0; i < RL_ARRAY_LEN(cases); i++) {
    const char *got = found(cases[i].text);
    if ((got == NULL) != (cases[i].want == NULL) || (got && strcmp(got, cases[i].want) != 0))
      fail_msg("%s: got %s, want %s", cases[i].text, got ? got : "nothing", cases[i].want ? cases[i].want : "nothing");
  }
}

static void secretpat__github_checksum(void **state) {
  (void)state;
  char tok[41] = "ghp_";
  memcpy(tok + 4, "Zq8Rv2Lm5Tx9Wb3NcYz7Qa1Sd4Fg6H", 30);
  rl_secret_github_crc(tok + 4, 30, tok + 34);
  tok[40] = '\0';
  assert_true(rl_secret_github_crc_ok(tok + 4, 36));
  assert_string_equal(found(tok), "GitHub personal access token");
  tok[10] = tok[10] == 'a' ? 'b' : 'a'; /* one character off: the checksum fails */
  assert_false(rl_secret_github_crc_ok(tok + 4, 36));
  assert_null(found(tok));
  /* the CRC32 of "" is 0, of "a" 0xE8B7BE43 = 3904355907: base62 "4GEHKN" */
  char c[6];
  rl_secret_github_crc("a", 1, c);
  assert_memory_equal(c, "4GEHKN", 6);
}

static const rl_secret_format *named(const char *name, const char *v, const char *text) {
  return rl_secret_named_format(name, strlen(name), v, strlen(v), text, strlen(text));
}

static void secretpat__formats_by_context(void **state) {
  (void)state;
  const char *sid = "sid = 'AC4fe01b90a15c51885de51c4ccabcf7ab'";
  const rl_secret_format *f = named("TWILIO_AUTH_TOKEN", "3c63f8883fa56e8284379271da02bda8", sid);
  assert_non_null(f);
  assert_string_equal(f->name, "Twilio auth token");
  assert_null(
      named("TWILIO_AUTH_TOKEN", "3c63f8883fa56e8284379271da02bda8", "no account id here")); /* no SID beside it */
  assert_null(named("TWILIO_ACCOUNT_SID", "3c63f8883fa56e8284379271da02bda8", sid));
  f = named("dailyApiKey", "31c1952cd81998717c7ac5996c77366d36c520fa9daf0b7f6811fc4c7357c3cd", "");
  assert_non_null(f);
  assert_string_equal(f->name, "Daily API key");
  f = named("AGORA_APP_CERTIFICATE", "0c00beb5bd679ce5c00c12aeb08923fa", "");
  assert_non_null(f);
  assert_string_equal(f->name, "Agora App Certificate");
  /* 32 hex with no name saying what it is: a hash, an id */
  assert_null(named("fileChecksum", "0c00beb5bd679ce5c00c12aeb08923fa", sid));
  assert_null(named("agoraAppId", "0c00beb5bd679ce5c00c12aeb08923fa", ""));
  assert_null(named("dailyRoomName", "0c00beb5bd679ce5c00c12aeb08923fa", ""));
  assert_null(named("AGORA_APP_CERTIFICATE", "00000000000000000000000000000000", ""));
  assert_null(named("AGORA_APP_CERTIFICATE", "your_agora_app_certificate", ""));
}

static void secretpat__public_by_design(void **state) {
  (void)state;
  static const char *const yes[] = {
      "pubd9b99336322979683e1c6d3e3a5e6a7a",
      "pk_live_51xsVPgqp46Zf3b2oxamvt2ZhQ3pnuMwnQHujQ4YPRMZrAdZxk4fxsh3E92EyfRuRIymz8Z8Ef8OmJHTuRhvtMLrkVGtnlx7Wjk",
      "pk_test_0cd8fdce33f25667e2de65b101ee926f9a095cba",
      "phc_Qdct7L5OWRTY64fDkJByUytSpd5TTrZMPP5FCeV8N9g",
      "pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNseDlxMnczZTAwMGEwMXF6In0.IVFS4Poad9DAzUctKRgIi8",
      "AIzaKjqwEvLMhd8FM9Y_xiu3y1giYTjGOtorP99",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6dnhrcGxtbmJ0cndoc2QiLCJyb2xlIjoiYW5vbiIsImlhdCI6MTcxODAwMDAwMCwiZXhwIjoyMDMzNTc2MDAwfQ.p7mUft4WAJLM7MOLkzz5gB_lI7S9oCWzXXzPj1-ECvQ",
      "https://115b4a0e0928c228a660806499fec619@o426174.ingest.sentry.io/4129846",
      "wss://acme-x1y2.livekit.cloud"};
  for (size_t i = 0; i < RL_ARRAY_LEN(yes); i++)
    if (!rl_secret_public_value(yes[i], strlen(yes[i]))) fail_msg("%s should be public by design", yes[i]);
  static const char *const no[] = {
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6dnhrcGxtbmJ0cndoc2QiLCJyb2xlIjoic2VydmljZV9yb2xlIiwiaWF0IjoxNzE4MDAwMDAwLCJleHAiOjIwMzM1NzYwMDB9.qRyNBI7QmSCzwwJ7SFxMKUOu0hEcjvRdsoOuqe3kiCM",
      "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",
      "pubkey-not-datadog-at-all", "3c63f8883fa56e8284379271da02bda8", "https://api.example.com/@x"};
  for (size_t i = 0; i < RL_ARRAY_LEN(no); i++)
    if (rl_secret_public_value(no[i], strlen(no[i]))) fail_msg("%s is not public by design", no[i]);
  char role[32];
  assert_true(rl_secret_jwt_role(
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6dnhrcGxtbmJ0cndoc2QiLCJyb2xlIjoiYW5vbiIsImlhdCI6MTcxODAwMDAwMCwiZXhwIjoyMDMzNTc2MDAwfQ.p7mUft4WAJLM7MOLkzz5gB_lI7S9oCWzXXzPj1-ECvQ",
      strlen(
          "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6dnhrcGxtbmJ0cndoc2QiLCJyb2xlIjoiYW5vbiIsImlhdCI6MTcxODAwMDAwMCwiZXhwIjoyMDMzNTc2MDAwfQ.p7mUft4WAJLM7MOLkzz5gB_lI7S9oCWzXXzPj1-ECvQ"),
      role, sizeof role));
  assert_string_equal(role, "anon");
  assert_true(rl_secret_jwt_role(
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6dnhrcGxtbmJ0cndoc2QiLCJyb2xlIjoic2VydmljZV9yb2xlIiwiaWF0IjoxNzE4MDAwMDAwLCJleHAiOjIwMzM1NzYwMDB9.qRyNBI7QmSCzwwJ7SFxMKUOu0hEcjvRdsoOuqe3kiCM",
      strlen(
          "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6dnhrcGxtbmJ0cndoc2QiLCJyb2xlIjoic2VydmljZV9yb2xlIiwiaWF0IjoxNzE4MDAwMDAwLCJleHAiOjIwMzM1NzYwMDB9.qRyNBI7QmSCzwwJ7SFxMKUOu0hEcjvRdsoOuqe3kiCM"),
      role, sizeof role));
  assert_string_equal(role, "service_role");
  assert_false(rl_secret_jwt_role("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...", 39, role, sizeof role));
}

/* Passwords inside connection strings: found with their place, and the
 * stand-ins that docs, compose files and local setups write are not. */
static void secretpat__url_passwords(void **state) {
  (void)state;
  static const struct {
    const char *url;
    const char *password; /* NULL: none */
  } cases[] = {
      {"mongodb+srv://clinic:Rv83kQz1wT@cluster0.q4xw2ke.mongodb.net/db?w=majority", "Rv83kQz1wT"},
      {"rediss://default:Tb5nW1xQ8zK@apn1-keen-owl-30412.upstash.io:30412", "Tb5nW1xQ8zK"},
      {"postgresql://app:p%40ss-W0rd9@db.eu-west-1.rds.amazonaws.com:5432/rooms", "p%40ss-W0rd9"},
      {"mongodb://a:Xk29sLq0@h1.example-db.net:27017,h2.example-db.net:27017/x", "Xk29sLq0"},
      {"mongodb+srv://username:password@cluster.mongodb.net/dbname", NULL},
      {"mongodb+srv://<username>:<password>@<cluster>.mongodb.net/x", NULL},
      {"mongodb+srv://prod:***@prod.me00mtg.mongodb.net/x", NULL},
      {"mongodb+srv://backup:${MONGO_PASSWORD}@cluster0.q4xw2ke.mongodb.net/a", NULL},
      {"postgres://postgres:postgres@localhost:5432/app", NULL},
      {"postgres://app:Hq2m7Lw9Zt@db:5432/app", NULL},
      {"redis://default:Hq2m7Lw9Zt@127.0.0.1:6379", NULL},
      {"postgres://rooms:rooms@db.internal.example-video.com/rooms", "rooms"},
      {"https://meet.example-video.com/@alice", NULL},
      {"https://user@github.com/org/repo.git", NULL},
      {"mongodb+srv://app:your_password_here@cluster0.q4xw2ke.mongodb.net", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t at = 0, n = 0;
    const char *u = cases[i].url;
    int got = rl_secret_url_password(u, strlen(u), &at, &n);
    if (got != (cases[i].password != NULL)) printf("%s: %d\n", u, got);
    assert_int_equal(got, cases[i].password != NULL);
    if (got) {
      assert_int_equal(n, strlen(cases[i].password));
      assert_memory_equal(u + at, cases[i].password, n);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(secretpat__entropy_in_bits_per_byte),
      cmocka_unit_test(secretpat__group_one_is_the_secret),
      cmocka_unit_test(secretpat__engine_reports_masked),
      cmocka_unit_test(secretpat__url_passwords),
      cmocka_unit_test(secretpat__format_table_is_well_formed),
      cmocka_unit_test(secretpat__formats_by_structure),
      cmocka_unit_test(secretpat__github_checksum),
      cmocka_unit_test(secretpat__formats_by_context),
      cmocka_unit_test(secretpat__public_by_design),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
