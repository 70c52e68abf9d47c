// Plain-XMPP interop: the plugin with a Jabber-ID username against a real
// prosody logs in with SASL and bind (no HipChat auth offered, §5.3),
// exchanges messages with a second account, and joins a MUC room.
#include <connection.h>
#include <conversation.h>
#include <server.h>

#include <string>

#include "harness.hpp"
#include "prosody-server.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::EventKind;
using hipchat::test::Harness;
using hipchat::test::ProsodyServer;

namespace {

PurpleAccount *account_for(Harness &h, ProsodyServer &server, const char *user)
{
    const std::string username = std::string(user) + "@localhost";
    PurpleAccount *account = h.add_account("prpl-hipchat", username.c_str(), "secret-pw");
    purple_account_set_string(account, "connect_server", "localhost");
    purple_account_set_int(account, "port", server.port());
    h.enable(account);
    return account;
}

START_TEST(logs_in_exchanges_messages_and_joins_a_room)
{
    ProsodyServer server;
    server.add_user("alice", "secret-pw");
    server.add_user("bob", "secret-pw");
    Harness h;
    h.accept_certificate("localhost", server.certificate());

    PurpleAccount *alice = account_for(h, server, "alice");
    PurpleAccount *bob = account_for(h, server, "bob");
    ck_assert_msg(
        h.run_until(
            [&] { return purple_account_is_connected(alice) && purple_account_is_connected(bob); },
            20000),
        "not connected:\n%s", h.recent_events().c_str());

    // 1:1
    // As a UI does: open the conversation, then send in it.
    PurpleConversation *im = purple_conversation_new(PURPLE_CONV_TYPE_IM, alice, "bob@localhost");
    purple_conv_im_send(PURPLE_CONV_IM(im), "hello bob");
    ck_assert_msg(h.run_until(
                      [&] {
                          return h.has(EventKind::message, [](const auto &e) {
                              return e.account == "bob@localhost" &&
                                     e.text.find("hello bob") != std::string::npos;
                          });
                      },
                      10000),
                  "bob got nothing:\n%s", h.recent_events().c_str());

    // MUC: alice creates the room (accepting the default configuration, as a
    // user clicking through would), then bob joins; alice speaks, bob reads
    // it once.
    h.answer_actions_with_default(true);
    h.expect(EventKind::request_action, "You are creating a new room.");
    auto join = [](PurpleAccount *account, const char *nick) {
        GHashTable *components = g_hash_table_new_full(g_str_hash, g_str_equal, nullptr, g_free);
        g_hash_table_insert(components, const_cast<char *>("room"), g_strdup("lobby"));
        g_hash_table_insert(components, const_cast<char *>("server"),
                            g_strdup("conference.localhost"));
        g_hash_table_insert(components, const_cast<char *>("handle"), g_strdup(nick));
        serv_join_chat(purple_account_get_connection(account), components);
        g_hash_table_destroy(components);
    };
    join(alice, "Alice");
    ck_assert_msg(h.run_until(
                      [&] {
                          return h.has(EventKind::chat_users_added, [](const auto &e) {
                              return e.account == "alice@localhost" && e.who == "Alice";
                          });
                      },
                      10000),
                  "alice did not join:\n%s", h.recent_events().c_str());
    h.run_for(500);  // the default configuration unlocks the room
    join(bob, "Bob");
    ck_assert_msg(h.run_until(
                      [&] {
                          return h.has(EventKind::chat_users_added, [](const auto &e) {
                              return e.account == "alice@localhost" && e.who == "Bob";
                          });
                      },
                      10000),
                  "no shared room:\n%s", h.recent_events().c_str());

    PurpleConversation *room = purple_find_conversation_with_account(
        PURPLE_CONV_TYPE_CHAT, "lobby@conference.localhost", alice);
    ck_assert(room != nullptr);
    purple_conv_chat_send(PURPLE_CONV_CHAT(room), "hello room");
    ck_assert_msg(h.run_until(
                      [&] {
                          return h.has(EventKind::message, [](const auto &e) {
                              return e.account == "bob@localhost" && e.who == "Alice" &&
                                     e.text == "hello room";
                          });
                      },
                      10000),
                  "bob did not see it:\n%s", h.recent_events().c_str());
    h.run_for(500);
    int seen = 0;
    for (const auto *e : h.find(EventKind::message))
        seen += e->account == "bob@localhost" && e->text == "hello room";
    ck_assert_int_eq(seen, 1);
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("prosody");
    TCase *tc = tcase_create("prosody");
    tcase_set_timeout(tc, 90);
    tcase_add_test(tc, logs_in_exchanges_messages_and_joins_a_room);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
