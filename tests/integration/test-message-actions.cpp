// What a HipChat user does to messages and chats (protocol reference §8.7,
// §19.1-§19.3, §8.8, §8.5), through the built plugin against the emulator,
// with Bob signed in beside Alice in the same libpurple core where the
// other side matters: editing, deleting and correcting one's last message
// and the refusals, typing notifications, video calls, a chat's files and
// links; typed in bitlbee (through the prpl's sends) as well.
#include <blist.h>
#include <cmds.h>
#include <connection.h>
#include <conversation.h>
#include <prpl.h>
#include <server.h>

#include <string>
#include <vector>

#include "emulator-account.hpp"
#include "files-support.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::contains;
using hipchat::test::Event;
using hipchat::test::EventKind;
using hipchat::test::occurrences;

namespace sample = hipchat::test::sample;

namespace {

struct Actions : hipchat::test::EmulatorAccount {
    explicit Actions(int join_history = 0, bool sign_in = true)
    {
        purple_account_set_bool(account, "autojoin", FALSE);
        purple_account_set_int(account, "join_history", join_history);
        purple_account_set_int(account, "chat_history", 0);
        if (sign_in)
            this->sign_in();
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
    PurplePluginProtocolInfo *prpl()
    {
        return PURPLE_PLUGIN_PROTOCOL_INFO(harness.plugin("prpl-hipchat"));
    }

    // Bob, signed in with the plugin too.
    PurpleAccount *bob()
    {
        if (bob_ != nullptr)
            return bob_;
        bob_ = harness.add_account("prpl-hipchat", sample::bob.email, sample::bob.password);
        purple_account_set_remember_password(bob_, TRUE);
        purple_account_set_string(bob_, "connect_server", "127.0.0.1");
        purple_account_set_int(bob_, "port", emulator.xmpp_port());
        purple_account_set_bool(bob_, "autojoin", FALSE);
        purple_account_set_int(bob_, "join_history", 0);
        purple_account_set_int(bob_, "chat_history", 0);
        harness.enable(bob_);
        ck_assert(harness.run_until([&] { return purple_account_is_connected(bob_); }, 15000));
        return bob_;
    }

    PurpleConversation *im(PurpleAccount *who, const char *with)
    {
        PurpleConversation *conv =
            purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, with, who);
        return conv != nullptr ? conv : purple_conversation_new(PURPLE_CONV_TYPE_IM, who, with);
    }

    PurpleConversation *bob_in_dev()
    {
        PurpleAccount *b = bob();
        GHashTable *data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_replace(data, g_strdup("room"), g_strdup(sample::dev.jid));
        serv_join_chat(gc(b), data);
        g_hash_table_destroy(data);
        PurpleConversation *conv = nullptr;
        ck_assert(harness.run_until(
            [&] {
                conv = purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, sample::dev.jid,
                                                             b);
                return conv != nullptr &&
                       purple_conv_chat_find_user(PURPLE_CONV_CHAT(conv), sample::bob.name);
            },
            10000));
        return conv;
    }

    // The lines written in conversation `conv_name` of `who` containing `text`.
    std::vector<const Event *> lines(const char *who, const char *conv_name,
                                     const std::string &text)
    {
        std::vector<const Event *> found;
        for (const Event *e : harness.find(EventKind::message))
            if (e->account == who && e->category == conv_name && contains(e->text, text))
                found.push_back(e);
        return found;
    }
    bool wrote(const char *who, const char *conv_name, const std::string &text,
               int timeout_ms = 5000)
    {
        return harness.run_until([&] { return !lines(who, conv_name, text).empty(); }, timeout_ms);
    }

    std::string sent() { return control.get("/transcript?user=alice@example.com"); }
    bool sends(const std::string &text, int timeout_ms = 5000)
    {
        return harness.run_until([&] { return contains(sent(), text); }, timeout_ms);
    }

    PurpleAccount *bob_ = nullptr;
};

const char *alice = sample::alice.email;
const char *bob = sample::bob.email;

START_TEST(edit_replaces_the_last_message_in_a_room)
{
    Actions s;
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    s.bob_in_dev();
    purple_conv_chat_send(PURPLE_CONV_CHAT(dev), "teh release is today");
    ck_assert(s.wrote(bob, sample::dev.jid, "teh release is today"));
    ck_assert(s.wrote(alice, sample::dev.jid, "teh release is today"));
    ck_assert_int_eq(s.command(dev, "edit the release is today"), PURPLE_CMD_STATUS_OK);
    // §8.7 as the web client sends it: the original's mid, and an echo.
    ck_assert_msg(s.sends("<replace xmlns='urn:xmpp:message-correct:0' id='"), "%s",
                  s.sent().c_str());
    ck_assert(contains(s.sent(), "<body>the release is today</body>"));
    ck_assert(contains(s.sent(), "<x xmlns='http://hipchat.com'><echo/></x>"));
    // Shown as every client shows an edit, on both sides.
    ck_assert_msg(s.wrote(bob, sample::dev.jid, "the release is today <i>(edited)</i>"), "%s",
                  s.harness.recent_events().c_str());
    ck_assert(s.wrote(alice, sample::dev.jid, "the release is today <i>(edited)</i>"));
    // It reads so now.
    ck_assert_int_eq(s.command(dev, "edit the release is today"), PURPLE_CMD_STATUS_FAILED);
    ck_assert_str_eq(s.last_error.c_str(), "Your last message says that already.");
}
END_TEST

START_TEST(delete_removes_the_last_message_in_a_chat)
{
    Actions s;
    PurpleConversation *to_bob = s.im(s.account, sample::bob.jid);
    s.bob();
    purple_conv_im_send(PURPLE_CONV_IM(to_bob), "wrong window, sorry");
    ck_assert(s.wrote(bob, sample::alice.jid, "wrong window, sorry"));
    // As soon as HipChat's echo has named it (by its mid).
    ck_assert_msg(s.harness.run_until(
                      [&] { return s.command(to_bob, "delete") == PURPLE_CMD_STATUS_OK; }, 5000),
                  "%s", s.last_error.c_str());
    ck_assert_msg(s.sends("<body/>") || s.sends("<body></body>"), "%s", s.sent().c_str());
    ck_assert(s.wrote(bob, sample::alice.jid, "(message deleted)"));
    ck_assert(s.wrote(alice, sample::bob.jid, "(message deleted)"));
    // Nothing left to edit or delete.
    ck_assert_int_eq(s.command(to_bob, "delete"), PURPLE_CMD_STATUS_FAILED);
    ck_assert_str_eq(s.last_error.c_str(), "Your last message here was deleted.");
    ck_assert_int_eq(s.command(to_bob, "edit again"), PURPLE_CMD_STATUS_FAILED);
    ck_assert_str_eq(s.last_error.c_str(), "Your last message here was deleted.");
}
END_TEST

START_TEST(substitutions_correct_the_last_message)
{
    Actions s;
    PurpleConversation *to_bob = s.im(s.account, sample::bob.jid);
    s.bob();
    purple_conv_im_send(PURPLE_CONV_IM(to_bob), "see you at teh station");
    ck_assert(s.wrote(bob, sample::alice.jid, "see you at teh station"));
    // Typed as a message (Pidgin and Finch pass it to the prpl's send).
    purple_conv_im_send(PURPLE_CONV_IM(to_bob), "s/teh/the/");
    ck_assert(s.sends("<body>s/teh/the/</body>"));
    ck_assert(s.wrote(bob, sample::alice.jid, "see you at the station <i>(corrected)</i>"));
    ck_assert(s.wrote(alice, sample::bob.jid, "see you at the station <i>(corrected)</i>"));
    s.harness.run_for(300);
    // Shown once, as the correction, never as the line typed.
    ck_assert(s.lines(alice, sample::bob.jid, "s/teh/the/").empty());
    ck_assert_uint_eq(s.lines(alice, sample::bob.jid, "(corrected)").size(), 1);
    // A second correction works on the corrected text.
    purple_conv_im_send(PURPLE_CONV_IM(to_bob), "s/station/airport/");
    ck_assert(s.wrote(bob, sample::alice.jid, "see you at the airport <i>(corrected)</i>"));

    // In a room, typed in bitlbee.
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    s.bob_in_dev();
    const int id = purple_conv_chat_get_id(PURPLE_CONV_CHAT(dev));
    s.prpl()->chat_send(s.gc(), id, "build is gren", PURPLE_MESSAGE_SEND);
    ck_assert(s.wrote(bob, sample::dev.jid, "build is gren"));
    s.prpl()->chat_send(s.gc(), id, "s/gren/green/", PURPLE_MESSAGE_SEND);
    ck_assert(s.wrote(bob, sample::dev.jid, "build is green <i>(corrected)</i>"));
    ck_assert(s.wrote(alice, sample::dev.jid, "build is green <i>(corrected)</i>"));
}
END_TEST

START_TEST(what_cannot_be_corrected_is_refused_with_a_reason)
{
    // Dev's history has a message of Alice's from long ago.
    Actions s(20);
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    ck_assert(s.wrote(alice, sample::dev.jid, "run the smoke tests"));
    ck_assert_int_eq(s.command(dev, "edit I'll run the unit tests"), PURPLE_CMD_STATUS_FAILED);
    ck_assert_msg(contains(s.last_error, "more than 24 hours old"), "%s", s.last_error.c_str());
    ck_assert_int_eq(s.command(dev, "delete"), PURPLE_CMD_STATUS_FAILED);
    ck_assert(contains(s.last_error, "more than 24 hours old"));
    ck_assert_int_eq(s.command(dev, "edit"), PURPLE_CMD_STATUS_FAILED);
    ck_assert_str_eq(s.last_error.c_str(), "Say the new text: /edit <text>");
    // A correction of text the message lacks is not sent.
    s.harness.expect(EventKind::message, "“unit” is not in your last message here.");
    purple_conv_chat_send(PURPLE_CONV_CHAT(dev), "s/unit/integration/");
    ck_assert(s.wrote(alice, sample::dev.jid, "“unit” is not in your last message here."));
    // Nothing of Alice's in a chat with Carol.
    PurpleConversation *carol = s.im(s.account, sample::carol.jid);
    ck_assert_int_eq(s.command(carol, "edit hi"), PURPLE_CMD_STATUS_FAILED);
    ck_assert_str_eq(s.last_error.c_str(), "There is no message of yours here to edit.");
    ck_assert_int_eq(s.command(carol, "delete"), PURPLE_CMD_STATUS_FAILED);
    ck_assert_str_eq(s.last_error.c_str(), "There is no message of yours here to delete.");
    s.harness.expect(EventKind::message, "There is no message of yours here to correct.");
    purple_conv_im_send(PURPLE_CONV_IM(carol), "s/a/b/");
    ck_assert(s.wrote(alice, sample::carol.jid, "There is no message of yours here to correct."));
    // Typed in bitlbee, the refusal is a line of the conversation.
    s.harness.expect(EventKind::message, "There is no message of yours here to delete.");
    s.prpl()->send_im(s.gc(), sample::carol.jid, "/delete", PURPLE_MESSAGE_SEND);
    ck_assert(s.wrote(alice, sample::carol.jid, "There is no message of yours here to delete."));
    s.harness.run_for(300);
    ck_assert(!contains(s.sent(), "s/unit/") && !contains(s.sent(), "s/a/b/"));
    ck_assert(!contains(s.sent(), "message-correct"));
}
END_TEST

START_TEST(typing_is_sent_and_shown_in_chats_only)
{
    Actions s;
    PurpleAccount *b = s.bob();
    PurpleConversation *bob_sees = s.im(b, sample::alice.jid);
    s.im(s.account, sample::bob.jid);
    // §19.3: composing, asked for again every 3 s while typing.
    ck_assert_uint_eq(serv_send_typing(s.gc(), sample::bob.jid, PURPLE_TYPING), 3);
    ck_assert(s.harness.run_until(
        [&] { return purple_conv_im_get_typing_state(PURPLE_CONV_IM(bob_sees)) == PURPLE_TYPING; },
        5000));
    // Stopped for a while: active, never paused.
    ck_assert_uint_eq(serv_send_typing(s.gc(), sample::bob.jid, PURPLE_TYPED), 0);
    ck_assert(s.harness.run_until(
        [&] {
            return purple_conv_im_get_typing_state(PURPLE_CONV_IM(bob_sees)) == PURPLE_NOT_TYPING;
        },
        5000));
    ck_assert(s.sends("<active xmlns='http://jabber.org/protocol/chatstates'/>"));
    ck_assert(!contains(s.sent(), "<paused"));
    // Stopped again: nothing more to say.
    serv_send_typing(s.gc(), sample::bob.jid, PURPLE_NOT_TYPING);
    s.harness.run_for(300);
    ck_assert_uint_eq(
        occurrences(s.sent(), "<active xmlns='http://jabber.org/protocol/chatstates'/>"), 1);
    // "… is typing" lasts 6 s after the last composing without an active.
    serv_send_typing(s.gc(), sample::bob.jid, PURPLE_TYPING);
    ck_assert(s.harness.run_until(
        [&] { return purple_conv_im_get_typing_state(PURPLE_CONV_IM(bob_sees)) == PURPLE_TYPING; },
        5000));
    ck_assert(s.harness.run_until(
        [&] {
            return purple_conv_im_get_typing_state(PURPLE_CONV_IM(bob_sees)) == PURPLE_NOT_TYPING;
        },
        8000));
    // None in rooms.
    const std::size_t before = occurrences(s.sent(), "chatstates");
    ck_assert_uint_eq(serv_send_typing(s.gc(), sample::dev.jid, PURPLE_TYPING), 0);
    s.harness.run_for(300);
    ck_assert_uint_eq(occurrences(s.sent(), "chatstates"), before);
}
END_TEST

START_TEST(calls_are_shown_declined_and_made)
{
    Actions s;
    // A colleague calls from the web client: the link, and "unsupported".
    s.control.post("/call", std::string("{\"from\":\"") + sample::carol.jid + "\",\"to\":\"" +
                                sample::alice.jid + "\"}");
    ck_assert_msg(s.wrote(alice, sample::carol.jid,
                          "Carol Jones is calling you. Join the video call in your browser: "
                          "https://www.hipchat.com/video/call/010804"),
                  "%s", s.harness.recent_events().c_str());
    ck_assert(s.sends("<decline><reason>unsupported</reason></decline>"));
    ck_assert(s.lines(alice, sample::carol.jid, "I'm calling you using").empty());

    // /call: Bob's plugin shows the invite and declines; Alice reads why.
    PurpleAccount *b = s.bob();
    PurpleConversation *to_bob = s.im(s.account, sample::bob.jid);
    s.harness.expect(EventKind::notify_uri, "https://www.hipchat.com/video/call/010804");
    ck_assert_int_eq(s.command(to_bob, "call"), PURPLE_CMD_STATUS_OK);
    ck_assert(
        s.sends("<x xmlns='http://hipchat.com/protocol/enso'><call><url>"
                "https://www.hipchat.com/video/join/010804"));
    ck_assert(s.wrote(alice, sample::bob.jid, "Calling Bob Test."));
    ck_assert(s.wrote(bob, sample::alice.jid, "Alice Example is calling you."));
    ck_assert(s.wrote(alice, sample::bob.jid,
                      "Bob Test is using a HipChat client that doesn&apos;t support video calls."));
    (void)b;
    // Nobody there: the server says so.
    PurpleConversation *to_frank = s.im(s.account, sample::frank.jid);
    ck_assert_int_eq(s.command(to_frank, "call"), PURPLE_CMD_STATUS_OK);
    s.harness.expect(EventKind::notify_uri, "https://www.hipchat.com/video/call/010804");
    ck_assert(s.wrote(alice, sample::frank.jid,
                      "It looks like Frank Li isn&apos;t available to accept video calls"));
    // Not in rooms.
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    ck_assert_int_eq(s.command(dev, "call"), PURPLE_CMD_STATUS_FAILED);
    ck_assert(contains(s.last_error, "Video calls are for one person"));
}
END_TEST

START_TEST(a_call_kept_while_offline_is_a_missed_call)
{
    // Carol calls while Alice is offline: HipChat keeps the invite and
    // delivers it at her login, with <delay> (§8.3). Not answered.
    Actions s(0, false);
    s.control.post("/call", std::string("{\"from\":\"") + sample::carol.jid + "\",\"to\":\"" +
                                sample::alice.jid +
                                "\",\"url\":\"https://www.hipchat.com/video/join/010804abc\"}");
    s.sign_in();
    ck_assert_msg(s.wrote(alice, sample::carol.jid,
                          "Missed call from Carol Jones. Join the video call in your browser: "
                          "https://www.hipchat.com/video/call/010804abc"),
                  "%s", s.harness.recent_events().c_str());
    s.harness.run_for(300);
    ck_assert(!contains(s.sent(), "<decline>"));
    ck_assert(s.lines(alice, sample::carol.jid, "I'm calling you using").empty());
}
END_TEST

START_TEST(files_and_links_are_listed_newest_first_and_downloadable)
{
    Actions s;
    hipchat::test::ScratchDir dir;
    // Shared before Alice looks (join_history 0: no backlog brings them).
    hipchat::test::bob_shares(s.emulator, "/v2/room/22087/share/file", "old.txt", "first");
    hipchat::test::bob_shares(s.emulator, "/v2/room/22087/share/file", "plan.txt", "the plan");
    s.control.post("/message", std::string("{\"from\":\"") + sample::bob.jid + "\",\"room\":\"" +
                                   sample::dev.jid +
                                   "\",\"body\":\"spec at https://example.com/spec ok\"}");
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    ck_assert_int_eq(s.command(dev, "download plan.txt"), PURPLE_CMD_STATUS_FAILED);
    ck_assert(contains(s.last_error, "/files lists the files shared before"));

    ck_assert_int_eq(s.command(dev, "files"), PURPLE_CMD_STATUS_OK);
    ck_assert(
        s.sends("<query xmlns='http://hipchat.com/protocol/files' limit='100'>"
                "<auth_scheme>bearer</auth_scheme></query>"));
    ck_assert_msg(s.wrote(alice, sample::dev.jid, "Save one with /download &lt;name&gt;."), "%s",
                  s.harness.recent_events().c_str());
    const auto plan = s.lines(alice, sample::dev.jid, "plan.txt (8 bytes) — Bob Test, ");
    const auto old = s.lines(alice, sample::dev.jid, "old.txt (5 bytes) — Bob Test, ");
    ck_assert(plan.size() == 1 && old.size() == 1);
    ck_assert_msg(plan.front() < old.front(), "not newest first");  // events in order
    ck_assert(contains(plan.front()->text, "/v2/file/"));

    // /download finds it in that list.
    s.harness.expect(EventKind::request_file, "plan.txt");
    ck_assert_int_eq(s.command(dev, "download plan.txt"), PURPLE_CMD_STATUS_OK);
    const std::string saved = dir.path + "/plan.txt";
    ck_assert(s.harness.run_until([&] { return s.harness.has(EventKind::request_file); }, 5000));
    ck_assert(s.harness.answer_file_request(saved.c_str()));
    ck_assert(
        s.harness.run_until([&] { return g_file_test(saved.c_str(), G_FILE_TEST_EXISTS); }, 10000));

    // Links, typed in bitlbee.
    s.prpl()->chat_send(s.gc(), purple_conv_chat_get_id(PURPLE_CONV_CHAT(dev)), "/links",
                        PURPLE_MESSAGE_SEND);
    ck_assert(s.wrote(alice, sample::dev.jid, "Links shared here, newest first:"));
    ck_assert(s.wrote(alice, sample::dev.jid, "https://example.com/spec — Bob Test, "));

    // HipChat's refusal, in words.
    s.control.post("/fault", "{\"error_iq\":\"http://hipchat.com/protocol/links\"}");
    s.harness.expect(EventKind::message, "Could not list the links shared here");
    ck_assert_int_eq(s.command(dev, "links"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.wrote(alice, sample::dev.jid,
                      "Could not list the links shared here: internal-server-error"));
    // A chat with nothing shared.
    ck_assert_int_eq(s.command(s.im(s.account, sample::carol.jid), "files"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.wrote(alice, sample::carol.jid, "No files have been shared here."));
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("message-actions");
    TCase *tc = tcase_create("message-actions");
    tcase_set_timeout(tc, 90);
    tcase_add_test(tc, edit_replaces_the_last_message_in_a_room);
    tcase_add_test(tc, delete_removes_the_last_message_in_a_chat);
    tcase_add_test(tc, substitutions_correct_the_last_message);
    tcase_add_test(tc, what_cannot_be_corrected_is_refused_with_a_reason);
    tcase_add_test(tc, typing_is_sent_and_shown_in_chats_only);
    tcase_add_test(tc, calls_are_shown_declined_and_made);
    tcase_add_test(tc, a_call_kept_while_offline_is_a_missed_call);
    tcase_add_test(tc, files_and_links_are_listed_newest_first_and_downloadable);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
