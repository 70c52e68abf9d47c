#include "xmpp/levels.hpp"

#include <account.h>
#include <notify.h>
#include <status.h>

#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/conversations.hpp"
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
        const std::string jid = chat_room_jid(chat);
        if (session == nullptr || jid.find('@') == std::string::npos)
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

void adopt_notification_prefs(Session &session, const core::NotificationPrefs &prefs)
{
    LevelsState &state = levels(session);
    state.prefs = prefs;
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
    state.local.erase(jid);
    // Back to the global level: HipChat's own override of the room (if
    // any) is overridden by the global level, set here.
    if (!level && core::room_level(state.prefs, jid) != state.prefs.global)
        level = state.prefs.global;
    if (level)
        state.local[jid] = *level;
    save_local(session);
    return describe_room_notify_level(session, jid, room_name);
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
