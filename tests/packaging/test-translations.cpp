// The shipped catalogues, as a user sees them: the *built* plugin loaded in
// the headless libpurple core (tests/harness) with LANGUAGE=de or fr shows its
// summary, its account option labels and a login error translated.
//
// The catalogues come from this build dir (po/<lang>/LC_MESSAGES/), where
// meson test's environment points PURPLE_HIPCHAT_LOCALEDIR; the plugin binds
// that instead of the install prefix's locale dir (src/purple/plugin.cpp).
// The test env's LC_ALL=C.UTF-8 lets glibc honour LANGUAGE without any
// generated locales; each Check test runs in its own fork, so each sees only
// the LANGUAGE it sets before the plugin is probed (init translates).
#include <accountopt.h>
#include <plugin.h>
#include <prpl.h>

#include <glib.h>

#include <clocale>
#include <string>

#include "harness.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::EventKind;
using hipchat::test::Harness;

namespace {

// prpl-hipchat as the harness probed it (init has run, so its strings are
// translated for the LANGUAGE set before the Harness was created).
PurplePlugin *plugin_in(Harness &h)
{
    PurplePlugin *plugin = h.plugin("prpl-hipchat");
    ck_assert_msg(plugin != nullptr, "prpl-hipchat not found in %s",
                  Harness::build_plugin_dir().c_str());
    // The plugin just built, not one installed system-wide.
    const std::string built = Harness::build_plugin_path();
    ck_assert_str_eq(plugin->path, built.c_str());
    return plugin;
}

void set_language(const char *language)
{
    if (language != nullptr)
        g_setenv("LANGUAGE", language, TRUE);
    else
        g_unsetenv("LANGUAGE");
    // Also makes gettext drop what it cached for the previous environment.
    ck_assert(setlocale(LC_ALL, "") != nullptr);
}

// The label of the account option `key` (owned by the option).
const char *option_label(PurplePlugin *plugin, const char *key)
{
    for (GList *l = PURPLE_PLUGIN_PROTOCOL_INFO(plugin)->protocol_options; l != nullptr;
         l = l->next) {
        auto *option = static_cast<PurpleAccountOption *>(l->data);
        if (g_strcmp0(purple_account_option_get_setting(option), key) == 0)
            return purple_account_option_get_text(option);
    }
    ck_abort_msg("no account option %s", key);
    return nullptr;
}

START_TEST(the_build_tree_catalogues_are_used)
{
    const char *dir = g_getenv("PURPLE_HIPCHAT_LOCALEDIR");
    ck_assert_msg(dir != nullptr, "meson test sets PURPLE_HIPCHAT_LOCALEDIR");
    for (const char *language : {"de", "fr"}) {
        gchar *mo = g_build_filename(dir, language, "LC_MESSAGES", "purple-hipchat.mo", nullptr);
        ck_assert_msg(g_file_test(mo, G_FILE_TEST_IS_REGULAR), "missing %s", mo);
        g_free(mo);
    }
}
END_TEST

START_TEST(german)
{
    set_language("de");
    Harness h;
    PurplePlugin *plugin = plugin_in(h);
    ck_assert_str_eq(plugin->info->summary, "HipChat-Protokoll-Plugin");
    ck_assert(g_str_has_prefix(plugin->info->description, "HipChat für Pidgin, Finch und bitlbee"));
    ck_assert_str_eq(option_label(plugin, "resource"), "Ressource");
    ck_assert_str_eq(option_label(plugin, "token"), "API-Token (anstelle des Passworts)");
    // The protocol name is a product name, never translated.
    ck_assert_str_eq(purple_plugin_get_name(plugin), "HipChat");
}
END_TEST

START_TEST(german_error_at_login)
{
    // Translated when it happens (not in init), with its %c filled in.
    set_language("de");
    Harness h;
    plugin_in(h);
    PurpleAccount *account = h.add_account("prpl-hipchat", "o'brien@example.com", "secret");
    h.expect(EventKind::disconnect_reason, "Der Benutzername enthält „'“");
    h.enable(account);
    ck_assert_msg(h.run_until([&] { return h.has(EventKind::disconnect_reason); }, 5000),
                  "no error:\n%s", h.recent_events().c_str());
    const std::string &text = h.find(EventKind::disconnect_reason).front()->text;
    ck_assert_msg(g_str_has_prefix(text.c_str(), "Der Benutzername enthält „'“"), "message: %s",
                  text.c_str());
}
END_TEST

START_TEST(french)
{
    set_language("fr");
    Harness h;
    PurplePlugin *plugin = plugin_in(h);
    ck_assert_str_eq(plugin->info->summary, "Plugin pour le protocole HipChat");
    ck_assert_str_eq(option_label(plugin, "connect_server"), "Serveur");
    ck_assert_str_eq(option_label(plugin, "token"), "Jeton d'API (à la place du mot de passe)");
}
END_TEST

START_TEST(english_without_a_language)
{
    // The untranslated strings when no catalogue applies (LC_ALL=C.UTF-8).
    set_language(nullptr);
    Harness h;
    PurplePlugin *plugin = plugin_in(h);
    ck_assert_str_eq(plugin->info->summary, "HipChat Protocol Plugin");
    ck_assert_str_eq(option_label(plugin, "token"), "API token (instead of the password)");
}
END_TEST

START_TEST(an_unshipped_language_falls_back_to_english)
{
    // No Japanese catalogue is shipped: the English original, not an error.
    set_language("ja");
    Harness h;
    ck_assert_str_eq(plugin_in(h)->info->summary, "HipChat Protocol Plugin");
}
END_TEST

START_TEST(language_lists_pick_the_first_shipped)
{
    // LANGUAGE is a preference list: Japanese is missing, French is next.
    set_language("ja:fr:de");
    Harness h;
    ck_assert_str_eq(plugin_in(h)->info->summary, "Plugin pour le protocole HipChat");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("translations");
    TCase *tc = tcase_create("translations");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, the_build_tree_catalogues_are_used);
    tcase_add_test(tc, german);
    tcase_add_test(tc, german_error_at_login);
    tcase_add_test(tc, french);
    tcase_add_test(tc, english_without_a_language);
    tcase_add_test(tc, an_unshipped_language_falls_back_to_english);
    tcase_add_test(tc, language_lists_pick_the_first_shipped);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
