// A test-only libpurple plugin that test-pidgin-rooms.py loads into a real
// Pidgin from the temporary profile. Pidgin has no command line for opening
// the Room List, and its GTK widgets are not readable from outside, so this
// plugin is the test's hands and eyes inside the process (the test types
// into Pidgin's windows itself, with xdotool):
//
// - it writes one line per event to the file named by HIPCHAT_PROBE_LOG
//   (tab-separated, flushed at once, so a test killed half-way still leaves
//   what happened): chats joined (with the title they opened with), titles
//   set, the people a chat's user list shows, every message written into a
//   chat with its flags, the unseen state Pidgin gives a tab, and what
//   Pidgin's Room List received;
// - once the room named by HIPCHAT_PROBE_ROOM (a room JID) is joined, it
//   opens the Room List dialog for the account
//   (purple_roomlist_show_with_account, which is Pidgin's "Tools > Room
//   List" with the account chosen and "Get List" pressed);
// - once the Room List has the rooms, it logs the labels of that room's
//   menu as the prpl gives it (blist_node_menu, what Pidgin shows under
//   Conversation > More and in the buddy list's menu of the room).
//
// The Room List is observed by wrapping Pidgin's PurpleRoomlistUiOps: every
// call is passed on to Pidgin unchanged, so the dialog gets exactly what it
// would get without the probe, and the probe counts the rooms it was given.
//
// It uses libpurple only (no GTK or Pidgin headers), so it builds wherever the
// plugin does.

#include <glib.h>
#include <gmodule.h>

// libpurple's own headers one by one: purple.h pulls in theme-loader.h,
// which does not compile warning-free as C++.
#include <account.h>
#include <connection.h>
#include <conversation.h>
#include <core.h>
#include <plugin.h>
#include <prpl.h>
#include <roomlist.h>
#include <signals.h>
#include <version.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

FILE *log_file = nullptr;
std::string wanted_room;
bool room_handled = false;
guint room_list_timer = 0;
PurpleRoomlistUiOps *pidgin_roomlist_ops = nullptr;
PurpleRoomlistUiOps probe_roomlist_ops{};
int rooms_given = 0;
std::string room_names;

// One log line: fields separated by tabs, newlines inside a field shown as \n.
void log_line(std::initializer_list<std::string> fields)
{
    if (log_file == nullptr)
        return;
    std::string line;
    for (const std::string &field : fields) {
        if (!line.empty())
            line += '\t';
        for (char c : field) {
            if (c == '\n')
                line += "\\n";
            else if (c == '\t')
                line += ' ';
            else
                line += c;
        }
    }
    std::fprintf(log_file, "%s\n", line.c_str());
    std::fflush(log_file);
}

std::string text(const char *s)
{
    return s != nullptr ? s : "";
}

std::string flag_names(PurpleMessageFlags flags)
{
    static const std::pair<PurpleMessageFlags, const char *> names[] = {
        {PURPLE_MESSAGE_SEND, "send"},       {PURPLE_MESSAGE_RECV, "recv"},
        {PURPLE_MESSAGE_SYSTEM, "system"},   {PURPLE_MESSAGE_NICK, "nick"},
        {PURPLE_MESSAGE_NO_LOG, "no-log"},   {PURPLE_MESSAGE_ERROR, "error"},
        {PURPLE_MESSAGE_DELAYED, "delayed"}, {PURPLE_MESSAGE_NOTIFY, "notify"},
    };
    std::string out;
    for (const auto &[flag, name] : names) {
        if ((flags & flag) != 0) {
            if (!out.empty())
                out += ',';
            out += name;
        }
    }
    return out.empty() ? "-" : out;
}

// --- Pidgin's Room List, observed ------------------------------------------

void probe_roomlist_create(PurpleRoomlist *list)
{
    rooms_given = 0;
    room_names.clear();
    log_line({"roomlist-created", text(purple_account_get_username(list->account))});
    if (pidgin_roomlist_ops->create != nullptr)
        pidgin_roomlist_ops->create(list);
}

void probe_roomlist_add_room(PurpleRoomlist *list, PurpleRoomlistRoom *room)
{
    if (purple_roomlist_room_get_type(room) == PURPLE_ROOMLIST_ROOMTYPE_ROOM) {
        ++rooms_given;
        if (!room_names.empty())
            room_names += ',';
        room_names += text(purple_roomlist_room_get_name(room));
    }
    if (pidgin_roomlist_ops->add_room != nullptr)
        pidgin_roomlist_ops->add_room(list, room);
}

// The wanted room's menu entries, "-" for a separator, "|" between them.
void log_room_menu(PurpleAccount *account)
{
    PurpleChat *chat = purple_blist_find_chat(account, wanted_room.c_str());
    PurplePlugin *prpl = purple_find_prpl(purple_account_get_protocol_id(account));
    PurplePluginProtocolInfo *info = prpl != nullptr ? PURPLE_PLUGIN_PROTOCOL_INFO(prpl) : nullptr;
    if (chat == nullptr || info == nullptr || info->blist_node_menu == nullptr) {
        log_line({"error", "no buddy list entry or menu for the room"});
        return;
    }
    std::string labels;
    GList *menu = info->blist_node_menu(reinterpret_cast<PurpleBlistNode *>(chat));
    for (GList *l = menu; l != nullptr; l = l->next) {
        auto *action = static_cast<PurpleMenuAction *>(l->data);
        if (!labels.empty())
            labels += '|';
        labels += action != nullptr ? text(action->label) : "-";
        if (action != nullptr)
            purple_menu_action_free(action);
    }
    g_list_free(menu);
    log_line({"room-menu", wanted_room, labels});
}

void probe_roomlist_in_progress(PurpleRoomlist *list, gboolean in_progress)
{
    if (pidgin_roomlist_ops->in_progress != nullptr)
        pidgin_roomlist_ops->in_progress(list, in_progress);
    // Logged after Pidgin has seen it, so the dialog shows the whole list
    // by the time the test reads this line.
    if (!in_progress) {
        log_line({"roomlist-done", std::to_string(rooms_given), room_names});
        log_room_menu(list->account);
    }
}

// --- What happens in conversations ------------------------------------------

void on_wrote_chat_msg(PurpleAccount *, const char *who, const char *message,
                       PurpleConversation *conv, PurpleMessageFlags flags, void *)
{
    log_line({"chat-msg", text(purple_conversation_get_name(conv)), text(who), flag_names(flags),
              text(message)});
}

void on_conversation_updated(PurpleConversation *conv, PurpleConvUpdateType type, void *)
{
    if (type == PURPLE_CONV_UPDATE_TITLE)
        log_line({"title", text(purple_conversation_get_name(conv)),
                  text(purple_conversation_get_title(conv))});
    // What Pidgin's tab shows: its PidginUnseenState (0 none, 3 text, 4 a
    // message that names the user) and how many, from the data Pidgin keeps
    // on the conversation.
    if (type == PURPLE_CONV_UPDATE_UNSEEN)
        log_line(
            {"unseen", text(purple_conversation_get_name(conv)),
             std::to_string(GPOINTER_TO_INT(purple_conversation_get_data(conv, "unseen-state"))),
             std::to_string(GPOINTER_TO_INT(purple_conversation_get_data(conv, "unseen-count")))});
}

// A second after the join (the room's backlog and topic have arrived by
// then): the Room List.
gboolean open_room_list(void *)
{
    room_list_timer = 0;
    PurpleConversation *conv = nullptr;
    for (GList *l = purple_get_chats(); l != nullptr; l = l->next) {
        auto *c = static_cast<PurpleConversation *>(l->data);
        if (g_ascii_strcasecmp(purple_conversation_get_name(c), wanted_room.c_str()) == 0)
            conv = c;
    }
    if (conv == nullptr) {
        log_line({"error", "the room's conversation is gone"});
        return FALSE;
    }
    PurpleAccount *account = purple_conversation_get_account(conv);
    log_line({"roomlist-show", text(purple_account_get_username(account))});
    purple_roomlist_show_with_account(account);
    return FALSE;
}

void on_chat_joined(PurpleConversation *conv, void *)
{
    const char *name = purple_conversation_get_name(conv);
    log_line({"joined", text(name), text(purple_conversation_get_title(conv))});
    if (!room_handled && g_ascii_strcasecmp(name, wanted_room.c_str()) == 0) {
        room_handled = true;
        room_list_timer = g_timeout_add_seconds(1, open_room_list, nullptr);
    }
}

// Who a chat's user list shows: the name, and the alias Pidgin draws.
void on_chat_buddy_joined(PurpleConversation *conv, const char *name, PurpleConvChatBuddyFlags,
                          gboolean, void *)
{
    PurpleConvChatBuddy *cb = purple_conv_chat_cb_find(PURPLE_CONV_CHAT(conv), name);
    const char *alias = cb != nullptr ? cb->alias : nullptr;
    log_line({"chat-user", text(purple_conversation_get_name(conv)), text(name), text(alias)});
}

void on_signed_on(PurpleConnection *gc, void *)
{
    log_line({"signed-on", text(purple_account_get_username(purple_connection_get_account(gc)))});
}

void on_connection_error(PurpleConnection *, PurpleConnectionError reason, const char *description,
                         void *)
{
    log_line({"connection-error", std::to_string(reason), text(description)});
}

gboolean plugin_load(PurplePlugin *plugin)
{
    const char *path = std::getenv("HIPCHAT_PROBE_LOG");
    if (path == nullptr || (log_file = std::fopen(path, "a")) == nullptr)
        return FALSE;
    wanted_room = text(std::getenv("HIPCHAT_PROBE_ROOM"));

    void *conversations = purple_conversations_get_handle();
    purple_signal_connect(conversations, "chat-joined", plugin, PURPLE_CALLBACK(on_chat_joined),
                          nullptr);
    purple_signal_connect(conversations, "wrote-chat-msg", plugin,
                          PURPLE_CALLBACK(on_wrote_chat_msg), nullptr);
    purple_signal_connect(conversations, "conversation-updated", plugin,
                          PURPLE_CALLBACK(on_conversation_updated), nullptr);
    purple_signal_connect(conversations, "chat-buddy-joined", plugin,
                          PURPLE_CALLBACK(on_chat_buddy_joined), nullptr);
    void *connections = purple_connections_get_handle();
    purple_signal_connect(connections, "signed-on", plugin, PURPLE_CALLBACK(on_signed_on), nullptr);
    purple_signal_connect(connections, "connection-error", plugin,
                          PURPLE_CALLBACK(on_connection_error), nullptr);

    // Pidgin set its ops before loading plugins; ours forward to them.
    pidgin_roomlist_ops = purple_roomlist_get_ui_ops();
    if (pidgin_roomlist_ops != nullptr) {
        probe_roomlist_ops = *pidgin_roomlist_ops;
        probe_roomlist_ops.create = probe_roomlist_create;
        probe_roomlist_ops.add_room = probe_roomlist_add_room;
        probe_roomlist_ops.in_progress = probe_roomlist_in_progress;
        purple_roomlist_set_ui_ops(&probe_roomlist_ops);
    }
    log_line({"loaded", text(purple_core_get_ui())});
    return TRUE;
}

gboolean plugin_unload(PurplePlugin *)
{
    if (room_list_timer != 0)
        g_source_remove(room_list_timer);
    room_list_timer = 0;
    if (pidgin_roomlist_ops != nullptr)
        purple_roomlist_set_ui_ops(pidgin_roomlist_ops);
    if (log_file != nullptr)
        std::fclose(log_file);
    log_file = nullptr;
    return TRUE;
}

PurplePluginInfo info = {
    PURPLE_PLUGIN_MAGIC,
    PURPLE_MAJOR_VERSION,
    PURPLE_MINOR_VERSION,
    PURPLE_PLUGIN_STANDARD,
    nullptr,  // any UI
    0,
    nullptr,
    PURPLE_PRIORITY_DEFAULT,
    const_cast<char *>("core-hipchat-e2e-probe"),
    const_cast<char *>("HipChat e2e probe"),
    const_cast<char *>("0"),
    const_cast<char *>("Test-only: records events and opens the Room List"),
    const_cast<char *>("Used by purple-hipchat's tests/e2e; never installed."),
    nullptr,
    nullptr,
    plugin_load,
    plugin_unload,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

}  // namespace

extern "C" G_MODULE_EXPORT gboolean purple_init_plugin(PurplePlugin *plugin)
{
    plugin->info = &info;
    return purple_plugin_register(plugin);
}
