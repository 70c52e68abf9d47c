// Writing to the user's conversations, shared by the features that do.
#pragma once

#include <conversation.h>

#include <ctime>
#include <string>

#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// How the UI shows conversations (Session::state<UiState>(), set at login).
struct UiState {
    // bitlbee, an IRC gateway: it shows only messages (not
    // purple_conversation_write lines), strips HTML, and knows a channel's
    // people by their handles, our own by the account's name.
    bool irc = false;
};

void set_irc_ui(Session &session, bool irc);
bool irc_ui(Session &session);

// A line of our own in a conversation (escaped here): SYSTEM, plus `extra`
// (e.g. PURPLE_MESSAGE_ERROR). Written as a chat or IM message, so that
// bitlbee, which passes on nothing else, shows it too: from nobody, but in
// bitlbee from the room (by its name) in a channel and from the person in a
// query, not from an IRC user "_" in the control channel. Never highlighted:
// libpurple flags a chat line that holds our nick (PURPLE_MESSAGE_NICK), and
// the text may be the server's (a link's title). At `when` (0: now).
void write_system_line(PurpleConversation *conv, const std::string &text,
                       PurpleMessageFlags extra = static_cast<PurpleMessageFlags>(0),
                       time_t when = 0);

// The conversation of a room we are in (joined, not left), or nullptr. Room
// JIDs are lowercase ASCII here, so a plain comparison over the
// connection's open chats does what purple_find_conversation_with_account
// does with a stringprep per chat.
PurpleConversation *joined_room(Session &session, const std::string &room_jid);

}  // namespace hipchat::xmpp
