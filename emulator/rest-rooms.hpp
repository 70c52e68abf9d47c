// HipChat emulator: REST v2 rooms on the API host (protocol reference §13;
// HipChat's REST API v2 reference, REST-DOCS below, as the client libraries
// that used it show it: hipchatter's own tests against api.hipchat.com,
// hipchat-go's types and tests). Rooms listed, shown, created, changed and
// deleted, and their history; members, participants, invites, the topic,
// messages and webhooks in rest-room-members.cpp. Every change takes effect on
// the XMPP side as a change made there does (room pushes, §7.3; the subject,
// §7.6; messages, §8.2).
#pragma once

#include "rest-api.hpp"

namespace hipchat::emulator {

void rest_list_rooms(ApiCall &call);      // GET /v2/room
void rest_create_room(ApiCall &call);     // POST /v2/room
void rest_get_room(ApiCall &call);        // GET /v2/room/{id or name}
void rest_update_room(ApiCall &call);     // PUT /v2/room/{id or name}
void rest_delete_room(ApiCall &call);     // DELETE /v2/room/{id or name}
void rest_room_history(ApiCall &call);    // GET /v2/room/{id or name}/history
void rest_room_latest(ApiCall &call);     // GET /v2/room/{id or name}/history/latest
void rest_private_latest(ApiCall &call);  // GET /v2/user/{id, e-mail or @mention}/history/latest

// The room in the path if the token's owner may see it (a private room they
// are not in is not found to them [INFERRED]), else 404.
Room *visible_room_or_404(ApiCall &call);
// The room in the path if the token's owner may administer it: its owner or a
// group admin, as over XMPP (§7.7, [INFERRED]); else 404 or 403.
Room *administered_room(ApiCall &call);

}  // namespace hipchat::emulator
