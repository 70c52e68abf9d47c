// Slash commands in HipChat rooms and chats. The jabber module registers its
// own only for prpl-jabber (in a HipChat conversation its /topic would answer
// "wrong protocol"), so we register the ones that make sense on HipChat for
// prpl-hipchat, with help texts for /help in Pidgin and Finch.
#pragma once

#include <connection.h>
#include <conversation.h>
#include <cmds.h>
#include <plugin.h>

#include <string>

namespace hipchat::purple {

void register_commands(PurplePlugin *plugin);
void unregister_commands();

// For the files of commands (room-commands.cpp, message-commands.cpp):
// The `i`th argument of a command registered with "s" (the rest of the
// line), trimmed; "" when absent.
std::string arg(gchar **args, int i);
// OK for "", else FAILED with `error` for the UI to show.
PurpleCmdRet result(const std::string &error, gchar **error_out);
// Registers a command for HipChat conversations (`where`: CHAT, IM or
// both); add_typed's run typed in bitlbee too (run_typed_command).
void add(const char *name, PurpleCmdFlag where, PurpleCmdFunc func, const char *help);
void add_typed(const char *name, PurpleCmdFlag where, PurpleCmdFunc func, const char *help);
// The room administration commands (room-commands.cpp), and what users do
// to messages and chats (message-commands.cpp).
void register_room_commands();
void register_message_commands();

// bitlbee has no slash commands of its own: what is typed in a channel or a
// query goes straight to the prpl's send. When `message` is one of our
// commands, runs it (errors are written to the conversation, where bitlbee
// shows them) and returns true.
//
// Typed this way, the command runs inside the bitlbee server, not on the
// user's machine: /share, which would upload a file of the server's (its
// configuration, other users' accounts), is refused.
bool run_typed_command(PurpleConversation *conv, const char *message);

// The prpl's sends: our commands when typed (bitlbee), else the message.
int chat_send(PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags);
int im_send(PurpleConnection *gc, const char *who, const char *message, PurpleMessageFlags flags);

}  // namespace hipchat::purple
