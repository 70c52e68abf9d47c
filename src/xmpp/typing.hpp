// Typing notifications in 1:1 chats (protocol reference §19.3, §8.1), as
// HipChat's web client sends and shows them (chat_input.js,
// chat_window_store.js handleUserStateMessage, app_config.js): <composing/>
// repeated every 3 s while the user types, then <active/>, never <paused/>,
// and none in rooms; "… is typing" shown for 6 s after the last
// <composing/>, or until <active/> or a message.
#pragma once

#include <connection.h>
#include <conversation.h>

namespace hipchat::xmpp {

// The prpl's send_typing: what libpurple's UIs report (typing, stopped for
// a while, stopped) as HipChat's states. Returns how many seconds until
// libpurple should say again that the user is still typing.
unsigned int send_typing(PurpleConnection *gc, const char *who, PurpleTypingState state);

// Bodyless chat states received (router.hpp, Precedence::messages), and
// our own messages, which carry <active/> already.
void register_typing_routes();

}  // namespace hipchat::xmpp
