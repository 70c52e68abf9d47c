// People: HipChat's roster extras, the startup and profile IQs, and what its
// presence values mean (protocol reference §6, §10). Pure parsing; tolerant
// of missing and odd fields ([UNKNOWN] shapes in the reference).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/element.hpp"
#include "core/namespaces.hpp"
#include "core/notify-levels.hpp"

namespace hipchat::core {

// One roster <item> (§6.3).
struct RosterItem {
    std::string jid;           // bare JID
    std::string name;          // full name: the buddy's server alias and MUC nick
    std::string mention_name;  // without '@'
    std::string email;
    std::string photo_url;
    std::string mobile;    // "iphone", "android" or empty
    std::string version;   // per-user version hash
    std::uint64_t id = 0;  // numeric user id (from `id`, else the JID)
    bool removed = false;  // subscription='remove' in a push
};

// The items of a jabber:iq:roster <query>; items without a JID are skipped.
std::vector<RosterItem> parse_roster(const Element &query);

// The numeric user id in "<group>_<user>@host" (§3), or 0.
std::uint64_t user_id_from_jid(std::string_view jid);

struct AutoJoinItem {
    std::string jid;   // room JID, or a person's JID for a 1:1
    std::string name;  // the room's name when known
    bool is_room = false;
};

// The startup IQ's reply (§6.2).
struct Startup {
    std::uint64_t user_id = 0;
    std::string name, mention_name, email, title, photo_small, photo_large;
    std::uint64_t group_id = 0;
    std::string group_name, group_uri_domain;
    bool is_admin = false, is_guest = false;
    std::string token;  // an API token; a secret
    std::vector<AutoJoinItem> auto_join;
    NotificationPrefs notifications;  // §19.6, from <preferences>
};

// nullopt when `query` is not a startup reply or lacks the user's name.
std::optional<Startup> parse_startup(const Element &query);

// The profile IQ's reply (§6.4).
struct Profile {
    std::string name, mention_name, email, title, photo_small, photo_large;
    std::string timezone;              // e.g. "Europe/Berlin"
    std::optional<double> utc_offset;  // hours, from <timezone utc_offset=...>
};

std::optional<Profile> parse_profile(const Element &query);

// "14:05 (UTC+5:30)": the local time of someone `utc_offset` hours from UTC
// at `now` (Unix time), for Get Info (§6.4).
std::string local_time_text(long long now, double utc_offset);

// HipChat's presence values (§10.1).
enum class Availability { available, idle, away, dnd, mobile, offline };

// From an incoming presence: its type, <show>, and whether it carries the
// mobile marker (a `mobile` attribute or <mobile> child, §10.3).
Availability availability_from(std::string_view type, std::string_view show, bool mobile_marker);

// The <show> we send for a state: Available is "chat", Away "xa", Busy "dnd",
// idle "away" (§10.1).
std::string_view show_for(Availability availability);

}  // namespace hipchat::core
