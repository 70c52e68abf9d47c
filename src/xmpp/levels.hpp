// Notification levels (protocol reference §19.6): how loudly each room may
// ask for the user's attention, from HipChat's preferences in the startup
// reply (globalNotificationSetting, roomNotificationOverrides,
// notifyWhenDND), with the rooms the user set otherwise in this client on
// top. Messages (messages.cpp) ask may_highlight() before they flag a
// mention PURPLE_MESSAGE_NICK, which is what makes Pidgin flash and sound
// and Finch mark a window; the room menu and /notify change a room's level.
#pragma once

#include <blist.h>
#include <conversation.h>
#include <util.h>

#include <map>
#include <optional>
#include <string>

#include "core/notify-levels.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// What levels.cpp keeps for a connection (Session::state<LevelsState>()).
struct LevelsState {
    core::NotificationPrefs prefs;  // HipChat's, from startup
    // Set in this client, by room JID, kept in the account (levels_setting):
    // they win over HipChat's overrides.
    std::map<std::string, core::NotifyLevel> local;
};

// The account setting that keeps the levels set in this client, as
// roomNotificationOverrides' JSON (not an option a user edits).
inline constexpr const char *levels_setting = "room_levels";

// From startup (§19.6), with this client's own overrides read from the
// account.
void adopt_notification_prefs(Session &session, const core::NotificationPrefs &prefs);

// A room's level: set here, else HipChat's override, else the global one.
core::NotifyLevel room_notify_level(Session &session, const std::string &room_jid);
// Whether a room message that mentions the user so may ask for attention:
// the room's level lets it through (shouldNotifyForLevel), and the user is
// not busy ("Do Not Disturb") unless notifyWhenDND says so (shouldNotify).
bool may_highlight(Session &session, const std::string &room_jid, core::Mention mention);

// Sets a room's level in this client (nullopt: back to the global level),
// kept in the account for the next logins. The sentence to tell the user.
std::string set_room_notify_level(Session &session, const std::string &room_jid,
                                  const std::string &room_name,
                                  std::optional<core::NotifyLevel> level);
// "Notifications in Dev: quiet (only …). For all rooms: loud (every message)."
std::string describe_room_notify_level(Session &session, const std::string &room_jid,
                                       const std::string &room_name);

// /notify [loud|normal|quiet|default] in a room: shows its level, or sets
// it, saying so in the room. "" or why not.
std::string notify_command(PurpleConversation *conv, const std::string &level);
// A room's "Notifications" submenu for the prpl's blist_node_menu (taken by
// the caller's list): its levels, and the level of all rooms.
PurpleMenuAction *notification_level_menu();

}  // namespace hipchat::xmpp
