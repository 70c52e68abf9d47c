// HipChat emulator: who is in a room (protocol reference §7.4-§7.6, §10.6):
// joining by presence (the nick rule, refusals, the others' presences, the
// backlog and the subject), presence changes inside the room, leaving and
// being removed (§7.5), and topic changes (§7.6). Occupants are never
// anonymous (§7.4).
#pragma once

#include <string>
#include <vector>

#include "core/element.hpp"
#include "org.hpp"

namespace hipchat::emulator {

class Connection;
class XmppServer;

// A <presence> from a live session to a JID on the MUC host: a join, a
// presence change inside the room, or leaving.
void handle_room_presence(Connection &session, const core::Element &presence);

// Whether the session is in the room; who is (each user once), and how many.
bool in_room(Connection &session, const Room &room);
std::vector<const User *> participant_users(XmppServer &server, const Room &room);
int participants(XmppServer &server, const Room &room);

// §7.5: `removed` taken out of the room by `actor`, from every session; every
// session out as if disconnected (the room is being destroyed, §7.7); a
// session that ended, out of every room it is in. (A user closing the room
// is a presence, handle_room_presence.)
void remove_from_room(XmppServer &server, const Room &room, const User &removed, const User &actor);
void empty_room(XmppServer &server, const Room &room);
void leave_all_rooms(Connection &session);

// §7.6: a new topic (at most 250 characters) from `by` (in the room, or over
// REST), from room/Setter Name to every occupant.
void change_topic(XmppServer &server, Room &room, const User &by, const std::string &topic);

// §7.4 [INFERRED shape]: a presence error from the room JID the client used
// (`from`), with an error type, legacy code, condition and text.
void room_presence_error(Connection &session, const std::string &from, const char *type,
                         const char *code, const char *condition, const std::string &text);
// §1, §7.4: the refusal of a nick that is not the one the nick rule wants.
void wrong_nick(Connection &session, const std::string &to);

}  // namespace hipchat::emulator
