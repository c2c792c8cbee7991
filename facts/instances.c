/* Instances that the analysis of one file can name the class of, beyond
 * `new T()` (summary.c): TypeScript constructor parameter properties, the
 * dependency injection of NestJS services. */
#include "instances.h"

#include <string.h>

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static TSNode null_node(void) {
  TSNode n;
  memset(&n, 0, sizeof n);
  return n;
}

static int is_class(TSNode n) {
  return type_is(n, "class") || type_is(n, "class_declaration") || type_is(n, "abstract_class_declaration");
}

/* The class a TypeScript constructor parameter property of the enclosing
 * class names: constructor(private readonly svc: TokenService) -> the
 * TokenService identifier node (in the type annotation). */
static TSNode param_property_type(rl_jsfile *jf, TSNode member_expr) {
  TSNode prop = field(member_expr, "property");
  TSNode cls = member_expr;
  for (int i = 0; i < 64 && !ts_node_is_null(cls) && !is_class(cls); i++) cls = rl_js_parent(cls);
  if (!is_class(cls)) return null_node();
  TSNode body = field(cls, "body");
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode m = ts_node_named_child(body, i);
    if (!type_is(m, "method_definition") || !rl_js_text_is(jf, field(m, "name"), "constructor")) continue;
    TSNode params = field(m, "parameters");
    uint32_t np = ts_node_named_child_count(params);
    for (uint32_t k = 0; k < np; k++) {
      TSNode p = ts_node_named_child(params, k);
      if (!type_is(p, "required_parameter") && !type_is(p, "optional_parameter")) continue;
      int has_modifier = 0;
      for (uint32_t q = 0; q < ts_node_named_child_count(p); q++) {
        TSNode c = ts_node_named_child(p, q);
        if (type_is(c, "accessibility_modifier") || type_is(c, "override_modifier")) has_modifier = 1;
      }
      size_t pl, nl;
      const char *pt = rl_js_text(jf, prop, &pl);
      const char *nt = rl_js_text(jf, field(p, "pattern"), &nl);
      /* `readonly x: T` alone is a parameter property too */
      if (!has_modifier) {
        size_t tl;
        const char *tt = rl_js_text(jf, p, &tl);
        has_modifier = tl > 9 && !memcmp(tt, "readonly ", 9);
      }
      if (!has_modifier || pl != nl || memcmp(pt, nt, pl)) continue;
      TSNode ty = field(p, "type");
      TSNode id = ts_node_named_child(ty, 0);
      return type_is(id, "type_identifier") ? id : null_node();
    }
  }
  return null_node();
}

/* The canonical name ("spec:Name", rl_js_resolve's form) of the class that
 * `this.x` is an instance of when x is a TypeScript constructor parameter
 * property typed with an imported class (NestJS dependency injection:
 * constructor(private readonly hms: HmsService)); NULL otherwise. */
const char *rl_param_property_class(rl_jsfile *jf, TSNode member_expr) {
  TSNode obj = rl_js_unwrap(member_expr);
  if (!type_is(obj, "member_expression") || !type_is(rl_js_unwrap(field(obj, "object")), "this")) return NULL;
  TSNode ty = param_property_type(jf, obj);
  if (ts_node_is_null(ty)) return NULL;
  /* the type's name, as a value: the import that binds it */
  size_t l;
  const char *t = rl_js_text(jf, ty, &l);
  TSNode root = rl_jsfile_root(jf);
  uint32_t nc = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode s = ts_node_named_child(root, i);
    if (!type_is(s, "import_statement")) continue;
    const char *spec;
    size_t sl;
    if (!rl_js_string_value(jf, field(s, "source"), &spec, &sl)) continue;
    TSNode clause = ts_node_named_child(s, 0);
    if (!type_is(clause, "import_clause")) continue;
    for (uint32_t k = 0; k < ts_node_named_child_count(clause); k++) {
      TSNode c = ts_node_named_child(clause, k);
      size_t cl;
      const char *ct = rl_js_text(jf, c, &cl);
      if (type_is(c, "identifier") && cl == l && !memcmp(ct, t, l))
        return rl_arena_printf(rl_jsfile_arena(jf), "%.*s:", (int)sl, spec);
      if (!type_is(c, "named_imports")) continue;
      for (uint32_t q = 0; q < ts_node_named_child_count(c); q++) {
        TSNode is = ts_node_named_child(c, q);
        TSNode nm = field(is, "name"), alias = field(is, "alias");
        TSNode local = ts_node_is_null(alias) ? nm : alias;
        size_t ll, nl;
        const char *lt = rl_js_text(jf, local, &ll), *ntx = rl_js_text(jf, nm, &nl);
        if (ll == l && !memcmp(lt, t, l))
          return rl_arena_printf(rl_jsfile_arena(jf), "%.*s:%.*s", (int)sl, spec, (int)nl, ntx);
      }
    }
  }
  return NULL;
}
