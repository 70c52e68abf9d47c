#include "xmpp/levels.hpp"

#include <account.h>
#include <debug.h>
#include <notify.h>
#include <status.h>

#include "core/json.hpp"
#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/conversations.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/rooms.hpp"

namespace hipchat::xmpp {

namespace {

LevelsState &levels(Session &session)
{
    return session.state<LevelsState>();
}

// Busy: the module's "dnd" status, HipChat's Do Not Disturb (presence.hpp).
bool busy(Session &session)
{
    PurpleStatus *status = purple_account_get_active_status(session.account());
    return status != nullptr && purple_status_type_get_primitive(purple_status_get_type(status)) ==
                                    PURPLE_STATUS_UNAVAILABLE;
}

const char *level_words(core::NotifyLevel level)
{
    switch (level) {
    case core::NotifyLevel::loud:
        // TRANSLATORS: a HipChat notification level: every message notifies.
        return _("loud (every message)");
    case core::NotifyLevel::normal:
        // TRANSLATORS: a HipChat notification level.
        return _("normal (messages that mention you, @all and @here)");
    case core::NotifyLevel::quiet:
        // TRANSLATORS: a HipChat notification level.
        return _("quiet (only messages that name you)");
    }
    return "";
}

void save_local(Session &session)
{
    purple_account_set_string(session.account(), levels_setting,
                              core::room_overrides_json(levels(session).local).c_str());
}

// Said in the room, when it is open.
void tell_room(Session &session, const std::string &room_jid, const std::string &text)
{
    if (PurpleConversation *conv = joined_room(session, room_jid))
        write_system_line(conv, text);
}

void on_saved(Session &session, const std::string &room_jid,
              std::map<std::string, core::NotifyLevel> rooms, const net::HttpResponse &response)
{
    const auto answer = core::parse_json(response.body);
    const core::JsonValue *error = answer ? answer->member("error") : nullptr;
    if (response.error.empty() && response.status >= 200 && response.status < 300 && answer &&
        error == nullptr) {
        // HipChat has it now: its override, not ours.
        LevelsState &state = levels(session);
        state.prefs.rooms = std::move(rooms);
        state.local.erase(room_jid);
        save_local(session);
        tell_room(session, room_jid, _("Saved in your HipChat preferences."));
        return;
    }
    std::string why = error != nullptr && error->string() != nullptr ? *error->string()
                      : !response.error.empty()                      ? response.error
                                                : "HTTP " + std::to_string(response.status);
    purple_debug_warning("hipchat", "Preferences not saved on HipChat: %s\n", why.c_str());
    // TRANSLATORS: %s is why HipChat's website did not save a preference.
    char *text = g_strdup_printf(
        _("Kept in this account's settings: HipChat's website did not save it (%s)."), why.c_str());
    tell_room(session, room_jid, text);
    g_free(text);
}

// HipChat's preferences are saved on its website, as the official web
// client does (core/hipchat.js savePreferences): a form with the changed
// preferences as JSON, the user's and team's ids and startup's token, to
// https://{web_host}/api/save_preferences. "" when asked (the answer is
// told in the room), else why it is kept here.
std::string save_on_hipchat(Session &session, const std::string &room_jid,
                            std::map<std::string, core::NotifyLevel> rooms)
{
    const LevelsState &state = levels(session);
    const std::string &web_host = service_hosts(session).web_host;
    net::HttpClient *http = session.http();
    if (http == nullptr || web_host.empty() || state.token.empty())
        return _("Kept in this account's settings: HipChat's website is not known here.");
    auto field = [](const std::string &value) {
        char *escaped = g_uri_escape_string(value.c_str(), nullptr, FALSE);
        std::string out = escaped;
        g_free(escaped);
        return out;
    };
    std::string form =
        "json=" +
        field("{\"roomNotificationOverrides\":" + core::room_overrides_json(rooms) + "}") +
        "&user_id=" + std::to_string(state.user_id) +
        "&group_id=" + std::to_string(state.group_id) + "&token=" + field(state.token) +
        "&format=json";
    http->submit("POST", "https://" + web_host + "/api/save_preferences", "",
                 "application/x-www-form-urlencoded", form,
                 [id = session.id(), room_jid,
                  rooms = std::move(rooms)](net::HttpResponse response) mutable {
                     if (Session *s = Session::find(id))
                         on_saved(*s, room_jid, std::move(rooms), response);
                 });
    core::wipe(form);
    return {};
}

// A room's name for what we say: from the room list, else `fallback`.
std::string room_name(Session &session, const std::string &room_jid, const char *fallback)
{
    const core::Room *room = find_room(session, room_jid);
    return room != nullptr && !room->name.empty() ? room->name : fallback ? fallback : room_jid;
}

// The menu's data: 0 for the level of all rooms, else the level + 1.
gpointer menu_code(std::optional<core::NotifyLevel> level)
{
    return GINT_TO_POINTER(level ? static_cast<int>(*level) + 1 : 0);
}

void on_level_chosen(PurpleBlistNode *node, gpointer data)
{
    util::guard("notification level", [&] {
        if (!PURPLE_BLIST_NODE_IS_CHAT(node))
            return;
        auto *chat = reinterpret_cast<PurpleChat *>(node);
        PurpleConnection *gc = purple_account_get_connection(purple_chat_get_account(chat));
        Session *session = gc != nullptr ? Session::find(gc) : nullptr;
        if (session == nullptr)
            return;
        const std::string jid = room_jid_of(*session, chat);
        if (jid.find('@') == std::string::npos)
            return;
        const int code = GPOINTER_TO_INT(data);
        std::optional<core::NotifyLevel> level;
        if (code > 0)
            level = static_cast<core::NotifyLevel>(code - 1);
        const std::string said = set_room_notify_level(
            *session, jid, room_name(*session, jid, purple_chat_get_name(chat)), level);
        if (PurpleConversation *conv = joined_room(*session, jid))
            write_system_line(conv, said);
        else
            purple_notify_info(gc, _("Notifications"), said.c_str(), nullptr);
    });
}

}  // namespace

void adopt_notification_prefs(Session &session, const core::Startup *startup)
{
    LevelsState &state = levels(session);
    state.prefs = startup != nullptr ? startup->notifications : core::NotificationPrefs{};
    if (startup != nullptr) {
        state.user_id = startup->user_id;
        state.group_id = startup->group_id;
        state.token = startup->token;
    }
    const char *local = purple_account_get_string(session.account(), levels_setting, "");
    state.local = core::parse_room_overrides(local != nullptr ? local : "");
}

core::NotifyLevel room_notify_level(Session &session, const std::string &room_jid)
{
    const LevelsState &state = levels(session);
    const auto local = state.local.find(core::ascii_lower(room_jid));
    return local != state.local.end() ? local->second : core::room_level(state.prefs, room_jid);
}

bool may_highlight(Session &session, const std::string &room_jid, core::Mention mention)
{
    if (busy(session) && !levels(session).prefs.notify_when_dnd)
        return false;
    return core::level_highlights(room_notify_level(session, room_jid), mention);
}

std::string set_room_notify_level(Session &session, const std::string &room_jid,
                                  const std::string &room_name,
                                  std::optional<core::NotifyLevel> level)
{
    LevelsState &state = levels(session);
    const std::string jid = core::ascii_lower(room_jid);
    // HipChat's overrides as they are to be (roomNotificationOverrides
    // without the room means the global level: room_notifications_form.js).
    auto rooms = state.prefs.rooms;
    if (level)
        rooms[jid] = *level;
    else
        rooms.erase(jid);
    // In effect at once, and kept here until HipChat has it.
    state.local.erase(jid);
    const core::NotifyLevel effective = level.value_or(state.prefs.global);
    if (core::room_level(state.prefs, jid) != effective)
        state.local[jid] = effective;
    save_local(session);
    const std::string kept = save_on_hipchat(session, jid, std::move(rooms));
    const std::string said = describe_room_notify_level(session, jid, room_name);
    return kept.empty() ? said : said + " " + kept;
}

std::string describe_room_notify_level(Session &session, const std::string &room_jid,
                                       const std::string &room_name)
{
    // TRANSLATORS: %s are a room's name, its notification level, and
    // HipChat's level for all rooms, e.g. "Notifications in Dev: quiet (only
    // messages that name you). For all rooms: loud (every message)."
    char *text =
        g_strdup_printf(_("Notifications in %s: %s. For all rooms: %s."), room_name.c_str(),
                        level_words(room_notify_level(session, room_jid)),
                        level_words(levels(session).prefs.global));
    std::string out = text;
    g_free(text);
    return out;
}

std::string notify_command(PurpleConversation *conv, const std::string &text)
{
    Session *session = Session::of(conv);
    if (session == nullptr || purple_conversation_get_type(conv) != PURPLE_CONV_TYPE_CHAT)
        return _("Not connected.");
    const std::string jid = core::ascii_lower(core::bare_jid(purple_conversation_get_name(conv)));
    const std::string name = room_name(*session, jid, purple_conversation_get_title(conv));
    if (text.empty()) {
        write_system_line(conv, describe_room_notify_level(*session, jid, name));
        return {};
    }
    const auto level = core::parse_notify_level(text);
    if (!level && text != "default")
        return _("Say how this room may notify you: /notify loud, normal, quiet or default");
    write_system_line(conv, set_room_notify_level(*session, jid, name, level));
    return {};
}

PurpleMenuAction *notification_level_menu()
{
    GList *choices = nullptr;
    auto choice = [&choices](const char *label, std::optional<core::NotifyLevel> level) {
        choices =
            g_list_append(choices, purple_menu_action_new(label, PURPLE_CALLBACK(on_level_chosen),
                                                          menu_code(level), nullptr));
    };
    // TRANSLATORS: a room's notification levels (HipChat's loud, normal, quiet).
    choice(_("Loud: every message"), core::NotifyLevel::loud);
    choice(_("Normal: mentions, @all and @here"), core::NotifyLevel::normal);
    choice(_("Quiet: only messages that name me"), core::NotifyLevel::quiet);
    choice(_("As all rooms"), std::nullopt);
    // TRANSLATORS: a room's menu: how it may notify you.
    return purple_menu_action_new(_("Notifications"), nullptr, nullptr, choices);
}

}  // namespace hipchat::xmpp
