// What HipChat's users do to messages and chats, as commands (registered
// with the others by purple/commands.cpp, typed in bitlbee too): /edit,
// /delete (§8.7, §19.2), /call (§19.1), /files and /links (§8.8, §8.5);
// and a typed `s/old/new/` checked before it is sent.
#pragma once

#include <cmds.h>
#include <conversation.h>

#include <vector>

namespace hipchat::purple {

struct CommandSpec {
    const char *name;
    PurpleCmdFlag where;  // PURPLE_CMD_FLAG_CHAT and/or _IM
    PurpleCmdFunc func;
    const char *help;  // translated
};
std::vector<CommandSpec> message_commands();

// A message the user typed (the UI's HTML): an ordinary one, an
// `s/old/new/` to send as it is, or one refused (the reason is written in
// `conv`; nothing is to be sent).
enum class Typed { message, correction, refused };
Typed check_typed_correction(PurpleConversation *conv, const char *message);

}  // namespace hipchat::purple
