// Notification levels (protocol reference §19.6): how loudly a room may ask
// for the user's attention, from their HipChat preferences in the startup
// reply. The official web client is the evidence: keys/preferences_keys.js,
// models/preferences_model.js (normalising the values),
// stores/preferences_store.js (defaults) and processors/message_processor.js
// shouldNotify/shouldNotifyForLevel (what each level lets through).
//
// Pure: parsing the preferences, the level of a room, and whether a message
// may ask for attention (PURPLE_MESSAGE_NICK in the glue).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/element.hpp"

namespace hipchat::core {

enum class NotifyLevel {
    loud,    // every message notifies (the web client's default)
    normal,  // messages that mention the user, @all and @here included
    quiet,   // only messages that name the user (@MentionName, @"Full Name")
};

// "loud", "normal" or "quiet", tolerating the stray quotes the web client
// strips (normalizeString); nullopt for anything else.
std::optional<NotifyLevel> parse_notify_level(std::string_view text);
const char *notify_level_name(NotifyLevel level);

// The notification preferences of the startup reply (§19.6).
struct NotificationPrefs {
    NotifyLevel global = NotifyLevel::loud;
    // By room JID (lowercased): roomNotificationOverrides[jid].level.
    std::map<std::string, NotifyLevel> rooms;
    bool notify_when_dnd = false;  // getDefaults(): false
};

// From the startup reply's <preferences> (nullptr: none). XML carries
// roomNotificationOverrides as JSON text ("sometimes an object, sometimes a
// json string, sometimes an empty string", preferences_model.js): the JSON
// object {"<room jid>": {"level": "quiet"}, …} is read, anything else is no
// override. A missing or invalid globalNotificationSetting is loud unless
// notifyForRoom and notifyForPrivateRoom are both off, then normal
// (normalizeGlobalNotificationSetting, getValidDefaults).
NotificationPrefs parse_notification_prefs(const Element *preferences);

// roomNotificationOverrides from its JSON text; unknown levels and entries
// that are not {"level": …} objects are skipped. At most 10,000 rooms.
std::map<std::string, NotifyLevel> parse_room_overrides(std::string_view json);
// The same written back as JSON text, as saved to HipChat's preferences.
std::string room_overrides_json(const std::map<std::string, NotifyLevel> &rooms);

// A room's level: its override, else the global one.
NotifyLevel room_level(const NotificationPrefs &prefs, std::string_view room_jid);

// How a message addresses the user (§8.6).
enum class Mention {
    none,
    everyone,  // @all or @here only
    direct,    // @MentionName or @"Full Name"
};

// Whether a room message that mentions the user so may ask for attention at
// `level` (shouldNotifyForLevel: quiet lets through direct mentions only,
// normal and loud every mention). Ordinary messages never highlight: a loud
// room's other messages notify as the client's own settings for room
// messages say.
bool level_highlights(NotifyLevel level, Mention mention);

}  // namespace hipchat::core
