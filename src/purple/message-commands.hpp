// What HipChat's users do to messages and chats, as commands
// (register_message_commands in purple/commands.hpp, typed in bitlbee too):
// /edit, /delete (§8.7, §19.2), /call (§19.1), /files and /links (§8.8,
// §8.5); and a typed `s/old/new/` checked before it is sent.
#pragma once

#include <cmds.h>
#include <conversation.h>

namespace hipchat::purple {

// A message the user typed (the UI's HTML): an ordinary one, an
// `s/old/new/` to send as it is, or one refused (the reason is written in
// `conv`; nothing is to be sent).
enum class Typed { message, correction, refused };
Typed check_typed_correction(PurpleConversation *conv, const char *message);

}  // namespace hipchat::purple
