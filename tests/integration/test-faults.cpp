// Fault injection (issue "quality gates"): the built plugin against an
// emulator told, through its control interface (docs/emulator.md), to
// misbehave: the connection dropped at every login stage and mid-session,
// slow replies, error and malformed replies to every IQ we send, malformed
// and oversized variants of each HipChat extension, REST errors, stalls and
// truncated bodies.
//
// Every case checks the same three things: the plugin stays up (the case's
// process survives, under the sanitizer build with leaks fatal too), the
// user is told what happened where there is something to tell, and the
// account works afterwards (a message from Bob arrives and is shown),
// reconnecting first where a broken stream demands it.
//
// The program prints "fault-injection: tried: <area>: <case>" for every
// case first, and each case "fault-injection: survived: <area>: <case>"
// when it passes: tools/quality-figures counts them.
#include <cmds.h>
#include <connection.h>
#include <conversation.h>
#include <ft.h>
#include <prpl.h>
#include <roomlist.h>
#include <server.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "core/files.hpp"
#include "emulator-account.hpp"
#include "files-support.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::contains;
using hipchat::test::Event;
using hipchat::test::EventKind;

namespace sample = hipchat::test::sample;

namespace {

namespace ns {
constexpr const char *startup = "http://hipchat.com/protocol/startup";
constexpr const char *profile = "http://hipchat.com/protocol/profile";
constexpr const char *emoticons = "http://hipchat.com/protocol/emoticons";
constexpr const char *history = "http://hipchat.com/protocol/history";
constexpr const char *disco_items = "http://jabber.org/protocol/disco#items";
constexpr const char *muc_room = "http://hipchat.com/protocol/muc#room";
}  // namespace ns

using hipchat::core::json_string;

struct Faulted : hipchat::test::EmulatorAccount {
    Faulted()
    {
        purple_account_set_bool(account, "autojoin", FALSE);
        purple_account_set_int(account, "chat_history", 0);
    }

    PurpleConnection *gc() { return purple_account_get_connection(account); }

    void sign_in()
    {
        connect();
        ck_assert_msg(connected(), "not connected:\n%s", harness.recent_events().c_str());
    }

    void fault(const std::string &json) { control.post("/fault", json); }
    void reset() { fault("{\"reset\":true}"); }

    // IQs with a payload of namespace `xmlns` are answered with `payload`.
    void reply_with(const char *xmlns, const std::string &payload)
    {
        fault("{\"reply_iq\":{\"xmlns\":" + json_string(xmlns) +
              ",\"payload\":" + json_string(payload) + "}}");
    }

    // Raw XML to our sessions, as the server would write it.
    void push(const std::string &xml)
    {
        control.post("/stanza", "{\"to\":" + json_string(sample::alice.jid) +
                                    ",\"xml\":" + json_string(xml) + "}");
    }

    bool shown(const std::string &part, int timeout_ms = 5000)
    {
        return harness.run_until(
            [&] {
                return harness.has(EventKind::message,
                                   [&](const Event &e) { return contains(e.text, part); });
            },
            timeout_ms);
    }

    // Expects one more notification containing `part`, and waits for it.
    bool expect_notified(const std::string &part, int timeout_ms = 5000)
    {
        return harness.expect_within(EventKind::notify_message, part, timeout_ms);
    }

    // The account still works: Bob's next message arrives and is shown.
    void still_works()
    {
        ck_assert_msg(purple_account_is_connected(account), "disconnected:\n%s",
                      harness.recent_events().c_str());
        const std::string text = "still there? " + std::to_string(++probes);
        control.post("/message", std::string("{\"from\":\"") + sample::bob.jid + "\",\"to\":\"" +
                                     sample::alice.jid + "\",\"body\":" + json_string(text) + "}");
        ck_assert_msg(shown(text), "Bob's message did not arrive:\n%s",
                      harness.recent_events().c_str());
    }

    // A broken stream: a network error (so Pidgin and Finch reconnect), and
    // after the fault is gone a reconnect (what they do) works.
    void reconnects_after_network_error()
    {
        // One error, in whatever words: whether the server's close or a
        // reset is seen first is a matter of timing. Its kind is asserted.
        harness.expect(EventKind::disconnect_reason, "");
        const Event *error = wait_for_error();
        ck_assert_msg(error != nullptr, "no error:\n%s", harness.recent_events().c_str());
        ck_assert_msg(!purple_connection_error_is_fatal(PurpleConnectionError(error->number)),
                      "a fatal error (%d): %s", error->number, error->text.c_str());
        reset();
        harness.run_until([&] { return gc() == nullptr; }, 5000);
        purple_account_connect(account);
        ck_assert_msg(connected(), "reconnecting failed:\n%s", harness.recent_events().c_str());
    }

    PurpleCmdStatus command(PurpleConversation *conv, const std::string &line)
    {
        char *error = nullptr;
        const auto status = purple_cmd_do_command(conv, line.c_str(), line.c_str(), &error);
        g_free(error);
        return status;
    }

    // The room list, fetched as the UI would, until it is no longer in progress.
    PurpleRoomlist *room_list(int timeout_ms = 15000)
    {
        PurpleRoomlist *list = purple_roomlist_get_list(gc());
        ck_assert(list != nullptr);
        purple_roomlist_ref(list);  // the UI's reference
        ck_assert_msg(
            harness.run_until([&] { return !purple_roomlist_get_in_progress(list); }, timeout_ms),
            "the room list never finished:\n%s", harness.recent_events().c_str());
        return list;
    }

    // A file Bob shares with us over REST, offered as a transfer: libpurple
    // asks whether to accept it.
    PurpleXfer *offered_file(const std::string &name, const std::string &content)
    {
        harness.expect(EventKind::request_action, "Bob Test wants to send you " + name);
        hipchat::test::bob_shares(emulator, "/v2/user/204364/share/file", name, content);
        PurpleXfer *found = nullptr;
        harness.run_until(
            [&] {
                for (GList *l = purple_xfers_get_all(); l != nullptr; l = l->next) {
                    auto *x = static_cast<PurpleXfer *>(l->data);
                    if (purple_xfer_get_account(x) == account &&
                        purple_xfer_get_type(x) == PURPLE_XFER_RECEIVE)
                        found = x;
                }
                return found != nullptr;
            },
            5000);
        ck_assert_msg(found != nullptr, "no transfer:\n%s", harness.recent_events().c_str());
        return found;
    }

    // The download fails, says `why`, and leaves no partial file behind.
    void download_fails(PurpleXfer *x, const std::string &why, int timeout_ms)
    {
        const std::string saved = dir + "/" + purple_xfer_get_filename(x);
        purple_xfer_ref(x);
        purple_xfer_request_accepted(x, saved.c_str());
        ck_assert_msg(harness.run_until([&] { return purple_xfer_is_canceled(x); }, timeout_ms),
                      "the download did not fail:\n%s", harness.recent_events().c_str());
        purple_xfer_unref(x);
        ck_assert_msg(expect_notified("File transfer from Bob Test failed. " + why),
                      "no '%s' in:\n%s", why.c_str(), harness.recent_events().c_str());
        ck_assert_msg(!g_file_test(saved.c_str(), G_FILE_TEST_EXISTS), "a partial file was left");
    }

    hipchat::test::ScratchDir scratch;  // saved downloads, files to upload
    const std::string &dir = scratch.path;
    int probes = 0;
};

// --- The cases ----------------------------------------------------------------

struct Case {
    const char *area;
    const char *name;
    std::function<void(Faulted &)> run;
};

void drop_at(Faulted &s, const std::string &stage)
{
    s.fault("{\"drop_after\":" + json_string(stage) + "}");
    s.connect();
    s.reconnects_after_network_error();
    s.still_works();
}

// A malformed or oversized push: the session keeps going.
void survives_push(Faulted &s, const std::string &xml)
{
    s.sign_in();
    s.push(xml);
    s.still_works();
}

// A reply to one of our IQs that breaks the XML stream itself.
void survives_broken_reply(Faulted &s, const char *xmlns, const std::string &payload)
{
    s.reply_with(xmlns, payload);
    s.connect();
    s.reconnects_after_network_error();
    s.still_works();
}

std::string big(std::size_t bytes, char c = 'x')
{
    return std::string(bytes, c);
}

// emulator/data/sample-org.json: the people with a photo.
constexpr std::size_t photos_in_the_sample_team = 10;

const std::string bob_full = std::string(sample::bob.jid) + "/emulator";

const Case cases[] = {
    // -- The connection dropped at every login stage, and mid-session.
    {"connection", "dropped after the stream features", [](Faulted &s) { drop_at(s, "features"); }},
    {"connection", "dropped on the auth", [](Faulted &s) { drop_at(s, "auth"); }},
    {"connection", "dropped after <success>", [](Faulted &s) { drop_at(s, "success"); }},
    {"connection", "dropped on the 1st IQ after login", [](Faulted &s) { drop_at(s, "iq:1"); }},
    {"connection", "dropped on the 2nd IQ after login", [](Faulted &s) { drop_at(s, "iq:2"); }},
    {"connection", "dropped on the 3rd IQ after login", [](Faulted &s) { drop_at(s, "iq:3"); }},
    {"connection", "dropped on the 4th IQ after login", [](Faulted &s) { drop_at(s, "iq:4"); }},
    {"connection", "dropped on the 5th IQ after login", [](Faulted &s) { drop_at(s, "iq:5"); }},
    {"connection", "dropped with a room list and history in flight",
     [](Faulted &s) {
         s.sign_in();
         PurpleConversation *conv = s.join_room(sample::dev.name, sample::dev.jid);
         s.fault("{\"delay_ms\":2000}");
         PurpleRoomlist *list = purple_roomlist_get_list(s.gc());
         purple_roomlist_ref(list);
         ck_assert_int_eq(s.command(conv, "history"), PURPLE_CMD_STATUS_OK);
         s.fault("{\"drop_after\":\"now\"}");
         s.reconnects_after_network_error();
         // The list was left, not left spinning.
         ck_assert(!purple_roomlist_get_in_progress(list));
         purple_roomlist_unref(list);
         s.still_works();
     }},

    // -- Slow replies.
    {"slow", "every write held 2 s: login, room list and history still complete",
     [](Faulted &s) {
         s.fault("{\"delay_ms\":2000}");
         s.connect();
         ck_assert_msg(s.connected(30000), "%s", s.harness.recent_events().c_str());
         PurpleRoomlist *list = s.room_list(30000);
         ck_assert_int_gt(g_list_length(list->rooms), 0);
         purple_roomlist_unref(list);
         s.fault("{\"delay_ms\":0}");
         s.still_works();
     }},

    // -- Error replies to every IQ we send.
    {"iq error", "startup",
     [](Faulted &s) {
         s.fault(std::string("{\"error_iq\":\"") + ns::startup + "\"}");
         s.sign_in();
         // Our names come from the profile instead (§6.1); joins still work.
         s.join_room(sample::dev.name, sample::dev.jid);
         s.still_works();
     }},
    {"iq error", "startup and profile",
     [](Faulted &s) {
         s.fault(std::string("{\"error_iq\":\"") + ns::startup + "\"}");
         s.sign_in();
         s.fault(std::string("{\"error_iq\":\"") + ns::profile + "\"}");
         s.still_works();
     }},
    {"iq error", "profile (Get Info falls back to the vCard)",
     [](Faulted &s) {
         s.sign_in();
         s.fault(std::string("{\"error_iq\":\"") + ns::profile + "\"}");
         serv_get_info(s.gc(), sample::bob.jid);
         ck_assert_msg(
             s.harness.expect_within(EventKind::notify_userinfo, "Full Name: Bob Test", 5000),
             "no user info:\n%s", s.harness.recent_events().c_str());
         ck_assert(
             contains(s.harness.find(EventKind::notify_userinfo).front()->text, sample::bob.name));
         s.still_works();
     }},
    {"iq error", "emoticons",
     [](Faulted &s) {
         s.fault(std::string("{\"error_iq\":\"") + ns::emoticons + "\"}");
         s.sign_in();
         s.control.post("/message", std::string("{\"from\":\"") + sample::bob.jid + "\",\"to\":\"" +
                                        sample::alice.jid +
                                        "\",\"body\":\"(allthethings) ready\"}");
         ck_assert(s.shown("(allthethings) ready"));  // the text, as typed
         s.still_works();
     }},
    {"iq error", "disco#items (the room list)",
     [](Faulted &s) {
         s.sign_in();
         s.fault(std::string("{\"error_iq\":\"") + ns::disco_items + "\"}");
         PurpleRoomlist *list = s.room_list();
         purple_roomlist_unref(list);
         ck_assert_msg(s.expect_notified("did not send the room list"), "%s",
                       s.harness.recent_events().c_str());
         s.still_works();
     }},
    {"iq error", "history",
     [](Faulted &s) {
         s.sign_in();
         PurpleConversation *conv = s.join_room(sample::dev.name, sample::dev.jid);
         s.fault(std::string("{\"error_iq\":\"") + ns::history + "\"}");
         ck_assert_int_eq(s.command(conv, "history"), PURPLE_CMD_STATUS_OK);
         ck_assert_msg(
             s.harness.expect_within(EventKind::message, "Could not load earlier messages", 5000),
             "%s", s.harness.recent_events().c_str());
         s.still_works();
     }},

    {"iq error", "history never answered (the 60 s timeout)",
     [](Faulted &s) {
         s.sign_in();
         PurpleConversation *conv = s.join_room(sample::dev.name, sample::dev.jid);
         s.fault(std::string("{\"ignore_iq\":\"") + ns::history + "\"}");
         ck_assert_int_eq(s.command(conv, "history"), PURPLE_CMD_STATUS_OK);
         ck_assert_msg(s.harness.expect_within(
                           EventKind::message,
                           "Could not load earlier messages: the server did not answer", 75000),
                       "%s", s.harness.recent_events().c_str());
         // Nothing is left waiting: the next page can be asked for.
         s.fault("{\"ignore_iq\":\"\"}");
         ck_assert_int_eq(s.command(conv, "history"), PURPLE_CMD_STATUS_OK);
         s.still_works();
     }},

    // -- Malformed and oversized replies to our IQs.
    {"malformed reply", "startup: empty",
     [](Faulted &s) {
         s.reply_with(ns::startup, std::string("<query xmlns='") + ns::startup + "'/>");
         s.sign_in();
         s.join_room(sample::dev.name, sample::dev.jid);
         s.still_works();
     }},
    {"malformed reply", "startup: wrong types, odd auto-join items",
     [](Faulted &s) {
         s.reply_with(ns::startup,
                      std::string("<query xmlns='") + ns::startup +
                          "'><name>Alice Example</name><mention_name>Alice Example</mention_name>"
                          "<group_id>ten</group_id><group_name></group_name>"
                          "<token expiration='soon' ttl='-1'/><is_admin>maybe</is_admin>"
                          "<preferences><autoJoin><item/><item jid=''/><item jid='@@@'/>"
                          "<item jid='10804_nosuch@conf.hipchat.com' name='Gone'><x xmlns='" +
                          ns::muc_room +
                          "'><id>-1</id><num_participants>lots</num_participants></x></item>"
                          "</autoJoin><autoJoin/></preferences><preferences/></query>");
         purple_account_set_bool(s.account, "autojoin", TRUE);
         s.sign_in();
         // A room of the list that no longer exists is tried and logged: no
         // dialog at login, which nobody asked for (the harness fails the
         // case on one).
         ck_assert(s.harness.run_until(
             [&] {
                 return contains(s.harness.debug_log(),
                                 "Auto-join of 10804_nosuch@conf.hipchat.com failed");
             },
             5000));
         s.still_works();
     }},
    {"malformed reply", "startup: a 100 KB name",
     [](Faulted &s) {
         s.reply_with(ns::startup, std::string("<query xmlns='") + ns::startup + "'><name>" +
                                       big(100 * 1024) + "</name></query>");
         s.sign_in();
         s.still_works();
     }},
    {"malformed reply", "startup: not well-formed (the stream breaks)",
     [](Faulted &s) {
         survives_broken_reply(s, ns::startup,
                               std::string("<query xmlns='") + ns::startup + "'><name>Alice</nam>");
     }},
    {"malformed reply", "profile: wrong types and a 50 KB title",
     [](Faulted &s) {
         s.sign_in();
         s.reply_with(ns::profile, std::string("<query xmlns='") + ns::profile +
                                       "'><name>Bob Test</name><timezone utc_offset='east'>"
                                       "Mars/Olympus</timezone><timezone utc_offset='99999999999'/>"
                                       "<title>" +
                                       big(50 * 1024) + "</title><email/></query>");
         serv_get_info(s.gc(), sample::bob.jid);
         ck_assert_msg(
             s.harness.expect_within(EventKind::notify_userinfo, "Full name: Bob Test", 5000),
             "no user info:\n%s", s.harness.recent_events().c_str());
         s.still_works();
     }},
    {"malformed reply", "profile: empty",
     [](Faulted &s) {
         s.sign_in();
         s.reply_with(ns::profile, std::string("<query xmlns='") + ns::profile + "'/>");
         serv_get_info(s.gc(), sample::bob.jid);
         // Shown, though with nothing in it: any text.
         ck_assert(s.harness.expect_within(EventKind::notify_userinfo, "", 5000));
         s.still_works();
     }},
    {"malformed reply", "emoticons: missing fields, hostile paths, 3,000 items",
     [](Faulted &s) {
         std::string items;
         for (int i = 0; i < 3000; ++i)
             items += "<item id='" + std::to_string(i) + "' shortcut='e" + std::to_string(i) +
                      "' path='" + std::to_string(i) + ".png' w='30' h='30' type='group'/>";
         s.reply_with(
             ns::emoticons,
             std::string("<query xmlns='") + ns::emoticons +
                 "' ver='x'><path_prefix>javascript:alert(1)//</path_prefix>"
                 "<item/><item shortcut=''/><item shortcut='up' path='../../../etc/passwd'"
                 " w='-5' h='huge'/><item shortcut='allthethings' path='http://evil/x.png'/>" +
                 items + "</query>");
         s.sign_in();
         s.control.post("/message", std::string("{\"from\":\"") + sample::bob.jid + "\",\"to\":\"" +
                                        sample::alice.jid +
                                        "\",\"body\":\"(up) (e7) (allthethings)\"}");
         ck_assert(s.shown("(up)"));
         s.still_works();
     }},
    {"malformed reply",
     "disco#items: items without JIDs, wrong types, a 100 KB topic, an RSM "
     "page pointing at itself",
     [](Faulted &s) {
         s.sign_in();
         s.reply_with(
             ns::disco_items,
             std::string("<query xmlns='") + ns::disco_items +
                 "'><item/><item jid=''/><item jid='10804_odd@conf.hipchat.com'><x xmlns='" +
                 ns::muc_room +
                 "'><name>Odd</name><num_participants>many</num_participants>"
                 "<last_active>-5</last_active><is_archived>maybe</is_archived>"
                 "<privacy>secret</privacy><owner>nobody</owner><topic>" +
                 big(100 * 1024) +
                 "</topic></x></item><set xmlns='http://jabber.org/protocol/rsm'>"
                 "<last>10804_odd@conf.hipchat.com</last></set></query>");
         PurpleRoomlist *list = s.room_list(60000);
         ck_assert_int_ge(g_list_length(list->rooms), 1);
         purple_roomlist_unref(list);
         s.still_works();
     }},
    {"malformed reply", "history: a result with junk instead of the end",
     [](Faulted &s) {
         s.sign_in();
         PurpleConversation *conv = s.join_room(sample::dev.name, sample::dev.jid);
         s.reply_with(ns::history, std::string("<query xmlns='") + ns::history +
                                       "'><message><body>not a page</body></message></query>");
         ck_assert_int_eq(s.command(conv, "history"), PURPLE_CMD_STATUS_OK);
         // An empty page, as far as we can tell; nothing shown from inside it.
         ck_assert_msg(s.shown("No earlier messages."), "%s", s.harness.recent_events().c_str());
         ck_assert(!s.shown("not a page", 0));
         // The next page can be asked for: nothing is left waiting.
         s.reset();
         ck_assert_int_eq(s.command(conv, "history"), PURPLE_CMD_STATUS_OK);
         s.still_works();
     }},

    // -- Malformed and oversized HipChat extensions pushed by the server.
    {"extension", "room push: no JID, an unknown room deleted, a 100 KB name",
     [](Faulted &s) {
         survives_push(s, std::string("<iq type='set' id='p1'><query xmlns='") + ns::muc_room +
                              "'><item/></query></iq><iq type='set' id='p2'><query xmlns='" +
                              ns::muc_room +
                              "'><item jid='10804_nosuch@conf.hipchat.com' status='deleted'/>"
                              "</query></iq><iq type='set' id='p3'><query xmlns='" +
                              ns::muc_room + "'><item jid='10804_dev@conf.hipchat.com'><name>" +
                              big(100 * 1024) + "</name><privacy>?</privacy></item></query></iq>");
     }},
    {"extension", "emoticon push: items without shortcuts, no ver",
     [](Faulted &s) {
         survives_push(s, std::string("<iq type='set' id='e1'><query xmlns='") + ns::emoticons +
                              "'><item/><item id='x' shortcut='' path=''/><item shortcut='new' "
                              "w='a' h='b'/></query></iq>");
     }},
    {"extension", "roster push: no JID, a 100 KB name, odd mention names",
     [](Faulted &s) {
         survives_push(s, std::string("<iq type='set' id='r1'><query xmlns='jabber:iq:roster'>"
                                      "<item/><item jid='10804_999@chat.hipchat.com' name='") +
                              big(100 * 1024) +
                              "' mention_name='two words @x' mobile='?' subscription='both'/>"
                              "</query></iq>");
     }},
    {"extension", "notification: broken card JSON, unknown format and colour",
     [](Faulted &s) {
         s.sign_in();
         s.join_room(sample::dev.name, sample::dev.jid);
         s.push(std::string("<message type='groupchat' from='") + sample::dev.jid +
                "/Jenkins' to='" + sample::alice.jid +
                "'><body>build &lt;b&gt;broke</body><x xmlns='" + ns::muc_room +
                "'><type>system</type><message_format>pdf</message_format><color>ultraviolet"
                "</color><notify>perhaps</notify><card>{\"style\": \"application\", \"title\": "
                "[</card><notification_sender type='addon' id=''/></x></message>");
         s.still_works();
     }},
    {"extension", "message: broken XHTML, a bad delay stamp, a file with a bad size",
     [](Faulted &s) {
         survives_push(
             s, std::string("<message type='chat' from='") + bob_full + "' to='" +
                    sample::alice.jid +
                    "' mid='' ts='not-a-time'><body>look</body><html "
                    "xmlns='http://jabber.org/protocol/xhtml-im'><body "
                    "xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script><a "
                    "href='javascript:x'>x</a><p><p><img/></p></p></body></html><delay "
                    "xmlns='urn:xmpp:delay' "
                    "stamp='yesterday' from_jid='@@'/><x xmlns='" +
                    ns::muc_room +
                    "'><file id=''><name>../../x</name><size>-1e99</size><file_url>javascript:y"
                    "</file_url></file></x></message>");
     }},
    {"extension", "message: a 1 MB body",
     [](Faulted &s) {
         survives_push(s, std::string("<message type='chat' from='") + bob_full + "' to='" +
                              sample::alice.jid + "'><body>" + big(1024 * 1024, 'y') +
                              "</body></message>");
     }},
    {"extension", "presence: odd show, idle and mobile",
     [](Faulted &s) {
         survives_push(s,
                       std::string("<presence from='") + bob_full +
                           "'><show>sleeping</show><priority>x</priority><query "
                           "xmlns='jabber:iq:last' seconds='-7'/><mobile "
                           "xmlns='http://hipchat.com/protocol/mobile' type='brick'/></presence>");
     }},
    {"extension", "invite: no inviter, no room name",
     [](Faulted &s) {
         static std::string invited_to;
         auto seen = +[](PurpleAccount *, const char *, const char *chat, const char *,
                         GHashTable *) -> int {
             invited_to = chat != nullptr ? chat : "";
             return -1;  // declined (an unanswered request would outlive the test)
         };
         purple_signal_connect(purple_conversations_get_handle(), "chat-invited", &invited_to,
                               PURPLE_CALLBACK(seen), nullptr);
         survives_push(s, std::string("<message from='10804_ops@conf.hipchat.com' to='") +
                              sample::alice.jid +
                              "'><x xmlns='http://jabber.org/protocol/muc#user'><invite/></x>"
                              "<x xmlns='" +
                              ns::muc_room + "'/></message>");
         // Still offered (from the room), so the user can join.
         ck_assert_msg(!invited_to.empty(), "no invite offered:\n%s",
                       s.harness.recent_events().c_str());
     }},
    {"extension", "not well-formed XML mid-session (the stream breaks)",
     [](Faulted &s) {
         s.sign_in();
         s.push("<message from='x'><body>broken</bod></message>");
         s.reconnects_after_network_error();
         s.still_works();
     }},

    // -- REST: errors, stalls and truncated bodies.
    {"rest", "an emoticon image answered 500",
     [](Faulted &s) {
         s.sign_in();
         s.fault("{\"rest_status\":500}");
         s.control.post("/message", std::string("{\"from\":\"") + sample::bob.jid + "\",\"to\":\"" +
                                        sample::alice.jid + "\",\"body\":\"(troll) hi\"}");
         ck_assert(s.shown("(troll) hi"));
         s.still_works();
     }},
    {"rest", "an emoticon image truncated",
     [](Faulted &s) {
         s.sign_in();
         s.fault("{\"rest_truncate\":true}");
         s.control.post("/message", std::string("{\"from\":\"") + sample::bob.jid + "\",\"to\":\"" +
                                        sample::alice.jid + "\",\"body\":\"(lolwut) hi\"}");
         ck_assert(s.shown("(lolwut) hi"));
         s.harness.run_for(1000);
         s.still_works();
     }},
    {"rest", "a download answered 500",
     [](Faulted &s) {
         s.sign_in();
         PurpleXfer *x = s.offered_file("report.txt", "quarterly");
         s.fault("{\"rest_status\":500}");
         s.download_fails(x, "HipChat answered with an error (500)", 10000);
         s.still_works();
     }},
    {"rest", "a download truncated",
     [](Faulted &s) {
         s.sign_in();
         PurpleXfer *x = s.offered_file("half.txt", big(64 * 1024, 'h'));
         s.fault("{\"rest_truncate\":true}");
         s.download_fails(x, "The connection closed before", 10000);
         s.still_works();
     }},
    {"rest", "a download stalled past the 30 s timeout",
     [](Faulted &s) {
         s.sign_in();
         // The login's photo downloads are answered first: a stalled one
         // would hold libsoup's two connections to the host for 30 s each.
         ck_assert(s.harness.run_until(
             [&] {
                 return hipchat::test::occurrences(s.control.get("/rest-log"), "/avatars/") >=
                        photos_in_the_sample_team;
             },
             10000));
         s.harness.run_for(200);
         PurpleXfer *x = s.offered_file("stuck.txt", "never");
         s.fault("{\"rest_delay_ms\":45000}");
         s.download_fails(x, "HipChat could not be reached: The server stopped answering", 40000);
         s.fault("{\"rest_delay_ms\":0}");
         s.still_works();
     }},
    {"rest", "an upload's answer truncated",
     [](Faulted &s) {
         s.sign_in();
         PurpleConversation *conv = s.join_room(sample::dev.name, sample::dev.jid);
         const std::string path = s.dir + "/up.txt";
         ck_assert(g_file_set_contents(path.c_str(), "up", 2, nullptr));
         s.fault("{\"rest_truncate\":true,\"rest_status\":500}");
         ck_assert_int_eq(s.command(conv, "share " + path), PURPLE_CMD_STATUS_OK);
         // The status came whole; the body cut short is no transport error.
         ck_assert_msg(s.expect_notified("File transfer to 10804_dev@conf.hipchat.com failed. "
                                         "HipChat answered with an error (500)"),
                       "the upload did not fail:\n%s", s.harness.recent_events().c_str());
         s.still_works();
     }},
};

constexpr int case_count = sizeof cases / sizeof cases[0];

START_TEST(fault)
{
    const Case &c = cases[_i];
    {
        Faulted s;
        c.run(s);
    }  // the harness fails the case here on surprises
    std::printf("fault-injection: survived: %s: %s\n", c.area, c.name);
    std::fflush(stdout);
}
END_TEST

}  // namespace

int main()
{
    for (const Case &c : cases)
        std::printf("fault-injection: tried: %s: %s\n", c.area, c.name);
    std::fflush(stdout);
    Suite *suite = suite_create("faults");
    TCase *tc = tcase_create("faults");
    tcase_set_timeout(tc, 120);
    // FAULT_CASE=N runs only the table's case N (counted from 0).
    const char *only = g_getenv("FAULT_CASE");
    const int first = only != nullptr ? std::atoi(only) : 0;
    tcase_add_loop_test(tc, fault, first, only != nullptr ? first + 1 : case_count);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
