/* Client/server/test classification: each signal and the precedence between
 * them, package.json defaults from real temporary trees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "context.h"
#include "parse.h"
#include "prefilter.h"
#include "source.h"
#include "util.h"

static rl_arena *g_arena;
static rl_parser *g_parser;

static int setup(void **state) {
  (void)state;
  g_arena = rl_arena_new();
  g_parser = rl_parser_new();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  rl_parser_free(g_parser);
  rl_arena_free(g_arena);
  return 0;
}

/* Classifies `code` as the file at display path `path`. */
static rl_context classify_bytes(const char *path, const char *fs_path, const char *code, size_t len, rl_pkgcache *pkg,
                                 const char **why) {
  rl_lang lang = rl_lang_for_path(path);
  rl_source src;
  rl_source_init(&src, path, code, len, lang, g_arena);
  rl_tree *tree = NULL;
  TSNode root;
  memset(&root, 0, sizeof root);
  if (lang != RL_LANG_DOTENV) {
    tree = rl_parse(g_parser, &src);
    assert_non_null(tree);
    root = rl_tree_root(tree);
  }
  const char *reason = NULL;
  rl_context c = rl_context_classify(&src, root, fs_path, pkg, g_arena, &reason);
  assert_non_null(reason);
  if (why) *why = reason;
  rl_tree_free(tree);
  return c;
}

static rl_context classify_at(const char *path, const char *fs_path, const char *code, rl_pkgcache *pkg,
                              const char **why) {
  return classify_bytes(path, fs_path, code, strlen(code), pkg, why);
}

static rl_context classify(const char *path, const char *code, const char **why) {
  return classify_at(path, NULL, code, NULL, why);
}

#define ASSERT_CTX(path, code, want_ctx, want_why)                                                                     \
  do {                                                                                                                 \
    const char *why_;                                                                                                  \
    assert_int_equal(classify((path), (code), &why_), (want_ctx));                                                     \
    assert_string_equal(why_, (want_why));                                                                             \
  } while (0)

/* ---- temporary trees ---- */

static void write_file(const char *dir, const char *rel, const char *text) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  /* create parent directories */
  for (char *p = path + strlen(dir) + 1; *p; p++) {
    if (*p == '/') {
      *p = '\0';
      mkdir(path, 0755);
      *p = '/';
    }
  }
  if (text == NULL) {
    mkdir(path, 0755);
    return;
  }
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static char *make_tree(void) {
  char tmpl[] = "/tmp/rl-context-XXXXXX";
  char *d = mkdtemp(tmpl);
  assert_non_null(d);
  return rl_xstrdup(d);
}

static void remove_tree(char *dir) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  free(dir);
}

static const char *at(const char *dir, const char *rel) { return rl_arena_printf(g_arena, "%s/%s", dir, rel); }

/* ---- browser signals ---- */

/* Regression (found by fuzz_pipeline): a module name holding NUL bytes
 * made the table lookup read past the end of a table entry. A name with a
 * NUL is no package name. */
static void context__module_name_with_nul(void **state) {
  (void)state;
  static const char code[] = "import { HMSPrebuilt } from '@100mslive/roomkit-react\0\0b';\nexport const x = 1;\n";
  const char *why;
  assert_int_not_equal(classify_bytes("lib/a.ts", NULL, code, sizeof code - 1, NULL, &why), RL_CTX_CLIENT);
  static const char code2[] = "import x from 'react\0';\nimport y from 'fs\0dom';\n";
  assert_int_equal(classify_bytes("lib/b.ts", NULL, code2, sizeof code2 - 1, NULL, &why), RL_CTX_UNKNOWN);
}

static void context__client_sdk_beats_server_import(void **state) {
  (void)state;
  ASSERT_CTX("lib/room.ts",
             "import jwt from 'jsonwebtoken';\nimport { HMSReactiveStore } from '@100mslive/react-sdk';\n"
             "export const t = jwt.sign({}, 's');\n",
             RL_CTX_CLIENT, "imports @100mslive/react-sdk");
  ASSERT_CTX("lib/room.js", "const { sign } = require('livekit-server-sdk');\nconst lk = require('livekit-client');\n",
             RL_CTX_CLIENT, "imports livekit-client");
  ASSERT_CTX("lib/room.ts",
             "import AgoraRTC from 'agora-rtc-sdk-ng/esm';\nimport { RtcTokenBuilder } from 'agora-token';\n",
             RL_CTX_CLIENT, "imports agora-rtc-sdk-ng");
}

/* Bun's own modules exist only in the Bun runtime: a client SDK imported
 * beside them (unused, in a Bun server) does not make the file client code;
 * a 'bun' that is no import (a string, a type-only import) changes nothing. */
static void context__bun_runtime_beats_client_sdk(void **state) {
  (void)state;
  ASSERT_CTX("server.js",
             "import { LocalParticipant } from 'livekit-client';\nimport { serve } from \"bun\";\n"
             "serve({ fetch() { return new Response('ok'); } });\n",
             RL_CTX_SERVER, "imports bun, a module only the Bun runtime has (no browser bundle holds it)");
  ASSERT_CTX("db.ts", "import { connect } from 'livekit-client';\nimport { Database } from 'bun:sqlite';\n",
             RL_CTX_SERVER, "imports bun, a module only the Bun runtime has (no browser bundle holds it)");
  ASSERT_CTX("lib/room.ts",
             "import { Room } from 'livekit-client';\nimport type { Serve } from 'bun';\nconst pm = 'bun';\n",
             RL_CTX_CLIENT, "imports livekit-client");
  ASSERT_CTX("lib/b.ts", "import { Room } from 'livekit-client';\nimport bunny from 'bunny-cdn';\n", RL_CTX_CLIENT,
             "imports livekit-client");
}

static void context__ui_frameworks(void **state) {
  (void)state;
  ASSERT_CTX("src/a.ts", "import { useState } from 'react';\n", RL_CTX_CLIENT, "imports react");
  ASSERT_CTX("src/a.ts", "import { createRoot } from 'react-dom/client';\n", RL_CTX_CLIENT, "imports react-dom");
  ASSERT_CTX("src/a.ts", "import { View } from 'react-native';\n", RL_CTX_CLIENT, "imports react-native");
  ASSERT_CTX("src/a.ts", "import { router } from 'expo-router';\n", RL_CTX_CLIENT, "imports expo-router");
  ASSERT_CTX("src/a.ts", "import Constants from 'expo';\n", RL_CTX_CLIENT, "imports expo");
  ASSERT_CTX("src/a.js", "import { ref } from 'vue';\n", RL_CTX_CLIENT, "imports vue");
  ASSERT_CTX("src/a.js", "import { writable } from 'svelte/store';\n", RL_CTX_CLIENT, "imports svelte");
  /* a package whose name merely starts like one is not it */
  ASSERT_CTX("src/a.js", "import x from 'reactive-thing';\nimport y from 'vue-template-compiler-x';\n", RL_CTX_UNKNOWN,
             "no client or server signal");
}

static void context__jsx(void **state) {
  (void)state;
  ASSERT_CTX("components/Room.jsx", "export const Room = () => <div className=\"room\" />;\n", RL_CTX_CLIENT, "JSX");
  ASSERT_CTX("components/Room.tsx",
             "import express from 'express';\nexport function Room() { return <><p>hi</p></>; }\n", RL_CTX_CLIENT,
             "JSX");
}

static void context__dom_globals(void **state) {
  (void)state;
  ASSERT_CTX("lib/a.js", "export const go = () => { window.location.href = '/x'; };\n", RL_CTX_CLIENT, "uses window");
  ASSERT_CTX("lib/a.ts", "import fs from 'fs';\nconst t = localStorage.getItem('token');\n", RL_CTX_CLIENT,
             "uses localStorage");
  /* the first use in the file is named */
  ASSERT_CTX("lib/a.js", "document.title = 'x';\nwindow.foo = 1;\n", RL_CTX_CLIENT, "uses document");
  /* a property named window is not the global */
  ASSERT_CTX("lib/a.js", "const w = globalThis.window; const o = { window: 1 };\n", RL_CTX_UNKNOWN,
             "no client or server signal");
}

static void context__typeof_guard_is_not_client(void **state) {
  (void)state;
  ASSERT_CTX("lib/storage.ts",
             "export const isServer = typeof window === 'undefined';\n"
             "export function get() { return isServer ? null : window.localStorage.getItem('t'); }\n",
             RL_CTX_UNKNOWN, "no client or server signal");
  /* with the guard, server imports decide */
  ASSERT_CTX("lib/storage.ts", "import fs from 'fs';\nif (typeof document !== 'undefined') document.title = 'x';\n",
             RL_CTX_SERVER, "imports fs");
}

static void context__declared_dom_name_is_not_global(void **state) {
  (void)state;
  ASSERT_CTX("lib/db.js",
             "import { MongoClient } from 'mongodb';\n"
             "export async function save(document) { return db.insert(document.body); }\n",
             RL_CTX_UNKNOWN, "no client or server signal");
  ASSERT_CTX("lib/db.js", "const document = await load();\nconsole.log(document.id);\n", RL_CTX_UNKNOWN,
             "no client or server signal");
}

/* ---- server signals ---- */

static void context__server_imports(void **state) {
  (void)state;
  ASSERT_CTX("src/index.ts", "import express from 'express';\nimport { readFileSync } from 'fs';\n", RL_CTX_SERVER,
             "imports express");
  ASSERT_CTX("src/index.js", "const fs = require('fs/promises');\n", RL_CTX_SERVER, "imports fs");
  ASSERT_CTX("src/index.mjs", "const http = await import('node:http');\n", RL_CTX_SERVER, "imports node:http");
  ASSERT_CTX("src/index.ts", "import { NextResponse } from 'next/server';\n", RL_CTX_SERVER, "imports next/server");
  ASSERT_CTX("src/index.ts", "import { Controller } from '@nestjs/common';\n", RL_CTX_SERVER, "imports @nestjs/common");
  ASSERT_CTX("src/index.ts", "import fs = require('child_process');\n", RL_CTX_SERVER, "imports child_process");
  ASSERT_CTX("src/index.ts", "export { default } from '@100mslive/server-sdk';\n", RL_CTX_SERVER,
             "imports @100mslive/server-sdk");
  ASSERT_CTX("src/index.ts", "import 'server-only';\n", RL_CTX_SERVER, "imports server-only");
  ASSERT_CTX("src/token.ts", "import jwt from 'jsonwebtoken';\n", RL_CTX_SERVER, "imports jsonwebtoken");
  /* a runtime-bound import is named before a server SDK */
  ASSERT_CTX("src/token.ts", "import jwt from 'jsonwebtoken';\nimport express from 'express';\n", RL_CTX_SERVER,
             "imports express");
  /* next/link is client-side Next.js, not next/server */
  ASSERT_CTX("src/index.ts", "import Link from 'next/link';\n", RL_CTX_UNKNOWN, "no client or server signal");
  /* polyfilled builtins are not server signals */
  ASSERT_CTX("src/index.ts", "import { Buffer } from 'buffer';\nimport path from 'path';\n", RL_CTX_UNKNOWN,
             "no client or server signal");
}

static void context__type_only_imports_do_not_count(void **state) {
  (void)state;
  ASSERT_CTX("lib/a.ts", "import type { Request } from 'express';\nexport type { Response } from 'express';\n",
             RL_CTX_UNKNOWN, "no client or server signal");
  ASSERT_CTX("lib/a.ts", "import { type HMSConfig, type HMSRole } from '@100mslive/react-sdk';\n", RL_CTX_UNKNOWN,
             "no client or server signal");
  /* one value specifier makes it a real import */
  ASSERT_CTX("lib/a.ts", "import { type HMSConfig, useHMSStore } from '@100mslive/react-sdk';\n", RL_CTX_CLIENT,
             "imports @100mslive/react-sdk");
}

static void context__server_paths(void **state) {
  (void)state;
  ASSERT_CTX("pages/api/token.ts", "export default function handler(req, res) { res.json({}); }\n", RL_CTX_SERVER,
             "path pages/api/");
  ASSERT_CTX("src/pages/api/rooms/[id].js", "export default () => {};\n", RL_CTX_SERVER, "path pages/api/");
  ASSERT_CTX("app/api/token/route.ts", "export async function GET() { return Response.json({}); }\n", RL_CTX_SERVER,
             "path app/**/route.ts");
  ASSERT_CTX("supabase/functions/token/index.ts", "Deno.serve(() => new Response('x'));\n", RL_CTX_SERVER,
             "path supabase/functions/");
  ASSERT_CTX("app/api/token+api.ts", "export function GET() {}\n", RL_CTX_SERVER, "Expo API route (token+api.ts)");
  /* SvelteKit server-only modules beat a client SDK import */
  ASSERT_CTX("src/routes/call/[c]/+page.server.ts", "import AgoraRTC from 'agora-rtc-sdk-ng';\n", RL_CTX_SERVER,
             "server-only module (+page.server.ts)");
  ASSERT_CTX("src/hooks.server.ts", "export const handle = 1;\n", RL_CTX_SERVER,
             "server-only module (hooks.server.ts)");
  ASSERT_CTX("src/lib/server/agora.ts", "export const x = 1;\n", RL_CTX_SERVER, "path src/lib/server/");
  ASSERT_CTX("src/routes/call/+page.ts", "import AgoraRTC from 'agora-rtc-sdk-ng';\n", RL_CTX_CLIENT,
             "imports agora-rtc-sdk-ng");
  ASSERT_CTX("server/token.js", "module.exports = {};\n", RL_CTX_SERVER, "path server/");
  ASSERT_CTX("functions/index.js", "exports.x = 1;\n", RL_CTX_SERVER, "path functions/");
  ASSERT_CTX("api/token.js", "export default function handler() {}\n", RL_CTX_SERVER, "path api/");
  /* src/api/, lib/api/, src/functions/ are where front ends keep fetch wrappers */
  ASSERT_CTX("src/api/client.ts", "export const getToken = () => fetch('/api/token');\n", RL_CTX_UNKNOWN,
             "no client or server signal");
  ASSERT_CTX("lib/api/client.ts", "export const x = 1;\n", RL_CTX_UNKNOWN, "no client or server signal");
  ASSERT_CTX("src/functions/format.ts", "export const x = 1;\n", RL_CTX_UNKNOWN, "no client or server signal");
  ASSERT_CTX("netlify/functions/token.ts", "export const x = 1;\n", RL_CTX_SERVER, "path functions/");
  ASSERT_CTX("src/server/router.ts", "export const x = 1;\n", RL_CTX_SERVER, "path server/");
  /* a file merely named like a directory is not one */
  ASSERT_CTX("lib/server.ts", "export const x = 1;\n", RL_CTX_UNKNOWN, "no client or server signal");
}

static void context__framework_server_path_beats_browser_signals(void **state) {
  (void)state;
  /* Next.js OG image routes render JSX on the server */
  ASSERT_CTX("pages/api/og.tsx",
             "import { ImageResponse } from 'next/og';\nexport default () => new ImageResponse(<div>hi</div>);\n",
             RL_CTX_SERVER, "path pages/api/");
  ASSERT_CTX("app/og/route.tsx", "import React from 'react';\nexport const GET = () => <div />;\n", RL_CTX_SERVER,
             "path app/**/route.tsx");
  /* conventional server paths do not beat browser signals */
  ASSERT_CTX("server/widget.tsx", "export const W = () => <div />;\n", RL_CTX_CLIENT, "JSX");
}

static void context__client_paths(void **state) {
  (void)state;
  ASSERT_CTX("app/page.tsx", "export default function Page() { return null; }\n", RL_CTX_CLIENT, "path app/");
  ASSERT_CTX("app/page.tsx", "export default function Page() { return <main />; }\n", RL_CTX_CLIENT, "JSX");
  ASSERT_CTX("pages/index.js", "export default function Home() { return null; }\n", RL_CTX_CLIENT, "path pages/");
  /* server imports beat client paths */
  ASSERT_CTX("app/lib/db.ts", "import { Pool } from 'pg';\n", RL_CTX_SERVER, "imports pg");
}

/* ---- directives and tests ---- */

static void context__directives(void **state) {
  (void)state;
  ASSERT_CTX("app/actions.ts", "'use server';\nimport React from 'react';\nexport async function mint() {}\n",
             RL_CTX_SERVER, "\"use server\" directive");
  ASSERT_CTX("app/token/route.ts", "\"use client\";\nimport express from 'express';\n", RL_CTX_CLIENT,
             "\"use client\" directive");
  /* after "use strict" and comments, still the prologue */
  ASSERT_CTX("lib/x.js", "// header\n'use strict';\n/* c */\n\"use server\";\nconst fs = require('fs');\n",
             RL_CTX_SERVER, "\"use server\" directive");
  /* not the prologue: a string after code is no directive */
  ASSERT_CTX("lib/x.js", "const a = 1;\n'use client';\nconst fs = require('fs');\n", RL_CTX_SERVER, "imports fs");
  /* an inline "use server" in a function body does not make the file server */
  ASSERT_CTX("app/form.tsx", "export function F() { async function act() { 'use server'; } return <form />; }\n",
             RL_CTX_CLIENT, "JSX");
}

static void context__tests_win(void **state) {
  (void)state;
  ASSERT_CTX("__tests__/x.test.ts", "import express from 'express';\n", RL_CTX_TEST, "test directory __tests__/");
  ASSERT_CTX("src/token.test.ts", "'use client';\nimport { useHMSStore } from '@100mslive/react-sdk';\n", RL_CTX_TEST,
             "test file (*.test.*)");
  ASSERT_CTX("src/Room.spec.tsx", "export const x = <div />;\n", RL_CTX_TEST, "test file (*.spec.*)");
  ASSERT_CTX("test/setup.js", "window.x = 1;\n", RL_CTX_TEST, "test directory test/");
  ASSERT_CTX("pages/api/tests/token.ts", "export default () => {};\n", RL_CTX_TEST, "test directory tests/");
  ASSERT_CTX("e2e/join.ts", "window.x = 1;\n", RL_CTX_TEST, "test directory e2e/");
  ASSERT_CTX("cypress/support/commands.ts", "window.x = 1;\n", RL_CTX_TEST, "test directory cypress/");
  ASSERT_CTX("src/room.cy.ts", "window.x = 1;\n", RL_CTX_TEST, "test file (*.cy.*)");
  /* "latest" or "testing" are not test markers */
  ASSERT_CTX("src/latest.ts", "export const x = 1;\n", RL_CTX_UNKNOWN, "no client or server signal");
  ASSERT_CTX("src/testing/x.ts", "export const x = 1;\n", RL_CTX_UNKNOWN, "no client or server signal");
}

static void context__dotenv(void **state) {
  (void)state;
  ASSERT_CTX(".env", "HMS_SECRET=abc\n", RL_CTX_UNKNOWN, "dotenv file; its path says neither client nor server");
  ASSERT_CTX(".env.local", "NEXT_PUBLIC_X=1\n", RL_CTX_UNKNOWN, "dotenv file; its path says neither client nor server");
  ASSERT_CTX("server/.env", "HMS_SECRET=abc\n", RL_CTX_SERVER, "path server/");
  ASSERT_CTX("supabase/functions/.env", "X=1\n", RL_CTX_SERVER, "path supabase/functions/");
  ASSERT_CTX("tests/.env.test", "X=1\n", RL_CTX_TEST, "test directory tests/");
}

static void context__deep_nesting_does_not_crash(void **state) {
  (void)state;
  enum { DEPTH = 20000 };
  size_t n = DEPTH * 2 + 64;
  char *code = rl_xmalloc(n);
  size_t o = 0;
  memcpy(code + o, "x = ", 4);
  o += 4;
  for (int i = 0; i < DEPTH; i++) code[o++] = '[';
  memcpy(code + o, "window", 6);
  o += 6;
  for (int i = 0; i < DEPTH; i++) code[o++] = ']';
  code[o++] = ';';
  code[o] = '\0';
  const char *why = NULL;
  assert_int_equal(classify("lib/deep.js", code, &why), RL_CTX_CLIENT);
  assert_string_equal(why, "uses window");
  free(code);
}

/* ---- package.json ---- */

static void context__expo_type_only_file_is_client_by_package_json(void **state) {
  (void)state;
  char *dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "package.json",
             "{\"name\":\"demo\",\"dependencies\":{\"expo\":\"~50.0.0\",\"react\":\"18.2.0\","
             "\"react-native\":\"0.73.0\",\"@100mslive/react-native-hms\":\"1.9.0\"}}");
  const char *code = "import type { HMSConfig } from '@100mslive/react-native-hms';\n"
                     "const MANAGEMENT_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.e30.x';\n"
                     "export async function createRoom(): Promise<HMSConfig | null> { return null; }\n";
  write_file(dir, "lib/hms-service.ts", code);
  rl_pkgcache *pkg = rl_pkgcache_new();
  const char *why = NULL;
  assert_int_equal(classify_at("lib/hms-service.ts", at(dir, "lib/hms-service.ts"), code, pkg, &why), RL_CTX_CLIENT);
  assert_string_equal(why, "package.json: Expo app");
  /* without the package.json lookup the same file is unknown */
  assert_int_equal(classify_at("lib/hms-service.ts", NULL, code, NULL, &why), RL_CTX_UNKNOWN);
  /* in an Expo app a server-only import does not make a file server: Metro bundles it */
  const char *mint = "import jwt from 'jsonwebtoken';\nexport const t = jwt.sign({}, 'k');\n";
  write_file(dir, "lib/token.ts", mint);
  assert_int_equal(classify_at("lib/token.ts", at(dir, "lib/token.ts"), mint, pkg, &why), RL_CTX_CLIENT);
  assert_string_equal(why, "package.json: Expo app");
  /* a Node script in the same package imports what Metro cannot bundle */
  const char *seed = "const fs = require('fs');\nconst jwt = require('jsonwebtoken');\n";
  write_file(dir, "scripts/seed.js", seed);
  assert_int_equal(classify_at("scripts/seed.js", at(dir, "scripts/seed.js"), seed, pkg, &why), RL_CTX_SERVER);
  assert_string_equal(why, "imports fs");
  /* api/ means nothing special in an Expo app */
  write_file(dir, "api/hms.ts", mint);
  assert_int_equal(classify_at("api/hms.ts", at(dir, "api/hms.ts"), mint, pkg, &why), RL_CTX_CLIENT);
  assert_string_equal(why, "package.json: Expo app");
  /* ... but an Expo API route is server */
  write_file(dir, "app/api/token+api.ts", mint);
  assert_int_equal(classify_at("app/api/token+api.ts", at(dir, "app/api/token+api.ts"), mint, pkg, &why),
                   RL_CTX_SERVER);
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

static void context__react_native_package(void **state) {
  (void)state;
  char *dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "package.json", "{\"dependencies\":{\"react-native\":\"0.74.0\"}}");
  write_file(dir, "src/config.js", "x");
  rl_pkgcache *pkg = rl_pkgcache_new();
  const char *why = NULL;
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "src/config.js"), &why), RL_APP_CLIENT);
  assert_string_equal(why, "package.json: React Native app");
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

/* Next.js app router: below app/ or src/app/ a file without "use client" is
 * a Server Component, JSX and all; "use client" and the pages router are
 * the browser's; an Expo Router app/ is the app's bundle. 'server-only' is
 * decisive anywhere. */
static void context__next_app_router_server_components(void **state) {
  (void)state;
  char *dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "package.json", "{\"dependencies\":{\"next\":\"14\",\"react\":\"18\"}}");
  const char *page = "export default function Page() { return <main />; }\n";
  const char *client = "'use client';\nexport default function Page() { return <main />; }\n";
  const char *only = "import 'server-only';\nexport const C = () => <b />;\n";
  rl_pkgcache *pkg = rl_pkgcache_new();
  const char *why = NULL;
  const char *files[] = {"app/room/page.jsx", "src/app/layout.tsx", "app/x/widget.tsx"};
  for (size_t i = 0; i < RL_ARRAY_LEN(files); i++) {
    write_file(dir, files[i], page);
    assert_int_equal(classify_at(files[i], at(dir, files[i]), page, pkg, &why), RL_CTX_SERVER);
    assert_string_equal(why, "Next.js app router: a Server Component (no \"use client\")");
  }
  assert_int_equal(classify_at("app/room/page.jsx", at(dir, "app/room/page.jsx"), client, pkg, &why), RL_CTX_CLIENT);
  write_file(dir, "pages/index.jsx", page);
  assert_int_equal(classify_at("pages/index.jsx", at(dir, "pages/index.jsx"), page, pkg, &why), RL_CTX_CLIENT);
  write_file(dir, "components/c.jsx", only);
  assert_int_equal(classify_at("components/c.jsx", at(dir, "components/c.jsx"), only, pkg, &why), RL_CTX_SERVER);
  assert_string_equal(why, "imports server-only");
  /* lib/app/ is not the app router's folder */
  write_file(dir, "lib/app/view.jsx", page);
  assert_int_equal(classify_at("lib/app/view.jsx", at(dir, "lib/app/view.jsx"), page, pkg, &why), RL_CTX_CLIENT);
  rl_pkgcache_free(pkg);
  remove_tree(dir);

  dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "package.json", "{\"dependencies\":{\"expo\":\"51\",\"next\":\"14\"}}");
  write_file(dir, "app/call.tsx", page);
  pkg = rl_pkgcache_new();
  assert_int_equal(classify_at("app/call.tsx", at(dir, "app/call.tsx"), page, pkg, &why), RL_CTX_CLIENT);
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

static void context__vite_app(void **state) {
  (void)state;
  char *dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "package.json",
             "{\"dependencies\":{\"react\":\"18\",\"jsonwebtoken\":\"9\"},\"devDependencies\":{\"vite\":\"5\"}}");
  const char *mint = "import jwt from 'jsonwebtoken';\nexport const t = jwt.sign({}, 'k');\n";
  write_file(dir, "src/lib/token.ts", mint);
  write_file(dir, "api/token.ts", mint);
  write_file(dir, "scripts/util.ts", "export const x = 1;\n");
  rl_pkgcache *pkg = rl_pkgcache_new();
  const char *why = NULL;
  /* src/ of a Vite app is bundled: the jsonwebtoken import is the mistake */
  assert_int_equal(classify_at("src/lib/token.ts", at(dir, "src/lib/token.ts"), mint, pkg, &why), RL_CTX_CLIENT);
  assert_string_equal(why, "package.json: Vite app");
  /* api/ next to a Vite app is a serverless function (Vercel) */
  assert_int_equal(classify_at("api/token.ts", at(dir, "api/token.ts"), mint, pkg, &why), RL_CTX_SERVER);
  assert_string_equal(why, "path api/");
  /* a Node script in a Vite app's src/ */
  const char *gen = "import { writeFileSync } from 'node:fs';\n";
  write_file(dir, "src/gen.ts", gen);
  assert_int_equal(classify_at("src/gen.ts", at(dir, "src/gen.ts"), gen, pkg, &why), RL_CTX_SERVER);
  assert_string_equal(why, "imports node:fs");
  /* outside src/, a server SDK import wins over the package default */
  write_file(dir, "scripts/mint.ts", mint);
  assert_int_equal(classify_at("scripts/mint.ts", at(dir, "scripts/mint.ts"), mint, pkg, &why), RL_CTX_SERVER);
  assert_string_equal(why, "imports jsonwebtoken");
  /* no signal at all: the package default */
  assert_int_equal(classify_at("scripts/util.ts", at(dir, "scripts/util.ts"), "export const x = 1;\n", pkg, &why),
                   RL_CTX_CLIENT);
  assert_string_equal(why, "package.json: Vite app");
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

static void context__vite_with_server_framework_is_not_client_app(void **state) {
  (void)state;
  char *dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "package.json",
             "{\"dependencies\":{\"react\":\"18\",\"express\":\"4\"},\"devDependencies\":{\"vite\":\"5\"}}");
  write_file(dir, "src/util.ts", "export const x = 1;\n");
  rl_pkgcache *pkg = rl_pkgcache_new();
  const char *why = NULL;
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "src/util.ts"), &why), RL_APP_UNKNOWN);
  assert_int_equal(classify_at("src/util.ts", at(dir, "src/util.ts"), "export const x = 1;\n", pkg, &why),
                   RL_CTX_UNKNOWN);
  assert_string_equal(why, "no client or server signal");
  /* but a src/ module that reads Vite's import.meta.env is one Vite bundles */
  const char *env = "export const url = import.meta.env.DEV ? 'http://localhost:3000' : '';\n";
  write_file(dir, "src/api.ts", env);
  assert_int_equal(classify_at("src/api.ts", at(dir, "src/api.ts"), env, pkg, &why), RL_CTX_CLIENT);
  /* not outside src/, and not in a Vite-based framework that renders on the server */
  write_file(dir, "server/env.ts", env);
  assert_int_equal(classify_at("server/env.ts", at(dir, "server/env.ts"), env, pkg, &why), RL_CTX_SERVER);
  rl_pkgcache_free(pkg);
  remove_tree(dir);
  dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "package.json",
             "{\"dependencies\":{\"react\":\"18\",\"express\":\"4\",\"@react-router/dev\":\"7\"},"
             "\"devDependencies\":{\"vite\":\"5\"}}");
  write_file(dir, "src/api.ts", env);
  pkg = rl_pkgcache_new();
  assert_int_equal(classify_at("src/api.ts", at(dir, "src/api.ts"), env, pkg, &why), RL_CTX_UNKNOWN);
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

/* livekit-server-sdk: vite and vitest only build and test a library. */
static void context__vite_library_is_not_client_app(void **state) {
  (void)state;
  char *dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "package.json",
             "{\"dependencies\":{\"jose\":\"5\"},\"devDependencies\":{\"vite\":\"6\",\"vitest\":\"4\"}}");
  const char *src = "import * as jose from 'jose';\nexport const t = () => new jose.SignJWT({}).sign(k);\n";
  write_file(dir, "src/AccessToken.ts", src);
  rl_pkgcache *pkg = rl_pkgcache_new();
  const char *why = NULL;
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "src/AccessToken.ts"), &why), RL_APP_UNKNOWN);
  assert_int_not_equal(classify_at("src/AccessToken.ts", at(dir, "src/AccessToken.ts"), src, pkg, &why), RL_CTX_CLIENT);
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

static void context__next_app_is_not_client_app(void **state) {
  (void)state;
  char *dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "package.json", "{\"dependencies\":{\"next\":\"14\",\"react\":\"18\",\"react-scripts\":\"5\"}}");
  write_file(dir, "lib/x.ts", "x");
  rl_pkgcache *pkg = rl_pkgcache_new();
  const char *why = NULL;
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "lib/x.ts"), &why), RL_APP_UNKNOWN);
  assert_string_equal(why, "package.json: neither a client nor a server app");
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

static void context__server_app_package_beats_client_path(void **state) {
  (void)state;
  char *dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "package.json", "{\"dependencies\":{\"express\":\"4\",\"jsonwebtoken\":\"9\"}}");
  write_file(dir, "app/config.js", "module.exports = { port: 3000 };\n");
  rl_pkgcache *pkg = rl_pkgcache_new();
  const char *why = NULL;
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "app/config.js"), &why), RL_APP_SERVER);
  assert_string_equal(why, "package.json: express app without a UI framework");
  assert_int_equal(
      classify_at("app/config.js", at(dir, "app/config.js"), "module.exports = { port: 3000 };\n", pkg, &why),
      RL_CTX_SERVER);
  assert_string_equal(why, "package.json: express app without a UI framework");
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

static void context__nearest_package_json_wins(void **state) {
  (void)state;
  char *dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "package.json", "{\"dependencies\":{\"express\":\"4\"}}");
  write_file(dir, "apps/mobile/package.json", "{\"dependencies\":{\"expo\":\"50\"}}");
  write_file(dir, "apps/mobile/lib/deep/x.ts", "x");
  write_file(dir, "lib/y.ts", "x");
  rl_pkgcache *pkg = rl_pkgcache_new();
  const char *why = NULL;
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "apps/mobile/lib/deep/x.ts"), &why), RL_APP_CLIENT);
  assert_string_equal(why, "package.json: Expo app");
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "lib/y.ts"), &why), RL_APP_SERVER);
  /* cached answers are the same */
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "apps/mobile/lib/deep/x.ts"), &why), RL_APP_CLIENT);
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "apps/mobile/lib/x.ts"), &why), RL_APP_CLIENT);
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

static void context__lookup_stops_at_git(void **state) {
  (void)state;
  char *dir = make_tree();
  write_file(dir, "package.json", "{\"dependencies\":{\"expo\":\"50\"}}");
  write_file(dir, "repo/.git", NULL);
  write_file(dir, "repo/src/x.ts", "x");
  rl_pkgcache *pkg = rl_pkgcache_new();
  const char *why = NULL;
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "repo/src/x.ts"), &why), RL_APP_UNKNOWN);
  assert_string_equal(why, "no package.json");
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

static void context__broken_package_json_is_unknown(void **state) {
  (void)state;
  char *dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "a/package.json", "{\"dependencies\": {\"expo\": ");
  write_file(dir, "a/x.ts", "x");
  write_file(dir, "b/package.json", "[\"expo\"]");
  write_file(dir, "b/x.ts", "x");
  write_file(dir, "c/package.json", "{\"dependencies\": \"expo\"}");
  write_file(dir, "c/x.ts", "x");
  write_file(dir, "d/package.json", NULL); /* a directory, not a file */
  write_file(dir, "d/x.ts", "x");
  /* a FIFO named package.json must not hang the scan */
  write_file(dir, "e", NULL);
  assert_int_equal(mkfifo(at(dir, "e/package.json"), 0644), 0);
  rl_pkgcache *pkg = rl_pkgcache_new();
  const char *why = NULL;
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "a/x.ts"), &why), RL_APP_UNKNOWN);
  assert_string_equal(why, "package.json: unreadable or not a JSON object");
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "b/x.ts"), &why), RL_APP_UNKNOWN);
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "c/x.ts"), &why), RL_APP_UNKNOWN);
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "d/x.ts"), &why), RL_APP_UNKNOWN);
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "e/x.ts"), &why), RL_APP_UNKNOWN);
  assert_int_equal(rl_pkgcache_lookup(pkg, at(dir, "missing/x.ts"), &why), RL_APP_UNKNOWN);
  assert_int_equal(rl_pkgcache_lookup(pkg, NULL, &why), RL_APP_UNKNOWN);
  rl_pkgcache_free(pkg);
  rl_pkgcache_free(NULL);
  remove_tree(dir);
}

static void context__path_signals_only_below_project_root(void **state) {
  (void)state;
  /* The checkout itself lives under tests/ and api/: that must not make
   * every file a test or server file. */
  char *dir = make_tree();
  write_file(dir, "tests/api/app/.git", NULL);
  write_file(dir, "tests/api/app/package.json", "{\"dependencies\":{\"vite\":\"5\",\"react\":\"18\"}}");
  const char *code = "export const x = 1;\n";
  write_file(dir, "tests/api/app/src/x.ts", code);
  const char *fs = at(dir, "tests/api/app/src/x.ts");
  rl_pkgcache *pkg = rl_pkgcache_new();
  const char *why = NULL;
  /* display path as given on the command line: absolute */
  assert_int_equal(classify_at(fs, fs, code, pkg, &why), RL_CTX_CLIENT);
  assert_string_equal(why, "package.json: Vite app");
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

typedef struct lookup_job {
  rl_pkgcache *pkg;
  const char *paths[3];
  int bad;
} lookup_job;

static void *lookup_thread(void *arg) {
  lookup_job *j = arg;
  for (int round = 0; round < 200; round++) {
    if (rl_pkgcache_lookup(j->pkg, j->paths[round % 3], NULL) != (round % 3 == 2 ? RL_APP_SERVER : RL_APP_CLIENT))
      j->bad++;
  }
  return NULL;
}

static void context__pkgcache_threads(void **state) {
  (void)state;
  char *dir = make_tree();
  write_file(dir, ".git", NULL);
  write_file(dir, "m/package.json", "{\"dependencies\":{\"expo\":\"50\"}}");
  write_file(dir, "m/a/b/c/x.ts", "x");
  write_file(dir, "m/d/y.ts", "x");
  write_file(dir, "s/package.json", "{\"dependencies\":{\"fastify\":\"4\"}}");
  write_file(dir, "s/e/f/z.ts", "x");
  rl_pkgcache *pkg = rl_pkgcache_new();
  lookup_job jobs[4];
  pthread_t th[4];
  for (int i = 0; i < 4; i++) {
    jobs[i].pkg = pkg;
    jobs[i].paths[0] = at(dir, "m/a/b/c/x.ts");
    jobs[i].paths[1] = at(dir, "m/d/y.ts");
    jobs[i].paths[2] = at(dir, "s/e/f/z.ts");
    jobs[i].bad = 0;
    assert_int_equal(pthread_create(&th[i], NULL, lookup_thread, &jobs[i]), 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(jobs[i].bad, 0);
  }
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

/* rl_context_possible over-approximates: for every code file of the
 * fixtures (the demo app, the fixed app, every rule's and project's), the
 * context the parse gives is among the possible ones. */
static rl_pkgcache *g_walk_pkg;
static size_t g_walk_files;

static int possible_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)ftw;
  if (flag != FTW_F || !S_ISREG(st->st_mode)) return 0;
  rl_lang lang = rl_lang_for_path(path);
  if (lang != RL_LANG_JS && lang != RL_LANG_TS && lang != RL_LANG_TSX) return 0;
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  rl_source src;
  rl_source_init(&src, path, buf, n, lang, g_arena);
  rl_prefilter pf;
  rl_prefilter_init(&pf, buf, n, lang);
  unsigned possible = rl_context_possible(&src, &pf, path, g_walk_pkg, g_arena);
  rl_prefilter_clear(&pf);
  rl_context c = classify_bytes(path, path, buf, n, g_walk_pkg, NULL);
  if (!(possible & RL_CTX_BIT(c))) printf("%s: classified %d, possible %#x\n", path, (int)c, possible);
  assert_true(possible & RL_CTX_BIT(c));
  g_walk_files++;
  return 0;
}

static void context__possible_covers_classify(void **state) {
  (void)state;
  g_walk_pkg = rl_pkgcache_new();
  g_walk_files = 0;
  assert_int_equal(nftw("fixtures", possible_one, 16, FTW_PHYS), 0);
  assert_true(g_walk_files > 300);
  rl_pkgcache_free(g_walk_pkg);
  /* and it does narrow: a server package's file with no client sign */
  char *dir = make_tree();
  write_file(dir, "package.json", "{\"dependencies\":{\"express\":\"^4\"}}");
  const char *code = "import { step } from './next';\nexport const go = (r) => step(r);\n";
  write_file(dir, "src/chain.ts", code);
  rl_pkgcache *pkg = rl_pkgcache_new();
  rl_source src;
  rl_source_init(&src, at(dir, "src/chain.ts"), code, strlen(code), RL_LANG_TS, g_arena);
  rl_prefilter pf;
  rl_prefilter_init(&pf, code, strlen(code), RL_LANG_TS);
  assert_int_equal(rl_context_possible(&src, &pf, at(dir, "src/chain.ts"), pkg, g_arena), RL_CTX_BIT(RL_CTX_SERVER));
  rl_prefilter_clear(&pf);
  const char *client = "import { useState } from 'react';\nexport const go = (r) => r;\n";
  rl_source_init(&src, at(dir, "src/ui.ts"), client, strlen(client), RL_LANG_TS, g_arena);
  rl_prefilter_init(&pf, client, strlen(client), RL_LANG_TS);
  assert_true(rl_context_possible(&src, &pf, at(dir, "src/ui.ts"), pkg, g_arena) & RL_CTX_BIT(RL_CTX_CLIENT));
  rl_prefilter_clear(&pf);
  rl_pkgcache_free(pkg);
  remove_tree(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(context__module_name_with_nul, setup, teardown),
      cmocka_unit_test_setup_teardown(context__client_sdk_beats_server_import, setup, teardown),
      cmocka_unit_test_setup_teardown(context__bun_runtime_beats_client_sdk, setup, teardown),
      cmocka_unit_test_setup_teardown(context__ui_frameworks, setup, teardown),
      cmocka_unit_test_setup_teardown(context__jsx, setup, teardown),
      cmocka_unit_test_setup_teardown(context__possible_covers_classify, setup, teardown),
      cmocka_unit_test_setup_teardown(context__dom_globals, setup, teardown),
      cmocka_unit_test_setup_teardown(context__typeof_guard_is_not_client, setup, teardown),
      cmocka_unit_test_setup_teardown(context__declared_dom_name_is_not_global, setup, teardown),
      cmocka_unit_test_setup_teardown(context__server_imports, setup, teardown),
      cmocka_unit_test_setup_teardown(context__type_only_imports_do_not_count, setup, teardown),
      cmocka_unit_test_setup_teardown(context__server_paths, setup, teardown),
      cmocka_unit_test_setup_teardown(context__framework_server_path_beats_browser_signals, setup, teardown),
      cmocka_unit_test_setup_teardown(context__client_paths, setup, teardown),
      cmocka_unit_test_setup_teardown(context__directives, setup, teardown),
      cmocka_unit_test_setup_teardown(context__tests_win, setup, teardown),
      cmocka_unit_test_setup_teardown(context__dotenv, setup, teardown),
      cmocka_unit_test_setup_teardown(context__deep_nesting_does_not_crash, setup, teardown),
      cmocka_unit_test_setup_teardown(context__expo_type_only_file_is_client_by_package_json, setup, teardown),
      cmocka_unit_test_setup_teardown(context__react_native_package, setup, teardown),
      cmocka_unit_test_setup_teardown(context__vite_app, setup, teardown),
      cmocka_unit_test_setup_teardown(context__next_app_router_server_components, setup, teardown),
      cmocka_unit_test_setup_teardown(context__vite_with_server_framework_is_not_client_app, setup, teardown),
      cmocka_unit_test_setup_teardown(context__vite_library_is_not_client_app, setup, teardown),
      cmocka_unit_test_setup_teardown(context__next_app_is_not_client_app, setup, teardown),
      cmocka_unit_test_setup_teardown(context__server_app_package_beats_client_path, setup, teardown),
      cmocka_unit_test_setup_teardown(context__nearest_package_json_wins, setup, teardown),
      cmocka_unit_test_setup_teardown(context__lookup_stops_at_git, setup, teardown),
      cmocka_unit_test_setup_teardown(context__broken_package_json_is_unknown, setup, teardown),
      cmocka_unit_test_setup_teardown(context__path_signals_only_below_project_root, setup, teardown),
      cmocka_unit_test_setup_teardown(context__pkgcache_threads, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
