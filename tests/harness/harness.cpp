#include "harness.hpp"

#include <certificate.h>
#include <connection.h>
#include <conversation.h>
#include <core.h>
#include <debug.h>
#include <eventloop.h>
#include <notify.h>
#include <prefs.h>
#include <request.h>
#include <roomlist.h>
#include <util.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <cstdarg>
#include <cstring>

// Last: check.h defines a `fail` macro that breaks C++ headers.
#include <check.h>

namespace hipchat::test {

namespace {

Harness *instance = nullptr;

std::string account_name(PurpleAccount *account)
{
    return account != nullptr ? purple_account_get_username(account) : "";
}

std::string account_name(PurpleConnection *gc)
{
    return gc != nullptr ? account_name(purple_connection_get_account(gc)) : "";
}

// --- Event loop on GLib ----------------------------------------------------

struct InputWatch {
    PurpleInputFunction function;
    gpointer data;
};

gboolean on_io(GIOChannel *channel, GIOCondition condition, gpointer data)
{
    auto *watch = static_cast<InputWatch *>(data);
    int purple_condition = 0;
    if (condition & (G_IO_IN | G_IO_HUP | G_IO_ERR))
        purple_condition |= PURPLE_INPUT_READ;
    if (condition & (G_IO_OUT | G_IO_HUP | G_IO_ERR | G_IO_NVAL))
        purple_condition |= PURPLE_INPUT_WRITE;
    watch->function(watch->data, g_io_channel_unix_get_fd(channel),
                    static_cast<PurpleInputCondition>(purple_condition));
    return TRUE;
}

guint input_add(gint fd, PurpleInputCondition condition, PurpleInputFunction function,
                gpointer data)
{
    auto *watch = new InputWatch{function, data};
    int glib_condition = 0;
    if (condition & PURPLE_INPUT_READ)
        glib_condition |= G_IO_IN | G_IO_HUP | G_IO_ERR;
    if (condition & PURPLE_INPUT_WRITE)
        glib_condition |= G_IO_OUT | G_IO_HUP | G_IO_ERR | G_IO_NVAL;
    GIOChannel *channel = g_io_channel_unix_new(fd);
    const guint id =
        g_io_add_watch_full(channel, G_PRIORITY_DEFAULT, static_cast<GIOCondition>(glib_condition),
                            on_io, watch, [](gpointer w) { delete static_cast<InputWatch *>(w); });
    g_io_channel_unref(channel);
    return id;
}

PurpleEventLoopUiOps eventloop_ops = {
    g_timeout_add,         g_source_remove, input_add, g_source_remove, nullptr,
    g_timeout_add_seconds, nullptr,         nullptr,   nullptr,
};

// libpurple keeps the handle a UI returns for each request and notification
// and closes it later; NULL would trip its assertions. Ours are all this one.
char ui_handle;

// --- Recording UI ops --------------------------------------------------------

void on_connected(PurpleConnection *gc)
{
    Harness::current().record({EventKind::connected, account_name(gc)});
}

void on_disconnected(PurpleConnection *gc)
{
    Harness::current().record({EventKind::disconnected, account_name(gc)});
}

void on_notice(PurpleConnection *gc, const char *text)
{
    Harness::current().record({EventKind::notice, account_name(gc), "", text ? text : ""});
}

void on_disconnect_reason(PurpleConnection *gc, PurpleConnectionError reason, const char *text)
{
    Harness::current().record(
        {EventKind::disconnect_reason, account_name(gc), "", text ? text : "", "", int(reason)});
}

PurpleConnectionUiOps connection_ops = {
    nullptr, on_connected,         on_disconnected, on_notice, nullptr, nullptr,
    nullptr, on_disconnect_reason, nullptr,         nullptr,   nullptr,
};

void on_conversation_created(PurpleConversation *conv)
{
    Harness::current().record({EventKind::conversation_created,
                               account_name(purple_conversation_get_account(conv)), "", "",
                               purple_conversation_get_name(conv)});
}

void on_write_conv(PurpleConversation *conv, const char *name, const char *, const char *message,
                   PurpleMessageFlags flags, time_t)
{
    Harness::current().record(
        {EventKind::message, account_name(purple_conversation_get_account(conv)), name ? name : "",
         message ? message : "", purple_conversation_get_name(conv), int(flags)});
}

void on_chat_add_users(PurpleConversation *conv, GList *buddies, gboolean)
{
    for (GList *l = buddies; l != nullptr; l = l->next) {
        auto *buddy = static_cast<PurpleConvChatBuddy *>(l->data);
        Harness::current().record(
            {EventKind::chat_users_added, account_name(purple_conversation_get_account(conv)),
             purple_conv_chat_cb_get_name(buddy), "", purple_conversation_get_name(conv)});
    }
}

// Custom smileys as Pidgin takes them: every one is wanted.
gboolean on_custom_smiley_add(PurpleConversation *conv, const char *smile, gboolean)
{
    Harness::current().record({EventKind::custom_smiley,
                               account_name(purple_conversation_get_account(conv)), "",
                               smile ? smile : "", "add"});
    return TRUE;
}

void on_custom_smiley_write(PurpleConversation *conv, const char *smile, const guchar *, gsize size)
{
    Harness::current().record({EventKind::custom_smiley,
                               account_name(purple_conversation_get_account(conv)), "",
                               smile ? smile : "", "write", static_cast<int>(size)});
}

void on_custom_smiley_close(PurpleConversation *conv, const char *smile)
{
    Harness::current().record({EventKind::custom_smiley,
                               account_name(purple_conversation_get_account(conv)), "",
                               smile ? smile : "", "close"});
}

// The conversation the user looks at (Harness::focus), as Pidgin's and
// Finch's has_focus report theirs.
PurpleConversation *focused = nullptr;

gboolean on_has_focus(PurpleConversation *conv)
{
    return conv != nullptr && conv == focused ? TRUE : FALSE;
}

void on_destroy_conversation(PurpleConversation *conv)
{
    if (conv == focused)
        focused = nullptr;
}

PurpleConversationUiOps conversation_ops = {
    on_conversation_created,
    on_destroy_conversation,
    nullptr,
    nullptr,
    on_write_conv,
    on_chat_add_users,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    on_has_focus,
    on_custom_smiley_add,
    on_custom_smiley_write,
    on_custom_smiley_close,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

struct InputAnswer {
    PurpleRequestInputCb callback;
    void *user_data;
    std::string value;
};

// Requests are recorded and left unanswered unless the test asks for
// default answers: a test that expects one looks for it; anything needing an
// answer at login would hang bitlbee too.
void *on_request_input(const char *title, const char *primary, const char *,
                       const char *default_value, gboolean, gboolean, gchar *, const char *,
                       GCallback ok_cb, const char *, GCallback, PurpleAccount *account,
                       const char *who, PurpleConversation *, void *user_data)
{
    Harness::current().record({EventKind::request_input, account_name(account), who ? who : "",
                               std::string(title ? title : "") + ": " + (primary ? primary : "")});
    const std::string *value = Harness::current().input_value();
    if ((Harness::current().answers_inputs() || value != nullptr) && ok_cb != nullptr) {
        // Answered a main-loop turn later, as pressing OK would be; the
        // default value is copied (libpurple frees its own after this call).
        g_idle_add(
            [](gpointer data) -> gboolean {
                auto *answer = static_cast<InputAnswer *>(data);
                answer->callback(answer->user_data, answer->value.c_str());
                delete answer;
                return G_SOURCE_REMOVE;
            },
            new InputAnswer{reinterpret_cast<PurpleRequestInputCb>(ok_cb), user_data,
                            value != nullptr           ? *value
                            : default_value != nullptr ? default_value
                                                       : ""});
    }
    return &ui_handle;
}

struct ActionAnswer {
    PurpleRequestActionCb callback;
    void *user_data;
    int action;
};

void *on_request_action(const char *title, const char *primary, const char *secondary,
                        int default_action, PurpleAccount *account, const char *who,
                        PurpleConversation *, void *user_data, size_t action_count, va_list actions)
{
    Harness::current().record({EventKind::request_action, account_name(account), who ? who : "",
                               std::string(title ? title : "") + ": " + (primary ? primary : "") +
                                   " " + (secondary ? secondary : "")});
    const std::string &label = Harness::current().action_label();
    if (!Harness::current().answers_actions() && label.empty())
        return &ui_handle;
    PurpleRequestActionCb chosen = nullptr;
    int chosen_index = -1;
    for (size_t i = 0; i < action_count; ++i) {
        const char *caption = va_arg(actions, const char *);
        auto callback = reinterpret_cast<PurpleRequestActionCb>(va_arg(actions, GCallback));
        const bool pick = label.empty() ? static_cast<int>(i) == default_action
                                        : caption != nullptr && std::strstr(caption, label.c_str());
        if (pick && chosen == nullptr) {
            chosen = callback;
            chosen_index = static_cast<int>(i);
        }
    }
    if (chosen != nullptr) {
        // Answered a main-loop turn later, as a click would be.
        g_idle_add(
            [](gpointer data) -> gboolean {
                auto *answer = static_cast<ActionAnswer *>(data);
                answer->callback(answer->user_data, answer->action);
                delete answer;
                return G_SOURCE_REMOVE;
            },
            new ActionAnswer{chosen, user_data, chosen_index});
    }
    return &ui_handle;
}

struct FieldsAnswer {
    PurpleRequestFieldsCb callback;
    void *user_data;
    PurpleRequestFields *fields;
};

void *on_request_fields(const char *title, const char *primary, const char *,
                        PurpleRequestFields *fields, const char *, GCallback ok_cb, const char *,
                        GCallback, PurpleAccount *account, const char *who, PurpleConversation *,
                        void *user_data)
{
    Harness::current().record({EventKind::request_fields, account_name(account), who ? who : "",
                               std::string(title ? title : "") + ": " + (primary ? primary : "")});
    if (const auto &fill = Harness::current().fields_answer(); fill && ok_cb != nullptr) {
        fill(fields);
        // Answered a main-loop turn later, as pressing OK would be; the
        // fields are the UI's to free then.
        g_idle_add(
            [](gpointer data) -> gboolean {
                auto *answer = static_cast<FieldsAnswer *>(data);
                answer->callback(answer->user_data, answer->fields);
                purple_request_fields_destroy(answer->fields);
                delete answer;
                return G_SOURCE_REMOVE;
            },
            new FieldsAnswer{reinterpret_cast<PurpleRequestFieldsCb>(ok_cb), user_data, fields});
    }
    return &ui_handle;
}

// The file dialog asked last, until the test answers it.
struct FileRequest {
    GCallback ok_cb = nullptr, cancel_cb = nullptr;
    void *user_data = nullptr;
};
FileRequest pending_file;

void *on_request_file(const char *title, const char *filename, gboolean, GCallback ok_cb,
                      GCallback cancel_cb, PurpleAccount *account, const char *who,
                      PurpleConversation *, void *user_data)
{
    Harness::current().record(
        {EventKind::request_file, account_name(account), who ? who : "",
         std::string(title ? title : "") + ": " + (filename ? filename : "")});
    pending_file = {ok_cb, cancel_cb, user_data};
    return &ui_handle;
}

PurpleRequestUiOps request_ops = {
    on_request_input, nullptr, on_request_action, on_request_fields, on_request_file, nullptr,
    nullptr,          nullptr, nullptr,           nullptr,           nullptr,
};

void *on_notify_message(PurpleNotifyMsgType, const char *title, const char *primary,
                        const char *secondary)
{
    Harness::current().record({EventKind::notify_message, "", "",
                               std::string(title ? title : "") + ": " + (primary ? primary : "") +
                                   " " + (secondary ? secondary : "")});
    return &ui_handle;
}

void *on_notify_formatted(const char *title, const char *primary, const char *, const char *text)
{
    Harness::current().record({EventKind::notify_formatted, "", "",
                               std::string(title ? title : "") + ": " + (primary ? primary : "") +
                                   " " + (text ? text : "")});
    return &ui_handle;
}

void *on_notify_userinfo(PurpleConnection *gc, const char *who, PurpleNotifyUserInfo *info)
{
    std::string text;
    for (GList *l = purple_notify_user_info_get_entries(info); l != nullptr; l = l->next) {
        auto *entry = static_cast<PurpleNotifyUserInfoEntry *>(l->data);
        const char *label = purple_notify_user_info_entry_get_label(entry);
        const char *value = purple_notify_user_info_entry_get_value(entry);
        text += std::string(label ? label : "") + ": " + (value ? value : "") + "\n";
    }
    Harness::current().record({EventKind::notify_userinfo, account_name(gc), who ? who : "", text});
    return &ui_handle;
}

void *on_notify_uri(const char *uri)
{
    Harness::current().record({EventKind::notify_uri, "", "", uri != nullptr ? uri : ""});
    return &ui_handle;
}

PurpleNotifyUiOps notify_ops = {
    on_notify_message,
    nullptr,
    nullptr,
    on_notify_formatted,
    nullptr,
    nullptr,
    on_notify_userinfo,
    on_notify_uri,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

std::string roomlist_account(PurpleRoomlist *list)
{
    return account_name(list->account);
}

void on_roomlist_create(PurpleRoomlist *list)
{
    Harness::current().record({EventKind::roomlist_created, roomlist_account(list)});
}

void on_roomlist_fields(PurpleRoomlist *list, GList *fields)
{
    std::string labels;
    for (GList *l = fields; l != nullptr; l = l->next)
        labels += std::string(purple_roomlist_field_get_label(
                      static_cast<PurpleRoomlistField *>(l->data))) +
                  "\n";
    Harness::current().record({EventKind::roomlist_fields, roomlist_account(list), "", labels});
}

void on_roomlist_room(PurpleRoomlist *list, PurpleRoomlistRoom *room)
{
    Harness::current().record({EventKind::roomlist_room, roomlist_account(list), "",
                               purple_roomlist_room_get_name(room)});
}

void on_roomlist_progress(PurpleRoomlist *list, gboolean flag)
{
    Harness::current().record(
        {EventKind::roomlist_progress, roomlist_account(list), "", "", "", flag ? 1 : 0});
}

PurpleRoomlistUiOps roomlist_ops = {
    nullptr,
    on_roomlist_create,
    on_roomlist_fields,
    on_roomlist_room,
    on_roomlist_progress,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

void on_debug(PurpleDebugLevel level, const char *category, const char *text)
{
    Harness::current().record(
        {EventKind::debug, "", "", text ? text : "", category ? category : "", int(level)});
}

gboolean debug_enabled(PurpleDebugLevel, const char *)
{
    return instance != nullptr && instance->records_debug();
}

PurpleDebugUiOps debug_ops = {on_debug, debug_enabled, nullptr, nullptr, nullptr, nullptr};

void on_g_print(const gchar *text)
{
    Harness::current().record_printed(text);
}

void ui_init()
{
    purple_connections_set_ui_ops(&connection_ops);
    purple_conversations_set_ui_ops(&conversation_ops);
    purple_request_set_ui_ops(&request_ops);
    purple_notify_set_ui_ops(&notify_ops);
    purple_roomlist_set_ui_ops(&roomlist_ops);
}

PurpleCoreUiOps core_ops = {nullptr, nullptr, ui_init, nullptr, nullptr, nullptr, nullptr, nullptr};

void remove_tree(const std::string &path)
{
    GDir *dir = g_dir_open(path.c_str(), 0, nullptr);
    if (dir != nullptr) {
        while (const char *name = g_dir_read_name(dir)) {
            const std::string child = path + "/" + name;
            if (g_file_test(child.c_str(), G_FILE_TEST_IS_DIR) &&
                !g_file_test(child.c_str(), G_FILE_TEST_IS_SYMLINK))
                remove_tree(child);
            else
                g_unlink(child.c_str());
        }
        g_dir_close(dir);
    }
    g_rmdir(path.c_str());
}

}  // namespace

const char *to_string(EventKind kind)
{
    switch (kind) {
    case EventKind::connected:
        return "connected";
    case EventKind::disconnected:
        return "disconnected";
    case EventKind::disconnect_reason:
        return "disconnect_reason";
    case EventKind::notice:
        return "notice";
    case EventKind::conversation_created:
        return "conversation_created";
    case EventKind::message:
        return "message";
    case EventKind::chat_users_added:
        return "chat_users_added";
    case EventKind::request_input:
        return "request_input";
    case EventKind::request_action:
        return "request_action";
    case EventKind::request_fields:
        return "request_fields";
    case EventKind::request_file:
        return "request_file";
    case EventKind::notify_message:
        return "notify_message";
    case EventKind::notify_userinfo:
        return "notify_userinfo";
    case EventKind::notify_formatted:
        return "notify_formatted";
    case EventKind::notify_uri:
        return "notify_uri";
    case EventKind::roomlist_created:
        return "roomlist_created";
    case EventKind::roomlist_fields:
        return "roomlist_fields";
    case EventKind::roomlist_room:
        return "roomlist_room";
    case EventKind::roomlist_progress:
        return "roomlist_progress";
    case EventKind::custom_smiley:
        return "custom_smiley";
    case EventKind::debug:
        return "debug";
    }
    return "?";
}

Harness::Harness() : Harness(Options{}) {}

Harness::Harness(Options options) : options_(std::move(options))
{
    ck_assert_msg(instance == nullptr, "one Harness per process");
    instance = this;

    // Criticals and warnings are bugs in tests (G_DEBUG=fatal-criticals too).
    g_log_set_always_fatal(
        static_cast<GLogLevelFlags>(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK));

    char *dir = g_dir_make_tmp("hipchat-test-XXXXXX", nullptr);
    ck_assert_msg(dir != nullptr, "no temporary user dir");
    user_dir_ = dir;
    g_free(dir);

    purple_util_set_user_dir(user_dir_.c_str());
    purple_debug_set_ui_ops(&debug_ops);
    purple_debug_set_enabled(FALSE);
    g_set_print_handler(on_g_print);
    purple_core_set_ui_ops(&core_ops);
    purple_eventloop_set_ui_ops(&eventloop_ops);
    if (options_.with_build_plugin)
        purple_plugins_add_search_path(build_plugin_dir().c_str());
    ck_assert_msg(purple_core_init(options_.ui_id.c_str()), "libpurple did not initialise");
    purple_set_blist(purple_blist_new());
    purple_blist_load();
    purple_prefs_load();
}

Harness::~Harness()
{
    purple_core_quit();
    // After quitting, so what closing the accounts showed counts too; before
    // failing, so the user dir goes either way.
    const std::string report = options_.fail_on_surprises ? surprises() : std::string();
    remove_tree(user_dir_);
    instance = nullptr;
    ck_assert_msg(report.empty(),
                  "surprises at the end of the test (tests/harness/harness.hpp: expect them, "
                  "or fix what caused them):\n%s",
                  report.c_str());
}

Harness &Harness::current()
{
    ck_assert_msg(instance != nullptr, "no Harness");
    return *instance;
}

std::string Harness::build_plugin_dir()
{
    const char *override_dir = g_getenv("HIPCHAT_PLUGIN_DIR");
    return override_dir != nullptr ? override_dir : HIPCHAT_BUILD_PLUGIN_DIR;
}

std::string Harness::build_plugin_path()
{
    return build_plugin_dir() + "/libhipchat.so";
}

void Harness::probe_build_plugin()
{
    purple_plugins_add_search_path(build_plugin_dir().c_str());
    purple_plugins_probe(G_MODULE_SUFFIX);
}

PurplePlugin *Harness::plugin(const char *id) const
{
    return purple_plugins_find_with_id(id);
}

bool Harness::run_until(const std::function<bool()> &done, int timeout_ms)
{
    const gint64 deadline = g_get_monotonic_time() + gint64{timeout_ms} * 1000;
    while (!done()) {
        if (g_get_monotonic_time() >= deadline)
            return false;
        g_main_context_iteration(nullptr, FALSE);
        g_usleep(1000);
    }
    return true;
}

void Harness::run_for(int ms)
{
    run_until([] { return false; }, ms);
}

PurpleAccount *Harness::add_account(const char *protocol_id, const char *username,
                                    const char *password)
{
    PurpleAccount *account = purple_account_new(username, protocol_id);
    if (password != nullptr)
        purple_account_set_password(account, password);
    purple_accounts_add(account);
    return account;
}

void Harness::focus(PurpleConversation *conv)
{
    focused = conv;
    if (conv != nullptr) {
        // As Pidgin and Finch do when a conversation gains the focus: its
        // unseen messages are seen.
        purple_conversation_set_data(conv, "unseen-count", nullptr);
        purple_conversation_update(conv, PURPLE_CONV_UPDATE_UNSEEN);
    }
}

void Harness::enable(PurpleAccount *account)
{
    purple_account_set_enabled(account, options_.ui_id.c_str(), TRUE);
}

void Harness::accept_certificate(const std::string &host, const std::string &pem_file)
{
    const std::string dir = user_dir_ + "/certificates/x509/tls_peers";
    ck_assert_int_eq(g_mkdir_with_parents(dir.c_str(), 0700), 0);
    gchar *pem = nullptr;
    gsize length = 0;
    ck_assert_msg(g_file_get_contents(pem_file.c_str(), &pem, &length, nullptr), "cannot read %s",
                  pem_file.c_str());
    ck_assert(g_file_set_contents((dir + "/" + host).c_str(), pem, length, nullptr));
    g_free(pem);
}

bool Harness::answer_file_request(const char *path)
{
    const FileRequest request = pending_file;
    pending_file = {};
    GCallback callback = path != nullptr ? request.ok_cb : request.cancel_cb;
    if (callback == nullptr)
        return false;
    reinterpret_cast<PurpleRequestFileCb>(callback)(request.user_data, path);
    return true;
}

void Harness::record(Event event)
{
    events_.push_back(std::move(event));
}

void Harness::expect(EventKind kind, std::string text, int times)
{
    ck_assert_msg(times > 0, "expect(%s, \"%s\", %d)", to_string(kind), text.c_str(), times);
    expectations_.push_back({kind, std::move(text), times});
}

bool Harness::expect_within(EventKind kind, const std::string &text, int timeout_ms)
{
    expect(kind, text);
    int expected = 0;
    for (const auto &expectation : expectations_) {
        if (expectation.kind == kind && expectation.text == text)
            expected += expectation.times;
    }
    return run_until(
        [&] {
            int happened = 0;
            for (const auto &event : events_) {
                if (event.kind == kind && is_surprising(event) &&
                    event.text.find(text) != std::string::npos)
                    ++happened;
            }
            return happened >= expected;
        },
        timeout_ms);
}

bool Harness::is_surprising(const Event &event)
{
    switch (event.kind) {
    case EventKind::disconnect_reason:
    case EventKind::notice:
    case EventKind::notify_message:
    case EventKind::notify_formatted:
    case EventKind::notify_userinfo:
    case EventKind::notify_uri:
    case EventKind::request_input:
    case EventKind::request_action:
    case EventKind::request_fields:
    case EventKind::request_file:
        return true;
    case EventKind::message:
        return (event.number & PURPLE_MESSAGE_ERROR) != 0;
    default:
        return false;
    }
}

std::string Harness::surprises() const
{
    std::vector<const Event *> unexpected;
    for (const auto &event : events_) {
        if (is_surprising(event))
            unexpected.push_back(&event);
    }
    std::string unmet;
    for (const auto &expectation : expectations_) {
        int taken = 0;
        for (auto it = unexpected.begin(); it != unexpected.end();) {
            if (taken == expectation.times || (*it)->kind != expectation.kind ||
                (*it)->text.find(expectation.text) == std::string::npos) {
                ++it;
                continue;
            }
            it = unexpected.erase(it);
            ++taken;
        }
        if (taken < expectation.times)
            unmet += std::string("  ") + to_string(expectation.kind) + " \"" + expectation.text +
                     "\": " + std::to_string(taken) + " of " + std::to_string(expectation.times) +
                     "\n";
    }
    std::string report;
    if (!unexpected.empty()) {
        report += std::to_string(unexpected.size()) + " surprising event(s) nobody expected:\n";
        for (const Event *e : unexpected) {
            report += std::string("  ") + to_string(e->kind) + " [" + e->account + "]";
            if (!e->category.empty())
                report += " in " + e->category;
            if (!e->who.empty())
                report += " from " + e->who;
            report += ": " + e->text.substr(0, 300) + "\n";
        }
    }
    if (!unmet.empty())
        report += "expected, but did not happen (happened of expected):\n" + unmet;
    return report;
}

std::vector<const Event *> Harness::find(EventKind kind) const
{
    std::vector<const Event *> found;
    for (const auto &event : events_) {
        if (event.kind == kind)
            found.push_back(&event);
    }
    return found;
}

bool Harness::has(EventKind kind, const std::function<bool(const Event &)> &match) const
{
    for (const auto &event : events_) {
        if (event.kind == kind && (!match || match(event)))
            return true;
    }
    return false;
}

std::string Harness::debug_log() const
{
    std::string log;
    for (const auto &event : events_) {
        if (event.kind == EventKind::debug)
            log += "(" + event.category + ") " + event.text + "\n";
    }
    return log;
}

std::string Harness::recent_events(std::size_t n) const
{
    std::string text;
    std::size_t start = events_.size() > n ? events_.size() - n : 0;
    for (std::size_t i = start; i < events_.size(); ++i) {
        const auto &e = events_[i];
        text += std::string(to_string(e.kind)) + " [" + e.account + "] " + e.category + " " +
                e.who + ": " + e.text.substr(0, 300) + "\n";
    }
    return text;
}

void free_menu(GList *menu)
{
    for (GList *l = menu; l != nullptr; l = l->next) {
        if (auto *action = static_cast<PurpleMenuAction *>(l->data)) {
            free_menu(action->children);
            purple_menu_action_free(action);
        }
    }
    g_list_free(menu);
}

}  // namespace hipchat::test
