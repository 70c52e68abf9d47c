// Files (protocol reference §11, §8.8): HipChat shares files over its REST
// API, not XMPP. Sending goes through libpurple's file-transfer UI (progress,
// cancel) to share/file for people and rooms; receiving offers a shared
// file as an incoming transfer, downloaded with the bearer token when the
// file is HipChat's authenticated kind.
#pragma once

#include <connection.h>
#include <conversation.h>
#include <ft.h>

#include <string>

namespace hipchat::purple {

// The prpl's operations (people): Pidgin's "Send File…", bitlbee's DCC.
gboolean can_receive_file(PurpleConnection *gc, const char *who);
void send_file(PurpleConnection *gc, const char *who, const char *filename);
PurpleXfer *new_xfer(PurpleConnection *gc, const char *who);

// /share [path] in a room or chat: uploads `path` (a file dialog when empty).
std::string share(PurpleConversation *conv, const std::string &path);
// /download [name] in a room or chat: the last file shared there (or the
// last one called `name`), through the file-transfer UI.
std::string download(PurpleConversation *conv, const std::string &name);

// Offers files people send us 1:1 as incoming transfers (xmpp/messages.cpp
// tells us of each file it shows). Set at plugin load.
void install_file_offers();

}  // namespace hipchat::purple
