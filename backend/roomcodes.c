#include "roomcodes.h"

#include <stdio.h>
#include <string.h>

#include "tokend.h"

#define CODE_MAX 64

int tk_roomcodes_fetch(tk_hms *h, json_t **out, const char *room_id, int create, int64_t now) {
  char path[96];
  json_t *resp = NULL, *data;
  size_t i;
  json_t *e;
  int rc;
  if (strlen(room_id) > 64) return TK_EINVAL;
  snprintf(path, sizeof path, "/room-codes/room/%s", room_id);
  rc = tk_hms__call(h, &resp, create ? "POST" : "GET", path, NULL, now);
  if (rc != 0) return rc;
  data = json_object_get(resp, "data");
  rc = TK_EINVAL;
  if (!json_is_array(data)) goto cleanup;
  json_array_foreach(data, i, e) {
    const char *code = json_string_value(json_object_get(e, "code"));
    const char *role = json_string_value(json_object_get(e, "role"));
    if (code == NULL || role == NULL || strlen(code) == 0 || strlen(code) > CODE_MAX) goto cleanup;
  }
  *out = json_incref(data);
  rc = TK_OK;
cleanup:
  json_decref(resp);
  return rc;
}

int tk_role_permitted(const tk_config *cfg, const tk_user *u, const char *role) {
  if (!tk_config_has(cfg->allowed_roles, cfg->n_allowed, role)) return 0;
  return !tk_config_has(cfg->privileged_roles, cfg->n_privileged, role) || tk_user_has_role(u, role);
}

int tk_user_privileged(const tk_config *cfg, const tk_user *u) {
  for (size_t i = 0; i < cfg->n_privileged; i++) {
    if (tk_user_has_role(u, cfg->privileged_roles[i])) return 1;
  }
  return 0;
}

json_t *tk_roomcodes_for_user(const tk_config *cfg, const tk_user *u, const json_t *codes) {
  json_t *out = json_array(), *e;
  size_t i;
  if (out == NULL) return NULL;
  json_array_foreach(codes, i, e) {
    const char *role = json_string_value(json_object_get(e, "role"));
    const json_t *enabled = json_object_get(e, "enabled");
    if (role == NULL || json_is_false(enabled) || !tk_role_valid(role) || !tk_role_permitted(cfg, u, role)) continue;
    if (json_array_append_new(out, json_pack("{s:s, s:O}", "role", role, "code", json_object_get(e, "code"))) != 0) {
      json_decref(out);
      return NULL;
    }
  }
  return out;
}
