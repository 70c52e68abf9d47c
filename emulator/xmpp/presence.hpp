// HipChat emulator: presence (protocol reference §10): a session's presence
// broadcast to the whole team and echoed to it (§10.4), the others'
// presences for a newcomer, unavailable when a session ends (with <mobile>,
// §10.3), and the control interface's simulated sessions. Presences to a
// room are the room's (room-occupants.cpp).
#pragma once

#include <string>

#include "core/element.hpp"

namespace hipchat::emulator {

class Connection;
class XmppServer;

// A <presence> from a live session.
void handle_presence(Connection &session, const core::Element &presence);

// The session ended: unavailable to everyone else, if it was available.
void went_offline(Connection &session);

// A simulated session of `user_jid` (resource "emulator") announces a
// presence (show "" = available, "unavailable" = offline) to everyone
// connected and to later newcomers. False when the JID is unknown.
bool simulate_presence(XmppServer &server, const std::string &user_jid, const std::string &show,
                       const std::string &status);

}  // namespace hipchat::emulator
