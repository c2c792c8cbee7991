/* client-side-token-minting: client code that mints a token.
 *
 * A mint site (rules/mint.h: jsonwebtoken sign, jose SignJWT...sign, LiveKit
 * and Twilio `new AccessToken`, Agora *TokenBuilder.build*, OpenTok
 * generateToken, the 100ms server SDK's getAuthToken/getManagementToken),
 * resolved through imports, requires and const aliases, in a file classified
 * as client code. Whatever signs a token holds the signing secret, so the
 * secret ships with the bundle. Server, test and unknown files are not
 * looked at: minting there is what the guide asks for. */
#include <string.h>

#include "analysis.h"
#include "mint.h"
#include "rule.h"
#include "util.h"

extern const char rl_doc__client_side_token_minting[];

static void report_mint(void *data, const rl_mint *m) {
  rl_ctx *ctx = data;
  size_t pl = strlen(m->package);
  /* "jsonwebtoken sign()" names its package already; the SDKs get it added */
  if (!rl_strncasecmp_ascii(m->what, m->package, pl))
    rl_report(ctx, m->call, "%s mints a token in client code: the signing secret ships with the bundle", m->what);
  else
    rl_report(ctx, m->call, "%s (%s) mints a token in client code: the signing secret ships with the bundle",
              m->what, m->package);
}

static void on_file(rl_ctx *ctx) {
  rl_jsfile *jf = rl_ctx_js(ctx);
  if (!jf) return;
  rl_mint_each(jf, rl_ctx_root(ctx), report_mint, ctx);
}

/* Every mint site resolves through an import or require of one of these. */
static const char *const needles[] = {"jsonwebtoken", "jose", "server-sdk", "twilio", "agora-", "opentok", NULL};

const rl_rule rl_rule_client_side_token_minting = {
    .id = "client-side-token-minting",
    .title = "Token minted in client code",
    .severity = RL_SEV_ERROR,
    .cwe = 602,
    .doc = rl_doc__client_side_token_minting,
    .langs = RL_LANGS_CODE,
    .contexts = RL_CTX_BIT(RL_CTX_CLIENT),
    .on_file = on_file,
    .needles = needles,
    .bad_example = "import jwt from 'jsonwebtoken';\n"
                   "import { useState } from 'react';\n"
                   "\n"
                   "export function useRoomToken(roomId, userId) {\n"
                   "  const [token] = useState(() =>\n"
                   "    jwt.sign({ access_key: import.meta.env.VITE_HMS_ACCESS_KEY, room_id: roomId, user_id: userId,\n"
                   "      role: 'guest', type: 'app', version: 2 }, import.meta.env.VITE_HMS_SECRET, { expiresIn: '1h' }));\n"
                   "  return token;\n"
                   "}\n",
    .good_example = "import { useEffect, useState } from 'react';\n"
                    "\n"
                    "export function useRoomToken(roomId) {\n"
                    "  const [token, setToken] = useState(null);\n"
                    "  useEffect(() => {\n"
                    "    fetch('/api/token', { method: 'POST', credentials: 'include', body: JSON.stringify({ roomId }) })\n"
                    "      .then((r) => r.json())\n"
                    "      .then((d) => setToken(d.token));\n"
                    "  }, [roomId]);\n"
                    "  return token;\n"
                    "}\n",
    .precision = "high",
    .security_severity = "9.1",
};
