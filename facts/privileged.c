/* Privileged provider actions (privileged.h): the tables, and the two
 * matchers that read a call against them. Method names and paths are the
 * providers' own (their SDK references and REST API references); what
 * each line says is for messages. */
#include "privileged.h"

#include <string.h>

#include "requrl.h"
#include "routes.h"
#include "util.h"

static int type_is(TSNode n, const char *t) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t); }

/* ---- server SDKs ------------------------------------------------------------------ */

/* The clients a package makes: the canonical callee of the `new` or factory
 * call (rl_js_resolve: "package:Name"); cls NULL = any export of the package
 * (`new HMS.SDK()`, `twilio(sid, token)`, `new OpenTok()`). prefix: member
 * path that leads from the client to the family's methods (`vonage.video.`). */
static const struct {
  const char *package;
  const char *cls;
  const char *prefix;
  const char *family; /* the methods' key below */
} clients[] = {
    {"livekit-server-sdk", "RoomServiceClient", "", "livekit-room"},
    {"livekit-server-sdk", "EgressClient", "", "livekit-egress"},
    {"livekit-server-sdk", "IngressClient", "", "livekit-ingress"},
    {"livekit-server-sdk", "SipClient", "", "livekit-sip"},
    {"livekit-server-sdk", "AgentDispatchClient", "", "livekit-agent"},
    {"@100mslive/server-sdk", NULL, "", "100ms"},
    {"twilio", NULL, "", "twilio"},
    {"opentok", NULL, "", "opentok"},
    {"@vonage/video", NULL, "", "vonage"},
    {"@vonage/server-sdk", NULL, "video.", "vonage"},
};

/* One line per method that changes something, or reads what only the app
 * should (recordings and their download URLs). Twilio paths drop the "v1"
 * segment and name a call segment by its function (rooms(sid) -> rooms). */
static const struct {
  const char *family;
  const char *path; /* member path after the client (and its prefix) */
  const char *what;
  int room;
} methods[] = {
    /* LiveKit RoomServiceClient */
    {"livekit-room", "createRoom", "creates LiveKit rooms", 1},
    {"livekit-room", "deleteRoom", "deletes LiveKit rooms", 1},
    {"livekit-room", "updateRoomMetadata", "changes LiveKit room metadata", 1},
    {"livekit-room", "updateParticipant", "changes LiveKit participants' permissions or metadata", 0},
    {"livekit-room", "removeParticipant", "removes participants from LiveKit rooms", 1},
    {"livekit-room", "mutePublishedTrack", "mutes participants' tracks in LiveKit rooms", 0},
    {"livekit-room", "updateSubscriptions", "changes what LiveKit participants subscribe to", 0},
    {"livekit-room", "sendData", "sends data messages into LiveKit rooms", 0},
    {"livekit-room", "forwardParticipant", "forwards participants to other LiveKit rooms", 1},
    {"livekit-room", "moveParticipant", "moves participants to other LiveKit rooms", 1},
    /* LiveKit EgressClient */
    {"livekit-egress", "startRoomCompositeEgress", "starts LiveKit room-composite egress (records or streams a room)",
     0},
    {"livekit-egress", "startTrackCompositeEgress", "starts LiveKit track-composite egress", 0},
    {"livekit-egress", "startTrackEgress", "starts LiveKit track egress", 0},
    {"livekit-egress", "startParticipantEgress", "starts LiveKit participant egress", 0},
    {"livekit-egress", "startWebEgress", "starts LiveKit web egress", 0},
    {"livekit-egress", "stopEgress", "stops LiveKit egress", 0},
    {"livekit-egress", "updateLayout", "changes a LiveKit egress layout", 0},
    {"livekit-egress", "updateStream", "changes LiveKit egress stream outputs", 0},
    /* LiveKit IngressClient */
    {"livekit-ingress", "createIngress", "creates LiveKit ingress (streams into a room)", 0},
    {"livekit-ingress", "updateIngress", "changes LiveKit ingress", 0},
    {"livekit-ingress", "deleteIngress", "deletes LiveKit ingress", 0},
    /* LiveKit SipClient */
    {"livekit-sip", "createSipParticipant", "dials phone calls into LiveKit rooms (SIP)", 0},
    {"livekit-sip", "transferSipParticipant", "transfers LiveKit SIP calls", 0},
    {"livekit-sip", "createSipTrunk", "creates LiveKit SIP trunks", 0},
    {"livekit-sip", "createSipInboundTrunk", "creates LiveKit SIP trunks", 0},
    {"livekit-sip", "createSipOutboundTrunk", "creates LiveKit SIP trunks", 0},
    {"livekit-sip", "updateSipInboundTrunk", "changes LiveKit SIP trunks", 0},
    {"livekit-sip", "updateSipOutboundTrunk", "changes LiveKit SIP trunks", 0},
    {"livekit-sip", "deleteSipTrunk", "deletes LiveKit SIP trunks", 0},
    {"livekit-sip", "createSipDispatchRule", "creates LiveKit SIP dispatch rules", 0},
    {"livekit-sip", "deleteSipDispatchRule", "deletes LiveKit SIP dispatch rules", 0},
    /* LiveKit AgentDispatchClient */
    {"livekit-agent", "createDispatch", "dispatches LiveKit agents into rooms", 0},
    {"livekit-agent", "deleteDispatch", "deletes LiveKit agent dispatches", 0},
    /* @100mslive/server-sdk */
    {"100ms", "rooms.create", "creates 100ms rooms", 1},
    {"100ms", "rooms.update", "changes 100ms rooms", 1},
    {"100ms", "rooms.enableOrDisable", "enables or disables 100ms rooms", 1},
    {"100ms", "roomCodes.create", "creates 100ms room codes", 1},
    {"100ms", "roomCodes.createForRole", "creates 100ms room codes", 1},
    {"100ms", "roomCodes.enableOrDisable", "enables or disables 100ms room codes", 1},
    {"100ms", "activeRooms.endRoom", "ends 100ms rooms", 1},
    {"100ms", "activeRooms.removePeer", "removes peers from 100ms rooms", 1},
    {"100ms", "activeRooms.updatePeer", "changes peers' roles in 100ms rooms", 0},
    {"100ms", "activeRooms.sendMessage", "sends messages into 100ms rooms", 0},
    {"100ms", "recordings.start", "starts 100ms recordings", 0},
    {"100ms", "recordings.stop", "stops 100ms recordings", 0},
    {"100ms", "recordings.stopAll", "stops 100ms recordings", 0},
    {"100ms", "liveStreams.start", "starts 100ms live streams", 0},
    {"100ms", "liveStreams.stop", "stops 100ms live streams", 0},
    {"100ms", "liveStreams.stopAll", "stops 100ms live streams", 0},
    {"100ms", "liveStreams.pauseRecording", "pauses 100ms live-stream recordings", 0},
    {"100ms", "liveStreams.resumeRecording", "resumes 100ms live-stream recordings", 0},
    {"100ms", "liveStreams.sendTimedMetadata", "sends timed metadata into 100ms live streams", 0},
    {"100ms", "externalStreams.start", "starts 100ms external (RTMP) streams", 0},
    {"100ms", "externalStreams.stop", "stops 100ms external (RTMP) streams", 0},
    /* twilio (client.video.v1 ...) */
    {"twilio", "video.rooms.create", "creates Twilio video rooms", 1},
    {"twilio", "video.rooms.update", "ends or changes Twilio video rooms", 1},
    {"twilio", "video.rooms.participants.update", "disconnects participants from Twilio rooms", 1},
    {"twilio", "video.rooms.recordingRules.update", "changes what Twilio records in a room", 0},
    {"twilio", "video.rooms.recordings.remove", "deletes Twilio room recordings", 0},
    {"twilio", "video.recordings.remove", "deletes Twilio recordings", 0},
    {"twilio", "video.compositions.create", "starts Twilio compositions (recordings of a room)", 0},
    {"twilio", "video.compositions.remove", "deletes Twilio compositions", 0},
    {"twilio", "video.compositionHooks.create", "creates Twilio composition hooks", 0},
    {"twilio", "video.compositionHooks.remove", "deletes Twilio composition hooks", 0},
    /* opentok (Vonage Video, the OpenTok SDK) */
    {"opentok", "createSession", "creates Vonage sessions", 1},
    {"opentok", "startArchive", "starts Vonage archives (recordings)", 0},
    {"opentok", "stopArchive", "stops Vonage archives", 0},
    {"opentok", "listArchives", "lists Vonage archives (every recording, with its download URL)", 0},
    {"opentok", "getArchive", "reads Vonage archives (a recording's download URL)", 0},
    {"opentok", "deleteArchive", "deletes Vonage archives", 0},
    {"opentok", "startBroadcast", "starts Vonage live broadcasts", 0},
    {"opentok", "stopBroadcast", "stops Vonage live broadcasts", 0},
    {"opentok", "forceDisconnect", "disconnects participants from Vonage sessions", 1},
    {"opentok", "forceMuteStream", "mutes participants in Vonage sessions", 0},
    {"opentok", "forceMuteAll", "mutes participants in Vonage sessions", 0},
    {"opentok", "dial", "dials SIP calls into Vonage sessions", 0},
    {"opentok", "startRender", "starts Vonage Experience Composer renders", 0},
    {"opentok", "stopRender", "stops Vonage Experience Composer renders", 0},
    /* @vonage/video (alone, or as vonage.video of @vonage/server-sdk) */
    {"vonage", "createSession", "creates Vonage sessions", 1},
    {"vonage", "startArchive", "starts Vonage archives (recordings)", 0},
    {"vonage", "stopArchive", "stops Vonage archives", 0},
    {"vonage", "deleteArchive", "deletes Vonage archives", 0},
    {"vonage", "startBroadcast", "starts Vonage live broadcasts", 0},
    {"vonage", "stopBroadcast", "stops Vonage live broadcasts", 0},
    {"vonage", "disconnectClient", "disconnects participants from Vonage sessions", 1},
    {"vonage", "forceMuteStream", "mutes participants in Vonage sessions", 0},
    {"vonage", "forceMuteAll", "mutes participants in Vonage sessions", 0},
    {"vonage", "intiateSIPCall", "dials SIP calls into Vonage sessions", 0},
    {"vonage", "startExperienceComposerRender", "starts Vonage Experience Composer renders", 0},
    {"vonage", "stopExperienceComposerRender", "stops Vonage Experience Composer renders", 0},
};

/* The client expression e is made by: a `new X(...)` or a factory call,
 * directly, through a const or this.x. */
static TSNode client_of(rl_jsfile *jf, TSNode e) {
  e = rl_js_unwrap(e);
  for (int hop = 0; hop < 3 && !ts_node_is_null(e); hop++) {
    if (type_is(e, "await_expression")) e = rl_js_unwrap(ts_node_named_child(e, 0));
    if (type_is(e, "new_expression") || type_is(e, "call_expression")) return e;
    if (!type_is(e, "identifier") && !type_is(e, "member_expression")) break;
    e = rl_js_unwrap(rl_value_source(jf, e));
  }
  TSNode z;
  memset(&z, 0, sizeof z);
  return z;
}

static int client_family(rl_jsfile *jf, TSNode made);

typedef struct maker_find {
  rl_jsfile *jf;
  TSNode found;
} maker_find;

static int maker_visit(void *data, TSNode n) {
  maker_find *m = data;
  if (type_is(n, "new_expression") && client_family(m->jf, n) >= 0) {
    m->found = n;
    return -1;
  }
  return 0;
}

/* getEgressClient().startRoomCompositeEgress(...), this.egress().stopEgress():
 * a same-file function or method of the class that makes a client of the
 * table (a `new` in its body, lazy singletons too) stands for that client. */
static TSNode factory_client(rl_jsfile *jf, TSNode call) {
  TSNode fn = rl_js_unwrap(rl_js_field(call, "function")), def = {{0}, NULL, NULL};
  if (type_is(fn, "identifier")) {
    def = rl_route_function_of(jf, rl_jsfile_root(jf), fn);
  } else if (type_is(fn, "member_expression") && type_is(rl_js_unwrap(rl_js_field(fn, "object")), "this")) {
    TSNode body = rl_js_parent(fn);
    while (!ts_node_is_null(body) && !type_is(body, "class_body")) body = rl_js_parent(body);
    for (uint32_t i = 0; !ts_node_is_null(body) && i < ts_node_named_child_count(body); i++) {
      TSNode m = ts_node_named_child(body, i);
      size_t l, pl;
      const char *mn = rl_js_text(jf, rl_js_field(m, "name"), &l);
      const char *pn = rl_js_text(jf, rl_js_field(fn, "property"), &pl);
      if (type_is(m, "method_definition") && mn && pn && l == pl && !memcmp(mn, pn, l)) def = m;
    }
  }
  maker_find m = {jf, {{0}, NULL, NULL}};
  if (!ts_node_is_null(def)) rl_js_walk(def, maker_visit, &m);
  return m.found;
}

/* Which family a client's maker belongs to (its index in clients[]), or -1. */
static int client_family(rl_jsfile *jf, TSNode made) {
  const char *cc = rl_js_callee(jf, made);
  if (!cc) return -1;
  for (size_t k = 0; k < RL_ARRAY_LEN(clients); k++) {
    size_t pl = strlen(clients[k].package);
    if (strncmp(cc, clients[k].package, pl) || cc[pl] != ':') continue;
    if (!clients[k].cls) return (int)k;
    const char *rest = cc + pl + 1;
    const char *dot = strrchr(rest, '.');
    if (!strcmp(dot ? dot + 1 : rest, clients[k].cls)) return (int)k;
  }
  return -1;
}

#define MAX_SEGS 8

/* The provider's name for messages, by a client family of the table. */
static const char *provider_of(const char *family) {
  return !strncmp(family, "livekit", 7) ? "LiveKit"
         : !strcmp(family, "100ms")     ? "100ms"
         : !strcmp(family, "twilio")    ? "Twilio"
                                        : "Vonage";
}

int rl_priv_sdk_method(const char *instance_of, const char *path, rl_priv *out) {
  memset(out, 0, sizeof *out);
  if (!instance_of || !path) return 0;
  for (size_t c = 0; c < RL_ARRAY_LEN(clients); c++) {
    size_t pl = strlen(clients[c].package);
    if (strncmp(instance_of, clients[c].package, pl)) continue;
    const char *rest = instance_of + pl;
    if (clients[c].cls ? (rest[0] != ':' || strcmp(rest + 1, clients[c].cls)) : (rest[0] && rest[0] != ':')) continue;
    size_t fl = strlen(clients[c].prefix);
    if (strncmp(path, clients[c].prefix, fl)) continue;
    for (size_t m = 0; m < RL_ARRAY_LEN(methods); m++) {
      if (strcmp(methods[m].family, clients[c].family) || strcmp(methods[m].path, path + fl)) continue;
      out->provider = provider_of(clients[c].family);
      out->what = methods[m].what;
      out->room = methods[m].room;
      out->url_known = 1;
      return 1;
    }
  }
  return 0;
}

int rl_priv_sdk_call(rl_jsfile *jf, TSNode call, rl_priv *out) {
  memset(out, 0, sizeof *out);
  if (!type_is(call, "call_expression")) return 0;
  /* the member path, innermost first; objs[i] is what segment i is read on.
   * A call segment (rooms(sid).update) is named by its function. */
  const char *segs[MAX_SEGS];
  size_t lens[MAX_SEGS], nseg = 0;
  TSNode objs[MAX_SEGS];
  TSNode e = rl_js_unwrap(rl_js_field(call, "function"));
  while (type_is(e, "member_expression") && nseg < MAX_SEGS) {
    TSNode prop = rl_js_field(e, "property");
    if (!type_is(prop, "property_identifier")) return 0;
    segs[nseg] = rl_js_text(jf, prop, &lens[nseg]);
    TSNode obj = rl_js_unwrap(rl_js_field(e, "object"));
    objs[nseg++] = obj;
    if (type_is(obj, "call_expression") && type_is(rl_js_unwrap(rl_js_field(obj, "function")), "member_expression"))
      obj = rl_js_unwrap(rl_js_field(obj, "function"));
    e = obj;
  }
  if (!nseg) return 0;
  /* a method name of no line: no need to look for its client */
  int named = 0;
  for (size_t m = 0; m < RL_ARRAY_LEN(methods) && !named; m++) {
    const char *dot = strrchr(methods[m].path, '.');
    const char *last = dot ? dot + 1 : methods[m].path;
    named = strlen(last) == lens[0] && !memcmp(last, segs[0], lens[0]);
  }
  if (!named) return 0;
  /* try each split, the shortest client first: client = objs[k], path =
   * segments k..0 */
  for (size_t k = 0; k < nseg; k++) {
    /* a call segment (rooms(sid)) is no client, unless a factory method
     * (this.egress()) makes one */
    int segment = type_is(objs[k], "call_expression") &&
                  type_is(rl_js_unwrap(rl_js_field(objs[k], "function")), "member_expression");
    TSNode made = client_of(jf, objs[k]);
    if (ts_node_is_null(made)) continue;
    int c = segment ? -1 : client_family(jf, made);
    if (c < 0 && type_is(made, "call_expression")) {
      TSNode f = factory_client(jf, made);
      c = ts_node_is_null(f) ? -1 : client_family(jf, f);
    }
    if (c < 0) continue;
    rl_buf path = {0};
    for (size_t i = k + 1; i-- > 0;) {
      if (lens[i] == 2 && !memcmp(segs[i], "v1", 2) && !strcmp(clients[c].family, "twilio")) continue;
      if (path.len) rl_buf_putc(&path, '.');
      rl_buf_put(&path, segs[i], lens[i]);
    }
    const char *p = path.ptr ? path.ptr : "";
    size_t pre = strlen(clients[c].prefix);
    int hit = 0;
    if (!strncmp(p, clients[c].prefix, pre)) {
      for (size_t m = 0; m < RL_ARRAY_LEN(methods) && !hit; m++) {
        if (strcmp(methods[m].family, clients[c].family) || strcmp(p + pre, methods[m].path)) continue;
        hit = 1;
        out->what = methods[m].what;
        out->room = methods[m].room;
      }
    }
    rl_buf_free(&path);
    if (hit) {
      out->provider = provider_of(clients[c].family);
      out->url_known = 1;
      out->at = call;
      return 1;
    }
    return 0; /* the client is known: a method with no line only reads */
  }
  return 0;
}

/* ---- REST APIs -------------------------------------------------------------------- */

static const struct {
  const char *host; /* in the URL */
  const char *family;
  const char *provider; /* for messages */
} hosts[] = {
    {"api.100ms.live", "100ms", "100ms"},         {"api-nonprod.100ms.live", "100ms", "100ms"},
    {"api.daily.co", "daily", "Daily"},           {"video.twilio.com", "twilio", "Twilio"},
    {"api.agora.io", "agora", "Agora"},           {"api.opentok.com", "vonage", "Vonage"},
    {"video.api.vonage.com", "vonage", "Vonage"},
};

const char *rl_priv_rest_host(const char *url, size_t len) {
  for (size_t h = 0; h < RL_ARRAY_LEN(hosts); h++)
    if (memmem(url, len, hosts[h].host, strlen(hosts[h].host))) return hosts[h].provider;
  return NULL;
}

/* One line per endpoint that writes; method NULL = any that writes. Paths
 * after the host and its version segment; `*` is one segment. */
static const struct {
  const char *family;
  const char *method;
  const char *path;
  const char *what;
  int room;
  int mints;
} endpoints[] = {
    /* 100ms, api.100ms.live/v2 */
    {"100ms", "POST", "/rooms", "creates 100ms rooms", 1, 0},
    {"100ms", "POST", "/rooms/*", "changes 100ms rooms", 1, 0},
    {"100ms", "POST", "/room-codes/room/*", "creates 100ms room codes", 1, 0},
    {"100ms", "POST", "/room-codes/room/*/role/*", "creates 100ms room codes", 1, 0},
    {"100ms", "POST", "/room-codes/code", "enables or disables 100ms room codes", 1, 0},
    {"100ms", "POST", "/recordings/room/*/start", "starts 100ms recordings", 0, 0},
    {"100ms", "POST", "/recordings/room/*/stop", "stops 100ms recordings", 0, 0},
    {"100ms", "POST", "/recordings/*/stop", "stops 100ms recordings", 0, 0},
    {"100ms", "POST", "/live-streams/room/*/start", "starts 100ms live streams", 0, 0},
    {"100ms", "POST", "/live-streams/room/*/stop", "stops 100ms live streams", 0, 0},
    {"100ms", "POST", "/live-streams/*/stop", "stops 100ms live streams", 0, 0},
    {"100ms", "POST", "/live-streams/*/timed-metadata", "sends timed metadata into 100ms live streams", 0, 0},
    {"100ms", "POST", "/external-streams/room/*/start", "starts 100ms external (RTMP) streams", 0, 0},
    {"100ms", "POST", "/external-streams/room/*/stop", "stops 100ms external (RTMP) streams", 0, 0},
    {"100ms", "POST", "/active-rooms/*/end-room", "ends 100ms rooms", 1, 0},
    {"100ms", "POST", "/active-rooms/*/remove-peers", "removes peers from 100ms rooms", 1, 0},
    {"100ms", "POST", "/active-rooms/*/send-message", "sends messages into 100ms rooms", 0, 0},
    {"100ms", "POST", "/active-rooms/*/peers/*", "changes peers' roles in 100ms rooms", 0, 0},
    {"100ms", "POST", "/templates", "creates 100ms templates", 0, 0},
    {"100ms", NULL, "/templates/*", "changes 100ms templates", 0, 0},
    /* Daily, api.daily.co/v1 */
    {"daily", "POST", "/rooms", "creates Daily rooms", 1, 0},
    {"daily", "POST", "/rooms/*", "changes Daily rooms", 1, 0},
    {"daily", "DELETE", "/rooms/*", "deletes Daily rooms", 1, 0},
    {"daily", "POST", "/meeting-tokens", "creates Daily meeting tokens", 0, 1},
    {"daily", "POST", "/rooms/*/eject", "ejects participants from Daily rooms", 1, 0},
    {"daily", "POST", "/rooms/*/recordings/start", "starts Daily recordings", 0, 0},
    {"daily", "POST", "/rooms/*/recordings/stop", "stops Daily recordings", 0, 0},
    {"daily", "POST", "/rooms/*/live-streaming/start", "starts Daily live streams", 0, 0},
    {"daily", "POST", "/rooms/*/live-streaming/stop", "stops Daily live streams", 0, 0},
    {"daily", "POST", "/rooms/*/send-app-message", "sends messages into Daily rooms", 0, 0},
    {"daily", "DELETE", "/recordings/*", "deletes Daily recordings", 0, 0},
    /* Twilio, video.twilio.com/v1 */
    {"twilio", "POST", "/Rooms", "creates Twilio video rooms", 1, 0},
    {"twilio", "POST", "/Rooms/*", "ends or changes Twilio video rooms", 1, 0},
    {"twilio", "POST", "/Rooms/*/Participants/*", "disconnects participants from Twilio rooms", 1, 0},
    {"twilio", "POST", "/Rooms/*/RecordingRules", "changes what Twilio records in a room", 0, 0},
    {"twilio", "POST", "/Compositions", "starts Twilio compositions (recordings of a room)", 0, 0},
    {"twilio", "DELETE", "/Compositions/*", "deletes Twilio compositions", 0, 0},
    {"twilio", "DELETE", "/Recordings/*", "deletes Twilio recordings", 0, 0},
    /* Vonage Video, api.opentok.com/v2 and video.api.vonage.com/v2 */
    {"vonage", "POST", "/project/*/archive", "starts Vonage archives (recordings)", 0, 0},
    {"vonage", "POST", "/project/*/archive/*/stop", "stops Vonage archives", 0, 0},
    {"vonage", "DELETE", "/project/*/archive/*", "deletes Vonage archives", 0, 0},
    {"vonage", "POST", "/project/*/broadcast", "starts Vonage live broadcasts", 0, 0},
    {"vonage", "POST", "/project/*/broadcast/*/stop", "stops Vonage live broadcasts", 0, 0},
    {"vonage", "POST", "/project/*/render", "starts Vonage Experience Composer renders", 0, 0},
    {"vonage", "DELETE", "/project/*/render/*", "stops Vonage Experience Composer renders", 0, 0},
    {"vonage", "DELETE", "/project/*/session/*/connection/*", "disconnects participants from Vonage sessions", 1, 0},
    /* Agora cloud recording, api.agora.io/v1 */
    {"agora", "POST", "/apps/*/cloud_recording/acquire", "acquires Agora cloud-recording resources", 0, 0},
    {"agora", "POST", "/apps/*/cloud_recording/resourceid/*/mode/*/start", "starts Agora cloud recording", 0, 0},
    {"agora", "POST", "/apps/*/cloud_recording/resourceid/*/sid/*/mode/*/stop", "stops Agora cloud recording", 0, 0},
    {"agora", "POST", "/apps/*/cloud_recording/resourceid/*/sid/*/mode/*/update", "changes Agora cloud recording", 0,
     0},
    {"agora", "POST", "/apps/*/cloud_recording/resourceid/*/sid/*/mode/*/updateLayout",
     "changes Agora cloud-recording layouts", 0, 0},
};

/* p[0..n) against a pattern whose `*` is one non-empty segment. */
static int path_matches(const char *p, size_t n, const char *pat) {
  size_t i = 0;
  for (; *pat; pat++) {
    if (*pat == '*') {
      size_t s = i;
      while (i < n && p[i] != '/') i++;
      if (i == s) return 0;
      continue;
    }
    if (i >= n || p[i] != *pat) return 0;
    i++;
  }
  while (i < n && p[i] == '/') i++; /* a trailing slash */
  return i == n;
}

static int reads_only(const char *method) {
  return !method || !strcmp(method, "GET") || !strcmp(method, "HEAD") || !strcmp(method, "OPTIONS");
}

int rl_priv_rest_call(rl_jsfile *jf, TSNode call, rl_priv *out, int *read_only) {
  memset(out, 0, sizeof *out);
  if (read_only) *read_only = 0;
  rl_request r;
  if (!type_is(call, "call_expression") || !rl_request_parse(jf, call, &r) || !r.url) return 0;
  return rl_priv_rest_url(rl_jsfile_arena(jf), r.method, r.url, r.url_len, call, out, read_only);
}

int rl_priv_rest_url(rl_arena *arena, const char *method, const char *url, size_t url_len, TSNode at, rl_priv *out,
                     int *read_only) {
  memset(out, 0, sizeof *out);
  if (read_only) *read_only = 0;
  const char *after = NULL;
  size_t h;
  for (h = 0; h < RL_ARRAY_LEN(hosts); h++) {
    after = memmem(url, url_len, hosts[h].host, strlen(hosts[h].host));
    if (after) break;
  }
  if (!after) return 0;
  after += strlen(hosts[h].host);
  if (reads_only(method)) {
    if (read_only) *read_only = 1;
    return 0;
  }
  size_t plen = url_len - (size_t)(after - url);
  const char *path = after;
  /* the path ends at a query or fragment */
  for (size_t i = 0; i < plen; i++)
    if (path[i] == '?' || path[i] == '#') plen = i;
  /* after a version segment (/v1, /v2) */
  if (plen >= 3 && path[0] == '/' && path[1] == 'v' && path[2] >= '0' && path[2] <= '9') {
    const char *e = memchr(path + 1, '/', plen - 1);
    plen = e ? plen - (size_t)(e - path) : 0;
    path = e ? e : path + plen;
  }
  out->provider = hosts[h].provider;
  out->method = method;
  out->at = at;
  out->url_known = plen > 0 && !memchr(path, RL_URL_SUB, plen);
  for (size_t k = 0; k < RL_ARRAY_LEN(endpoints); k++) {
    if (strcmp(endpoints[k].family, hosts[h].family)) continue;
    if (endpoints[k].method && strcmp(endpoints[k].method, method)) continue;
    if (!path_matches(path, plen, endpoints[k].path)) continue;
    out->what = endpoints[k].what;
    out->room = endpoints[k].room;
    out->mints = endpoints[k].mints;
    return 1;
  }
  out->what = rl_arena_printf(arena, "calls the %s REST API", hosts[h].provider);
  return 1;
}

int rl_priv_call(rl_jsfile *jf, TSNode call, rl_priv *out, int *read_only) {
  if (read_only) *read_only = 0;
  if (rl_priv_sdk_call(jf, call, out)) return 1;
  return rl_priv_rest_call(jf, call, out, read_only);
}

int rl_priv_possible(rl_prefilter *pf) {
  for (size_t i = 0; i < RL_ARRAY_LEN(hosts); i++)
    if (rl_pf_has(pf, hosts[i].host)) return 1;
  for (size_t i = 0; i < RL_ARRAY_LEN(clients); i++)
    if (rl_pf_module(pf, clients[i].package)) return 1;
  return 0;
}
