#include "purple/room-menu.hpp"

#include <connection.h>
#include <request.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "core/text.hpp"
#include "purple/protocol.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/history.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/rooms.hpp"

namespace hipchat::purple {

namespace {

// --- Dialogs, closed with the connection -------------------------------------

// What a dialog's answer is given to: a name (rename, invite, remove).
using NameAction = std::string (*)(const xmpp::RoomTarget &, const std::string &);

// An open dialog about a room: what it is about, and whose. It is the
// dialog's handle and its callbacks' data.
struct Dialog {
    std::uint64_t session_id = 0;
    xmpp::RoomTarget target;  // (its session pointer cleared)
    NameAction act = nullptr;
};

// The dialogs a connection has open (Session::state): closed, unanswered,
// when it goes (libpurple then calls none of their callbacks).
struct RoomDialogs {
    std::vector<std::unique_ptr<Dialog>> open;

    RoomDialogs() = default;
    RoomDialogs(const RoomDialogs &) = delete;
    RoomDialogs &operator=(const RoomDialogs &) = delete;
    ~RoomDialogs()
    {
        for (const auto &dialog : open)
            purple_request_close_with_handle(dialog.get());
    }
};

Dialog *open_dialog(const xmpp::RoomTarget &target, NameAction act = nullptr)
{
    auto dialog = std::make_unique<Dialog>();
    dialog->session_id = target.session->id();
    dialog->target = target;
    dialog->target.session = nullptr;
    dialog->act = act;
    Dialog *raw = dialog.get();
    target.session->state<RoomDialogs>().open.push_back(std::move(dialog));
    return raw;
}

// The dialog answered or cancelled: forgotten, and what it was about
// returned (the target with its session); nullopt when that is gone.
std::optional<Dialog> close_dialog(Dialog *dialog)
{
    xmpp::Session *session = xmpp::Session::find(dialog->session_id);
    if (session == nullptr)
        return std::nullopt;
    auto &open = session->state<RoomDialogs>().open;
    const auto it = std::find_if(open.begin(), open.end(),
                                 [dialog](const auto &d) { return d.get() == dialog; });
    if (it == open.end())
        return std::nullopt;
    Dialog answered = **it;
    answered.target.session = session;
    open.erase(it);
    return answered;
}

// A request's problem, to whoever asked.
void report(const xmpp::RoomTarget &target, const std::string &error)
{
    if (!error.empty() && target.session != nullptr)
        xmpp::tell_asker(*target.session, target, error, true);
}

PurpleAccount *account_of(const xmpp::RoomTarget &target)
{
    return target.session->account();
}

void on_cancel_input(Dialog *dialog, const char *)
{
    util::guard("room dialog", [dialog] { close_dialog(dialog); });
}

void on_name(Dialog *dialog, const char *value)
{
    util::guard("room dialog", [dialog, value] {
        const auto answered = close_dialog(dialog);
        const std::string name = value != nullptr ? value : "";
        if (answered && answered->act != nullptr && !name.empty())
            report(answered->target, answered->act(answered->target, name));
    });
}

// An input dialog whose answer goes to `act`.
void ask_for_name(const xmpp::RoomTarget &target, const char *title, const char *primary,
                  const std::string &current, NameAction act)
{
    Dialog *dialog = open_dialog(target, act);
    purple_request_input(dialog, title, primary, nullptr, current.c_str(), FALSE, FALSE, nullptr,
                         _("_OK"), G_CALLBACK(on_name), _("_Cancel"), G_CALLBACK(on_cancel_input),
                         account_of(target), nullptr, nullptr, dialog);
}

std::string invite_person(const xmpp::RoomTarget &target, const std::string &who)
{
    return xmpp::invite(target, who, {});
}

// --- Deleting ------------------------------------------------------------------------

void on_delete_answer(Dialog *dialog, int action)
{
    util::guard("delete room", [dialog, action] {
        const auto answered = close_dialog(dialog);
        if (answered && action == 0)
            report(answered->target, xmpp::delete_room(answered->target));
    });
}

// --- Creating ------------------------------------------------------------------------

void on_create(Dialog *dialog, PurpleRequestFields *fields)
{
    util::guard("create room", [dialog, fields] {
        const auto answered = close_dialog(dialog);
        if (!answered)
            return;
        core::NewRoom room;
        const char *name = purple_request_fields_get_string(fields, "name");
        const char *topic = purple_request_fields_get_string(fields, "topic");
        room.name = std::string(core::trim(name != nullptr ? name : ""));
        room.topic = std::string(core::trim(topic != nullptr ? topic : ""));
        room.is_private = purple_request_fields_get_bool(fields, "private");
        report(answered->target, xmpp::create_room(answered->target, room));
    });
}

void on_cancel_fields(Dialog *dialog, PurpleRequestFields *)
{
    util::guard("room dialog", [dialog] { close_dialog(dialog); });
}

void create_room_action(PurplePluginAction *action)
{
    util::guard("Create a Room", [action] {
        auto *gc = static_cast<PurpleConnection *>(action->context);
        xmpp::Session *session = gc != nullptr ? xmpp::Session::find(gc) : nullptr;
        if (session == nullptr)
            return;
        xmpp::RoomTarget target;
        target.session = session;  // asked from no conversation: dialogs
        Dialog *dialog = open_dialog(target);
        PurpleRequestFields *fields = purple_request_fields_new();
        PurpleRequestFieldGroup *group = purple_request_field_group_new(nullptr);
        purple_request_fields_add_group(fields, group);
        PurpleRequestField *name = purple_request_field_string_new("name", _("_Name"), "", FALSE);
        purple_request_field_set_required(name, TRUE);
        purple_request_field_group_add_field(group, name);
        purple_request_field_group_add_field(
            group, purple_request_field_string_new("topic", _("_Topic"), "", FALSE));
        // TRANSLATORS: HipChat's private rooms: only people invited may find and join them.
        purple_request_field_group_add_field(
            group, purple_request_field_bool_new(
                       "private", _("_Private: only people invited can join"), FALSE));
        purple_request_fields(dialog, _("Create a Room"), _("Create a HipChat room"),
                              _("You join it as its owner. A room's name has at most 50 "
                                "characters."),
                              fields, _("C_reate"), G_CALLBACK(on_create), _("_Cancel"),
                              G_CALLBACK(on_cancel_fields), session->account(), nullptr, nullptr,
                              dialog);
    });
}

// --- The room's menu ----------------------------------------------------------------

// The room a buddy list chat node names, asked from its conversation when
// there is one; nullopt when its account is not connected.
std::optional<xmpp::RoomTarget> target_of(PurpleBlistNode *node)
{
    auto *chat = reinterpret_cast<PurpleChat *>(node);
    PurpleConnection *gc = purple_account_get_connection(purple_chat_get_account(chat));
    xmpp::Session *session = gc != nullptr ? xmpp::Session::find(gc) : nullptr;
    if (session == nullptr)
        return std::nullopt;
    return xmpp::room_target(*session, xmpp::room_jid_of(*session, chat));
}

const core::Room *room_of(const xmpp::RoomTarget &target)
{
    return xmpp::find_room(*target.session, target.room_jid);
}

// A menu entry's callback: `act` with the chat node's room.
template <void (*act)(const xmpp::RoomTarget &)>
void menu_entry(PurpleBlistNode *node, gpointer)
{
    util::guard("room menu", [node] {
        if (const auto target = target_of(node))
            act(*target);
    });
}

void rename_entry(const xmpp::RoomTarget &target)
{
    const core::Room *room = room_of(target);
    ask_for_name(target, _("Rename Room"), _("The room's new name:"),
                 room != nullptr ? room->name : "", xmpp::rename_room);
}

void privacy_entry(const xmpp::RoomTarget &target)
{
    const core::Room *room = room_of(target);
    report(target, xmpp::set_privacy(target, room == nullptr || room->privacy != "private"));
}

void guest_entry(const xmpp::RoomTarget &target)
{
    const core::Room *room = room_of(target);
    report(target, xmpp::set_guest_access(target, room == nullptr || room->guest_url.empty()));
}

void invite_entry(const xmpp::RoomTarget &target)
{
    ask_for_name(target, _("Invite People"), _("Whom to invite (a name or a mention name):"), "",
                 invite_person);
}

void remove_entry(const xmpp::RoomTarget &target)
{
    ask_for_name(target, _("Remove Members"), _("Whom to remove from the room's members:"), "",
                 xmpp::remove_member);
}

void archive_entry(const xmpp::RoomTarget &target)
{
    report(target, xmpp::set_archived(target, true));
}

void restore_entry(const xmpp::RoomTarget &target)
{
    report(target, xmpp::set_archived(target, false));
}

void delete_entry(const xmpp::RoomTarget &target)
{
    report(target, confirm_room_deletion(target));
}

template <void (*act)(const xmpp::RoomTarget &)>
GList *add_entry(GList *menu, const char *label)
{
    return g_list_append(
        menu, purple_menu_action_new(label, PURPLE_CALLBACK(menu_entry<act>), nullptr, nullptr));
}

}  // namespace

GList *blist_node_menu(PurpleBlistNode *node)
{
    return util::guard("blist_node_menu", [node] {
        GList *menu = xmpp::blist_node_menu(node);
        if (!PURPLE_BLIST_NODE_IS_CHAT(node))
            return menu;
        const auto target = target_of(node);
        if (!target || !xmpp::is_room_jid(*target->session, target->room_jid))
            return menu;                      // (not a HipChat room)
        menu = g_list_append(menu, nullptr);  // a separator in Pidgin
        const core::Room *room = room_of(*target);
        if (room == nullptr) {
            // (Insensitive lines in Pidgin: entries without a callback.)
            if (xmpp::room_missing(*target->session, target->room_jid))
                return g_list_append(menu, purple_menu_action_new(_("This room no longer exists."),
                                                                  nullptr, nullptr, nullptr));
            // Not in the room list (an archived one, §7.1, or a list not
            // fetched yet): the room tells, for the menu's next opening.
            xmpp::learn_room(*target->session, target->room_jid);
            return g_list_append(
                menu, purple_menu_action_new(_("Room settings: asking the room..."), nullptr,
                                             nullptr, nullptr));
        }
        if (room->archived)  // (it takes nothing else)
            return add_entry<restore_entry>(menu, _("Restore Room"));
        menu = add_entry<rename_entry>(menu, _("Rename Room..."));
        menu = add_entry<privacy_entry>(
            menu, room->privacy == "private" ? _("Make Room Public") : _("Make Room Private"));
        menu = add_entry<guest_entry>(
            menu, room->guest_url.empty() ? _("Turn Guest Access On") : _("Turn Guest Access Off"));
        menu = add_entry<invite_entry>(menu, _("Invite People..."));
        if (room->privacy == "private")  // (the official client's rule)
            menu = add_entry<remove_entry>(menu, _("Remove Members..."));
        menu = add_entry<archive_entry>(menu, _("Archive Room"));
        return add_entry<delete_entry>(menu, _("Delete Room..."));
    });
}

GList *account_actions(PurplePlugin *, gpointer)
{
    return util::guard("actions", [] {
        return g_list_append(static_cast<GList *>(nullptr),
                             purple_plugin_action_new(_("Create a Room..."), create_room_action));
    });
}

std::string confirm_room_deletion(const xmpp::RoomTarget &target)
{
    if (target.session == nullptr)
        return _("Not connected.");
    const core::Room *room = room_of(target);
    const std::string name = room != nullptr ? room->name : target.room_jid;
    Dialog *dialog = open_dialog(target);
    char *primary = g_strdup_printf(_("Delete the room %s?"), name.c_str());
    // bitlbee turns the question into yes and no by the words OK and Cancel
    // (its prplcb_request_action), in English: there they are its buttons.
    const bool irc = running_in_bitlbee();
    purple_request_action(dialog, _("Delete Room"), primary,
                          _("Everyone loses the room and all of its messages and files. This "
                            "cannot be undone."),
                          1, account_of(target), nullptr, nullptr, dialog, 2,
                          irc ? "OK" : _("_Delete Room"), G_CALLBACK(on_delete_answer),
                          irc ? "Cancel" : _("_Cancel"), G_CALLBACK(on_delete_answer));
    g_free(primary);
    return {};
}

}  // namespace hipchat::purple
