// HipChat emulator: editing and deleting a message (protocol reference
// §8.7, §19.2) as the official web client sends them (core/hipchat.js
// editMessage; deleteMessage is the same with an empty body): XEP-0308
// <replace xmlns='urn:xmpp:message-correct:0' id='ORIGINAL_MID' ts='…'/>.
// The server lets people edit only their own messages, keeps the change in
// the history (the new text, or the message gone) and relays the edit to
// the room's occupants or the other person (messages.cpp).
#pragma once

#include "core/element.hpp"
#include "org.hpp"

namespace hipchat::emulator {

class Connection;

enum class EditOutcome {
    none,     // not an edit: an ordinary message
    refused,  // an error went back to the sender; nothing is relayed
    applied,  // the history changed; the edit is to be relayed
};

// `message` from `session` to `room` (a groupchat message) or to `partner`
// (a 1:1 message): when it carries a <replace>, checks that the message it
// names (by mid) is the sender's own in that conversation and applies it
// to the history.
EditOutcome apply_edit(Connection &session, const core::Element &message, Room *room,
                       const User *partner);

// An applied edit in a room, to every occupant including the sender, as any
// groupchat message goes (§8.2: the sender's id, a new mid and ts,
// from_jid) with the <replace> it came with.
void relay_room_edit(Connection &session, const core::Element &message, const Room &room);

}  // namespace hipchat::emulator
