// Room administration (protocol reference §7.4–§7.8, §8.9), as the official
// client does it (dal.room.js, rooms_plugin.js, hipchat.js): creating a room
// by joining it with HipChat's x, renaming it, making it private or public,
// turning guest access on or off, deleting it (XMPP), archiving and restoring
// it (REST's room update: the reference has no XMPP request for that),
// inviting people and removing members.
//
// Each request returns "" once it is on its way, or why it cannot be made (the
// caller tells the user at once). What the server answers later is told to
// whoever asked: its refusals in words, and, where the room itself will not
// say it (the room's pushes and §8.9 lines reach its conversation), that it
// is done. Told means written into the asking conversation with
// write_system_line (bitlbee shows those), or a dialog when there is none.
#pragma once

#include <connection.h>
#include <conversation.h>
#include <plugin.h>

#include <set>
#include <string>

#include "core/room-admin.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// A request about a room: the connection, the room, and the conversation
// that asked (type and name, found again when the answer comes; none: a
// dialog).
struct RoomTarget {
    Session *session = nullptr;  // nullptr: not connected
    std::string room_jid;
    PurpleConversationType asker_type = PURPLE_CONV_TYPE_UNKNOWN;
    std::string asker;
};

// The room of a chat conversation, asked from it (we need not be in it).
RoomTarget room_target(PurpleConversation *conv);
// Room `room_jid` of `session`, asked from its conversation when there is one.
RoomTarget room_target(Session &session, const std::string &room_jid);

// Tells whoever asked: `text` written into the asking conversation, or a
// dialog (an error's or an information's) when there is none.
void tell_asker(Session &session, const RoomTarget &target, const std::string &text, bool error);

// Creates `room` and joins it (§7.4), after the official client's checks
// (create_room_form.js) against the room list. `target.room_jid` is unused:
// the room's JID comes from its name (§3).
std::string create_room(const RoomTarget &target, const core::NewRoom &room);
// §7.7: a new name (the JID stays, §3).
std::string rename_room(const RoomTarget &target, const std::string &name);
std::string set_privacy(const RoomTarget &target, bool make_private);
// On: the guest link is told (by the room's §8.9 line, or asked of the room).
std::string set_guest_access(const RoomTarget &target, bool on);
// PUT /v2/room/{id} with the room's settings as the room tells them now.
std::string set_archived(const RoomTarget &target, bool archived);
// muc#owner <destroy/>, asked only once the user confirmed (purple/).
std::string delete_room(const RoomTarget &target);
// §7.8: a mediated invite; `who` a JID, a full name or a mention name.
std::string invite(const RoomTarget &target, const std::string &who, const std::string &reason);
// §7.5: `who` (a room nick, JID, full name or mention name) out of the
// room's members, and out of the room.
std::string remove_member(const RoomTarget &target, const std::string &who);

// What room-admin keeps for a connection (Session::state): the rooms whose
// settings are being asked, and those that said they do not exist.
struct RoomAdminState {
    std::set<std::string> asking, missing;
};

// The settings of a room the room list did not bring (joined by its
// address, or an archived room the list leaves out, §7.1), asked of the room
// (§7.2) and kept with the list's; once per room. For the room's menu and
// for /privacy and /guest.
void learn_room(Session &session, const std::string &room_jid);
// The room answered that it does not exist.
bool room_missing(Session &session, const std::string &room_jid);
// Every room we join is learnt (libpurple's chat-joined; connected at the
// first login, as the conversation signals are there only then).
void connect_room_admin_signals(PurplePlugin *plugin);

// The room's settings in words, for /privacy and /guest without arguments:
// "This room is private.", "Guest access is on: <link>", …; "" when the
// room is not known.
std::string describe_privacy(const RoomTarget &target);
std::string describe_guest_access(const RoomTarget &target);

// The prpl's chat_invite (Pidgin's Invite dialog): `who` as for invite().
void chat_invite(PurpleConnection *gc, int id, const char *message, const char *who);

// The new room's x on its join (§7.4) and refused invites (§7.8), in the
// router's tables; before rooms.cpp's routes.
void register_room_admin_routes();

}  // namespace hipchat::xmpp
