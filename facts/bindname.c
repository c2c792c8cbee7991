#include "bindname.h"

#include <string.h>

#define MAX_UNWRAP 32
#define MAX_DISPLAY 80

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && strcmp(ts_node_type(n), t) == 0; }

static TSNode field(TSNode n, const char *name) { return rl_js_field(n, name); }

static int same(TSNode a, TSNode b) { return !ts_node_is_null(a) && !ts_node_is_null(b) && ts_node_eq(a, b); }

static int is_wrapper(TSNode n) {
  static const char *const types[] = {"parenthesized_expression", "as_expression", "satisfies_expression",
                                      "non_null_expression", "type_assertion",
                                      /* <Room appSecret={'...'} /> */
                                      "jsx_expression", NULL};
  for (size_t i = 0; types[i]; i++)
    if (type_is(n, types[i])) return 1;
  return 0;
}

/* The text of a key-like node without quotes: identifiers, strings, numbers,
 * and computed keys that hold a string (`['appSecret']: ...`). */
static int key_text(rl_jsfile *jf, TSNode key, const char **out, size_t *len) {
  if (ts_node_is_null(key)) return 0;
  if (type_is(key, "computed_property_name")) {
    key = ts_node_named_child(key, 0);
    if (!type_is(key, "string")) return 0;
  }
  if (type_is(key, "string") || type_is(key, "template_string")) return rl_js_string_value(jf, key, out, len);
  const char *t = ts_node_type(key);
  if (strcmp(t, "identifier") && strcmp(t, "property_identifier") && strcmp(t, "private_property_identifier") &&
      strcmp(t, "shorthand_property_identifier_pattern") && strcmp(t, "shorthand_property_identifier") &&
      strcmp(t, "number") && strcmp(t, "jsx_namespace_name"))
    return 0;
  *out = rl_js_text(jf, key, len);
  return *len > 0;
}

static void set_display(rl_jsfile *jf, rl_binding *b, TSNode n) {
  size_t len;
  const char *t = rl_js_text(jf, n, &len);
  if (len > MAX_DISPLAY || memchr(t, '\n', len)) {
    b->display = b->name;
    b->display_len = b->name_len;
    return;
  }
  b->display = t;
  b->display_len = len;
}

/* Assignment target: identifier, member (property name), subscript (string index). */
static int target_name(rl_jsfile *jf, TSNode left, rl_binding *b) {
  while (is_wrapper(left)) left = ts_node_named_child(left, 0);
  if (type_is(left, "identifier")) {
    if (!key_text(jf, left, &b->name, &b->name_len)) return 0;
    set_display(jf, b, left);
    return 1;
  }
  if (type_is(left, "member_expression")) {
    if (!key_text(jf, field(left, "property"), &b->name, &b->name_len)) return 0;
    set_display(jf, b, left);
    return 1;
  }
  if (type_is(left, "subscript_expression")) {
    TSNode idx = field(left, "index");
    if (!type_is(idx, "string")) return 0;
    if (!rl_js_string_value(jf, idx, &b->name, &b->name_len)) return 0;
    set_display(jf, b, left);
    return 1;
  }
  return 0;
}

static int from_key(rl_jsfile *jf, TSNode key, rl_binding *b) {
  if (!key_text(jf, key, &b->name, &b->name_len)) return 0;
  b->display = b->name;
  b->display_len = b->name_len;
  return 1;
}

int rl_bound_name(rl_jsfile *jf, TSNode value, rl_binding *b) {
  memset(b, 0, sizeof *b);
  TSNode n = value, p = rl_js_parent(value);
  const char *env = NULL;
  size_t env_len = 0;
  for (int i = 0; i < MAX_UNWRAP && !ts_node_is_null(p); i++) {
    if (is_wrapper(p)) {
      n = p;
      p = rl_js_parent(p);
      continue;
    }
    if (type_is(p, "ternary_expression") && !same(field(p, "condition"), n)) {
      n = p;
      p = rl_js_parent(p);
      continue;
    }
    if (type_is(p, "binary_expression") && same(field(p, "left"), n)) {
      /* 'http://host/rooms/' + id: the literal is the start of the value. */
      TSNode op = field(p, "operator");
      if (!ts_node_is_null(op) && strcmp(ts_node_type(op), "+") == 0) {
        n = p;
        p = rl_js_parent(p);
        continue;
      }
    }
    if (type_is(p, "binary_expression") && same(field(p, "right"), n)) {
      TSNode op = field(p, "operator");
      const char *ot = ts_node_is_null(op) ? "" : ts_node_type(op);
      if (strcmp(ot, "||") == 0 || strcmp(ot, "??") == 0) {
        /* `process.env.HMS_SECRET || '...'`: the literal is a fallback for
         * that variable, so the variable's name describes it too. */
        const char *en = NULL;
        size_t el = 0;
        if (!env && rl_js_env_read(jf, field(p, "left"), &en, &el)) {
          env = en;
          env_len = el;
        }
        n = p;
        p = rl_js_parent(p);
        continue;
      }
    }
    break;
  }
  b->holder = p;
  b->value = n;
  b->env = env;
  b->env_len = env_len;
  int ok = 0;
  if (type_is(p, "variable_declarator")) {
    if (same(field(p, "value"), n)) ok = target_name(jf, field(p, "name"), b);
  } else if (type_is(p, "assignment_expression") || type_is(p, "augmented_assignment_expression")) {
    if (same(field(p, "right"), n)) ok = target_name(jf, field(p, "left"), b);
  } else if (type_is(p, "pair")) {
    if (same(field(p, "value"), n)) ok = from_key(jf, field(p, "key"), b);
  } else if (type_is(p, "field_definition")) {
    if (same(field(p, "value"), n)) ok = from_key(jf, field(p, "property"), b);
  } else if (type_is(p, "public_field_definition")) {
    if (same(field(p, "value"), n)) ok = from_key(jf, field(p, "name"), b);
  } else if (type_is(p, "assignment_pattern") || type_is(p, "object_assignment_pattern")) {
    if (same(field(p, "right"), n)) ok = from_key(jf, field(p, "left"), b);
  } else if (type_is(p, "required_parameter") || type_is(p, "optional_parameter")) {
    if (same(field(p, "value"), n)) ok = from_key(jf, field(p, "pattern"), b);
  } else if (type_is(p, "jsx_attribute")) {
    TSNode name = ts_node_named_child(p, 0);
    if (!same(name, n)) ok = from_key(jf, name, b);
  }
  if (!ok && env) {
    b->name = b->display = env;
    b->name_len = b->display_len = env_len;
    ok = 1;
  }
  return ok;
}

int rl_js_function_name(rl_jsfile *jf, TSNode fn, const char **name, size_t *len) {
  TSNode n = field(fn, "name");
  if (!ts_node_is_null(n)) {
    *name = rl_js_text(jf, n, len);
    return *len > 0;
  }
  rl_binding b;
  if (!rl_bound_name(jf, fn, &b)) return 0;
  *name = b.name;
  *len = b.name_len;
  return 1;
}
