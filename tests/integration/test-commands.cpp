// The commands of HipChat's own client (protocol reference §19.2, §19.5,
// §7.7) through the built plugin against the emulator: message conventions
// sent as typed, presence commands, /rename, /search, and the same typed in
// bitlbee (through the prpl's sends), where /share is refused.
#include <account.h>
#include <blist.h>
#include <cmds.h>
#include <connection.h>
#include <conversation.h>
#include <prpl.h>
#include <status.h>

#include <string>

#include "emulator-account.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::contains;
using hipchat::test::EventKind;

namespace sample = hipchat::test::sample;

namespace {

struct Commands : hipchat::test::EmulatorAccount {
    explicit Commands(const sample::Person &who = sample::alice)
        : EmulatorAccount({}, who.email, who.password)
    {
        purple_account_set_bool(account, "autojoin", FALSE);
        connect();
        ck_assert_msg(connected(), "not connected:\n%s", harness.recent_events().c_str());
    }

    // What Alice's sessions sent, until it contains `text`.
    bool sent(const std::string &text, int timeout_ms = 5000)
    {
        return harness.run_until([&] { return contains(transcript(), text); }, timeout_ms);
    }

    PurpleConversation *im_with_bob()
    {
        return purple_conversation_new(PURPLE_CONV_TYPE_IM, account, sample::bob.jid);
    }
};

START_TEST(message_conventions_are_sent_as_typed)
{
    // Pidgin and Finch know no /code or /em: without ours they answered
    // "Unknown command" and sent nothing (§8.7, §19.2).
    Commands s;
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    for (const char *line :
         {"code x = 1", "quote to be or not", "pre  aligned", "monospace mono", "em waves"}) {
        ck_assert_int_eq(s.command(dev, line), PURPLE_CMD_STATUS_OK);
        ck_assert_msg(s.sent(std::string("<body>/") + line + "</body>"), "%s not sent:\n%s", line,
                      s.transcript().c_str());
    }
    // The room draws them the HipChat way when they come back.
    ck_assert(s.wrote(sample::dev.jid, "<pre>x = 1</pre>"));
    ck_assert(s.wrote(sample::dev.jid, "/me waves"));
    // In a 1:1 too.
    PurpleConversation *bob = s.im_with_bob();
    ck_assert_int_eq(s.command(bob, "code y = 2"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.sent("<body>/code y = 2</body>"));
}
END_TEST

START_TEST(presence_commands_set_the_status)
{
    Commands s;
    PurpleConversation *bob = s.im_with_bob();
    auto status_is = [&](const char *id) {
        return s.harness.run_until(
            [&] {
                PurpleStatus *status = purple_account_get_active_status(s.account);
                return g_strcmp0(purple_status_get_id(status), id) == 0;
            },
            5000);
    };
    ck_assert_int_eq(s.command(bob, "away lunch"), PURPLE_CMD_STATUS_OK);
    ck_assert(status_is("away"));
    ck_assert_str_eq(
        purple_status_get_attr_string(purple_account_get_active_status(s.account), "message"),
        "lunch");
    // HipChat's Away is the chosen one: xa (§10.1).
    ck_assert(s.sent("<status>lunch</status>") && s.sent("<show>xa</show>"));
    ck_assert_int_eq(s.command(bob, "dnd"), PURPLE_CMD_STATUS_OK);
    ck_assert(status_is("dnd"));
    ck_assert(s.sent("<show>dnd</show>"));
    ck_assert_int_eq(s.command(bob, "back"), PURPLE_CMD_STATUS_OK);
    ck_assert(status_is("available"));
}
END_TEST

START_TEST(rename_renames_for_owners)
{
    Commands s;
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    ck_assert_int_eq(s.command(dev, "rename Dev Team"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.harness.run_until(
        [&] { return g_strcmp0(purple_conversation_get_title(dev), "Dev Team") == 0; }, 5000));
    // The room's buddy list entry follows (it titles the room when it opens).
    PurpleChat *bookmark = purple_blist_find_chat(s.account, sample::dev.jid);
    ck_assert(bookmark != nullptr);
    ck_assert_str_eq(purple_chat_get_name(bookmark), "Dev Team");
}
END_TEST

START_TEST(rename_is_refused_with_the_servers_reason)
{
    // Carol neither owns Dev nor is a team admin.
    Commands s(sample::carol);
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid, sample::carol.name);
    s.harness.expect(EventKind::message, "Could not rename the room");
    ck_assert_int_eq(s.command(dev, "rename Mine"), PURPLE_CMD_STATUS_OK);
    // System lines are markup: the apostrophe arrives escaped.
    ck_assert_msg(s.wrote(sample::dev.jid,
                          "Could not rename the room: only the room&apos;s owner and admins may."),
                  "%s", s.harness.recent_events().c_str());
    ck_assert_str_eq(purple_conversation_get_title(dev), "Dev");
}
END_TEST

START_TEST(search_opens_hipchats_search)
{
    // §19.5: HipChat's website searches a room (r=id) or a chat (t=uid-id).
    Commands s;
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    s.harness.expect(EventKind::notify_uri, "/search?q=release%20notes&r=22087");
    ck_assert_int_eq(s.command(dev, "search release notes"), PURPLE_CMD_STATUS_OK);
    s.harness.expect(EventKind::notify_uri, "https://www.hipchat.com/search?q=lunch&t=uid-204365");
    ck_assert_int_eq(s.command(s.im_with_bob(), "search lunch"), PURPLE_CMD_STATUS_OK);
    ck_assert_int_eq(s.command(dev, "search"), PURPLE_CMD_STATUS_FAILED);
}
END_TEST

START_TEST(typed_in_bitlbee_commands_run_and_share_is_refused)
{
    // bitlbee passes what is typed to the prpl's sends as it is.
    Commands s;
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    const int id = purple_conv_chat_get_id(PURPLE_CONV_CHAT(dev));
    s.prpl()->chat_send(s.gc(), id, "/away in a meeting", PURPLE_MESSAGE_SEND);
    ck_assert(s.sent("<status>in a meeting</status>") && s.sent("<show>xa</show>"));
    // The message conventions are text.
    s.prpl()->chat_send(s.gc(), id, "/code z = 3", PURPLE_MESSAGE_SEND);
    ck_assert(s.sent("<body>/code z = 3</body>"));
    // /share would upload a file of the bitlbee server's, in a room or a query.
    s.harness.expect(EventKind::message, "Files cannot be shared with /share here", 2);
    s.prpl()->chat_send(s.gc(), id, "/share /etc/passwd", PURPLE_MESSAGE_SEND);
    s.prpl()->send_im(s.gc(), sample::bob.jid, "/share /etc/passwd", PURPLE_MESSAGE_SEND);
    ck_assert(s.wrote(sample::dev.jid, "Files cannot be shared with /share here"));
    ck_assert(s.wrote(sample::bob.jid, "Files cannot be shared with /share here"));
    s.harness.run_for(500);
    ck_assert(!contains(s.control.get("/rest-log"), "share/file"));
    ck_assert(!contains(s.transcript(), "<body>/share"));
    ck_assert(purple_xfers_get_all() == nullptr);
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("commands");
    TCase *tc = tcase_create("commands");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, message_conventions_are_sent_as_typed);
    tcase_add_test(tc, presence_commands_set_the_status);
    tcase_add_test(tc, rename_renames_for_owners);
    tcase_add_test(tc, rename_is_refused_with_the_servers_reason);
    tcase_add_test(tc, search_opens_hipchats_search);
    tcase_add_test(tc, typed_in_bitlbee_commands_run_and_share_is_refused);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
