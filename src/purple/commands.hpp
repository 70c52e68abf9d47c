// Slash commands in HipChat rooms and chats. The jabber module registers its
// own only for prpl-jabber (in a HipChat conversation its /topic would answer
// "wrong protocol"), so we register the ones that make sense on HipChat for
// prpl-hipchat, with help texts for /help in Pidgin and Finch.
#pragma once

#include <connection.h>
#include <conversation.h>
#include <plugin.h>

namespace hipchat::purple {

void register_commands(PurplePlugin *plugin);
void unregister_commands();

// bitlbee has no slash commands of its own: what is typed in a channel goes
// straight to the prpl's send. When `message` is one of our commands, runs it
// (errors are written to the conversation) and returns true.
bool run_typed_command(PurpleConversation *conv, const char *message);

// The prpl's chat send: our commands when typed (bitlbee), else the module's.
int chat_send(PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags);

}  // namespace hipchat::purple
