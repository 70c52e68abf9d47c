// HipChat emulator: rooms (protocol reference §7): the room list (disco#items
// on the MUC host, §7.1, with XEP-0059 paging) and room info (§7.2), the
// room's HipChat x, room pushes (§7.3), creating a room by joining it (§7.4),
// administration (§7.7), archiving (§7.3, §8.9) and invites (§7.8). Who is in
// a room, and what they see of each other: room-occupants.cpp.
#pragma once

#include <string>

#include "core/element.hpp"
#include "org.hpp"

namespace hipchat::emulator {

class Connection;
class XmppServer;

// The HipChat room fields of §7.1/§7.2 (in disco, startup autoJoin, invites).
std::string room_x(XmppServer &server, const Room &room, bool with_name = true);
// Public rooms, and private ones the user owns or belongs to ([INFERRED] §7.1).
bool may_see(const Room &room, const User &user);

// The IQ handlers (iq.cpp's table).
void room_list_iq(Connection &session, const core::Element &iq, const core::Element &query);
void muc_service_info_iq(Connection &session, const core::Element &iq, const core::Element &query);
void room_info_iq(Connection &session, const core::Element &iq, const core::Element &query);
void room_admin_iq(Connection &session, const core::Element &iq, const core::Element &query);

// §7.4: a join (an available presence to `to`, a room JID that does not
// exist) with a muc#room x creates the room, owned by the session's user and
// announced with a push. nullptr when the presence does not create one.
Room *create_room(Connection &session, const core::Element &presence, const std::string &to);

// A new room owned by `owner` (its id, version, creation time and members
// filled in here), announced with a room push (§7.3); by a join (above) or
// over REST.
Room &add_room(XmppServer &server, Room room, const User &owner);
// §7.7 <destroy/> (or REST's delete): everyone out, a deleted push, gone.
void destroy_room(XmppServer &server, Room &room);
// §7.5: `removed` is no longer a member, and out of the room, by `actor`.
void remove_member(XmppServer &server, Room &room, const User &removed, const User &actor);
// §7.7 guest access on or off, with its §8.9 message from `by`.
void set_guest_access(XmppServer &server, Room &room, bool on, const User &by);

// §7.3: a room push to everyone connected who may see the room; `deleted`
// adds status='deleted' (and goes to everyone).
void push_room(XmppServer &server, const Room &room, bool deleted);

// The room archived or restored by `by` (on the website: the reference has
// no IQ for it): a room push (§7.3) and a bodyless is_archived message to
// the occupants (§8.9).
void set_archived(XmppServer &server, Room &room, bool archived, const User &by);

// §7.8: a mediated invite from the session (a <message> to the room),
// passed on to the invitee's sessions; and the same from `from` without a
// session (REST's invite).
void handle_invite(Connection &session, Room &room, const core::Element &invite);
void invite_to_room(XmppServer &server, Room &room, const User &from, const User &invitee,
                    const std::string &reason, bool with_reason);

}  // namespace hipchat::emulator
