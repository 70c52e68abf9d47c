// Notification levels (protocol reference §19.6): how loudly each room may
// ask for the user's attention, from HipChat's preferences in the startup
// reply (globalNotificationSetting, roomNotificationOverrides,
// notifyWhenDND), with the rooms the user set otherwise in this client on
// top. Messages (messages.cpp) ask may_highlight() before they flag a
// mention PURPLE_MESSAGE_NICK, which is what makes Pidgin flash and sound
// and Finch mark a window; the room menu and /notify change a room's level,
// saved to HipChat's preferences through its website as the official web
// client does (core/hipchat.js savePreferences) when the website takes it,
// else kept in the account.
#pragma once

#include <blist.h>
#include <conversation.h>
#include <util.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/auth.hpp"
#include "core/notify-levels.hpp"
#include "core/people.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// What levels.cpp keeps for a connection (Session::state<LevelsState>()).
struct LevelsState {
    core::NotificationPrefs prefs;  // HipChat's, from startup
    // Set in this client, by room JID, kept in the account (levels_setting):
    // they win over HipChat's overrides.
    std::map<std::string, core::NotifyLevel> local;
    // Who saves preferences on the website: startup's user_id, group_id and
    // token (§6.2; the web client's apiv1_token, a secret).
    std::uint64_t user_id = 0, group_id = 0;
    std::string token;

    LevelsState() = default;
    LevelsState(const LevelsState &) = delete;
    LevelsState &operator=(const LevelsState &) = delete;
    ~LevelsState() { core::wipe(token); }
};

// The account setting that keeps the levels set in this client, as
// roomNotificationOverrides' JSON (not an option a user edits).
inline constexpr const char *levels_setting = "room_levels";

// From startup (§6.2, §19.6; nullptr when it failed: HipChat's defaults),
// with this client's own overrides read from the account.
void adopt_notification_prefs(Session &session, const core::Startup *startup);

// A room's level: set here, else HipChat's override, else the global one.
core::NotifyLevel room_notify_level(Session &session, const std::string &room_jid);
// Whether a room message that mentions the user so may ask for attention:
// the room's level lets it through (shouldNotifyForLevel), and the user is
// not busy ("Do Not Disturb") unless notifyWhenDND says so (shouldNotify).
bool may_highlight(Session &session, const std::string &room_jid, core::Mention mention);

// Sets a room's level (nullopt: back to the global level) at once, and
// saves it to HipChat's preferences, or where the website does not take it
// in the account; what happened is said in the room when it is open. The
// sentence to tell the user now.
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
