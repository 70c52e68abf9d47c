// HipChat emulator: REST v2 on people, emoticons and the API itself
// (protocol reference §12.1, §13; REST-DOCS as in rest-rooms.hpp): the
// people of the group and one person, private messages (delivered as a 1:1
// message, §8.1), the emoticons (the same as the §12.1 IQ's), and the
// capabilities document (the one request that needs no token).
#pragma once

#include "rest-api.hpp"

namespace hipchat::emulator {

void rest_list_users(ApiCall &call);            // GET /v2/user
void rest_get_user(ApiCall &call);              // GET /v2/user/{id, e-mail or @mention}
void rest_send_private_message(ApiCall &call);  // POST /v2/user/{…}/message
void rest_list_emoticons(ApiCall &call);        // GET /v2/emoticon
void rest_get_emoticon(ApiCall &call);          // GET /v2/emoticon/{id or shortcut}

// GET /v2/capabilities (no token: hipchatter asks without one).
void rest_capabilities(SoupServerMessage *message, const Organisation &org);

}  // namespace hipchat::emulator
