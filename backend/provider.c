#include "provider.h"

#include <string.h>

#include "tokend.h"

static const char *const names[] = {
    [TK_PROVIDER_HMS] = "100ms",
    [TK_PROVIDER_LIVEKIT] = "livekit",
    [TK_PROVIDER_TWILIO] = "twilio",
    [TK_PROVIDER_AGORA] = "agora",
};

int tk_provider_parse(tk_provider *out, const char *name) {
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcmp(name, names[i]) == 0) {
      *out = (tk_provider)i;
      return TK_OK;
    }
  }
  return TK_EINVAL;
}

const char *tk_provider_name(tk_provider p) { return names[p]; }

static int alnum(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'); }

static int all_of(const char *s, size_t n, size_t max, const char *extra) {
  if (n == 0 || n > max) return 0;
  for (size_t i = 0; i < n; i++) {
    if (!alnum(s[i]) && (s[i] == '\0' || strchr(extra, s[i]) == NULL)) return 0;
  }
  return 1;
}

int tk_provider_room_valid(tk_provider p, const char *s, size_t n) {
  switch (p) {
  case TK_PROVIDER_HMS:
    if (n != 24) return 0;
    for (size_t i = 0; i < n; i++) {
      if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    }
    return 1;
  case TK_PROVIDER_LIVEKIT:
  case TK_PROVIDER_TWILIO: return all_of(s, n, TK_ROOM_MAX, "_.:=@-");
  case TK_PROVIDER_AGORA:
    /* Agora: under 64 bytes of letters, digits and !$&()+-:;<=.>@[]^_{}|~, (plus space # % ?) */
    return all_of(s, n, 63, "!$&()+-:;<=.>@[]^_{}|~,");
  }
  return 0;
}

int tk_provider_user_valid(tk_provider p, const char *sub) {
  if (p != TK_PROVIDER_AGORA) return 1;
  return all_of(sub, strlen(sub), 255, " !#$%&()+-:;<=.>?@[]^_{}|~,");
}

const char *tk_provider_room_rule(tk_provider p) {
  switch (p) {
  case TK_PROVIDER_HMS: break;
  case TK_PROVIDER_LIVEKIT:
  case TK_PROVIDER_TWILIO: return "room must be 1..128 of [A-Za-z0-9_.:=@-]";
  case TK_PROVIDER_AGORA: return "channel must be 1..63 of letters, digits and !$&()+-:;<=.>@[]^_{}|~,";
  }
  return "room id must be 24 lowercase hex characters";
}

int tk_grants_parse(unsigned *out, const char *s, size_t n) {
  static const struct {
    const char *name;
    unsigned bit;
  } words[] = {{"publish", TK_GRANT_PUBLISH}, {"subscribe", TK_GRANT_SUBSCRIBE}, {"data", TK_GRANT_DATA}};
  unsigned g = 0;
  size_t i = 0;
  while (i <= n) {
    size_t j = i, k;
    unsigned bit = 0;
    while (j < n && s[j] != '+') j++;
    for (k = 0; k < sizeof words / sizeof words[0]; k++) {
      if (j - i == strlen(words[k].name) && strncmp(s + i, words[k].name, j - i) == 0) bit = words[k].bit;
    }
    if (bit == 0 || (g & bit) != 0) return TK_EINVAL;
    g |= bit;
    i = j + 1;
  }
  *out = g;
  return TK_OK;
}
