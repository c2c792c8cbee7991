/* 100ms room codes: a short code per role that joins one room with that role (the Prebuilt flow).
   tokend creates them with the room and hands each user only the codes of roles that user may take. */
#ifndef TK_ROOMCODES_H
#define TK_ROOMCODES_H
#include <stdint.h>

#include <jansson.h>

#include "config.h"
#include "hms.h"
#include "userjwt.h"

/* Creates (create = 1: POST /room-codes/room/{id}) or reads (GET) the codes of room_id, which must be
   a valid 100ms room id. On success *out is 100ms's array of code objects (each with string "code" and
   "role"); caller json_decrefs it. Returns 0, TK_EINVAL (upstream failed or answered nonsense) or
   another negative code. */
int tk_roomcodes_fetch(tk_hms *h, json_t **out, const char *room_id, int create, int64_t now);

/* 1 when the user may join as `role`: the role is allow-listed and, when it is privileged, the user's
   hms_roles claim lists it. */
int tk_role_permitted(const tk_config *cfg, const tk_user *u, const char *role);

/* 1 when the user holds at least one of the privileged roles. */
int tk_user_privileged(const tk_config *cfg, const tk_user *u);

/* A new array of {"role","code"} for the enabled codes in `codes` whose role the user may take, in
   100ms's order. Returns NULL when out of memory. */
json_t *tk_roomcodes_for_user(const tk_config *cfg, const tk_user *u, const json_t *codes);

#endif
