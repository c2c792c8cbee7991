/* facts/reqinput.c: which values of a handler come from the request, and
 * where from, across the frameworks' ways of reading one. Each snippet's
 * first function is the handler; `probe: <expr>` marks the expression asked. */
#include "rltest.h"
#include "support/parsed.h"

#include <string.h>

#include "analysis.h"
#include "reqinput.h"

typedef struct find {
  rl_jsfile *jf;
  TSNode fn, probe;
} find;

static int is_fn(TSNode n) {
  const char *t = ts_node_type(n);
  return !strcmp(t, "arrow_function") || !strcmp(t, "function_declaration") || !strcmp(t, "function_expression") ||
         !strcmp(t, "method_definition") || !strcmp(t, "function");
}

static int find_visit(void *data, TSNode n) {
  find *f = data;
  if (!strcmp(ts_node_type(n), "decorator")) return 1; /* @Mutation(() => String) */
  if (ts_node_is_null(f->fn) && is_fn(n)) f->fn = n;
  if (!strcmp(ts_node_type(n), "pair")) {
    const char *k;
    size_t kl;
    if (rl_js_pair_key(f->jf, n, &k, &kl) && kl == 5 && !memcmp(k, "probe", 5)) {
      f->probe = ts_node_child_by_field_name(n, "value", 5);
      return -1;
    }
  }
  return 0;
}

/* The description rl_reqin_value gives the probe (want NULL: not input). */
static void expect_input(const char *path, const char *code, const char *want) {
  parsed p;
  parse_js(&p, path, code);
  find f;
  memset(&f, 0, sizeof f);
  f.jf = p.jf;
  rl_js_walk(rl_tree_root(p.tree), find_visit, &f);
  if (ts_node_is_null(f.fn) || ts_node_is_null(f.probe)) fail_msg("no handler or probe in: %s", code);
  rl_reqin in;
  rl_reqin_scan(&in, p.jf, p.arena, f.fn, NULL);
  const char *got = rl_reqin_value(&in, f.probe, NULL);
  if (!want && got) fail_msg("want no request input, got '%s' in: %s", got, code);
  if (want && (!got || strcmp(got, want) != 0))
    fail_msg("got '%s', want '%s' in: %s", got ? got : "(none)", want, code);
  parsed_free(&p);
}

static void reqinput__fetch_api(void **state) {
  (void)state;
  expect_input("app/api/token/route.ts",
               "export async function POST(req: Request) {\n"
               "  const { role = 'guest' } = await req.json();\n  sink({ probe: role });\n}\n",
               "the request body (await req.json())");
  expect_input("app/api/token/route.ts",
               "export async function POST(request) {\n"
               "  const form = await request.formData();\n  sink({ probe: form.get('role') });\n}\n",
               "the request body (await request.formData())");
  expect_input("app/api/token/route.ts",
               "export async function POST(req) {\n"
               "  const body = JSON.parse(await req.text());\n  sink({ probe: String(body.role) });\n}\n",
               "the request body (await req.text())");
  expect_input("app/api/token/route.ts",
               "export async function GET(req: NextRequest) {\n"
               "  sink({ probe: req.nextUrl.searchParams.get('role') ?? 'viewer' });\n}\n",
               "the query string (req.nextUrl.searchParams)");
  expect_input("app/api/token/route.ts",
               "export async function GET(req) {\n"
               "  const { searchParams } = new URL(req.url);\n  sink({ probe: searchParams.get('role') });\n}\n",
               "the query string (new URL(req.url))");
  expect_input("app/api/token/route.ts",
               "export async function GET(request) {\n"
               "  const { searchParams } = request.nextUrl;\n  sink({ probe: searchParams.get('role') });\n}\n",
               "the query string (request.nextUrl)");
  expect_input("supabase/functions/t/index.ts",
               "Deno.serve(async (req) => {\n"
               "  const { room, role } = (await req.json()) as { room: string; role: string };\n"
               "  return sink({ probe: role });\n});\n",
               "the request body (await req.json())");
  expect_input("src/worker.ts",
               "export default {\n  async fetch(request, env) {\n    const body: any = await request.json();\n"
               "    return sink({ probe: body.grants.roomAdmin });\n  },\n};\n",
               "the request body (await request.json())");
  expect_input("app/api/token/route.ts",
               "export async function POST(req) {\n"
               "  const body = await req.json().catch(() => ({}));\n  sink({ probe: `${body.role}` });\n}\n",
               "the request body (await req.json().catch(() => ({})))");
  /* a form read from the URL's text; a negated flag */
  expect_input("src/worker.ts",
               "export default {\n  async fetch(request) {\n    const url = new URL(request.url);\n"
               "    const q = new URLSearchParams(url.search);\n    return sink({ probe: q.get('role') });\n  },\n};\n",
               "the query string (new URL(request.url))");
  expect_input(
      "app/api/token/route.ts",
      "export async function POST(req) {\n  const { host } = await req.json();\n  sink({ probe: !!host });\n}\n",
      "the request body (await req.json())");
  expect_input("src/worker.ts",
               "export default {\n  async fetch(request) {\n    const q = new URLSearchParams('role=guest');\n"
               "    return sink({ probe: q.get('role') });\n  },\n};\n",
               NULL);
}

static void reqinput__text_is_a_value(void **state) {
  (void)state;
  expect_input(
      "app/api/token/route.ts",
      "export async function POST(req) {\n  const raw = await req.text();\n  sink({ probe: raw.trim() });\n}\n",
      "the request body (await req.text())");
}

static void reqinput__servers(void **state) {
  (void)state;
  /* SvelteKit +server.ts and Remix actions destructure one event object */
  expect_input("src/routes/api/token/+server.ts",
               "export async function POST({ request, locals }) {\n  const { role } = await request.json();\n"
               "  return sink({ probe: role });\n}\n",
               "the request body (await request.json())");
  expect_input(
      "src/routes/api/token/+server.ts",
      "export async function GET({ url, locals }) {\n  return sink({ probe: url.searchParams.get('role') });\n}\n",
      "the query string (url)");
  expect_input("app/routes/join.tsx",
               "export async function action({ request, params }) {\n  return sink({ probe: params.role });\n}\n",
               "the path parameters (params)");
  expect_input("src/hono.ts",
               "app.post('/t', async (c) => {\n  const { role } = await c.req.json();\n  sink({ probe: role });\n});\n",
               "the request body (await c.req.json())");
  /* let body; try { body = await c.req.json(); } catch { ... }: an assignment binds too */
  expect_input("src/hono.ts",
               "app.post('/t', async (c) => {\n  let body;\n  try {\n    body = await c.req.json();\n"
               "  } catch {\n    return c.json({ error: 'bad json' }, 400);\n  }\n  sink({ probe: body.role });\n});\n",
               "the request body (await c.req.json())");
  expect_input("src/hono.ts", "app.get('/t', (c) => sink({ probe: c.req.query('role') }));\n",
               "the query string (c.req.query('role'))");
  expect_input("src/hono.ts", "app.get('/t/:role', (c) => sink({ probe: c.req.param('role') }));\n",
               "the path parameters (c.req.param('role'))");
  expect_input(
      "src/koa.js",
      "router.post('/t', async (ctx) => {\n  const { role } = ctx.request.body;\n  sink({ probe: role });\n});\n",
      "the request body (ctx.request.body)");
  expect_input("server/oak.ts",
               "router.post('/t', async (ctx) => {\n  const { role } = await ctx.request.body.json();\n"
               "  sink({ probe: role });\n});\n",
               "the request body (await ctx.request.body.json())");
  expect_input("server/oak.ts",
               "router.get('/t', (ctx) => sink({ probe: ctx.request.url.searchParams.get('role') }));\n",
               "the query string (ctx.request.url.searchParams)");
  expect_input("src/koa.js", "router.get('/t', (ctx) => sink({ probe: ctx.query.role }));\n",
               "the query string (ctx.query)");
  expect_input("src/koa.js", "router.get('/t/:role', (ctx) => sink({ probe: ctx.params.role }));\n",
               "the path parameters (ctx.params)");
  expect_input("src/fastify.js", "fastify.post('/t', async (request, reply) => sink({ probe: request.body.role }));\n",
               "the request body (request.body)");
  expect_input(
      "src/express.js",
      "app.get('/t', (req, res) => {\n  let role = req.query.role || 'guest';\n  sink({ probe: role.toLowerCase() });\n});\n",
      "the query string (req.query)");
  expect_input("netlify/functions/t.js",
               "exports.handler = async (event) => {\n  const body = JSON.parse(event.body || '{}');\n"
               "  return sink({ probe: body.role });\n};\n",
               "the request body (event.body)");
  expect_input("netlify/functions/t.js",
               "exports.handler = async (event) => {\n  const { role } = event.body ? JSON.parse(event.body) : {};\n"
               "  return sink({ probe: role });\n};\n",
               "the request body (event.body)");
  expect_input("lambda/t.js",
               "export const handler = async (event) => sink({ probe: event.queryStringParameters.role });\n",
               "the query string (event.queryStringParameters)");
  expect_input("server/api/token.post.ts",
               "export default defineEventHandler(async (event) => {\n  const body = await readBody(event);\n"
               "  return sink({ probe: Number(body.level) });\n});\n",
               "the request body (await readBody(event))");
}

static void reqinput__nest_and_firebase(void **state) {
  (void)state;
  expect_input(
      "src/token.controller.ts",
      "class T {\n  @Post('token')\n  mint(@Body() dto: TokenDto) {\n    return sink({ probe: dto.role });\n  }\n}\n",
      "the request body (@Body())");
  expect_input(
      "src/token.controller.ts",
      "class T {\n  @Post('token')\n  mint(@Body('role') role: string) {\n    return sink({ probe: role });\n  }\n}\n",
      "the request body (@Body('role'))");
  expect_input("src/token.resolver.ts",
               "class R {\n  @Mutation(() => String)\n  token(@Args('role', { nullable: true }) role?: string) {\n"
               "    return sink({ probe: role });\n  }\n}\n",
               "the GraphQL arguments (@Args('role', { nullable: true }))");
  expect_input("functions/index.js",
               "exports.token = functions.https.onCall(async (data, context) => sink({ probe: data.role }));\n",
               "the callable's data (data)");
  expect_input("functions/index.js",
               "exports.token = functions.https.onCall(async ({ role }, context) => sink({ probe: role }));\n",
               "the callable's data ({ role })");
  expect_input("functions/index.ts",
               "export const token = onCall({ cors: true }, async (request) => {\n"
               "  const role = String(request.data.role ?? '').trim();\n  return sink({ probe: role });\n});\n",
               "the callable's data (request.data)");
}

static void reqinput__not_input(void **state) {
  (void)state;
  /* the session, a verified token, the code's own choice, an upstream response */
  expect_input("src/express.js", "app.post('/t', (req, res) => sink({ probe: req.user.role }));\n", NULL);
  expect_input("src/express.js",
               "app.post('/t', (req, res) => {\n  const r = req.body.role;\n"
               "  const role = ALLOWED.has(r) ? r : 'guest';\n  sink({ probe: role });\n});\n",
               NULL);
  expect_input("src/express.js", "app.post('/t', (req, res) => sink({ probe: 'guest' }));\n", NULL);
  /* names of the request object that are something else here */
  expect_input(
      "src/express.js",
      "app.post('/t', async (req, res) => {\n  const c = await loadConfig();\n  sink({ probe: c.body.role });\n});\n",
      NULL);
  expect_input("src/express.js",
               "app.post('/t', async (req, res) => {\n  const request = await db.accessRequest.find(req.user.id);\n"
               "  sink({ probe: request.body.role });\n});\n",
               NULL);
  expect_input("src/routes/api/token/+server.ts",
               "export async function POST({ locals }) {\n  return sink({ probe: locals.user.role });\n}\n", NULL);
  expect_input("src/express.js",
               "app.post('/t', async (req, res) => {\n  let role = req.body.role;\n"
               "  if (!req.user.admin) role = await rolesOf(req.user);\n  sink({ probe: role });\n});\n",
               NULL);
  expect_input("src/express.js",
               "app.post('/t', async (req, res) => {\n  const claims = jwt.verify(req.headers.authorization, K);\n"
               "  sink({ probe: claims.role });\n});\n",
               NULL);
  expect_input("app/api/token/route.ts",
               "export async function POST(req) {\n  const up = await fetch(U);\n  const data = await up.json();\n"
               "  sink({ probe: data.role });\n}\n",
               NULL);
  /* Hono: c.get() is what middleware set, c.req.valid() what a validator passed */
  expect_input("src/hono.ts", "app.post('/t', (c) => sink({ probe: c.get('role') }));\n", NULL);
  expect_input("src/hono.ts", "app.post('/t', (c) => sink({ probe: c.req.valid('json').role }));\n", NULL);
  /* Firebase v2: request.auth is the signed-in user; request.data only in a callable */
  expect_input("functions/index.ts",
               "export const t = onCall(async (request) => sink({ probe: request.auth.token.role }));\n", NULL);
  expect_input("src/express.js", "app.post('/t', (req, res) => sink({ probe: req.data.role }));\n", NULL);
  expect_input("src/express.js", "app.post('/t', (req, res) => sink({ probe: Boolean(req.body.role) }));\n", NULL);
  /* NestJS: the decorated first parameter is the body, not a request object */
  expect_input(
      "src/token.controller.ts",
      "class T {\n  @Post()\n  mint(@Body() dto: Dto, @Req() req) {\n    return sink({ probe: dto.body });\n  }\n}\n",
      "the request body (@Body())");
  expect_input("src/token.controller.ts",
               "class T {\n  @Post()\n  mint(@User() user: U) {\n    return sink({ probe: user.body });\n  }\n}\n",
               NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reqinput__fetch_api), cmocka_unit_test(reqinput__text_is_a_value),
      cmocka_unit_test(reqinput__servers),   cmocka_unit_test(reqinput__nest_and_firebase),
      cmocka_unit_test(reqinput__not_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
