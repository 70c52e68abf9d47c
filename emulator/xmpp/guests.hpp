// HipChat emulator: guests in rooms (protocol reference §7.4, §19.7). A
// guest is someone outside the team who came into a room through its guest
// link (§8.9). How a guest's own client logged in is [UNKNOWN] (the web
// client's guest mode), so the emulator keeps guests without a connection,
// driven by the control interface (POST /guest); the room's occupants see
// them as HipChat showed guests to its members:
//  * joining: a presence from room/<the name they gave> whose item has role
//    'visitor', affiliation 'member', the guest's JID and a mention name
//    (the web client's captured stanza, core/models/user.js 111-125);
//  * never in the roster (user.js 83) nor in room lists;
//  * leaving: an unavailable presence with a <status> like members' (§7.5);
//    when the room's guest access is turned off, every guest leaves with
//    <status>hc-not-allowed</status> (application_store.js 2328-2332 shows
//    that status as "(guest access unavailable)") [INFERRED pairing].
#pragma once

#include <cstdint>
#include <string>

#include "org.hpp"

namespace hipchat::emulator {

class Connection;
class XmppServer;

// One guest in one room.
struct Guest {
    std::uint64_t id = 0;  // a user id outside the team's: the JID is shaped like a user's (§3)
    std::string name;      // the name they gave: their nick in the room
    std::string
        mention_name;  // the name without white space, then "Guest" ('a guest' -> 'aguestGuest')
};

// The guest's full JID: <group>_<id>@<chat host>/web.
std::string guest_jid(XmppServer &server, const Guest &guest);

// A guest called `name` comes into `room`; nullptr when the room has no
// guest access (or is archived), or the name is empty or taken by someone
// in the room.
const Guest *admit_guest(XmppServer &server, Room &room, const std::string &name);
// The guest with that JID (bare or full) leaves `room` with `status`; false
// when no such guest is in it.
bool guest_leaves(XmppServer &server, Room &room, const std::string &jid,
                  const std::string &status);
// Guest access turned off: every guest leaves with hc-not-allowed.
void guests_turned_away(XmppServer &server, Room &room);
// The guest with that JID in `room`, or nullptr.
const Guest *find_guest(XmppServer &server, const Room &room, const std::string &jid);
// To a session joining `room`: the guests' presences, as the other occupants'.
void send_guests(Connection &session, const Room &room);

}  // namespace hipchat::emulator
