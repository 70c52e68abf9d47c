// Logging in to HipChat (protocol reference §4, §5) through the built plugin
// in a headless libpurple core, against the emulator.
#include <connection.h>
#include <debug.h>
#include <glib.h>

#include <memory>
#include <string>
#include <vector>

#include "emulator-account.hpp"
#include "sample-org.hpp"

#include <check.h>

#include "check-run.hpp"
#include "text-match.hpp"

using hipchat::test::contains;
using hipchat::test::EventKind;

namespace sample = hipchat::test::sample;

namespace {

std::string base64(const std::string &text)
{
    gchar *encoded = g_base64_encode(reinterpret_cast<const guchar *>(text.data()), text.size());
    std::string result(encoded);
    g_free(encoded);
    return result;
}

using Login = hipchat::test::EmulatorAccount;

START_TEST(password_login_reaches_connected_without_bind)
{
    Login login;
    login.connect();
    ck_assert_msg(login.connected(), "not connected:\n%s", login.harness.recent_events().c_str());

    const std::string sent = login.transcript();
    ck_assert_msg(
        contains(sent, "<auth xmlns='http://hipchat.com'") && contains(sent, "oauth2_token='true'"),
        "no HipChat auth sent: %s", sent.c_str());
    // HipChat has no resource bind and no session (§5.5): answered locally.
    ck_assert(!contains(sent, "urn:ietf:params:xml:ns:xmpp-bind"));
    ck_assert(!contains(sent, "urn:ietf:params:xml:ns:xmpp-session"));
    ck_assert(!contains(sent, "mechanism='PLAIN'"));
    // The stream is addressed to the host we connect to, not example.com.
    ck_assert_msg(!contains(sent, "to='example.com'"), "%s", sent.c_str());
    // The server knows us under our full JID with the configured resource.
    const std::string status = login.control.get("/status");
    ck_assert_msg(contains(status, "purple"), "status: %s", status.c_str());
}
END_TEST

START_TEST(token_login_uses_oauth2_and_restarts_when_offered)
{
    Login login({}, sample::alice.email, "not-the-password");
    purple_account_set_string(login.account, "token", sample::alice.token);
    login.connect();
    ck_assert_msg(login.connected(), "not connected:\n%s", login.harness.recent_events().c_str());
    const std::string sent = login.transcript();
    ck_assert_msg(contains(sent, "mechanism='oauth2'") && contains(sent, "restart_stream='true'"),
                  "%s", sent.c_str());
    // A second stream header after <success>: the restart (§5.5).
    ck_assert(sent.find("<stream:stream") != sent.rfind("<stream:stream"));
    ck_assert(!contains(sent, "urn:ietf:params:xml:ns:xmpp-bind"));
}
END_TEST

START_TEST(token_login_without_restart_logic_does_not_restart)
{
    Login login({"--no-restart-logic"}, sample::alice.email, "not-the-password");
    purple_account_set_string(login.account, "token", sample::alice.token);
    login.connect();
    ck_assert_msg(login.connected(), "not connected:\n%s", login.harness.recent_events().c_str());
    const std::string sent = login.transcript();
    ck_assert(contains(sent, "mechanism='oauth2'"));
    ck_assert(!contains(sent, "restart_stream"));
}
END_TEST

START_TEST(jabber_id_uses_the_hipchat_auth_where_offered)
{
    Login login({}, sample::alice.jid);
    login.connect();
    ck_assert_msg(login.connected(), "not connected:\n%s", login.harness.recent_events().c_str());
    const std::string sent = login.transcript();
    ck_assert(contains(sent, "<auth xmlns='http://hipchat.com'"));
    ck_assert(!contains(sent, "mechanism='PLAIN'"));
}
END_TEST

START_TEST(jabber_id_uses_sasl_plain_and_bind_where_hipchat_auth_is_absent)
{
    Login login({"--no-hipchat-auth"}, sample::alice.jid);
    login.connect();
    ck_assert_msg(login.connected(), "not connected:\n%s", login.harness.recent_events().c_str());
    const std::string sent = login.transcript();
    ck_assert_msg(contains(sent, "mechanism='PLAIN'"), "%s", sent.c_str());
    ck_assert(!contains(sent, "<auth xmlns='http://hipchat.com'"));
    // A real bind, asking for the configured resource (§5.3).
    ck_assert(contains(sent, "<resource>purple</resource>"));
    const std::string status = login.control.get("/status");
    ck_assert_msg(contains(status, std::string(sample::alice.jid) + "/purple"), "%s",
                  status.c_str());
}
END_TEST

START_TEST(wrong_password_is_fatal_with_a_clear_message)
{
    Login login({}, sample::alice.email, "wrong password");
    login.harness.expect(EventKind::disconnect_reason, "Incorrect e-mail address or password.");
    login.connect();
    const auto *error = login.wait_for_error();
    ck_assert_msg(error != nullptr, "no error:\n%s", login.harness.recent_events().c_str());
    ck_assert_int_eq(error->number, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED);
    ck_assert(purple_connection_error_is_fatal(PurpleConnectionError(error->number)));
    ck_assert_str_eq(error->text.c_str(), "Incorrect e-mail address or password.");
}
END_TEST

START_TEST(no_starttls_fails_before_any_credential_is_sent)
{
    Login login({"--no-starttls"});
    login.harness.expect(EventKind::disconnect_reason,
                         "You require encryption, but it is not available on this server.");
    login.connect();
    const auto *error = login.wait_for_error();
    ck_assert_msg(error != nullptr, "no error:\n%s", login.harness.recent_events().c_str());
    ck_assert_int_eq(error->number, PURPLE_CONNECTION_ERROR_ENCRYPTION_ERROR);
    const std::string sent = login.transcript();
    ck_assert(!contains(sent, "<auth"));
    ck_assert(!contains(sent, sample::alice.password));
    ck_assert(!contains(sent, base64(std::string("\0", 1) + sample::alice.email)));
}
END_TEST

START_TEST(success_without_a_jid_is_reported_clearly)
{
    Login login;
    login.control.post("/fault", "{\"success_without_jid\":true}");
    login.harness.expect(EventKind::disconnect_reason, "no JID");
    login.connect();
    const auto *error = login.wait_for_error();
    ck_assert_msg(error != nullptr, "no error:\n%s", login.harness.recent_events().c_str());
    ck_assert_int_eq(error->number, PURPLE_CONNECTION_ERROR_OTHER_ERROR);
    ck_assert_msg(contains(error->text, "no JID"), "%s", error->text.c_str());
}
END_TEST

START_TEST(an_unexpected_failure_condition_is_reported_clearly)
{
    // A passing trouble of the server's: said, and not final (libpurple's
    // UIs connect again), as HipChat's own client retried.
    Login login;
    login.control.post("/fault", "{\"fail_auth_with\":\"temporary-auth-failure\"}");
    login.harness.expect(EventKind::disconnect_reason,
                         "HipChat could not log you in just now (temporary-auth-failure).");
    login.connect();
    const auto *error = login.wait_for_error();
    ck_assert_msg(error != nullptr, "no error:\n%s", login.harness.recent_events().c_str());
    ck_assert_int_eq(error->number, PURPLE_CONNECTION_ERROR_NETWORK_ERROR);
    ck_assert_str_eq(error->text.c_str(),
                     "HipChat could not log you in just now (temporary-auth-failure).");
}
END_TEST

START_TEST(keepalive_outlives_the_server_idle_timeout)
{
    Login login({"--idle-timeout", "3"});
    purple_account_set_int(login.account, "keepalive_interval", 1);
    // Nothing but the keepalive after login: no rooms, no 1:1 history (under
    // valgrind a busy login can hold the main loop longer than the timeout).
    purple_account_set_bool(login.account, "autojoin", FALSE);
    purple_account_set_int(login.account, "chat_history", 0);
    login.connect();
    ck_assert(login.connected());
    login.harness.run_for(8000);
    ck_assert_msg(purple_account_is_connected(login.account) &&
                      !login.harness.has(EventKind::disconnect_reason),
                  "dropped while idle:\n%s", login.harness.recent_events().c_str());
}
END_TEST

START_TEST(passwords_and_tokens_never_reach_either_debug_sink)
{
    Login login;
    purple_debug_set_enabled(TRUE);  // the g_print path of pidgin -d / finch --debug
    login.connect();
    ck_assert(login.connected());
    login.harness.run_for(1000);  // startup and roster replies, with tokens

    const std::string log = login.harness.debug_log();
    const std::string printed = login.harness.printed();
    ck_assert_msg(contains(log, "Recv") && contains(printed, "Recv"), "no debug output captured");
    for (const std::string &sink : {log, printed}) {
        ck_assert(!contains(sink, sample::alice.password));
        ck_assert(!contains(sink, base64(std::string("\0", 1) + sample::alice.email +
                                         std::string("\0", 1) + sample::alice.password)));
        ck_assert(!contains(sink, sample::alice.token));
    }
    // The token HipChat minted for us was in a Recv line, redacted.
    ck_assert_msg(contains(log, "oauth2_token='[redacted]'"), "no redacted oauth2_token in log");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("login");
    TCase *tc = tcase_create("login");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, password_login_reaches_connected_without_bind);
    tcase_add_test(tc, token_login_uses_oauth2_and_restarts_when_offered);
    tcase_add_test(tc, token_login_without_restart_logic_does_not_restart);
    tcase_add_test(tc, jabber_id_uses_the_hipchat_auth_where_offered);
    tcase_add_test(tc, jabber_id_uses_sasl_plain_and_bind_where_hipchat_auth_is_absent);
    tcase_add_test(tc, wrong_password_is_fatal_with_a_clear_message);
    tcase_add_test(tc, no_starttls_fails_before_any_credential_is_sent);
    tcase_add_test(tc, success_without_a_jid_is_reported_clearly);
    tcase_add_test(tc, an_unexpected_failure_condition_is_reported_clearly);
    tcase_add_test(tc, keepalive_outlives_the_server_idle_timeout);
    tcase_add_test(tc, passwords_and_tokens_never_reach_either_debug_sink);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
