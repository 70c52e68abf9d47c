// Messages (protocol reference §8) through the built plugin against the
// emulator: two people in one room see each other's messages once and
// attributed; backlog attribution; integration notifications rendered and
// sanitised; mentions flagged (and not); completed full names sent as
// @mentions; 1:1 echoes; offline messages; shared files; room-state lines.
#include <blist.h>
#include <connection.h>
#include <conversation.h>
#include <prpl.h>
#include <server.h>

#include <string>
#include <vector>

#include "emulator-account.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"
#include "rest-client.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::Event;
using hipchat::test::EventKind;

using hipchat::test::contains;

namespace sample = hipchat::test::sample;

namespace {

struct Signed : hipchat::test::EmulatorAccount {
    explicit Signed(const std::vector<std::string> &args = {}) : EmulatorAccount(args)
    {
        purple_account_set_bool(account, "autojoin", FALSE);
    }

    void sign_in()
    {
        connect();
        ck_assert_msg(connected(), "not connected:\n%s", harness.recent_events().c_str());
    }

    PurpleConnection *gc(PurpleAccount *a = nullptr)
    {
        return purple_account_get_connection(a != nullptr ? a : account);
    }

    PurpleAccount *second(const char *email, const char *password)
    {
        PurpleAccount *other = harness.add_account("prpl-hipchat", email, password);
        purple_account_set_remember_password(other, TRUE);
        purple_account_set_string(other, "connect_server", "127.0.0.1");
        purple_account_set_int(other, "port", emulator.xmpp_port());
        purple_account_set_bool(other, "autojoin", FALSE);
        harness.enable(other);
        ck_assert(harness.run_until([&] { return purple_account_is_connected(other); }, 15000));
        return other;
    }

    PurpleConversation *join(PurpleAccount *who, const char *room, const char *nick)
    {
        GHashTable *data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_replace(data, g_strdup("room"), g_strdup(room));
        serv_join_chat(gc(who), data);
        g_hash_table_destroy(data);
        PurpleConversation *conv = nullptr;
        ck_assert_msg(harness.run_until(
                          [&] {
                              conv = purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT,
                                                                           room, who);
                              return conv != nullptr &&
                                     purple_conv_chat_find_user(PURPLE_CONV_CHAT(conv), nick);
                          },
                          5000),
                      "%s not in %s:\n%s", nick, room, harness.recent_events().c_str());
        return conv;
    }

    // Messages written to conversation `conv_name` of `who` (the account's username).
    std::vector<const Event *> messages(const std::string &conv_name, const std::string &who,
                                        const std::string &part)
    {
        std::vector<const Event *> found;
        for (const Event *e : harness.find(EventKind::message)) {
            if (e->category == conv_name && e->account == who && contains(e->text, part))
                found.push_back(e);
        }
        return found;
    }

    const Event *wait_message(const std::string &conv_name, const std::string &part,
                              const std::string &who = sample::alice.email)
    {
        harness.run_until([&] { return !messages(conv_name, who, part).empty(); }, 5000);
        const auto found = messages(conv_name, who, part);
        ck_assert_msg(!found.empty(), "no '%s' in %s for %s:\n%s", part.c_str(), conv_name.c_str(),
                      who.c_str(), harness.recent_events().c_str());
        return found.front();
    }

    void room_message(const char *from, const std::string &body)
    {
        control.post("/message", std::string("{\"from\":\"") + from + "\",\"room\":\"" +
                                     sample::dev.jid + "\",\"body\":\"" + body + "\"}");
    }

    std::string sent() { return control.get("/transcript?user=alice@example.com"); }
};

bool flag(const Event *e, PurpleMessageFlags f)
{
    return (e->number & f) != 0;
}

START_TEST(two_people_in_a_room_see_each_others_messages_once)
{
    Signed s;
    s.sign_in();
    PurpleAccount *bob_account = s.second(sample::bob.email, sample::bob.password);
    PurpleConversation *alice_conv = s.join(s.account, sample::dev.jid, sample::alice.name);
    PurpleConversation *bob_conv = s.join(bob_account, sample::dev.jid, sample::bob.name);
    s.harness.run_until(
        [&] { return purple_conv_chat_find_user(PURPLE_CONV_CHAT(alice_conv), sample::bob.name); },
        5000);

    purple_conv_chat_send(PURPLE_CONV_CHAT(alice_conv), "hello from Alice");
    purple_conv_chat_send(PURPLE_CONV_CHAT(bob_conv), "hello from Bob");
    const Event *ours = s.wait_message(sample::dev.jid, "hello from Alice");
    const Event *theirs = s.wait_message(sample::dev.jid, "hello from Bob");
    s.wait_message(sample::dev.jid, "hello from Alice", sample::bob.email);
    s.wait_message(sample::dev.jid, "hello from Bob", sample::bob.email);
    s.harness.run_for(500);  // time for a duplicate to show
    // Exactly once each, on both sides; ours marked as sent by us.
    ck_assert_int_eq(s.messages(sample::dev.jid, sample::alice.email, "hello from Alice").size(),
                     1);
    ck_assert_int_eq(s.messages(sample::dev.jid, sample::alice.email, "hello from Bob").size(), 1);
    ck_assert_int_eq(s.messages(sample::dev.jid, sample::bob.email, "hello from Alice").size(), 1);
    ck_assert_int_eq(s.messages(sample::dev.jid, sample::bob.email, "hello from Bob").size(), 1);
    ck_assert(flag(ours, PURPLE_MESSAGE_SEND));
    ck_assert_str_eq(theirs->who.c_str(), sample::bob.name);
    ck_assert(flag(theirs, PURPLE_MESSAGE_RECV));
    ck_assert_str_eq(
        s.messages(sample::dev.jid, sample::bob.email, "hello from Alice").front()->who.c_str(),
        sample::alice.name);
    // Bob's client advertises an avatar hash; we fetched no vCard for it, and
    // his name stayed the roster's, not his vCard's NICKNAME (the mention name).
    PurpleBuddy *bob = purple_find_buddy(s.account, sample::bob.jid);
    ck_assert_str_eq(purple_buddy_get_alias(bob), sample::bob.name);
    ck_assert(purple_buddy_get_server_alias(bob) == nullptr);
    ck_assert(!contains(s.sent(), "to='10804_204365@chat.hipchat.com'><vCard"));
}
END_TEST

START_TEST(the_join_backlog_is_attributed_and_delayed)
{
    Signed s;
    s.sign_in();
    s.join(s.account, sample::dev.jid, sample::alice.name);
    const Event *bobs = s.wait_message(sample::dev.jid, "Release branch is cut.");
    ck_assert_str_eq(bobs->who.c_str(), sample::bob.name);
    ck_assert(flag(bobs, PURPLE_MESSAGE_DELAYED));
    // Our own earlier message is ours, and it mentions Bob, not us.
    const Event *ours = s.wait_message(sample::dev.jid, "smoke tests");
    ck_assert(flag(ours, PURPLE_MESSAGE_SEND));
    // The integration keeps its label, marked as one, and its HTML is
    // rendered, not shown as text.
    const Event *jenkins = s.wait_message(sample::dev.jid, "passed");
    ck_assert_str_eq(jenkins->who.c_str(), "Jenkins (integration)");
    ck_assert_msg(contains(jenkins->text, "<b>Build #42</b> passed"), "%s", jenkins->text.c_str());
    ck_assert(!contains(jenkins->text, "&lt;b&gt;"));
    // Delayed messages never highlight.
    for (const Event *e : s.harness.find(EventKind::message))
        ck_assert(!flag(e, PURPLE_MESSAGE_NICK) || !flag(e, PURPLE_MESSAGE_DELAYED));
}
END_TEST

START_TEST(notifications_are_sanitised_and_never_pose_as_people)
{
    Signed s;
    s.sign_in();
    s.join(s.account, sample::dev.jid, sample::alice.name);
    s.control.post(
        "/notification",
        std::string("{\"room\":\"") + sample::dev.jid +
            "\",\"from\":\"Deploybot\",\"message\":\"<script>alert(1)</script>"
            "<b>ok</b> <a href=\\\"javascript:evil()\\\">x</a> <img src=\\\"http://t/p.png\\\" "
            "alt=\\\"pic\\\"> @AliceExample\",\"message_format\":\"html\",\"color\":\"red\","
            "\"notify\":false}");
    const Event *n = s.wait_message(sample::dev.jid, "<b>ok</b>");
    ck_assert_str_eq(n->who.c_str(), "Deploybot (integration)");
    for (const char *bad : {"<script", "alert(1)", "javascript:", "<img", "onclick"})
        ck_assert_msg(!contains(n->text, bad), "'%s' in %s", bad, n->text.c_str());
    ck_assert(contains(n->text, "[image: pic]"));
    ck_assert(contains(n->text, "#c0392b"));   // the colour, as a readable hint
    ck_assert(!flag(n, PURPLE_MESSAGE_NICK));  // notify=0 never alerts
    // A label that is a person's name is told apart from the person,
    // whether they are in the room (Alice) or not (Carol).
    s.control.post("/notification", std::string("{\"room\":\"") + sample::dev.jid +
                                        "\",\"from\":\"Alice Example\",\"message\":\"not me\","
                                        "\"message_format\":\"text\"}");
    const Event *fake = s.wait_message(sample::dev.jid, "not me");
    ck_assert_str_eq(fake->who.c_str(), "Alice Example (integration)");
    ck_assert(!flag(fake, PURPLE_MESSAGE_SEND));
    s.control.post("/notification", std::string("{\"room\":\"") + sample::dev.jid +
                                        "\",\"from\":\"Carol Jones\",\"message\":\"not Carol\","
                                        "\"message_format\":\"text\"}");
    ck_assert_str_eq(s.wait_message(sample::dev.jid, "not Carol")->who.c_str(),
                     "Carol Jones (integration)");
    // A person's own message is never marked.
    s.control.post("/message", std::string("{\"from\":\"") + sample::carol.jid + "\",\"room\":\"" +
                                   sample::dev.jid + "\",\"body\":\"really Carol\"}");
    ck_assert_str_eq(s.wait_message(sample::dev.jid, "really Carol")->who.c_str(),
                     sample::carol.name);
}
END_TEST

START_TEST(mentions_of_us_are_highlighted_and_others_not)
{
    Signed s;
    s.sign_in();
    s.join(s.account, sample::dev.jid, sample::alice.name);
    s.room_message(sample::bob.jid, "ping @AliceExample please");
    s.room_message(sample::bob.jid, "@all standup now");
    s.room_message(sample::bob.jid, "hello @AliceExampleX");
    s.room_message(sample::bob.jid, "mail alice@AliceExample.com");
    s.room_message(sample::bob.jid, "/code @AliceExample = 1");
    s.room_message(sample::bob.jid, "hey @\\\"alice example\\\"");
    auto nick = [&](const char *part) {
        return flag(s.wait_message(sample::dev.jid, part), PURPLE_MESSAGE_NICK);
    };
    ck_assert(nick("please"));
    ck_assert(nick("standup now"));
    ck_assert(!nick("AliceExampleX"));
    ck_assert(!nick("mail alice"));
    ck_assert(!nick("= 1"));  // formatted: no mention processing (§8.6)
    ck_assert(nick("hey"));
    // /code is shown as code.
    ck_assert(contains(s.wait_message(sample::dev.jid, "= 1")->text, "<pre>"));
}
END_TEST

START_TEST(direct_mentions_only_ignores_all_and_here)
{
    Signed s;
    purple_account_set_bool(s.account, "direct_mentions", TRUE);
    s.sign_in();
    s.join(s.account, sample::dev.jid, sample::alice.name);
    s.room_message(sample::bob.jid, "@here anyone?");
    s.room_message(sample::bob.jid, "@AliceExample you?");
    ck_assert(!flag(s.wait_message(sample::dev.jid, "anyone?"), PURPLE_MESSAGE_NICK));
    ck_assert(flag(s.wait_message(sample::dev.jid, "you?"), PURPLE_MESSAGE_NICK));
}
END_TEST

START_TEST(completed_full_names_are_sent_as_mentions)
{
    Signed s;
    s.sign_in();
    PurpleConversation *conv = s.join(s.account, sample::dev.jid, sample::alice.name);
    // What Pidgin's and bitlbee's nick completion produce.
    purple_conv_chat_send(PURPLE_CONV_CHAT(conv), "Bob Test: can you review?");
    purple_conv_chat_send(PURPLE_CONV_CHAT(conv), "thanks @Dave O'Brien!");
    ck_assert_msg(s.harness.run_until(
                      [&] {
                          const std::string sent = s.sent();
                          return contains(sent, "<body>@BobTest can you review?</body>") &&
                                 contains(sent, "<body>thanks @DaveOBrien!</body>");
                      },
                      5000),
                  "%s", s.sent().c_str());
}
END_TEST

START_TEST(one_to_one_messages_echo_to_our_other_sessions_only)
{
    Signed s;
    s.sign_in();
    PurpleConversation *im =
        purple_conversation_new(PURPLE_CONV_TYPE_IM, s.account, sample::bob.jid);
    purple_conv_im_send(PURPLE_CONV_IM(im), "lunch?");
    ck_assert(s.harness.run_until([&] { return contains(s.sent(), "<echo/>"); }, 5000));
    s.harness.run_for(500);
    // Written once by libpurple when sent; the server's echo is not shown again.
    ck_assert_int_eq(s.messages(sample::bob.jid, sample::alice.email, "lunch?").size(), 1);
    // What another of our sessions wrote (an id we never sent) comes back
    // as sent by us, in the conversation with whom it was written to.
    PURPLE_PLUGIN_PROTOCOL_INFO(s.harness.plugin("prpl-hipchat"))
        ->send_raw(s.gc(),
                   "<message type='chat' to='10804_204365@chat.hipchat.com' id='phone-1'>"
                   "<body>sent from my phone</body><x xmlns='http://hipchat.com'><echo/></x>"
                   "</message>",
                   -1);
    const Event *mine = s.wait_message(sample::bob.jid, "sent from my phone");
    ck_assert(flag(mine, PURPLE_MESSAGE_SEND));
}
END_TEST

START_TEST(messages_sent_while_we_were_away_arrive_delayed)
{
    Signed s;
    // Bob writes before Alice signs in: the server keeps it (§8.3).
    s.control.post("/message", std::string("{\"from\":\"") + sample::bob.jid + "\",\"to\":\"" +
                                   sample::alice.jid + "\",\"body\":\"are you there?\"}");
    s.sign_in();
    const Event *offline = s.wait_message(sample::bob.jid, "are you there?");
    ck_assert(flag(offline, PURPLE_MESSAGE_DELAYED));
    ck_assert(flag(offline, PURPLE_MESSAGE_RECV));
}
END_TEST

START_TEST(shared_files_show_as_links_with_their_size)
{
    Signed s;
    s.sign_in();
    s.join(s.account, sample::dev.jid, sample::alice.name);
    const std::string body =
        "--b\r\nContent-Type: application/json; charset=UTF-8\r\n"
        "Content-Disposition: attachment; name=\"metadata\"\r\n\r\n{\"message\": \"the plan\"}\r\n"
        "--b\r\nContent-Type: text/plain\r\n"
        "Content-Disposition: attachment; name=\"file\"; filename=\"plan.txt\"\r\n\r\n" +
        std::string(2048, 'x') + "\r\n--b--\r\n";
    const auto r =
        hipchat::test::rest_request(s.emulator, "POST", "/v2/room/22087/share/file",
                                    sample::bob.token, "multipart/related; boundary=b", body);
    ck_assert_int_eq(r.status, 204);
    const Event *file = s.wait_message(sample::dev.jid, "plan.txt");
    ck_assert_str_eq(file->who.c_str(), sample::bob.name);
    ck_assert_msg(contains(file->text, "<a href=\"https://127.0.0.1:") &&
                      contains(file->text, "/v2/file/") && contains(file->text, "(2.0 KB)") &&
                      contains(file->text, "the plan"),
                  "%s", file->text.c_str());
}
END_TEST

START_TEST(room_state_changes_are_system_lines)
{
    Signed s;
    s.sign_in();
    s.join(s.account, sample::dev.jid, sample::alice.name);  // Alice owns Dev
    PURPLE_PLUGIN_PROTOCOL_INFO(s.harness.plugin("prpl-hipchat"))
        ->send_raw(s.gc(),
                   "<iq type='set' id='g1' to='10804_dev@conf.hipchat.com'>"
                   "<query xmlns='http://hipchat.com'><guest_access>1</guest_access></query></iq>",
                   -1);
    const Event *line = s.wait_message(sample::dev.jid, "turned on guest access");
    ck_assert(flag(line, PURPLE_MESSAGE_SYSTEM));
    ck_assert_msg(contains(line->text, "Alice Example turned on guest access: https://"), "%s",
                  line->text.c_str());
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("messages");
    TCase *tc = tcase_create("messages");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, two_people_in_a_room_see_each_others_messages_once);
    tcase_add_test(tc, the_join_backlog_is_attributed_and_delayed);
    tcase_add_test(tc, notifications_are_sanitised_and_never_pose_as_people);
    tcase_add_test(tc, mentions_of_us_are_highlighted_and_others_not);
    tcase_add_test(tc, direct_mentions_only_ignores_all_and_here);
    tcase_add_test(tc, completed_full_names_are_sent_as_mentions);
    tcase_add_test(tc, one_to_one_messages_echo_to_our_other_sessions_only);
    tcase_add_test(tc, messages_sent_while_we_were_away_arrive_delayed);
    tcase_add_test(tc, shared_files_show_as_links_with_their_size);
    tcase_add_test(tc, room_state_changes_are_system_lines);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
