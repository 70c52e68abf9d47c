// HipChat emulator: rooms (protocol reference §7): the room list (disco#items
// on the MUC host, §7.1, with XEP-0059 paging) and room info (§7.2), the
// room's HipChat x, room pushes (§7.3), creating a room by joining it (§7.4),
// administration (§7.7, and REST's room update, rest-rooms.cpp), archiving
// (§7.3, §8.9) and invites (§7.8), with the rules the official client
// follows. Who is in a room, and what they see of each other:
// room-occupants.cpp.
#pragma once

#include <cstdint>
#include <optional>
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
// announced with a push. nullptr without the x, or when it is refused (the
// session is told why).
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

// Why a request about a room is refused: an XMPP condition (with its error
// type and legacy code) or an HTTP status for REST, and the text.
struct Refusal {
    const char *type;
    const char *code;
    const char *condition;
    unsigned http_status;
    std::string text;
};

// A change of a room's settings, from §7.7's IQs or REST's room update;
// what is not set stays as it is.
struct RoomChange {
    std::optional<std::string> name, privacy, topic;
    std::optional<bool> guest_access, archived;
    std::optional<std::uint64_t> owner;  // a user id (REST only)
};

// A new room's name (or `renamed`'s new one): 1 to 50 characters, and no
// other room's; nullopt when it is good.
std::optional<Refusal> room_name_problem(const Organisation &org, const std::string &name,
                                         const Room *renamed);
// Whether `by` may make `change` to `room` (owners and team admins, not in
// an archived room but to restore it, names as room_name_problem says), or
// why not.
std::optional<Refusal> check_change(Organisation &org, const Room &room, const User &by,
                                    const RoomChange &change);
// Makes it: the §8.9 bodyless messages (guest access, archiving) and the
// topic's subject to the occupants, then one room push (§7.3).
void apply_change(XmppServer &server, Room &room, const User &by, const RoomChange &change);

// §7.3: a room push to everyone connected who may see the room; `deleted`
// adds status='deleted' (and goes to everyone).
void push_room(XmppServer &server, const Room &room, bool deleted);

// The room archived or restored by `by` (the control interface, as on the
// website; REST's update does it too): apply_change with that alone.
void set_archived(XmppServer &server, Room &room, bool archived, const User &by);

// §7.8: a mediated invite from the session (`message` to the room), passed
// on to the invitee's sessions or refused with a message error; and the same
// from `from` without a session (REST's invite).
void handle_invite(Connection &session, Room &room, const core::Element &message,
                   const core::Element &invite);
void invite_to_room(XmppServer &server, Room &room, const User &from, const User &invitee,
                    const std::string &reason, bool with_reason);

}  // namespace hipchat::emulator
