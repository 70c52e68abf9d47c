// HipChat emulator: history (protocol reference §9, §7.4): the history IQ,
// for rooms and for 1:1 conversations, and the backlog a room join brings.
#pragma once

#include "core/element.hpp"
#include "org.hpp"

namespace hipchat::emulator {

class Connection;

// §9: a page of a room's or a conversation's history as messages, oldest
// first, then the empty result.
void history_iq(Connection &session, const core::Element &iq, const core::Element &query);

// The room's last messages after `presence` joined it (§7.4).
void send_join_backlog(Connection &session, const Room &room, const core::Element &presence);

}  // namespace hipchat::emulator
