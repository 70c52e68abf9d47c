// History on demand (protocol reference §9): older messages of a room or a
// 1:1 conversation, a page at a time, from the conversation UI (/history, the
// "Load older messages" menu item, and optionally when a 1:1 chat opens).
//
// The server answers the history IQ with ordinary <message>s carrying
// <delay> and no id, then the IQ's result. While a page is being fetched we
// take those messages out of the stream and, on the result, write them below
// a line saying how many there are: Pidgin only appends, so the older
// messages come after the newer ones, oldest first, with their own times.
#pragma once

#include <blist.h>
#include <conversation.h>
#include <plugin.h>

#include <string>

#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// Fetches up to `count` messages (0: the account's page size) older than the
// oldest one `conv` shows.
// Returns "" or why not (another page under way, not a HipChat
// conversation, not in the room); the outcome is written in `conv`.
std::string request_history(PurpleConversation *conv, int count);

// The module's menu for a buddy or chat plus "Load older messages" (Pidgin
// shows it under Conversation > More and in the buddy list).
GList *blist_node_menu(PurpleBlistNode *node);

void connect_history_signals(PurplePlugin *plugin);
// libpurple creates the conversation signals after probing plugins: these
// are connected at the first login.
void connect_history_conversation_signals(PurplePlugin *plugin);

}  // namespace hipchat::xmpp
