// Conformance with HipChat's own client (docs/CONFORMANCE.md): the stanza
// shapes the real server sent, as the emulator sends them when people do
// what causes them, through the built plugin, asserting what the user sees.
// Each test is named after its row(s) in docs/CONFORMANCE.md. The other
// people, and Alice's other devices, are real sessions of the emulator
// (tests/emulator/xmpp-test-client.hpp), beside the plugin's.
#include <account.h>
#include <blist.h>
#include <cmds.h>
#include <connection.h>
#include <conversation.h>
#include <server.h>
#include <signals.h>

#include <memory>
#include <string>
#include <vector>

#include "emulator-account.hpp"
#include "files-support.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::contains;
using hipchat::test::Event;
using hipchat::test::EventKind;
using hipchat::test::occurrences;
using hipchat::test::XmppTestClient;

namespace sample = hipchat::test::sample;

namespace {

struct Conformance : hipchat::test::EmulatorAccount {
    // `join_history` < 0: the account option's default.
    explicit Conformance(const std::vector<std::string> &emulator_args = {}, int join_history = -1)
        : EmulatorAccount(emulator_args)
    {
        purple_account_set_bool(account, "autojoin", FALSE);
        if (join_history >= 0)
            purple_account_set_int(account, "join_history", join_history);
        connect();
        ck_assert_msg(connected(), "not connected:\n%s", harness.recent_events().c_str());
    }

    // Someone's session beside the plugin's: a colleague, or another device
    // of Alice's. Online, as a client is after its initial presence.
    std::unique_ptr<XmppTestClient> session_of(const sample::Person &who, const char *resource)
    {
        auto client = std::make_unique<XmppTestClient>(emulator.xmpp_port());
        client->login(emulator.ca_file(), who.email, who.password, resource);
        client->send("<presence/>");
        client->expect("<presence");
        return client;
    }

    // That session in `room` under the person's full name (§1), without backlog.
    static void enter(XmppTestClient &client, const sample::Room &room, const sample::Person &who)
    {
        client.send(std::string("<presence to='") + room.jid + "/" + who.name +
                    "'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x>"
                    "</presence>");
        client.expect("</subject></message>");
    }

    // The first line written to conversation `conv_name` containing `text`,
    // waiting up to `timeout_ms`; nullptr if none.
    const Event *line(const std::string &conv_name, const std::string &text, int timeout_ms = 5000)
    {
        const Event *found = nullptr;
        harness.run_until(
            [&] {
                for (const Event *e : harness.find(EventKind::message))
                    if (e->category == conv_name && contains(e->text, text)) {
                        found = e;
                        return true;
                    }
                return false;
            },
            timeout_ms);
        return found;
    }

    // Everything written to `conv_name`, one line each, for failure messages
    // and for asserting what never appeared.
    std::string lines_of(const std::string &conv_name) const
    {
        std::string all;
        for (const Event *e : harness.find(EventKind::message))
            if (e->category == conv_name)
                all += e->who + ": " + e->text + "\n";
        return all;
    }

    bool left(PurpleConversation *conv, int timeout_ms = 5000)
    {
        return harness.run_until([&] { return purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)); },
                                 timeout_ms);
    }
};

bool has_flag(const Event *e, PurpleMessageFlags flag)
{
    return e != nullptr && (e->number & flag) != 0;
}

// --- A. Connection -----------------------------------------------------------

START_TEST(A_signed_in_elsewhere_with_the_same_resource_ends_here_for_good)
{
    Conformance s;
    s.harness.expect(EventKind::disconnect_reason, "signed in elsewhere with the same resource");
    auto other = s.session_of(sample::alice, "purple");
    const Event *error = s.wait_for_error();
    ck_assert(error != nullptr);
    ck_assert_int_eq(error->number, PURPLE_CONNECTION_ERROR_NAME_IN_USE);
    // Fatal: libpurple does not reconnect, so the other session stays.
    s.harness.run_for(1500);
    ck_assert(!purple_account_is_connected(s.account));
    ck_assert(!other->closed_within(300));
}
END_TEST

// --- J. Room life cycle --------------------------------------------------

START_TEST(J5_a_leave_shows_no_machine_status)
{
    Conformance s;
    auto bob = s.session_of(sample::bob, "web");
    s.enter(*bob, sample::dev, sample::bob);
    s.join_room(sample::dev.name, sample::dev.jid);
    // hubot and HipChat's clients left with machine markers (§7.5).
    bob->send(std::string("<presence type='unavailable' to='") + sample::dev.jid +
              "/Bob Test'><status>hc-leave</status></presence>");
    const Event *leave = s.line(sample::dev.jid, "Bob Test left the room");
    ck_assert_msg(leave != nullptr && !contains(leave->text, "hc-leave"), "%s",
                  s.lines_of(sample::dev.jid).c_str());
}
END_TEST

START_TEST(J7_closing_a_room_on_another_device_closes_it_here_in_words)
{
    Conformance s;
    auto phone = s.session_of(sample::alice, "phone");
    s.enter(*phone, sample::dev, sample::alice);
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    phone->send(std::string("<presence type='unavailable' to='") + sample::dev.jid +
                "/Alice Example'/>");
    ck_assert_msg(s.line(sample::dev.jid, "You closed this room on another device.") != nullptr,
                  "%s", s.lines_of(sample::dev.jid).c_str());
    ck_assert(s.left(dev));
    const std::string all = s.lines_of(sample::dev.jid);
    ck_assert_msg(!contains(all, "kicked") && !contains(all, sample::alice.jid), "%s", all.c_str());
}
END_TEST

START_TEST(J8_removed_by_the_rooms_owner_says_who_and_closes_the_room)
{
    // Random is Bob's.
    Conformance s;
    auto bob = s.session_of(sample::bob, "web");
    s.enter(*bob, sample::random, sample::bob);
    PurpleConversation *random = s.join_room(sample::random.name, sample::random.jid);
    bob->send(std::string("<iq type='set' id='rm' to='") + sample::random.jid +
              "'><query xmlns='http://hipchat.com'><item jid='" + sample::alice.jid +
              "' affiliation='none'/></query></iq>");
    ck_assert_msg(s.line(sample::random.jid, "Bob Test removed you from this room.") != nullptr,
                  "%s", s.lines_of(sample::random.jid).c_str());
    ck_assert(s.left(random));
    ck_assert(!contains(s.lines_of(sample::random.jid), "kicked"));
}
END_TEST

START_TEST(J8_someone_else_removed_is_said_so_with_the_removers_name)
{
    Conformance s;
    auto bob = s.session_of(sample::bob, "web");
    auto carol = s.session_of(sample::carol, "web");
    s.enter(*bob, sample::random, sample::bob);
    s.enter(*carol, sample::random, sample::carol);
    s.join_room(sample::random.name, sample::random.jid);
    bob->send(std::string("<iq type='set' id='rm' to='") + sample::random.jid +
              "'><query xmlns='http://hipchat.com'><item jid='" + sample::carol.jid +
              "' affiliation='none'/></query></iq>");
    ck_assert_msg(
        s.line(sample::random.jid, "Carol Jones left the room (removed by Bob Test)") != nullptr,
        "%s", s.lines_of(sample::random.jid).c_str());
}
END_TEST

// --- I. Subjects and topics ------------------------------------------------

START_TEST(I2_I6_an_old_topic_change_in_the_backlog_is_neither_announced_nor_kept)
{
    // Random's history holds a topic change from before its current topic.
    Conformance s;
    PurpleConversation *random = s.join_room(sample::random.name, sample::random.jid);
    ck_assert(s.line(sample::random.jid, "Guilty. Fresh pot is brewing.") != nullptr);
    s.harness.run_for(300);
    ck_assert_str_eq(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(random)),
                     "Cats, coffee and (allthethings)");
    ck_assert_msg(!contains(s.lines_of(sample::random.jid), "coffee machine"), "%s",
                  s.lines_of(sample::random.jid).c_str());
}
END_TEST

START_TEST(I2_M_an_old_topic_change_in_a_history_page_is_neither_shown_nor_counted)
{
    Conformance s({}, 0);
    PurpleConversation *random = s.join_room(sample::random.name, sample::random.jid);
    char *error = nullptr;
    ck_assert_int_eq(purple_cmd_do_command(random, "history", "history", &error),
                     PURPLE_CMD_STATUS_OK);
    g_free(error);
    // Two messages and a topic change: two earlier messages.
    ck_assert_msg(s.line(sample::random.jid, "— 2 earlier messages —") != nullptr, "%s",
                  s.lines_of(sample::random.jid).c_str());
    ck_assert(s.line(sample::random.jid, "Guilty. Fresh pot is brewing.") != nullptr);
    ck_assert(!contains(s.lines_of(sample::random.jid), "coffee machine"));
    ck_assert_str_eq(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(random)),
                     "Cats, coffee and (allthethings)");
}
END_TEST

// /history asked for the moment the room opens, its backlog still on the
// way: the backlog is shown as the backlog, once, and the page is older.
void history_at_once(PurpleConversation *conv, void *)
{
    char *error = nullptr;
    purple_cmd_do_command(conv, "history", "history", &error);
    g_free(error);
}

START_TEST(M_history_asked_before_the_backlog_arrived_keeps_the_backlog)
{
    Conformance s;
    purple_signal_connect(purple_conversations_get_handle(), "chat-joined", &s,
                          PURPLE_CALLBACK(history_at_once), nullptr);
    s.join_room(sample::dev.name, sample::dev.jid);
    ck_assert_msg(s.line(sample::dev.jid, "No earlier messages.") != nullptr, "%s",
                  s.lines_of(sample::dev.jid).c_str());
    const std::string all = s.lines_of(sample::dev.jid);
    ck_assert_msg(occurrences(all, "Backend is deployed to staging") == 1 &&
                      !contains(all, "earlier message —"),
                  "%s", all.c_str());
    purple_signal_disconnect(purple_conversations_get_handle(), "chat-joined", &s,
                             PURPLE_CALLBACK(history_at_once));
}
END_TEST

START_TEST(I1_a_live_topic_change_is_announced_and_kept)
{
    Conformance s;
    auto bob = s.session_of(sample::bob, "web");
    s.enter(*bob, sample::dev, sample::bob);
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    bob->send(std::string("<message type='groupchat' to='") + sample::dev.jid +
              "'><subject>Freeze until Monday</subject></message>");
    ck_assert(s.line(sample::dev.jid, "Freeze until Monday") != nullptr);
    ck_assert_str_eq(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(dev)), "Freeze until Monday");
}
END_TEST

// --- B, M. Our own 1:1 messages from other devices (V1, V2) --------------

// Alice writes to Bob on her phone: the plugin shows it in her chat with
// Bob as hers, live, once; then the 1:1 history has it as hers too. Under
// both forms a server could use (--own-copies).
void own_messages_from_another_device(const std::vector<std::string> &args)
{
    Conformance s(args);
    auto phone = s.session_of(sample::alice, "phone");
    phone->send(std::string("<message type='chat' to='") + sample::bob.jid +
                "' id='p1'><body>on my way</body></message>");
    const Event *copy = s.line(sample::bob.jid, "on my way");
    ck_assert_msg(copy != nullptr, "%s", s.harness.recent_events().c_str());
    ck_assert_msg(has_flag(copy, PURPLE_MESSAGE_SEND) &&
                      has_flag(copy, PURPLE_MESSAGE_REMOTE_SEND) &&
                      !has_flag(copy, PURPLE_MESSAGE_RECV),
                  "flags %d, who %s", copy->number, copy->who.c_str());
    // The 1:1 history of a new chat window: ours again, not Bob's.
    PurpleConversation *im =
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, sample::bob.jid, s.account);
    ck_assert(im != nullptr);
    purple_conversation_destroy(im);
    const std::size_t before = s.harness.find(EventKind::message).size();
    purple_conversation_new(PURPLE_CONV_TYPE_IM, s.account, sample::bob.jid);
    ck_assert(s.harness.run_until(
        [&] {
            const auto all = s.harness.find(EventKind::message);
            for (std::size_t i = before; i < all.size(); ++i)
                if (contains(all[i]->text, "on my way"))
                    return true;
            return false;
        },
        5000));
    const auto all = s.harness.find(EventKind::message);
    for (std::size_t i = before; i < all.size(); ++i)
        if (contains(all[i]->text, "on my way"))
            ck_assert_msg(
                has_flag(all[i], PURPLE_MESSAGE_SEND) && !has_flag(all[i], PURPLE_MESSAGE_RECV),
                "from history: flags %d, who %s", all[i]->number, all[i]->who.c_str());
}

START_TEST(B6_M4_own_messages_from_another_device_from_the_partner)
{
    own_messages_from_another_device({});
}
END_TEST

START_TEST(B6_M4_own_messages_from_another_device_as_sent)
{
    own_messages_from_another_device({"--own-copies", "from-self"});
}
END_TEST

// --- G. Chat states -----------------------------------------------------

START_TEST(G4_closing_a_chat_says_nothing)
{
    Conformance s;
    auto bob = s.session_of(sample::bob, "web");
    purple_conversation_new(PURPLE_CONV_TYPE_IM, s.account, sample::bob.jid);
    bob->send(std::string("<message type='chat' to='") + sample::alice.jid +
              "'><body>bye</body></message>");
    ck_assert(s.line(sample::bob.jid, "bye") != nullptr);
    bob->send(std::string("<message type='chat' to='") + sample::alice.jid +
              "'><gone xmlns='http://jabber.org/protocol/chatstates'/></message>");
    s.harness.run_for(500);
    ck_assert_msg(!contains(s.lines_of(sample::bob.jid), "left the conversation"), "%s",
                  s.lines_of(sample::bob.jid).c_str());
}
END_TEST

// --- E. Files --------------------------------------------------------------

START_TEST(E2_a_file_in_the_backlog_is_a_file)
{
    Conformance s;
    // Bob shares a file in Dev before Alice joins.
    hipchat::test::bob_shares(s.emulator, "/v2/room/22087/share/file", "plan.txt", "the plan");
    s.join_room(sample::dev.name, sample::dev.jid);
    const Event *file = s.line(sample::dev.jid, "plan.txt");
    ck_assert_msg(file != nullptr && contains(file->text, "<a href=") &&
                      has_flag(file, PURPLE_MESSAGE_DELAYED),
                  "%s", s.lines_of(sample::dev.jid).c_str());
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("conformance");
    TCase *tc = tcase_create("conformance");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, A_signed_in_elsewhere_with_the_same_resource_ends_here_for_good);
    tcase_add_test(tc, J5_a_leave_shows_no_machine_status);
    tcase_add_test(tc, J7_closing_a_room_on_another_device_closes_it_here_in_words);
    tcase_add_test(tc, J8_removed_by_the_rooms_owner_says_who_and_closes_the_room);
    tcase_add_test(tc, J8_someone_else_removed_is_said_so_with_the_removers_name);
    tcase_add_test(tc, I2_I6_an_old_topic_change_in_the_backlog_is_neither_announced_nor_kept);
    tcase_add_test(tc, I2_M_an_old_topic_change_in_a_history_page_is_neither_shown_nor_counted);
    tcase_add_test(tc, I1_a_live_topic_change_is_announced_and_kept);
    tcase_add_test(tc, M_history_asked_before_the_backlog_arrived_keeps_the_backlog);
    tcase_add_test(tc, B6_M4_own_messages_from_another_device_from_the_partner);
    tcase_add_test(tc, B6_M4_own_messages_from_another_device_as_sent);
    tcase_add_test(tc, G4_closing_a_chat_says_nothing);
    tcase_add_test(tc, E2_a_file_in_the_backlog_is_a_file);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
