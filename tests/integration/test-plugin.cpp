// prpl-hipchat as libpurple sees it: loading beside prpl-jabber, the protocol
// it offers, its accounts, unloading, and what the module exports.
#include <accountopt.h>
#include <debug.h>
#include <dlfcn.h>
#include <notify.h>
#include <plugin.h>
#include <prpl.h>

#include <string>

#include "harness.hpp"

#include <check.h>

#include "check-run.hpp"
#include "text-match.hpp"

using hipchat::test::contains;
using hipchat::test::EventKind;
using hipchat::test::Harness;

namespace {

PurplePluginProtocolInfo *protocol_of(PurplePlugin *plugin)
{
    return PURPLE_PLUGIN_PROTOCOL_INFO(plugin);
}

// Everything a UI reads about a protocol's account settings, as text.
std::string describe_options(PurplePlugin *plugin)
{
    std::string text;
    PurplePluginProtocolInfo *info = protocol_of(plugin);
    for (GList *l = info->user_splits; l != nullptr; l = l->next) {
        auto *split = static_cast<PurpleAccountUserSplit *>(l->data);
        text += std::string("split ") + purple_account_user_split_get_text(split) + " '" +
                purple_account_user_split_get_separator(split) + "' " +
                (purple_account_user_split_get_default_value(split)
                     ? purple_account_user_split_get_default_value(split)
                     : "") +
                "\n";
    }
    for (GList *l = info->protocol_options; l != nullptr; l = l->next) {
        auto *option = static_cast<PurpleAccountOption *>(l->data);
        text += std::string("option ") + purple_account_option_get_setting(option) + " " +
                std::to_string(purple_account_option_get_type(option)) + " " +
                purple_account_option_get_text(option) + " = ";
        switch (purple_account_option_get_type(option)) {
        case PURPLE_PREF_BOOLEAN:
            text += purple_account_option_get_default_bool(option) ? "true" : "false";
            break;
        case PURPLE_PREF_INT:
            text += std::to_string(purple_account_option_get_default_int(option));
            break;
        case PURPLE_PREF_STRING: {
            const char *value = purple_account_option_get_default_string(option);
            text += value != nullptr ? value : "(null)";
            break;
        }
        case PURPLE_PREF_STRING_LIST:
            for (GList *v = purple_account_option_get_list(option); v != nullptr; v = v->next) {
                auto *pair = static_cast<PurpleKeyValuePair *>(v->data);
                text += std::string(pair->key) + "=" + static_cast<const char *>(pair->value) + ",";
            }
            break;
        default:
            break;
        }
        text += "\n";
    }
    return text;
}

bool has_option(PurplePlugin *plugin, const char *key, const char *default_value)
{
    for (GList *l = protocol_of(plugin)->protocol_options; l != nullptr; l = l->next) {
        auto *option = static_cast<PurpleAccountOption *>(l->data);
        if (g_strcmp0(purple_account_option_get_setting(option), key) != 0)
            continue;
        if (default_value == nullptr)
            return true;
        if (purple_account_option_get_type(option) == PURPLE_PREF_INT)
            return std::to_string(purple_account_option_get_default_int(option)) == default_value;
        return g_strcmp0(purple_account_option_get_default_string(option), default_value) == 0;
    }
    return false;
}

START_TEST(plugin_loads_beside_prpl_jabber)
{
    Harness h;
    PurplePlugin *hipchat = h.plugin("prpl-hipchat");
    PurplePlugin *jabber = h.plugin("prpl-jabber");
    ck_assert_msg(hipchat != nullptr, "prpl-hipchat not found in %s",
                  Harness::build_plugin_dir().c_str());
    ck_assert(jabber != nullptr);
    ck_assert(purple_plugin_load(hipchat));
    ck_assert(purple_plugin_is_loaded(hipchat));
    ck_assert(purple_plugin_is_loaded(jabber));  // our dependency

    // The plugin under test is the one just built, even when an older one is
    // installed system-wide.
    const std::string built = Harness::build_plugin_path();
    ck_assert_str_eq(hipchat->path, built.c_str());
    ck_assert_str_eq(purple_plugin_get_name(hipchat), "HipChat");
    ck_assert(g_list_find_custom(hipchat->info->dependencies, "prpl-jabber",
                                 reinterpret_cast<GCompareFunc>(g_strcmp0)) != nullptr);
    ck_assert_str_eq(protocol_of(hipchat)->list_icon(nullptr, nullptr), "hipchat");
    // The username is the whole e-mail address: no splits.
    ck_assert(protocol_of(hipchat)->user_splits == nullptr);
    ck_assert(has_option(hipchat, "connect_server", "chat.hipchat.com"));
    ck_assert(has_option(hipchat, "port", "5222"));
    ck_assert(has_option(hipchat, "resource", "purple"));
    ck_assert(has_option(hipchat, "token", ""));
    // TLS cannot be turned off: the module's security setting is not offered.
    ck_assert(!has_option(hipchat, "connection_security", nullptr));
    ck_assert(!has_option(hipchat, "auth_plain_in_clear", nullptr));
}
END_TEST

START_TEST(prpl_jabber_is_unchanged_by_prpl_hipchat)
{
    // libpurple loads every protocol plugin while probing, and the test
    // command installs ours system-wide, so the baseline is prpl-jabber with
    // prpl-hipchat unloaded (its unload runs jabber_plugin_uninit).
    Harness h;
    PurplePlugin *jabber = h.plugin("prpl-jabber");
    PurplePlugin *hipchat = h.plugin("prpl-hipchat");
    ck_assert(jabber != nullptr && hipchat != nullptr);
    ck_assert(purple_plugin_load(hipchat));
    ck_assert(purple_plugin_unload(hipchat));
    ck_assert(purple_plugin_is_loaded(jabber));
    const std::string before = describe_options(jabber);
    PurplePluginProtocolInfo saved = *protocol_of(jabber);
    ck_assert(before.find("option connect_server") != std::string::npos);

    ck_assert(purple_plugin_load(hipchat));
    const std::string after_load = describe_options(jabber);
    ck_assert_str_eq(after_load.c_str(), before.c_str());
    ck_assert(purple_plugin_unload(hipchat));
    ck_assert(purple_plugin_load(hipchat));

    const std::string after_reload = describe_options(jabber);
    ck_assert_str_eq(after_reload.c_str(), before.c_str());
    ck_assert(memcmp(&saved, protocol_of(jabber), sizeof saved) == 0);
    // Our own lists, never shared with prpl-jabber's.
    ck_assert(protocol_of(hipchat)->protocol_options != protocol_of(jabber)->protocol_options);
    ck_assert(protocol_of(hipchat)->status_types != protocol_of(jabber)->status_types);
}
END_TEST

START_TEST(works_when_only_the_system_plugins_are_probed_first)
{
    // prpl-jabber probed and loaded before our directory is even searched.
    Harness::Options system_first;
    system_first.with_build_plugin = false;
    Harness h(system_first);
    PurplePlugin *jabber = h.plugin("prpl-jabber");
    ck_assert(jabber != nullptr && purple_plugin_is_loaded(jabber));
    h.probe_build_plugin();
    PurplePlugin *hipchat = h.plugin("prpl-hipchat");
    ck_assert(hipchat != nullptr);
    ck_assert(purple_plugin_load(hipchat) || purple_plugin_is_loaded(hipchat));
    ck_assert_str_eq(protocol_of(hipchat)->list_icon(nullptr, nullptr), "hipchat");
}
END_TEST

START_TEST(plugin_probed_first_still_gets_its_dependency)
{
    // Our directory is searched before the system's here, so prpl-hipchat is
    // probed before prpl-jabber; loading it loads the dependency.
    Harness h;
    PurplePlugin *hipchat = h.plugin("prpl-hipchat");
    ck_assert(hipchat != nullptr);
    if (purple_plugin_is_loaded(hipchat))
        ck_assert(purple_plugin_unload(hipchat));
    ck_assert(purple_plugin_load(hipchat));
    ck_assert(purple_plugin_is_loaded(h.plugin("prpl-jabber")));
}
END_TEST

START_TEST(accounts_of_both_kinds_can_be_created_and_removed)
{
    Harness h;
    PurpleAccount *hipchat = h.add_account("prpl-hipchat", "alice@example.com", "secret");
    purple_account_set_string(hipchat, "connect_server", "hipchat.example.org");
    PurpleAccount *jabber = h.add_account("prpl-jabber", "alice@jabber.example.org/Home", "secret");

    ck_assert(purple_accounts_find("alice@example.com", "prpl-hipchat") == hipchat);
    ck_assert(purple_accounts_find("alice@jabber.example.org/Home", "prpl-jabber") == jabber);
    ck_assert_str_eq(purple_account_get_protocol_name(hipchat), "HipChat");
    ck_assert_str_eq(purple_account_get_string(hipchat, "connect_server", ""),
                     "hipchat.example.org");

    purple_accounts_delete(hipchat);
    ck_assert(purple_accounts_find("alice@example.com", "prpl-hipchat") == nullptr);
    ck_assert(purple_accounts_find("alice@jabber.example.org/Home", "prpl-jabber") == jabber);
    purple_accounts_delete(jabber);
    ck_assert(purple_accounts_get_all() == nullptr);
}
END_TEST

START_TEST(load_unload_cycles_leave_libpurple_as_it_was)
{
    Harness h;
    PurplePlugin *hipchat = h.plugin("prpl-hipchat");
    PurplePlugin *jabber = h.plugin("prpl-jabber");
    ck_assert(purple_plugin_load(hipchat));
    const std::string jabber_options = describe_options(jabber);
    PurpleAccount *account = h.add_account("prpl-hipchat", "alice@example.com", "secret");
    ck_assert(account != nullptr);

    for (int i = 0; i < 5; ++i) {
        ck_assert(purple_plugin_unload(hipchat));
        // Unloaded: our redacting debug sink is gone, the UI's is back.
        ck_assert(purple_debug_get_ui_ops() != nullptr);
        ck_assert(purple_debug_get_ui_ops()->is_enabled(PURPLE_DEBUG_INFO, "test"));
        ck_assert(purple_plugin_is_loaded(jabber));
        ck_assert(purple_plugin_load(hipchat));
    }
    const std::string after_cycles = describe_options(jabber);
    ck_assert_str_eq(after_cycles.c_str(), jabber_options.c_str());
    // XMPP accounts still work after all that.
    ck_assert(h.add_account("prpl-jabber", "bob@jabber.example.org", "x") != nullptr);
    ck_assert(!h.has(EventKind::request_action) && !h.has(EventKind::notify_message));
}
END_TEST

START_TEST(a_username_xmpp_cannot_carry_is_refused_before_connecting)
{
    Harness h;
    PurpleAccount *account = h.add_account("prpl-hipchat", "o'brien@example.com", "secret");
    h.expect(EventKind::disconnect_reason, "HipChat's XMPP login cannot carry");
    h.enable(account);
    ck_assert_msg(h.run_until([&] { return h.has(EventKind::disconnect_reason); }, 5000),
                  "no error:\n%s", h.recent_events().c_str());
    const auto *error = h.find(EventKind::disconnect_reason).front();
    ck_assert_int_eq(error->number, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS);
    ck_assert_msg(error->text.find("\"'\"") != std::string::npos, "message: %s",
                  error->text.c_str());
}
END_TEST

START_TEST(the_module_exports_only_purple_init_plugin)
{
    const std::string path = Harness::build_plugin_path();
    // Every symbol resolves at load time.
    void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    ck_assert_msg(handle != nullptr, "dlopen: %s", dlerror());
    ck_assert(dlsym(handle, "purple_init_plugin") != nullptr);
    dlclose(handle);

    gchar *out = nullptr;
    gint status = 0;
    const std::string command = "nm -D --defined-only " + path;
    ck_assert(g_spawn_command_line_sync(command.c_str(), &out, nullptr, &status, nullptr));
    ck_assert_int_eq(status, 0);
    std::string exported;
    gchar **lines = g_strsplit(out, "\n", -1);
    for (gchar **line = lines; *line != nullptr; ++line) {
        gchar **fields = g_strsplit(g_strstrip(*line), " ", -1);
        const guint n = g_strv_length(fields);
        // "address type name"; only code and data count (not absolute symbols).
        if (n == 3 && strchr("TtDdBbRrVvWwiu", fields[1][0]) != nullptr)
            exported += std::string(fields[2]) + " ";
        g_strfreev(fields);
    }
    g_strfreev(lines);
    g_free(out);
    ck_assert_str_eq(exported.c_str(), "purple_init_plugin ");
}
END_TEST

// The harness's rule (tests/harness/harness.hpp): what interrupts a user is
// a surprise unless the test expects it, so many times.
START_TEST(surprises_are_listed_until_expected)
{
    Harness h;
    ck_assert_msg(h.surprises().empty(), "%s", h.surprises().c_str());
    purple_notify_error(nullptr, "Oops", "Nobody asked for this", "really");
    std::string report = h.surprises();
    ck_assert_msg(contains(report, "notify_message") && contains(report, "Nobody asked for this"),
                  "%s", report.c_str());
    h.expect(EventKind::notify_message, "Nobody asked for this", 2);
    report = h.surprises();
    ck_assert_msg(contains(report, "notify_message \"Nobody asked for this\": 1 of 2") &&
                      !contains(report, "nobody expected"),
                  "%s", report.c_str());
    purple_notify_error(nullptr, "Oops", "Nobody asked for this", "again");
    ck_assert_msg(h.surprises().empty(), "%s", h.surprises().c_str());

    // Of the messages written to conversations, only errors are surprising.
    h.record({EventKind::message, "alice@example.com", "", "a system line", "bob",
              PURPLE_MESSAGE_SYSTEM});
    ck_assert_msg(h.surprises().empty(), "%s", h.surprises().c_str());
    h.record({EventKind::message, "alice@example.com", "", "an error line", "bob",
              PURPLE_MESSAGE_ERROR | PURPLE_MESSAGE_NO_LOG});
    report = h.surprises();
    ck_assert_msg(contains(report, "message [alice@example.com] in bob: an error line"), "%s",
                  report.c_str());
    h.expect(EventKind::message, "an error line");
    ck_assert_msg(h.surprises().empty(), "%s", h.surprises().c_str());
}
END_TEST

// ...and the harness fails the test at its end when one is left: this test
// passes only by failing (exit status 1, a failed assertion in fork mode).
START_TEST(an_unexpected_notification_fails_the_test)
{
    Harness h;
    purple_notify_error(nullptr, "Oops", "Nobody expected this", nullptr);
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("plugin");
    TCase *tc = tcase_create("plugin");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, plugin_loads_beside_prpl_jabber);
    tcase_add_test(tc, prpl_jabber_is_unchanged_by_prpl_hipchat);
    tcase_add_test(tc, works_when_only_the_system_plugins_are_probed_first);
    tcase_add_test(tc, plugin_probed_first_still_gets_its_dependency);
    tcase_add_test(tc, accounts_of_both_kinds_can_be_created_and_removed);
    tcase_add_test(tc, load_unload_cycles_leave_libpurple_as_it_was);
    tcase_add_test(tc, a_username_xmpp_cannot_carry_is_refused_before_connecting);
    tcase_add_test(tc, the_module_exports_only_purple_init_plugin);
    tcase_add_test(tc, surprises_are_listed_until_expected);
    // Only in Check's fork mode (as valgrind-check.py runs it too): a failed
    // assertion ends the test's process with status 1.
    tcase_add_exit_test(tc, an_unexpected_notification_fails_the_test, 1);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
