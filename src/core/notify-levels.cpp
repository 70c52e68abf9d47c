#include "core/notify-levels.hpp"

#include "core/files.hpp"
#include "core/json.hpp"
#include "core/text.hpp"

namespace hipchat::core {

namespace {

constexpr std::size_t max_overrides = 10000;

// A preference's text, or nullopt when the element is absent.
std::optional<std::string_view> preference(const Element *preferences, std::string_view key)
{
    const Element *child = preferences != nullptr ? preferences->child(key) : nullptr;
    if (child == nullptr)
        return std::nullopt;
    return trim(child->text);
}

// notifyForRoom and notifyForPrivateRoom default to on (getValidDefaults).
bool on_unless_off(const Element *preferences, std::string_view key)
{
    const auto text = preference(preferences, key);
    return !text || text->empty() || parse_flag(*text);
}

}  // namespace

std::optional<NotifyLevel> parse_notify_level(std::string_view text)
{
    std::string plain;
    for (char c : trim(text)) {
        if (c != '"')
            plain += c;
    }
    if (plain == "loud")
        return NotifyLevel::loud;
    if (plain == "normal")
        return NotifyLevel::normal;
    if (plain == "quiet")
        return NotifyLevel::quiet;
    return std::nullopt;
}

const char *notify_level_name(NotifyLevel level)
{
    switch (level) {
    case NotifyLevel::loud:
        return "loud";
    case NotifyLevel::normal:
        return "normal";
    case NotifyLevel::quiet:
        return "quiet";
    }
    return "loud";
}

NotificationPrefs parse_notification_prefs(const Element *preferences)
{
    NotificationPrefs prefs;
    const auto global = preference(preferences, "globalNotificationSetting");
    const auto level = global ? parse_notify_level(*global) : std::nullopt;
    if (level)
        prefs.global = *level;
    else if (!on_unless_off(preferences, "notifyForRoom") &&
             !on_unless_off(preferences, "notifyForPrivateRoom"))
        prefs.global = NotifyLevel::normal;
    if (const auto overrides = preference(preferences, "roomNotificationOverrides"))
        prefs.rooms = parse_room_overrides(*overrides);
    if (const auto dnd = preference(preferences, "notifyWhenDND"))
        prefs.notify_when_dnd = parse_flag(*dnd);
    return prefs;
}

std::map<std::string, NotifyLevel> parse_room_overrides(std::string_view json)
{
    std::map<std::string, NotifyLevel> rooms;
    const auto value = parse_json(json, 8);
    const JsonObject *object = value ? value->object() : nullptr;
    if (object == nullptr)
        return rooms;
    for (const auto &[jid, entry] : *object) {
        if (rooms.size() == max_overrides)
            break;
        const auto level = parse_notify_level(entry.text("level"));
        const std::string room = ascii_lower(trim(jid));
        if (level && room.find('@') != std::string::npos)
            rooms[room] = *level;
    }
    return rooms;
}

std::string room_overrides_json(const std::map<std::string, NotifyLevel> &rooms)
{
    std::string json = "{";
    for (const auto &[jid, level] : rooms) {
        if (json.size() > 1)
            json += ',';
        json += json_string(jid) + ":{\"level\":\"" + notify_level_name(level) + "\"}";
    }
    return json + "}";
}

NotifyLevel room_level(const NotificationPrefs &prefs, std::string_view room_jid)
{
    const auto it = prefs.rooms.find(ascii_lower(room_jid));
    return it != prefs.rooms.end() ? it->second : prefs.global;
}

bool level_highlights(NotifyLevel level, Mention mention)
{
    switch (mention) {
    case Mention::none:
        return false;
    case Mention::everyone:
        return level != NotifyLevel::quiet;
    case Mention::direct:
        return true;
    }
    return false;
}

}  // namespace hipchat::core
