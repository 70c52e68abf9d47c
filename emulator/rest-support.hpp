// HipChat emulator: what the API host's files (rest-server.cpp,
// rest-rooms.cpp) share.
#pragma once

#include <libsoup/soup.h>

#include <string>

#include "org.hpp"

namespace hipchat::emulator {

// §13: an error answer, JSON {"error": {"code", "message", "type"}}.
void rest_error(SoupServerMessage *message, unsigned code, const char *type,
                const std::string &text);

// The room a path names by id or by name (§13's paths), or nullptr.
Room *room_by_id_or_name(Organisation &org, const std::string &key);

}  // namespace hipchat::emulator
