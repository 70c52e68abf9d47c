// Rooms (protocol reference §7): the room list from disco#items with
// HipChat's muc#room fields, room pushes, mediated invites, resolving what a
// user typed into a room JID, and what a failed join means. Pure parsing and
// policy; tolerant of missing and odd fields.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/element.hpp"
#include "core/namespaces.hpp"

namespace hipchat::core {

// One room as HipChat describes it (§7.1, §7.3).
struct Room {
    std::string jid;  // bare room JID, e.g. 10804_dev@conf.hipchat.com
    std::string name;
    std::string topic;
    std::string privacy;  // "public" or "private"
    std::string owner;    // the owner's user JID
    std::string guest_url;
    std::uint64_t id = 0;          // numeric room id (REST, §11)
    int participants = 0;          // num_participants
    std::int64_t last_active = 0;  // Unix time, 0 when unknown
    bool archived = false;
    bool deleted = false;  // a push with status='deleted'
};

// One page of disco#items on the MUC host. `next_after` is the value to send
// in the next request's <set><after>, present while the server says there
// are more (an RSM <set> with a <last>, §7.1).
struct RoomPage {
    std::vector<Room> rooms;
    std::optional<std::string> next_after;
};

// Items without a JID are skipped; the name falls back from the item's
// attribute to the x's <name> and then to the JID's node.
RoomPage parse_room_page(const Element &query);

// The room of a muc#room push (§7.3), or nullopt when it names none.
std::optional<Room> parse_room_push(const Element &query);

// Room `jid` as its disco#info answer describes it (§7.2): the identity's
// name, the HipChat x's fields; nullopt without the x.
std::optional<Room> parse_room_info(const Element &query, std::string_view jid);

// A mediated invite (§7.8): <message from=room><x muc#user><invite from=…>.
struct Invite {
    std::string room_jid;  // bare
    std::string inviter;   // the inviter's JID
    std::string reason;
    std::string room_name;  // from the HipChat x, when present
};

std::optional<Invite> parse_invite(const Element &message);

// The node rule of the official web client (§3): trim, lowercase, fold a few
// accented Latin letters, keep letters, digits, spaces and hyphens, spaces to
// '_', runs of '-' collapsed. Only used when the room list is unavailable.
std::string room_slug(std::string_view name);

// The team's group id from a HipChat JID "<group>_<user>@host" (§3), or 0.
std::uint64_t group_id_from_jid(std::string_view jid);

// What a user typed to join a room: a room JID, a room's name or its slug.
// With `rooms` (the room list) a name or slug is looked up there, case-
// insensitively; a JID is taken as it is (lowercased, resource dropped).
// Without a match, nullopt: the caller decides whether to fetch the list or
// guess with room_slug.
std::optional<std::string> find_room_jid(std::string_view input, const std::vector<Room> &rooms);

// The guess when no room list can be had: "<group>_<slug>@<muc host>".
std::string guess_room_jid(std::string_view input, std::uint64_t group_id,
                           std::string_view muc_host);

// Why a join failed, from the error presence's condition (§7.4).
enum class JoinProblem {
    wrong_nick,    // not-acceptable / conflict: the nickname rule
    not_allowed,   // forbidden / registration-required: private or archived
    no_such_room,  // item-not-found
    other,
};

JoinProblem classify_join_error(std::string_view condition);

}  // namespace hipchat::core
