/* rules/routes.c: which server routes are recognised, with what method,
 * path, handler, middlewares and parameter names, across frameworks. */
#include "rltest.h"
#include "support/parsed.h"

#include <string.h>

#include "analysis.h"
#include "arena.h"
#include "parse.h"
#include "prefilter.h"
#include "routes.h"
#include "source.h"
#include "util.h"

typedef struct out {
  rl_jsfile *jf;
  rl_buf b;
} out;

/* "framework METHOD path fn=<handler type> mw=<n>[ opts] req=<name> res=<name>[ public];" */
static void collect(void *data, const rl_route *r) {
  out *o = data;
  rl_buf_printf(&o->b, "%s %s %s fn=%s mw=%u%s req=%s res=%s%s;", r->framework, r->method, r->path,
                ts_node_is_null(r->handler) ? "-" : ts_node_type(r->handler), r->nmiddlewares,
                ts_node_is_null(r->options) ? "" : " opts", r->req_name ? r->req_name : "-",
                r->res_name ? r->res_name : "-", r->opted_out ? " public" : "");
}

static int possible(const char *path, const char *code) {
  rl_prefilter pf;
  rl_prefilter_init(&pf, code, strlen(code), RL_LANG_TS);
  rl_prefilter_set_path(&pf, path);
  int yes = rl_routes_possible(&pf);
  rl_prefilter_clear(&pf);
  return yes;
}

static void expect_routes(const char *path, const char *code, const char *want) {
  parsed p;
  parse_js(&p, path, code);
  out o = {p.jf, {0}};
  rl_routes_each(p.jf, rl_tree_root(p.tree), NULL, collect, &o);
  const char *got = o.b.ptr ? o.b.ptr : "";
  if (strcmp(got, want) != 0) fail_msg("%s:\n got: %s\nwant: %s\ncode: %s", path, got, want, code);
  assert_int_equal(rl_routes_any(p.jf, rl_tree_root(p.tree), NULL), want[0] != '\0');
  /* the prefilter never rules out a file that has routes, with or without its path */
  if (want[0] && (!possible(path, code) || !possible(NULL, code))) fail_msg("prefilter missed %s:\n%s", path, code);
  rl_buf_free(&o.b);
  parsed_free(&p);
}

static void routes__express(void **state) {
  (void)state;
  expect_routes("server/index.js",
                "const express = require('express');\n"
                "const app = express();\n"
                "app.post('/api/token', (req, res) => res.json({}));\n"
                "app.get('/api/rooms', requireAuth, limiter, async function (request, response) {});\n"
                "app.put('/api/rooms/:id', [requireAuth, limiter], handler);\n"
                "function handler(req, res) {}\n"
                "app.delete('/api/x', controller.remove);\n"
                "app.use('/admin', adminRouter);\n"
                "app.use(cors());\n"
                "app.get('port');\n",
                "express POST /api/token fn=arrow_function mw=0 req=req res=res;"
                "express GET /api/rooms fn=function_expression mw=2 req=request res=response;"
                "express PUT /api/rooms/:id fn=function_declaration mw=2 req=req res=res;"
                "express DELETE /api/x fn=- mw=0 req=- res=-;"
                "express * /admin fn=- mw=0 req=- res=-;");
  /* Router, route() chains, consts for paths, asyncHandler wrappers */
  expect_routes("server/routes.ts",
                "import { Router } from 'express';\n"
                "const router = Router();\n"
                "const TOKEN = '/token';\n"
                "router.post(TOKEN, verifyToken, asyncHandler(async (req, res) => {}));\n"
                "router.route('/rooms').get(list).post(authenticate, (req, res) => {});\n",
                "express POST /token fn=arrow_function mw=1 req=req res=res;"
                "express GET /rooms fn=- mw=0 req=- res=-;"
                "express POST /rooms fn=arrow_function mw=1 req=req res=res;");
}

static void routes__not_routes(void **state) {
  (void)state;
  /* HTTP clients and maps are not routes */
  expect_routes("src/api.js",
                "import axios from 'axios';\n"
                "axios.post('/api/token', { role });\n"
                "axios.post('/api/token', payload);\n"
                "const api = axios.create({});\n"
                "api.post('/api/token', body);\n"
                "cache.get('/api/token', fallback);\n"
                "nock('https://api.100ms.live').post('/v2/rooms', payload).reply(200, {});\n"
                "import { http, HttpResponse } from 'msw';\n"
                "http.post('/api/token', () => HttpResponse.json({ token: 'x' }));\n"
                "map.get(key);\n",
                "");
  /* in a server file too: an HTTP client instance posting a const body */
  expect_routes("server/rooms.js",
                "const express = require('express');\n"
                "const hmsApi = makeClient();\n"
                "const body = { name: 'x' };\n"
                "hmsApi.post('/rooms', body);\n",
                "");
}

static void routes__koa_fastify_hono(void **state) {
  (void)state;
  expect_routes("server/koa.js",
                "const Koa = require('koa');\n"
                "const Router = require('@koa/router');\n"
                "const router = new Router();\n"
                "router.post('/token', auth, async (ctx, next) => { ctx.body = {}; });\n",
                "koa POST /token fn=arrow_function mw=1 req=ctx res=ctx;");
  expect_routes("server/fastify.ts",
                "import Fastify from 'fastify';\n"
                "const fastify = Fastify();\n"
                "fastify.post('/token', { preHandler: [fastify.authenticate] }, async (request, reply) => {});\n"
                "fastify.get('/rooms', { handler: async (request, reply) => {} });\n"
                "fastify.route({ method: ['POST', 'PUT'], url: '/rooms/:id', preHandler: auth, handler: update });\n"
                "async function update(req, reply) {}\n",
                "fastify POST /token fn=arrow_function mw=0 opts req=request res=reply;"
                "fastify GET /rooms fn=arrow_function mw=0 opts req=request res=reply;"
                "fastify POST /rooms/:id fn=function_declaration mw=0 opts req=req res=reply;");
  expect_routes("server/hono.ts",
                "import { Hono } from 'hono';\n"
                "const app = new Hono();\n"
                "app.post('/token', async (c) => c.json({}));\n",
                "hono POST /token fn=arrow_function mw=0 req=c res=-;");
}

static void routes__nestjs(void **state) {
  (void)state;
  expect_routes("src/rooms/rooms.controller.ts",
                "@Controller('rooms')\n"
                "@UseGuards(AuthGuard('jwt'))\n"
                "export class RoomsController {\n"
                "  constructor(private readonly svc: RoomsService) {}\n"
                "  @Post(':id/token')\n"
                "  @UseGuards(RolesGuard)\n"
                "  token(@Param('id') id: string, @Body() dto: TokenDto, @Req() req: Request) { return {}; }\n"
                "  @Get()\n"
                "  list(@Res() res) {}\n"
                "  helper() {}\n"
                "}\n"
                "class NotAController { @Get('x') a() {} }\n",
                "nestjs POST /rooms/:id/token fn=method_definition mw=2 opts req=req res=-;"
                "nestjs GET /rooms fn=method_definition mw=1 opts req=- res=res;");
}

/* @Public()-style decorators on a method or its class mark routes that
 * global guards let pass; other decorators (@Publish, @Throttle) do not. */
static void routes__nestjs_opt_out(void **state) {
  (void)state;
  expect_routes("src/rooms/rooms.controller.ts",
                "@Controller('rooms')\n"
                "export class RoomsController {\n"
                "  @Public()\n"
                "  @Post('lobby')\n"
                "  lobby() {}\n"
                "  @Throttle({ default: { limit: 3 } })\n"
                "  @Post('token')\n"
                "  token() {}\n"
                "  @Post('publish')\n"
                "  @Publish()\n"
                "  publish() {}\n"
                "}\n"
                "@auth.SkipAuth()\n"
                "@Controller('hooks')\n"
                "export class HooksController { @Post('x') x() {} }\n",
                "nestjs POST /rooms/lobby fn=method_definition mw=0 opts req=- res=- public;"
                "nestjs POST /rooms/token fn=method_definition mw=0 opts req=- res=-;"
                "nestjs POST /rooms/publish fn=method_definition mw=0 opts req=- res=-;"
                "nestjs POST /hooks/x fn=method_definition mw=0 opts req=- res=- public;");
}

static void routes__next(void **state) {
  (void)state;
  expect_routes(
      "pages/api/room-token.ts",
      "export default function handler(req, res) { if (req.method !== 'POST') return res.status(405).end(); }\n",
      "next-pages POST /api/room-token fn=function_declaration mw=0 req=req res=res;");
  expect_routes("src/pages/api/token/index.js",
                "const handler = async (req, res) => {};\n"
                "export default withAuth(handler);\n",
                "next-pages * /api/token fn=arrow_function mw=0 req=req res=res;");
  expect_routes("pages/api/x.js", "export default async (req, res) => {};\n",
                "next-pages * /api/x fn=arrow_function mw=0 req=req res=res;");
  /* not the default export: not a route */
  expect_routes("pages/api/util.js", "export function helper(req, res) {}\n", "");
  expect_routes("app/(auth)/api/token/route.ts",
                "export async function POST(req: Request) {}\n"
                "export const GET = async (request) => {};\n"
                "function h(req) {}\n"
                "export { h as PUT };\n"
                "export function helper() {}\n",
                "next-app POST /api/token fn=function_declaration mw=0 req=req res=-;"
                "next-app GET /api/token fn=arrow_function mw=0 req=request res=-;"
                "next-app PUT /api/token fn=function_declaration mw=0 req=req res=-;");
  /* a component named route.tsx outside app/ is nothing */
  expect_routes("src/route.ts", "export function GET() {}\n", "");
  /* Vercel functions at the top level, Nuxt server routes; not front-end api/ helpers */
  expect_routes("api/token.js", "module.exports = async (req, res) => { res.json({}); };\n",
                "vercel * /api/token fn=arrow_function mw=0 req=req res=res;");
  expect_routes("demo/api/rooms/index.ts", "export default async function handler(req, res) {}\n",
                "vercel * /api/rooms fn=function_declaration mw=0 req=req res=res;");
  expect_routes("src/api/token.js", "export default async function getToken(room) {}\n", "");
  expect_routes("server/api/token.post.ts", "export default defineEventHandler(async (event) => ({}));\n",
                "nuxt POST /api/token fn=arrow_function mw=0 req=event res=-;");
  expect_routes("node_modules/twilio/lib/rest/api/index.js", "module.exports = function (req, res) {};\n", "");
  expect_routes("server/api/helpers.js", "export default function makeToken(req, res) {}\n", "");
  expect_routes("app/api/token+api.ts", "export function POST(request) {}\n",
                "expo-api POST /api/token fn=function_declaration mw=0 req=request res=-;");
}

static void routes__deno(void **state) {
  (void)state;
  expect_routes("supabase/functions/get-token/index.ts",
                "import { serve } from 'https://deno.land/std@0.168.0/http/server.ts';\n"
                "serve(async (req) => new Response('ok'));\n",
                "supabase * /functions/v1/get-token fn=arrow_function mw=0 req=req res=-;");
  expect_routes("supabase/functions/room/index.ts", "Deno.serve({ port: 8000 }, async (req: Request) => {});\n",
                "supabase * /functions/v1/room fn=arrow_function mw=0 req=req res=-;");
  /* an unrelated serve() outside supabase/functions */
  expect_routes("scripts/dev.js", "const serve = require('serve-handler');\nserve(req, res);\n", "");
}

/* ---- room actions ---------------------------------------------------------------- */

typedef struct acts {
  rl_jsfile *jf;
  TSNode root;
  rl_buf b;
} acts;

static void collect_action(void *data, const rl_route *r) {
  acts *a = data;
  rl_room_action act;
  if (rl_route_room_action(a->jf, a->root, r, &act))
    rl_buf_printf(&a->b, "%s %s: %s%s;", r->method, r->path, act.what, act.is_management ? " (management)" : "");
  else
    rl_buf_printf(&a->b, "%s %s: -;", r->method, r->path);
}

static void expect_actions(const char *path, const char *code, const char *want) {
  parsed p;
  parse_js(&p, path, code);
  acts a = {p.jf, rl_tree_root(p.tree), {0}};
  rl_routes_each(p.jf, a.root, NULL, collect_action, &a);
  const char *got = a.b.ptr ? a.b.ptr : "";
  if (strcmp(got, want) != 0) fail_msg("%s:\n got: %s\nwant: %s", path, got, want);
  rl_buf_free(&a.b);
  parsed_free(&p);
}

static void routes__room_actions(void **state) {
  (void)state;
  expect_actions(
      "server/index.js",
      "const express = require('express');\n"
      "const jwt = require('jsonwebtoken');\n"
      "const app = express();\n"
      "const HMS_API = 'https://api.100ms.live/v2';\n"
      "app.post('/api/token', (req, res) => res.json({ token: jwt.sign({ room_id: 1, role: 'guest' }, s) }));\n"
      "app.post('/login', (req, res) => res.json({ token: jwt.sign({ sub: req.user.id }, s) }));\n"
      "app.post('/api/session-token', (req, res) => res.json({ token: jwt.sign({ sub: 1 }, s) }));\n"
      "app.post('/rooms', async (req, res) => { await hms.rooms.createRoom({ name: 'x' }); });\n"
      "app.post('/rooms/:id/end', async (req, res) => {\n"
      "  await fetch(`${HMS_API}/active-rooms/${req.params.id}/end-room`, { method: 'POST' });\n"
      "});\n"
      "app.get('/rooms/list', async (req, res) => { res.json(await (await fetch(`${HMS_API}/rooms`)).json()); });\n"
      "app.get('/join', async (req, res) => { res.json({ token: await generateJoinToken(req.query.room) }); });\n"
      "app.post('/forgot', async (req, res) => { await sendMail(createPasswordResetToken()); });\n"
      "app.get('/mgmt', (req, res) => res.json({ t: helper() }));\n"
      "function helper() { return jwt.sign({ type: 'management', access_key: k }, s); }\n",
      "POST /api/token: mints a token;"
      "POST /login: -;"
      "POST /api/session-token: -;"
      "POST /rooms: creates or changes rooms (createRoom);"
      "POST /rooms/:id/end: ends 100ms rooms;"
      "GET /rooms/list: -;"
      "GET /join: mints a token;"
      "POST /forgot: -;"
      "GET /mgmt: mints a management token (management);");
  /* privileged provider actions (facts/privileged.c) and forwards (facts/forward.c) */
  expect_actions(
      "server/rec.js",
      "const express = require('express');\n"
      "const { EgressClient } = require('livekit-server-sdk');\n"
      "const twilio = require('twilio');\n"
      "const eg = new EgressClient(h, k, s);\n"
      "const client = twilio(sid, tok);\n"
      "const app = express();\n"
      "app.post('/rec', async (req, res) => res.json(await eg.startRoomCompositeEgress(req.body.room, out)));\n"
      "app.get('/rec', async (req, res) => res.json(await eg.listEgress({})));\n"
      "app.post('/end', async (req, res) => res.json(await client.video.v1.rooms(req.body.sid).update({ status: 'completed' })));\n"
      "app.get('/rooms', async (req, res) => res.json(await client.video.v1.rooms.list()));\n"
      "app.post('/token', async (req, res) => {\n"
      "  const r = await fetch(`${process.env.TOKEN_URL}/api/token`, { method: 'POST', body: JSON.stringify({ room_id: 1 }) });\n"
      "  res.json(await r.json());\n"
      "});\n"
      "app.post('/signin', async (req, res) => {\n"
      "  const r = await fetch(`${process.env.API}/api/token`, { method: 'POST', body: JSON.stringify({ password: 1 }) });\n"
      "  res.json(await r.json());\n"
      "});\n",
      "POST /rec: starts LiveKit room-composite egress (records or streams a room);"
      "GET /rec: -;"
      "POST /end: ends or changes Twilio video rooms;"
      "GET /rooms: -;"
      "POST /token: forwards to the token endpoint ${\xe2\x80\xa6}/api/token and returns its answer;"
      "POST /signin: -;");
}

/* Files that cannot register a route are ruled out before any parse; the
 * shapes that can are not. */
#define IMPORT_EXPRESS "import express from 'express';\n"

static void routes__prefilter(void **state) {
  (void)state;
  assert_false(possible("src/store.ts",
                        "const v = cache.get(key);\nheaders.get('accept');\nm.get(a.b, c);\n"
                        "api.get(`${base}/rooms`);\nx.use(plugin);\nclass A { get size() { return 1; } }\n"));
  assert_false(possible("src/client.ts", "export default function handler(req, res) {}\nexport const GET = 1;\n"));
  assert_false(possible("pages/api/token.ts", "const token = 1;\n"));
  assert_false(possible("app/api/token/route.ts", "export default function handler() {}\n"));
  assert_false(possible("src/x.ts", "app.post('token', h);\nlog.all(1, 2);\n"));
  /* method declarations and calls with a non-const first argument */
  assert_false(possible("src/rest.ts", "const x = '/v1';\nclass C {\n  get(sid: string): C;\n  patch(params, cb) {\n"
                                       "    params = {};\n    return this.patch(params, cb);\n  }\n}\n"));
  assert_true(possible("pages/api/token.ts", "module.exports = (req, res) => {};\n"));
  assert_true(possible(NULL, "export default function handler(req, res) {}\n"));
  assert_true(possible("server/api/token.post.ts", "export default defineEventHandler(() => ({}));\n"));
  assert_true(possible("src/app.ts", IMPORT_EXPRESS "app.get(/^\\/token$/, h);\n"));
  assert_true(possible("src/app.ts", IMPORT_EXPRESS "app.get(`${PREFIX}token/x`, h);\n"));
  assert_true(possible("src/app.ts", IMPORT_EXPRESS "const P = '' + '/token';\napp.post(P, h);\n"));
  assert_true(possible("src/app.ts", IMPORT_EXPRESS "const B = '/api';\napp.post(`${B}`, h);\n"));
  assert_true(possible("src/app.ts", IMPORT_EXPRESS "fastify.get<{ Querystring: Q }>('/x', opts, h);\n"));
  assert_true(possible("src/app.ts", IMPORT_EXPRESS "router.route('/x').get(h);\n"));
  assert_true(possible("src/app.ts", IMPORT_EXPRESS "fastify.route({ method: 'GET', url: u, handler });\n"));
  assert_true(
      possible("src/app.ts", IMPORT_EXPRESS "app\n  // the token route\n  .post(\n    /* path */ '/token', h);\n"));
  assert_true(possible("src/app.ts", IMPORT_EXPRESS "app.get?.(('/x'), h);\n"));
  assert_true(possible("src/app.ts", IMPORT_EXPRESS "app.get(await '/x', h);\n"));
  assert_true(possible("src/app.ts", IMPORT_EXPRESS "app.get('/x' as string, h);\n"));
  assert_true(
      possible("src/app.ts", IMPORT_EXPRESS "app.get\xc2\xa0('/x', h);\n")); /* U+00A0 is a space to the grammar */
  assert_true(possible("src/app.ts", IMPORT_EXPRESS "const A = '/api';\nconst P = A;\napp.get(P, h);\n"));
  assert_false(possible("src/app.ts", "/* http post \xe8\xaf\xb7 */ const n = names.get(k);\nx.get(n, '/x');\n"
                                      "log.all \\\n(1);\n"));
  assert_true(possible("src/app.ts", IMPORT_EXPRESS "export const a = 1,\n  P: string = `/x`;\napp.get(P, h);\n"));
  assert_false(possible("src/app.ts", "/* works in all (`x` undefined) */ const p = '/x';\nparams = params || p;\n"
                                      "o.patch(params, cb);\n"));
  assert_true(possible("fn.ts", "Deno.serve(h);\n"));
  assert_true(possible("fn.ts", "import { serve as s } from 'std/http/server.ts';\ns(h);\n"));
  assert_true(possible("fn.ts", "import serve from 'https://deno.land/x/sift/mod.ts';\n"));
  /* a serve from a module that is no HTTP server (rl_routes_each agrees), and
   * prose about serving */
  assert_false(possible("fn.ts", "import serve from 'x';\nserve(h);\n"));
  assert_false(possible("lib.js", "// files we serve (see below)\nfunction f() { return serve(); }\n"));
  /* a bare serve(h) is a route only in a Supabase function, or where the path is unknown */
  assert_true(possible("supabase/functions/token/index.ts", "serve(async (req) => new Response('x'));\n"));
  assert_true(possible(NULL, "serve(async (req) => new Response('x'));\n"));
  assert_false(possible("lib.d.ts", "/** These serve as filters; the AbortController and a Controller.\n"
                                    " * use `x`, get \\'y\\' */\n"));
  assert_true(possible("fn.ts", "@Controller('x') class A {}\n"));
  /* without a server framework import, the handler must visibly be one, as
   * call_route requires */
  assert_false(
      possible("src/cache.ts", "const KEY = '/k';\nfunction f(name, mode) { return cache.get(KEY, mode); }\n"));
  assert_true(possible("src/routes.ts", "const P = '/token';\nfunction h(req, res) {}\nrouter.post(P, h);\n"));
  assert_true(
      possible("src/routes.ts", "const P = '/token';\nconst h = async (req, res) => {};\nrouter.post(P, h);\n"));
  assert_true(possible("src/routes.ts", "router.post('/token', (req, res) => res.json({}));\n"));
  assert_true(possible("src/routes.ts", "router.post('/token', controllers.token);\n"));
  assert_true(possible("src/routes.ts", "router.post('/token', auth, wrap(h));\n"));
  assert_false(possible("src/api.ts", "api.post('/rooms', { name });\napi.post('/rooms', body);\n"));
}

/* Firebase callables and HTTP functions, GraphQL resolvers, Workers,
 * SvelteKit, Remix, Netlify and Lambda handlers (issue 12 item 5). */
static void routes__more_frameworks(void **state) {
  (void)state;
  expect_routes("functions/index.js",
                "const functions = require('firebase-functions');\n"
                "const { onCall, onRequest } = require('firebase-functions/v2/https');\n"
                "const app = require('express')();\n"
                "exports.a = functions.region('eu').https.onCall((data, context) => 1);\n"
                "export const b = onCall({ cors: true }, async (request) => 2);\n"
                "exports.c = onRequest(async (req, res) => res.end());\n"
                "exports.api = functions.https.onRequest(app);\n",
                "firebase * a fn=arrow_function mw=0 req=data res=-;"
                "firebase * b fn=arrow_function mw=0 req=request res=-;"
                "firebase-http * c fn=arrow_function mw=0 req=req res=res;");
  /* onCall without a firebase-functions import is someone else's */
  expect_routes("src/phone.js", "exports.a = onCall((data) => 1);\n", "");
  expect_routes("src/rooms.resolver.ts",
                "@Resolver()\n"
                "export class R {\n"
                "  @Mutation(() => String)\n"
                "  @UseGuards(GqlAuthGuard)\n"
                "  join(@Args('room') room: string) {}\n"
                "  @Query('summary')\n"
                "  stats() {}\n"
                "  @Query(() => Int, { name: 'count' })\n"
                "  total() {}\n"
                "  @ResolveField()\n"
                "  owner() {}\n"
                "}\n",
                "nestjs * mutation join fn=method_definition mw=1 opts req=- res=-;"
                "nestjs * query summary fn=method_definition mw=0 opts req=- res=-;"
                "nestjs * query count fn=method_definition mw=0 opts req=- res=-;");
  expect_routes("src/worker.ts",
                "export default {\n  async fetch(request, env, ctx) { return new Response('x'); },\n};\n",
                "workers * fetch handler fn=method_definition mw=0 req=request res=env;");
  expect_routes("src/routes/api/token/+server.ts", "export const POST = async ({ request }) => json({});\n",
                "sveltekit POST /api/token fn=arrow_function mw=0 req=- res=-;");
  expect_routes("app/routes/api.token.ts",
                "export async function loader({ request }) {}\nexport const action = async ({ request }) => {};\n",
                "remix GET /api/token fn=function_declaration mw=0 req=- res=-;"
                "remix POST /api/token fn=arrow_function mw=0 req=- res=-;");
  expect_routes("netlify/functions/token.js", "exports.handler = async (event, context) => ({ statusCode: 200 });\n",
                "netlify * /.netlify/functions/token fn=arrow_function mw=0 req=event res=context;");
  expect_routes("lambda/token.mjs", "export const handler = async (event) => ({ statusCode: 200 });\n",
                "lambda * handler fn=arrow_function mw=0 req=event res=-;");
  /* a yargs command module exports a handler of argv: no route */
  expect_routes("src/commands/token.js", "exports.handler = async (argv) => { console.log(argv); };\n", "");
}

/* The one path -> framework answer (context.c asks it for server-only paths). */
static void expect_path(const char *path, const char *kind, const char *route, const char *server_only) {
  rl_arena *a = rl_arena_new();
  rl_path_kind k;
  rl_path_framework(path, a, &k);
  if ((kind == NULL) != (k.kind == NULL) || (kind && strcmp(kind, k.kind)))
    fail_msg("%s: kind %s, want %s", path, k.kind ? k.kind : "(none)", kind ? kind : "(none)");
  if ((route == NULL) != (k.route == NULL) || (route && strcmp(route, k.route)))
    fail_msg("%s: route %s, want %s", path, k.route ? k.route : "(none)", route ? route : "(none)");
  if ((server_only == NULL) != (k.server_only == NULL) || (server_only && strcmp(server_only, k.server_only)))
    fail_msg("%s: server_only %s, want %s", path, k.server_only ? k.server_only : "(none)",
             server_only ? server_only : "(none)");
  rl_arena_free(a);
}

static void routes__path_framework(void **state) {
  (void)state;
  expect_path("pages/api/token.ts", "next-pages", "/api/token", "path pages/api/");
  expect_path("web/pages/api/rooms/index.js", "next-pages", "/api/rooms", "path pages/api/");
  expect_path("pages/api/.env", NULL, NULL, "path pages/api/"); /* a server-only folder, any file */
  expect_path("app/api/token/route.ts", "next-app", "/api/token", "path app/**/route.ts");
  expect_path("src/app/(auth)/api/hms/route.js", "next-app", "/api/hms", "path app/**/route.js");
  expect_path("app/token+api.ts", "expo-api", "/token", "Expo API route (token+api.ts)");
  expect_path("supabase/functions/get-token/index.ts", NULL, NULL, "path supabase/functions/");
  expect_path("supabase/functions/.env", NULL, NULL, "path supabase/functions/");
  expect_path("api/token.js", "vercel", "/api/token", NULL);
  expect_path("server/api/token.post.ts", "nuxt", "/api/token", NULL);
  expect_path("src/routes/api/rooms/[id]/token/+server.ts", "sveltekit", "/api/rooms/[id]/token",
              "SvelteKit server route (+server.ts)");
  expect_path("src/routes/(app)/api/token/+server.js", "sveltekit", "/api/token",
              "SvelteKit server route (+server.js)");
  expect_path("src/routes/call/[channel]/+page.server.ts", "sveltekit-page", "/call/[channel]",
              "server-only module (+page.server.ts)");
  expect_path("src/routes/(app)/studio/+layout.server.js", "sveltekit-page", "/studio",
              "server-only module (+layout.server.js)");
  expect_path("src/routes/call/+page.ts", NULL, NULL, NULL);
  expect_path("app/routes/api.rooms.$id.token.ts", "remix", "/api/rooms/$id/token", NULL);
  expect_path("app/routes/_index.tsx", "remix", "/", NULL);
  expect_path("netlify/functions/daily-token.js", "netlify", "/.netlify/functions/daily-token", NULL);
  expect_path("netlify/functions/token/index.ts", "netlify", "/.netlify/functions/token", NULL);
  /* near misses: front-end helpers, a route file outside app/, other files */
  expect_path("src/api/token.js", NULL, NULL, NULL);
  expect_path("lib/route.ts", NULL, NULL, NULL);
  expect_path("app/page.tsx", NULL, NULL, NULL);
  expect_path("app/api/token/route.d.ts", NULL, NULL, NULL);
  rl_arena *a = rl_arena_new();
  rl_path_kind k;
  rl_path_framework("supabase/functions/get-token/index.ts", a, &k);
  assert_string_equal(k.fn_route, "/functions/v1/get-token");
  rl_path_framework("server/api/token.post.ts", a, &k);
  assert_string_equal(k.method, "POST");
  rl_arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(routes__express),
      cmocka_unit_test(routes__not_routes),
      cmocka_unit_test(routes__koa_fastify_hono),
      cmocka_unit_test(routes__nestjs),
      cmocka_unit_test(routes__nestjs_opt_out),
      cmocka_unit_test(routes__next),
      cmocka_unit_test(routes__deno),
      cmocka_unit_test(routes__room_actions),
      cmocka_unit_test(routes__prefilter),
      cmocka_unit_test(routes__path_framework),
      cmocka_unit_test(routes__more_frameworks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
