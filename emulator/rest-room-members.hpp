// HipChat emulator: REST v2 on a room's people and what is said in it
// (protocol reference §13; REST-DOCS as in rest-rooms.hpp): members (who may
// see a private room), participants (who is in it now), invites, the topic,
// messages posted as the token's owner, and webhooks. Each takes effect on
// the XMPP side as it does there: invites (§7.8), removal (§7.5), the subject
// (§7.6), groupchat messages (§8.2).
#pragma once

#include "rest-api.hpp"

namespace hipchat::emulator {

void rest_list_members(ApiCall &call);       // GET /v2/room/{room}/member
void rest_add_member(ApiCall &call);         // PUT /v2/room/{room}/member/{user}
void rest_remove_member(ApiCall &call);      // DELETE /v2/room/{room}/member/{user}
void rest_list_participants(ApiCall &call);  // GET /v2/room/{room}/participant
void rest_invite(ApiCall &call);             // POST /v2/room/{room}/invite/{user}
void rest_set_topic(ApiCall &call);          // PUT /v2/room/{room}/topic
void rest_send_room_message(ApiCall &call);  // POST /v2/room/{room}/message
void rest_create_webhook(ApiCall &call);     // POST /v2/room/{room}/webhook
void rest_list_webhooks(ApiCall &call);      // GET /v2/room/{room}/webhook
void rest_get_webhook(ApiCall &call);        // GET /v2/room/{room}/webhook/{id}
void rest_delete_webhook(ApiCall &call);     // DELETE /v2/room/{room}/webhook/{id}

}  // namespace hipchat::emulator
