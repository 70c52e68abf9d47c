// Conformance with HipChat's own client (docs/CONFORMANCE.md): the stanza
// shapes the real server sent, as the emulator sends them when people do
// what causes them, through the built plugin, asserting what the user sees.
// Each test is named after its row(s) in docs/CONFORMANCE.md. The other
// people, and Alice's other devices, are real sessions of the emulator
// (tests/emulator/xmpp-test-client.hpp), beside the plugin's; what happens on
// the server's side (a guest coming in, a room archived on the website) goes
// through its control interface. Shapes no happening produces ([INFERRED]
// ones without a known cause, and variants of other servers) are written to
// our session with the control interface's /stanza, and the rows say so.
//
// Two test cases: "own" gives every test an emulator of its own; "shared"
// runs tables of rows against one emulator started before Check forks them,
// for rows that change nothing in it another row could see (they join
// without backlog, and every row uses words of its own).
#include <account.h>
#include <blist.h>
#include <cmds.h>
#include <connection.h>
#include <conversation.h>
#include <prpl.h>
#include <server.h>
#include <signals.h>
#include <savedstatuses.h>
#include <status.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/files.hpp"
#include "core/xml-escape.hpp"
#include "emulator-account.hpp"
#include "files-support.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::core::json_string;
using hipchat::core::xml_escape;
using hipchat::test::contains;
using hipchat::test::EmulatorProcess;
using hipchat::test::Event;
using hipchat::test::EventKind;
using hipchat::test::occurrences;
using hipchat::test::XmppTestClient;

namespace sample = hipchat::test::sample;

namespace {

// The "shared" test case's emulator (main() starts it, in the process Check
// forks the tests from; a raw pointer, so no forked test's exit stops it).
EmulatorProcess *shared_emulator = nullptr;

struct Conformance : hipchat::test::EmulatorAccount {
    // An emulator of its own; `join_history` < 0: the account option's default.
    explicit Conformance(const std::vector<std::string> &emulator_args = {}, int join_history = -1,
                         const sample::Person &person = sample::alice)
        : EmulatorAccount(emulator_args, person.email, person.password), me(person)
    {
        sign_in(join_history);
    }

    // Against the shared emulator, as Alice, joining rooms without backlog.
    explicit Conformance(EmulatorProcess &shared)
        : EmulatorAccount(shared, sample::alice.email, sample::alice.password), me(sample::alice)
    {
        sign_in(0);
    }

    void sign_in(int join_history)
    {
        purple_account_set_bool(account, "autojoin", FALSE);
        if (join_history >= 0)
            purple_account_set_int(account, "join_history", join_history);
        connect();
        ck_assert_msg(connected(), "not connected:\n%s", harness.recent_events().c_str());
    }

    // Someone's session beside the plugin's: a colleague, or another device
    // of the account's person. Online, as a client is after its initial presence.
    std::unique_ptr<XmppTestClient> session_of(const sample::Person &who, const char *resource,
                                               const std::string &presence = "<presence/>")
    {
        auto client = std::make_unique<XmppTestClient>(emulator.xmpp_port());
        client->login(emulator.ca_file(), who.email, who.password, resource);
        client->send(presence);
        client->expect("<presence");
        return client;
    }

    // That session in `room` under the person's full name (§1), without backlog.
    static void enter(XmppTestClient &client, const sample::Room &room, const sample::Person &who)
    {
        client.send(std::string("<presence to='") + room.jid + "/" + xml_escape(who.name) +
                    "'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x>"
                    "</presence>");
        client.expect("</subject></message>");
    }

    static void say(XmppTestClient &client, const sample::Room &room, const std::string &body)
    {
        client.send(std::string("<message type='groupchat' to='") + room.jid + "'><body>" +
                    xml_escape(body) + "</body></message>");
    }

    // `xml` written to our sessions as the server writes (control /stanza).
    void inject(const std::string &xml)
    {
        control.post("/stanza",
                     "{\"to\":" + json_string(me.jid) + ",\"xml\":" + json_string(xml) + "}");
    }

    // A room message from a colleague through the control interface.
    void room_message(const sample::Person &from, const sample::Room &room, const std::string &body)
    {
        control.post("/message", "{\"from\":" + json_string(from.jid) +
                                     ",\"room\":" + json_string(room.jid) +
                                     ",\"body\":" + json_string(body) + "}");
    }

    // What the plugin sent to the server.
    std::string sent() const { return control.get("/transcript?user=" + std::string(me.email)); }

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

    // `text` was never written to `conv_name`.
    void never_shown(const std::string &conv_name, const std::string &text) const
    {
        ck_assert_msg(!contains(lines_of(conv_name), text), "%s", lines_of(conv_name).c_str());
    }

    std::size_t count_lines(const std::string &conv_name) const
    {
        std::size_t n = 0;
        for (const Event *e : harness.find(EventKind::message))
            n += e->category == conv_name ? 1 : 0;
        return n;
    }

    // Waits until we are in `room_jid` (joined by whatever made us join).
    bool in_room(const char *room_jid, int timeout_ms = 5000)
    {
        return harness.run_until(
            [&] {
                PurpleConversation *conv =
                    purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, room_jid, account);
                return conv != nullptr && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)) &&
                       purple_conv_chat_find_user(PURPLE_CONV_CHAT(conv), me.name);
            },
            timeout_ms);
    }

    bool left(PurpleConversation *conv, int timeout_ms = 5000)
    {
        return harness.run_until([&] { return purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)); },
                                 timeout_ms);
    }

    int command(PurpleConversation *conv, const char *text)
    {
        char *error = nullptr;
        const int status = purple_cmd_do_command(conv, text, text, &error);
        g_free(error);
        return status;
    }

    const sample::Person &me;
};

bool has_flag(const Event *e, PurpleMessageFlags flag)
{
    return e != nullptr && (e->number & flag) != 0;
}

std::string occupant(const sample::Room &room, const sample::Person &who)
{
    return std::string(room.jid) + "/" + xml_escape(who.name);
}

// --- A. Connection -----------------------------------------------------------

START_TEST(A3_signed_in_elsewhere_with_the_same_resource_ends_here_for_good)
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

START_TEST(A3_an_eleventh_device_is_refused_for_good_in_words)
{
    // Alice is signed in on ten devices already, HipChat's most.
    hipchat::test::EmulatorAccount s;
    std::vector<std::unique_ptr<XmppTestClient>> devices;
    for (int i = 0; i < 10; ++i) {
        devices.push_back(std::make_unique<XmppTestClient>(s.emulator.xmpp_port()));
        devices.back()->login(s.emulator.ca_file(), sample::alice.email, sample::alice.password,
                              ("device" + std::to_string(i)).c_str());
    }
    s.harness.expect(EventKind::disconnect_reason, "as many devices as HipChat allows");
    s.connect();
    const Event *error = s.wait_for_error();
    ck_assert_msg(error != nullptr, "%s", s.harness.recent_events().c_str());
    ck_assert(purple_connection_error_is_fatal(static_cast<PurpleConnectionError>(error->number)));
    ck_assert(!devices.front()->closed_within(300));
}
END_TEST

START_TEST(A3_a_login_withdrawn_mid_session_ends_it_for_good)
{
    // [INFERRED] cause (an account deactivated while signed in): injected.
    Conformance s;
    s.harness.expect(EventKind::disconnect_reason, "no longer authorized");
    s.inject(
        "<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
        "</stream:error>");
    const Event *error = s.wait_for_error();
    ck_assert(error != nullptr);
    ck_assert_int_eq(error->number, PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED);
}
END_TEST

// A2: how the official client read a refused login (connection_manager.js
// 649-657): three conditions are final, policy-violation is the ten-device
// limit, anything else a passing trouble to retry.
struct Refusal {
    const char *condition;
    PurpleConnectionError reason;
    const char *said;
};

const Refusal refusals[] = {
    {"not-allowed", PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED,
     "HipChat refused the login (not-allowed)."},
    {"policy-violation", PURPLE_CONNECTION_ERROR_OTHER_ERROR, "as many devices as HipChat allows"},
    {"temporary-auth-failure", PURPLE_CONNECTION_ERROR_NETWORK_ERROR,
     "HipChat could not log you in just now (temporary-auth-failure)."},
};

START_TEST(A2_a_refused_login_is_final_or_retried_as_hipchat_meant_it)
{
    const Refusal &refusal = refusals[_i];
    hipchat::test::EmulatorAccount s;
    s.control.post("/fault", "{\"fail_auth_with\":" + json_string(refusal.condition) + "}");
    s.harness.expect(EventKind::disconnect_reason, refusal.said);
    s.connect();
    const Event *error = s.wait_for_error();
    ck_assert_msg(error != nullptr, "%s", s.harness.recent_events().c_str());
    ck_assert_int_eq(error->number, refusal.reason);
}
END_TEST

// --- B. Messages: identity, echoes, errors -----------------------------------

START_TEST(B3_V5_without_from_jid_the_sender_is_the_occupant_behind_the_nick)
{
    // Older servers sent no from_jid (--no-from-jid, message_processor.js
    // 698-699) and sometimes named the room in <delay from_jid> (§8.3:
    // dequis; no known cause: injected). With mention names as nicks, the
    // nick is not the name the roster gives, so only the occupant's real
    // JID names the sender right.
    Conformance s({"--nick-rule", "mention-name", "--no-from-jid"});
    auto bob = s.session_of(sample::bob, "web");
    bob->send(std::string("<presence to='") + sample::dev.jid + "/BobTest'/>");
    bob->expect("</subject></message>");
    s.join_room(sample::dev.jid, sample::dev.jid, sample::alice.mention_name);
    s.say(*bob, sample::dev, "and live ones");
    s.inject(std::string("<message type='groupchat' from='") + sample::dev.jid +
             "/BobTest' mid='old-1' ts='1763899900.000001'><body>an older server speaks</body>"
             "<delay xmlns='urn:xmpp:delay' stamp='2025-11-23T12:11:40Z' from_jid='" +
             sample::dev.jid + "'/></message>");
    for (const char *text : {"and live ones", "an older server speaks"}) {
        const Event *e = s.line(sample::dev.jid, text);
        ck_assert_msg(e != nullptr && e->who == sample::bob.name, "%s",
                      s.lines_of(sample::dev.jid).c_str());
    }
}
END_TEST

START_TEST(B8_a_message_to_a_closed_chat_opens_it)
{
    Conformance s;
    auto bob = s.session_of(sample::bob, "web");
    bob->send(std::string("<message type='chat' to='") + sample::alice.jid +
              "'><body>got a minute?</body></message>");
    const Event *e = s.line(sample::bob.jid, "got a minute?");
    ck_assert_msg(e != nullptr && has_flag(e, PURPLE_MESSAGE_RECV), "%s",
                  s.harness.recent_events().c_str());
    ck_assert(purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, sample::bob.jid,
                                                    s.account) != nullptr);
}
END_TEST

START_TEST(B9_an_undeliverable_message_is_said_in_its_chat)
{
    // Someone who is not (or no longer) in the team: HipChat refuses it.
    const char *nobody = "10804_999999@chat.hipchat.com";
    Conformance s;
    s.harness.expect(EventKind::message, "Your message was not delivered");
    PurpleConversation *im = purple_conversation_new(PURPLE_CONV_TYPE_IM, s.account, nobody);
    purple_conv_im_send(PURPLE_CONV_IM(im), "anyone there?");
    const Event *e = s.line(nobody, "Your message was not delivered: service-unavailable");
    ck_assert_msg(e != nullptr && has_flag(e, PURPLE_MESSAGE_ERROR), "%s",
                  s.harness.recent_events().c_str());
}
END_TEST

START_TEST(B10_M7_a_room_joined_again_after_a_reconnect_repeats_nothing)
{
    Conformance s;
    s.join_room(sample::dev.name, sample::dev.jid);
    ck_assert(s.line(sample::dev.jid, "Backend is deployed to staging") != nullptr);
    // The connection drops; Pidgin and Finch connect again and rejoin the
    // rooms whose windows are open (gtkconv.c account_signed_off_cb).
    s.harness.expect(EventKind::disconnect_reason, "");
    s.control.post("/fault", "{\"drop_after\":\"now\"}");
    ck_assert(s.wait_for_error() != nullptr);
    ck_assert(s.harness.run_until([&] { return !purple_account_is_connected(s.account); }, 5000));
    purple_account_connect(s.account);
    ck_assert(s.connected());
    s.join_room(sample::dev.jid, sample::dev.jid);
    s.room_message(sample::bob, sample::dev, "welcome back");
    ck_assert(s.line(sample::dev.jid, "welcome back") != nullptr);
    const std::string all = s.lines_of(sample::dev.jid);
    ck_assert_msg(occurrences(all, "Backend is deployed to staging") == 1 &&
                      occurrences(all, "Release branch is cut.") == 1,
                  "%s", all.c_str());
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
    ck_assert_msg(
        has_flag(copy, PURPLE_MESSAGE_SEND) && has_flag(copy, PURPLE_MESSAGE_REMOTE_SEND) &&
            !has_flag(copy, PURPLE_MESSAGE_RECV) && !has_flag(copy, PURPLE_MESSAGE_DELAYED),
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

START_TEST(B6_B7_M4_own_messages_from_another_device_as_sent)
{
    own_messages_from_another_device({"--own-copies", "from-self"});
}
END_TEST

// --- Room message shapes, injected ([INFERRED] or other servers') --------------

struct Shape {
    const char *row;     // docs/CONFORMANCE.md
    std::string inside;  // the message's attributes after `from` and its children
    const char *from;    // the resource after the room's JID ("" for the room itself)
    const char *shown;   // what the line contains; nullptr: no line at all
    const char *who;     // who it is written as; nullptr: not checked
    PurpleMessageFlags with, without;
};

const std::string bob_jid_attr = std::string(" from_jid='") + sample::bob.jid + "'";
const std::string room_x = "<x xmlns='http://hipchat.com/protocol/muc#room'>";

const Shape room_shapes[] = {
    {"B1", " mid='b1-mid' ts='1800000000.000001'" + bob_jid_attr + "><body/>", "/Bob Test", nullptr,
     nullptr, PurpleMessageFlags(0), PurpleMessageFlags(0)},
    {"B12", " mid='b12-mid' ts='1800000000.000002'><body>Maintenance tonight at ten</body>", "",
     "Maintenance tonight at ten", sample::dev.jid, PURPLE_MESSAGE_SYSTEM, PurpleMessageFlags(0)},
    {"D8",
     " mid='d8-mid' ts='1800000000.000003'" + bob_jid_attr +
         "><body>Bob Test changed the topic to: Ship</body>" + room_x + "<type>topic</type></x>",
     "/Bob Test", "changed the topic to: Ship", sample::bob.name, PURPLE_MESSAGE_SYSTEM,
     PURPLE_MESSAGE_NICK},
    {"D9",
     " mid='d9-mid' ts='1800000000.000004'" + bob_jid_attr +
         "><body>Carol Jones joined the room @AliceExample</body>" + room_x +
         "<type>room-presence</type></x>",
     "/Bob Test", "Carol Jones joined the room", sample::bob.name, PURPLE_MESSAGE_SYSTEM,
     PURPLE_MESSAGE_NICK},
    {"D9 user_state",
     " mid='d9u-mid' ts='1800000000.000005'" + bob_jid_attr +
         "><body>is looking at the build</body>" + room_x + "<type>user_state</type></x>",
     "/Bob Test", nullptr, nullptr, PurpleMessageFlags(0), PurpleMessageFlags(0)},
    {"D10",
     " mid='d10-mid' ts='1800000000.000006'" + bob_jid_attr + "><body>grey words</body>" + room_x +
         "<color>gray</color></x>",
     "/Bob Test", "<font color=\"#7f8c8d\">grey words</font>", sample::bob.name,
     PurpleMessageFlags(0), PURPLE_MESSAGE_SYSTEM},
    // The web client's captured legacy file message (core/models/file.js
    // 78-97), from older servers: a delayed one, as captured.
    {"E1",
     std::string(" mid='e1-mid' ts='1800000000.000007'><body>File uploaded: "
                 "https://s3.amazonaws.com/uploads.hipchat.com/10804/204365/"
                 "x7Ns/dean_cain.jpg</body>") +
         room_x +
         "<file><name>10804/204365/x7Ns/dean_cain.jpg</name><desc>test</desc>"
         "<bucket>uploads.hipchat.com</bucket><endpoint>s3.amazonaws.com</endpoint>"
         "<size>12777</size><thumb>10804/204365/x7Ns/dean_cain_thumb.jpg</thumb>"
         "<thumb_url>https://s3.amazonaws.com/uploads.hipchat.com/10804/204365/x7Ns/"
         "dean_cain_thumb.jpg</thumb_url><file_url>https://s3.amazonaws.com/"
         "uploads.hipchat.com/10804/204365/x7Ns/dean_cain.jpg</file_url></file></x>"
         "<delay from_jid='" +
         sample::bob.jid + "' stamp='2016-01-04T22:28:11Z' xmlns='urn:xmpp:delay'/>",
     "/Bob Test", "dean_cain.jpg</a> (12.5 KB) — test", sample::bob.name, PURPLE_MESSAGE_DELAYED,
     PurpleMessageFlags(0)},
};

START_TEST(room_message_shapes_show_as_the_web_client_drew_them)
{
    const Shape &shape = room_shapes[_i];
    Conformance s(*shared_emulator);
    s.join_room(sample::dev.jid, sample::dev.jid);
    const std::size_t before = s.count_lines(sample::dev.jid);
    s.inject(std::string("<message type='groupchat' from='") + sample::dev.jid + shape.from +
             "' to='" + sample::alice.jid + "/purple'" + shape.inside + "</message>");
    // A message of Bob's after it: once it is shown, the shape was handled.
    const std::string after = std::string("after ") + shape.row;
    s.room_message(sample::bob, sample::dev, after);
    ck_assert(s.line(sample::dev.jid, after) != nullptr);
    const std::string all = s.lines_of(sample::dev.jid);
    if (shape.shown == nullptr) {
        ck_assert_msg(s.count_lines(sample::dev.jid) == before + 1, "%s: %s", shape.row,
                      all.c_str());
        return;
    }
    const Event *e = s.line(sample::dev.jid, shape.shown, 0);
    ck_assert_msg(e != nullptr, "%s: %s", shape.row, all.c_str());
    ck_assert_msg(shape.who == nullptr || e->who == shape.who, "%s: who %s", shape.row,
                  e->who.c_str());
    ck_assert_msg((e->number & shape.with) == shape.with && (e->number & shape.without) == 0,
                  "%s: flags %d", shape.row, e->number);
}
END_TEST

// --- C. What people type, as the official client drew it ------------------------

struct Typed {
    const char *row;
    const char *body;   // what Bob types in the web client
    const char *shown;  // the line Alice's client writes, exactly
};

const Typed typed[] = {
    {"C1 /em", "/em waves", "/me waves"},
    {"C1 /me", "/me nods", "/me nods"},
    {"C1 no command", "/meh whatever", "/meh whatever"},
    {"C2 /code", "/code x = 1 < 2", "<pre>x = 1 &lt; 2</pre>"},
    {"C3 /quote", "/quote to be\nor not", "<i>&gt; to be<br>&gt; or not</i>"},
    {"C4 /pre tab", "/pre\taligned", "<pre>aligned</pre>"},
    {"C4 /pre no space", "/prefixed", "<pre>fixed</pre>"},
    {"C4 /monospace", "/monospace cols", "<pre>cols</pre>"},
    {"C8 a link", "see https://example.com/x?a=1&b=2", "see https://example.com/x?a=1&amp;b=2"},
};

START_TEST(C1_C4_C8_what_people_type_is_drawn_as_hipchat_drew_it)
{
    const Typed &t = typed[_i];
    Conformance s(*shared_emulator);
    auto bob = s.session_of(sample::bob, "web");
    s.enter(*bob, sample::design, sample::bob);
    s.join_room(sample::design.jid, sample::design.jid);
    s.say(*bob, sample::design, t.body);
    const Event *e = s.line(sample::design.jid, t.shown);
    ck_assert_msg(e != nullptr && e->text == t.shown && e->who == sample::bob.name, "%s: %s", t.row,
                  s.lines_of(sample::design.jid).c_str());
}
END_TEST

START_TEST(C5_a_correction_rewrites_the_senders_last_line_and_never_alerts)
{
    Conformance s;
    auto bob = s.session_of(sample::bob, "web");
    s.enter(*bob, sample::dev, sample::bob);
    s.join_room(sample::dev.name, sample::dev.jid);
    s.say(*bob, sample::dev, "teh build is green @AliceExample");
    ck_assert(s.line(sample::dev.jid, "teh build") != nullptr);
    s.say(*bob, sample::dev, "s/teh/the/");
    const Event *fixed = s.line(sample::dev.jid, "the build is green @AliceExample");
    ck_assert_msg(fixed != nullptr && contains(fixed->text, "(corrected)") &&
                      !has_flag(fixed, PURPLE_MESSAGE_NICK) && fixed->who == sample::bob.name,
                  "%s", s.lines_of(sample::dev.jid).c_str());
    // A correction of words the last line lacks: said as one.
    s.say(*bob, sample::dev, "s/dog/cat/");
    const Event *said = s.line(sample::dev.jid, "corrected “dog” to “cat”");
    ck_assert_msg(said != nullptr && contains(said->text, "Bob Test corrected"), "%s",
                  s.lines_of(sample::dev.jid).c_str());
    ck_assert(!contains(s.lines_of(sample::dev.jid), "s/teh/the/"));
}
END_TEST

START_TEST(M5_a_correction_in_a_history_page_corrects_the_line_before_it)
{
    Conformance s({}, 0);
    s.room_message(sample::bob, sample::dev, "teh plan for Friday");
    s.room_message(sample::bob, sample::dev, "s/teh/the/");
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    ck_assert_int_eq(s.command(dev, "history"), PURPLE_CMD_STATUS_OK);
    const Event *fixed = s.line(sample::dev.jid, "the plan for Friday");
    ck_assert_msg(fixed != nullptr && contains(fixed->text, "(corrected)"), "%s",
                  s.lines_of(sample::dev.jid).c_str());
    ck_assert(!contains(s.lines_of(sample::dev.jid), "s/teh/the/"));
}
END_TEST

// A room message from a colleague with the link metadata the server
// attached (control POST /message's "metadata", §8.5).
void message_with_metadata(Conformance &s, const sample::Room &room, const std::string &body,
                           const std::string &metadata_json)
{
    s.control.post("/message", "{\"from\":" + json_string(sample::bob.jid) + ",\"room\":" +
                                   json_string(room.jid) + ",\"body\":" + json_string(body) +
                                   ",\"metadata\":" + metadata_json + "}");
}

// Where `e` was written among the conversation's lines (for their order).
std::size_t position(const Conformance &s, const Event *e)
{
    const auto all = s.harness.find(EventKind::message);
    return static_cast<std::size_t>(std::find(all.begin(), all.end(), e) - all.begin());
}

START_TEST(C9_a_link_preview_is_a_plain_line_after_the_message_that_never_alerts)
{
    Conformance s({}, 0);
    // In a history page: the card after its message, delayed.
    message_with_metadata(s, sample::dev, "the plan https://example.com/plan",
                          R"({"type":"link","url":"https://example.com/plan","title":"Plan"})");
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    ck_assert_int_eq(s.command(dev, "history"), PURPLE_CMD_STATUS_OK);
    const Event *old_card = s.line(sample::dev.jid, "Link: Plan — https://example.com/plan");
    ck_assert_msg(old_card != nullptr && has_flag(old_card, PURPLE_MESSAGE_DELAYED), "%s",
                  s.lines_of(sample::dev.jid).c_str());
    // Live: a title naming us, with markup, is the page's text: escaped, no
    // highlight, not a link whose words differ from its address.
    message_with_metadata(
        s, sample::dev, "read https://example.com/x",
        R"({"type":"link","url":"https://example.com/x","title":"<b>Alice Example</b> wins",)"
        R"("description":"Line one
Bob Test: line two"})");
    const Event *message = s.line(sample::dev.jid, "read https://example.com/x");
    const Event *card = s.line(sample::dev.jid, "Link: &lt;b&gt;Alice Example&lt;/b&gt; wins");
    ck_assert_msg(message != nullptr && card != nullptr, "%s", s.lines_of(sample::dev.jid).c_str());
    ck_assert(position(s, card) > position(s, message));
    ck_assert(has_flag(card, PURPLE_MESSAGE_SYSTEM));
    ck_assert(!has_flag(card, PURPLE_MESSAGE_NICK) && !has_flag(card, PURPLE_MESSAGE_DELAYED));
    ck_assert_msg(contains(card->text, "— Line one Bob Test: line two — https://example.com/x") &&
                      !contains(card->text, "<a ") && !contains(card->text, "<br"),
                  "%s", card->text.c_str());
}
END_TEST

START_TEST(C10_an_info_message_is_a_gray_line_that_never_alerts)
{
    Conformance s({}, 0);
    s.join_room(sample::dev.name, sample::dev.jid);
    message_with_metadata(s, sample::dev, "@AliceExample the room is now public",
                          R"({"type":"info"})");
    const Event *info = s.line(sample::dev.jid, "the room is now public");
    ck_assert_msg(info != nullptr && has_flag(info, PURPLE_MESSAGE_SYSTEM) &&
                      !has_flag(info, PURPLE_MESSAGE_NICK) && contains(info->text, "<font color="),
                  "%s", s.lines_of(sample::dev.jid).c_str());
    // No card besides it.
    ck_assert(!contains(s.lines_of(sample::dev.jid), "HipChat:"));
}
END_TEST

START_TEST(C12_hipchats_join_video_call_link_is_not_drawn)
{
    // The web client's own "Join video call" message (core/dal.js
    // sendEnsoInviteMessage, a REST HTML private message): injected, as the
    // emulator's REST private messages carry no XHTML.
    Conformance s;
    s.inject(
        std::string("<message type='chat' from='") + sample::bob.jid + "/web' to='" + s.me.jid +
        "' mid='m-enso' ts='1456172560.068233'>"
        "<body>Join video call</body><html xmlns='http://jabber.org/protocol/xhtml-im'>"
        "<body xmlns='http://www.w3.org/1999/xhtml'><a href='https://www.hipchat.com/video/join/1'"
        " data-target-options='enso_invite'>Join video call</a></body></html></message>");
    s.inject(std::string("<message type='chat' from='") + sample::bob.jid + "/web' to='" +
             s.me.jid +
             "' mid='m-after' ts='1456172561.068233'><body>are you there?</body></message>");
    ck_assert(s.line(sample::bob.jid, "are you there?") != nullptr);
    s.never_shown(sample::bob.jid, "Join video call");
}
END_TEST

START_TEST(C11_a_colleagues_xhtml_message_shows_its_plain_body)
{
    // An XMPP client of Bob's sends XHTML-IM beside the body; HipChat passed
    // 1:1 messages on as sent.
    Conformance s;
    auto bob = s.session_of(sample::bob, "pidgin");
    bob->send(std::string("<message type='chat' to='") + sample::alice.jid +
              "'><body>rich words</body><html xmlns='http://jabber.org/protocol/xhtml-im'>"
              "<body xmlns='http://www.w3.org/1999/xhtml'><b>rich</b> words</body></html>"
              "</message>");
    const Event *e = s.line(sample::bob.jid, "rich words");
    ck_assert_msg(e != nullptr && e->text == "rich words", "%s",
                  s.lines_of(sample::bob.jid).c_str());
}
END_TEST

// --- D. Integration notifications --------------------------------------------------

struct Notice {
    const char *row;
    std::string json;  // POST /notification's body, less the room
    const char *shown;
    PurpleMessageFlags with, without;
};

const Notice notices[] = {
    {"D1 system",
     R"("from":"Deployer","message":"deploy 7 started","message_format":"text",)"
     R"("type":"system","notify":true)",
     "deploy 7 started", PurpleMessageFlags(0), PURPLE_MESSAGE_SYSTEM},
    {"D4 system mention",
     R"("from":"Deployer","message":"@AliceExample deploy 8 needs you",)"
     R"("message_format":"text","type":"system","notify":false)",
     "deploy 8 needs you", PURPLE_MESSAGE_NICK, PURPLE_MESSAGE_SYSTEM},
    {"D4 quiet",
     R"("from":"Deployer","message":"@AliceExample deploy 9 is quiet",)"
     R"("message_format":"text","type":"notification","notify":false)",
     "deploy 9 is quiet", PurpleMessageFlags(0), PURPLE_MESSAGE_NICK},
    {"D5 card",
     R"("from":"JIRA","message":"Bug filed","message_format":"html","type":"notification",)"
     R"("card":{"style":"application","title":"B-1 crashes","description":{"value":)"
     R"("Crash on start","format":"text"},"url":"https://jira.example.com/B-1"})",
     "<b>B-1 crashes</b>: Crash on start <a href=\"https://jira.example.com/B-1\">",
     PurpleMessageFlags(0), PurpleMessageFlags(0)},
    {"D7 html mention",
     R"("from":"Deployer","message":"<b>deploy 10</b> waits for @AliceExample",)"
     R"("message_format":"html","type":"notification","notify":true)",
     "<b>deploy 10</b> waits for", PURPLE_MESSAGE_NICK, PurpleMessageFlags(0)},
};

START_TEST(D_notifications_are_drawn_and_alert_as_hipchat_decided)
{
    const Notice &n = notices[_i];
    Conformance s(*shared_emulator);
    s.join_room(sample::dev.jid, sample::dev.jid);
    s.control.post("/notification",
                   "{\"room\":" + json_string(sample::dev.jid) + "," + n.json + "}");
    const Event *e = s.line(sample::dev.jid, n.shown);
    ck_assert_msg(e != nullptr, "%s: %s", n.row, s.lines_of(sample::dev.jid).c_str());
    ck_assert_msg(contains(e->who, "(integration)"), "%s: who %s", n.row, e->who.c_str());
    ck_assert_msg((e->number & n.with) == n.with && (e->number & n.without) == 0, "%s: flags %d",
                  n.row, e->number);
}
END_TEST

// --- G. Chat states ---------------------------------------------------------------

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

START_TEST(G5_our_own_chat_states_from_another_device_are_not_the_partners)
{
    // Alice types to Bob on her phone: HipChat gives her desktop that state
    // from Bob, her in <delay from_jid>. (Her closing the chat there, a
    // `gone`, says nothing either: no `gone` does, G4.)
    Conformance s;
    PurpleConversation *im =
        purple_conversation_new(PURPLE_CONV_TYPE_IM, s.account, sample::bob.jid);
    auto phone = s.session_of(sample::alice, "phone");
    phone->send(std::string("<message type='chat' to='") + sample::bob.jid +
                "'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
    phone->send(std::string("<message type='chat' to='") + sample::bob.jid +
                "'><body>from the phone</body></message>");
    ck_assert(s.line(sample::bob.jid, "from the phone") != nullptr);
    ck_assert_int_eq(purple_conv_im_get_typing_state(PURPLE_CONV_IM(im)), PURPLE_NOT_TYPING);
    // Bob's own typing still shows.
    auto bob = s.session_of(sample::bob, "web");
    bob->send(std::string("<message type='chat' to='") + sample::alice.jid +
              "'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
    ck_assert(s.harness.run_until(
        [&] { return purple_conv_im_get_typing_state(PURPLE_CONV_IM(im)) == PURPLE_TYPING; },
        5000));
}
END_TEST

START_TEST(G3_inactive_changes_nothing)
{
    // The web client takes `inactive` and does nothing with it: Bob still
    // shows as typing, and no line says anything.
    Conformance s;
    PurpleConversation *im =
        purple_conversation_new(PURPLE_CONV_TYPE_IM, s.account, sample::bob.jid);
    auto bob = s.session_of(sample::bob, "web");
    bob->send(std::string("<message type='chat' to='") + sample::alice.jid +
              "'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
    ck_assert(s.harness.run_until(
        [&] { return purple_conv_im_get_typing_state(PURPLE_CONV_IM(im)) == PURPLE_TYPING; },
        5000));
    bob->send(std::string("<message type='chat' to='") + sample::alice.jid +
              "'><inactive xmlns='http://jabber.org/protocol/chatstates'/></message>");
    s.harness.run_for(500);
    ck_assert_int_eq(purple_conv_im_get_typing_state(PURPLE_CONV_IM(im)), PURPLE_TYPING);
    bob->send(std::string("<message type='chat' to='") + sample::alice.jid +
              "'><body>still here</body></message>");
    ck_assert(s.line(sample::bob.jid, "still here") != nullptr);
    ck_assert_int_eq(s.count_lines(sample::bob.jid), 1);
}
END_TEST

// --- F. Video calls ---------------------------------------------------------------

START_TEST(F4_an_addlive_call_is_said_and_not_declined)
{
    // The older AddLive service's invite (stores/video_chat_store.js): no
    // link to give, so a line that says what it is, and no answer.
    Conformance s;
    auto bob = s.session_of(sample::bob, "web");
    bob->send(std::string("<message type='chat' to='") + sample::alice.jid +
              "'><x xmlns='http://hipchat.com/protocol/addlive'><call><audio/><video/></call>"
              "</x></message>");
    ck_assert_msg(
        s.line(sample::bob.jid, "Bob Test is calling you with a kind of video call only HipChat") !=
            nullptr,
        "%s", s.lines_of(sample::bob.jid).c_str());
    s.harness.run_for(300);
    ck_assert(!contains(s.sent(), "<decline"));
}
END_TEST

// --- E. Files ------------------------------------------------------------------------

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

// --- H. Invites ------------------------------------------------------------------------

std::string invite_from(const std::string &inviter)
{
    return std::string("<message from='") + sample::random.jid + "' to='" + sample::alice.jid +
           "/purple'><x xmlns='http://jabber.org/protocol/muc#user'><invite from='" + inviter +
           "'><reason>join us</reason></invite></x><x "
           "xmlns='http://hipchat.com/protocol/muc#room'><name>Random</name></x></message>";
}

START_TEST(H2_an_invite_from_ourselves_opens_the_room_without_asking)
{
    // [INFERRED] with no known cause: injected.
    Conformance s;
    s.inject(invite_from(sample::alice.jid));
    ck_assert_msg(s.in_room(sample::random.jid), "%s", s.harness.recent_events().c_str());
    ck_assert(!s.harness.has(EventKind::request_action));
}
END_TEST

std::string invited_by;

int accept_invite(PurpleAccount *, const char *inviter, const char *, const char *, GHashTable *)
{
    invited_by = inviter != nullptr ? inviter : "";
    return 1;
}

START_TEST(H3_an_invite_from_a_rooms_occupant_is_by_that_name)
{
    // [INFERRED] with no known cause (HipChat's own bot inviting): injected.
    Conformance s;
    invited_by.clear();
    purple_signal_connect(purple_conversations_get_handle(), "chat-invited", &invited_by,
                          PURPLE_CALLBACK(accept_invite), nullptr);
    s.inject(invite_from(std::string(sample::random.jid) + "/HipChat"));
    ck_assert_msg(s.in_room(sample::random.jid), "%s", s.harness.recent_events().c_str());
    ck_assert_str_eq(invited_by.c_str(), "HipChat");
    purple_signal_disconnect(purple_conversations_get_handle(), "chat-invited", &invited_by,
                             PURPLE_CALLBACK(accept_invite));
}
END_TEST

// --- I. Subjects and topics --------------------------------------------------------

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

START_TEST(I2_M10_an_old_topic_change_in_a_history_page_is_neither_shown_nor_counted)
{
    Conformance s({}, 0);
    PurpleConversation *random = s.join_room(sample::random.name, sample::random.jid);
    ck_assert_int_eq(s.command(random, "history"), PURPLE_CMD_STATUS_OK);
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

START_TEST(M6_history_asked_before_the_backlog_arrived_keeps_the_backlog)
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

START_TEST(I1_I4_live_topic_changes_are_said_in_hipchats_words_and_kept)
{
    Conformance s;
    auto bob = s.session_of(sample::bob, "web");
    s.enter(*bob, sample::dev, sample::bob);
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    bob->send(std::string("<message type='groupchat' to='") + sample::dev.jid +
              "'><subject>Freeze until Monday</subject></message>");
    ck_assert_msg(
        s.line(sample::dev.jid, "Bob Test changed the topic to: Freeze until Monday") != nullptr,
        "%s", s.lines_of(sample::dev.jid).c_str());
    ck_assert_str_eq(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(dev)), "Freeze until Monday");
    bob->send(std::string("<message type='groupchat' to='") + sample::dev.jid +
              "'><subject></subject></message>");
    ck_assert_msg(s.line(sample::dev.jid, "Bob Test cleared the topic.") != nullptr, "%s",
                  s.lines_of(sample::dev.jid).c_str());
    ck_assert_str_eq(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(dev)), "");
}
END_TEST

START_TEST(I3_the_topic_a_room_announces_on_joining_is_the_rooms)
{
    Conformance s;
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    const Event *e = s.line(sample::dev.jid, "The topic is: Ship it");
    ck_assert_msg(e != nullptr && has_flag(e, PURPLE_MESSAGE_SYSTEM), "%s",
                  s.lines_of(sample::dev.jid).c_str());
    ck_assert_str_eq(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(dev)), "Ship it");
}
END_TEST

START_TEST(I7_a_pushed_topic_changes_the_header_quietly)
{
    // The captured room push (core/models/room.js 189-202) with a new topic;
    // no happening of the emulator's pushes a topic alone: injected.
    Conformance s;
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    s.inject(std::string("<iq type='set' id='push-1' to='") + sample::alice.jid +
             "/purple'><query xmlns='http://hipchat.com/protocol/muc#room'><item jid='" +
             sample::dev.jid +
             "' name='Dev'><id>22087</id><name>Dev</name><topic>Pushed topic</topic>"
             "<privacy>public</privacy><owner>" +
             sample::alice.jid +
             "</owner><guest_url/><version>8WEKZB9B</version><num_participants>1"
             "</num_participants></item></query></iq>");
    ck_assert(s.harness.run_until(
        [&] {
            return g_strcmp0(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(dev)), "Pushed topic") ==
                   0;
        },
        5000));
    ck_assert(!contains(s.lines_of(sample::dev.jid), "Pushed topic"));
}
END_TEST

// --- J. Room life cycle --------------------------------------------------

START_TEST(J3_people_entering_and_leaving_are_said)
{
    Conformance s;
    s.join_room(sample::dev.name, sample::dev.jid);
    auto bob = s.session_of(sample::bob, "web");
    s.enter(*bob, sample::dev, sample::bob);
    const Event *entered = s.line(sample::dev.jid, "entered the room.");
    ck_assert_msg(entered != nullptr && contains(entered->text, "Bob Test"), "%s",
                  s.lines_of(sample::dev.jid).c_str());
    bob->send(std::string("<presence type='unavailable' to='") +
              occupant(sample::dev, sample::bob) + "'/>");
    ck_assert_msg(s.line(sample::dev.jid, "Bob Test left the room.") != nullptr, "%s",
                  s.lines_of(sample::dev.jid).c_str());
}
END_TEST

START_TEST(J4_J5_guests_come_and_are_sent_away_when_guest_access_ends)
{
    // Support has a guest link and is Dave's.
    Conformance s;
    PurpleConversation *support = s.join_room(sample::support.name, sample::support.jid);
    const std::string admitted = s.control.post(
        "/guest", "{\"room\":" + json_string(sample::support.jid) + ",\"name\":\"a guest\"}");
    const Event *entered = s.line(sample::support.jid, "entered the room.");
    ck_assert_msg(entered != nullptr && contains(entered->text, "a guest"), "%s",
                  s.lines_of(sample::support.jid).c_str());
    ck_assert(purple_conv_chat_find_user(PURPLE_CONV_CHAT(support), "a guest"));
    const std::size_t at = admitted.find("\"jid\":\"") + 7;
    const std::string guest_jid = admitted.substr(at, admitted.find('"', at) - at);
    s.control.post("/message", "{\"from\":" + json_string(guest_jid) +
                                   ",\"room\":" + json_string(sample::support.jid) +
                                   ",\"body\":\"hello from outside\"}");
    const Event *said = s.line(sample::support.jid, "hello from outside");
    ck_assert_msg(said != nullptr && said->who == "a guest" && has_flag(said, PURPLE_MESSAGE_RECV),
                  "%s", s.lines_of(sample::support.jid).c_str());
    auto dave = s.session_of(sample::dave, "web");
    dave->send(std::string("<iq type='set' id='g0' to='") + sample::support.jid +
               "'><query xmlns='http://hipchat.com'><guest_access>0</guest_access></query></iq>");
    ck_assert(s.line(sample::support.jid, "turned off guest access") != nullptr);
    const Event *gone = s.line(sample::support.jid, "a guest left the room");
    ck_assert_msg(gone != nullptr && contains(gone->text, "(guest access turned off)") &&
                      !contains(gone->text, "hc-"),
                  "%s", s.lines_of(sample::support.jid).c_str());
}
END_TEST

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

START_TEST(J6_a_member_record_of_someone_absent_is_no_leave)
{
    // [INFERRED] shape and meaning (presence_processor.js 143-152: an
    // unavailable room presence without <status> is a member record):
    // injected, for a private room's absent member.
    Conformance s;
    s.join_room(sample::ops.name, sample::ops.jid);
    s.inject(std::string("<presence type='unavailable' from='") + sample::ops.jid +
             "/Frank Li' to='" + sample::alice.jid +
             "/purple'><x xmlns='http://jabber.org/protocol/muc#user'><item "
             "affiliation='member' role='none' jid='" +
             sample::frank.jid + "'/></x></presence>");
    s.room_message(sample::bob, sample::ops, "after the record");
    ck_assert(s.line(sample::ops.jid, "after the record") != nullptr);
    s.never_shown(sample::ops.jid, "Frank Li left");
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

START_TEST(J9_someone_else_removed_is_said_so_with_the_removers_name)
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

START_TEST(J12_an_archived_room_is_said_once_by_whom)
{
    // Alice archives Dev on HipChat's website (control POST /room): a
    // bodyless message from her and a room push (§8.9, §7.3).
    Conformance s;
    s.join_room(sample::dev.name, sample::dev.jid);
    s.control.post("/room", "{\"room\":" + json_string(sample::dev.jid) +
                                ",\"archived\":true,\"by\":" + json_string(sample::alice.jid) +
                                "}");
    ck_assert(s.line(sample::dev.jid, "Alice Example archived the room") != nullptr);
    s.room_message(sample::bob, sample::dev, "after the archiving");
    ck_assert(s.line(sample::dev.jid, "after the archiving") != nullptr);
    ck_assert_msg(occurrences(s.lines_of(sample::dev.jid), "archived") == 1, "%s",
                  s.lines_of(sample::dev.jid).c_str());
}
END_TEST

// --- K. Presence ---------------------------------------------------------------------

bool status_active(PurpleAccount *account, const char *jid, const char *status_id)
{
    PurpleBuddy *buddy = purple_find_buddy(account, jid);
    PurpleStatus *status =
        buddy != nullptr ? purple_presence_get_status(purple_buddy_get_presence(buddy), status_id)
                         : nullptr;
    return status != nullptr && purple_status_is_active(status);
}

START_TEST(K7_K8_our_other_device_going_offline_leaves_us_as_we_are)
{
    // Bob has an iPhone: his phone's session ending is unavailable with
    // <mobile> to his other sessions (§10.3). Frank (an Android phone) goes
    // the same way after it, as a yardstick.
    Conformance s({}, -1, sample::bob);
    {
        auto phone = s.session_of(sample::bob, "phone");
        auto frank = s.session_of(sample::frank, "web",
                                  "<presence><show>dnd</show><status>On call</status></presence>");
        ck_assert(s.harness.run_until(
            [&] { return status_active(s.account, sample::frank.jid, "dnd"); }, 5000));
        PurpleStatus *dnd = purple_presence_get_status(
            purple_buddy_get_presence(purple_find_buddy(s.account, sample::frank.jid)), "dnd");
        ck_assert_str_eq(purple_status_get_attr_string(dnd, "message"), "On call");
        phone.reset();
    }
    ck_assert(s.harness.run_until(
        [&] { return status_active(s.account, sample::frank.jid, "mobile"); }, 5000));
    ck_assert(!status_active(s.account, sample::bob.jid, "mobile"));
}
END_TEST

// --- L. Pushes --------------------------------------------------------------------

START_TEST(L9_L10_integration_pushes_are_acknowledged_and_show_nothing)
{
    // JSON shapes from the web client's stores (integrations_store.js,
    // glances_metadata_store.js 58-80) [INFERRED]; add-ons are not emulated:
    // injected.
    Conformance s;
    s.inject(
        "<iq type='set' id='int-1'><query xmlns='http://hipchat.com/protocol/integrations'>"
        "{\"22087\":{\"com.example.addon\":{\"version\":\"2\"}}}</query></iq>");
    s.inject(
        "<iq type='set' id='int-2'><query "
        "xmlns='http://hipchat.com/protocol/integrations#ui'>{\"glance\":[{\"addon_key\":"
        "\"com.example.addon\",\"key\":\"builds\",\"room_id\":22087,\"content\":{\"label\":"
        "{\"value\":\"3 green\"}}}]}</query></iq>");
    // L13: a push nobody knows is refused, as XMPP wants (the module's).
    s.inject("<iq type='set' id='unknown-1'><query xmlns='urn:example:nobody'/></iq>");
    std::string sent;
    ck_assert(s.harness.run_until(
        [&] {
            sent = s.sent();
            return contains(sent, "id='int-1'") && contains(sent, "id='int-2'") &&
                   contains(sent, "id='unknown-1'");
        },
        5000));
    auto answer_to = [&](const char *id) {
        const std::size_t at = sent.rfind("<iq", sent.find(id));
        return sent.substr(at, sent.find('>', at) - at);
    };
    for (const char *id : {"id='int-1'", "id='int-2'"})
        ck_assert_msg(contains(answer_to(id), "type='result'"), "%s", answer_to(id).c_str());
    ck_assert_msg(contains(answer_to("id='unknown-1'"), "type='error'"), "%s",
                  answer_to("id='unknown-1'").c_str());
}
END_TEST

// --- O. Limits ---------------------------------------------------------------------

START_TEST(O1_a_message_past_hipchats_limit_is_said_and_not_sent)
{
    Conformance s;
    PurpleConversation *dev = s.join_room(sample::dev.name, sample::dev.jid);
    PurpleConversation *im =
        purple_conversation_new(PURPLE_CONV_TYPE_IM, s.account, sample::bob.jid);
    s.harness.expect(EventKind::message, "at most 32,767 characters", 2);
    purple_conv_chat_send(PURPLE_CONV_CHAT(dev), std::string(32768, 'x').c_str());
    purple_conv_im_send(PURPLE_CONV_IM(im), std::string(40000, 'y').c_str());
    ck_assert(s.line(sample::dev.jid, "Not sent: HipChat takes messages of at most") != nullptr);
    ck_assert(s.line(sample::bob.jid, "Not sent: HipChat takes messages of at most") != nullptr);
    // The most HipChat takes still goes.
    purple_conv_chat_send(PURPLE_CONV_CHAT(dev), std::string(32767, 'z').c_str());
    ck_assert(s.harness.run_until(
        [&] { return contains(s.sent(), "<body>" + std::string(32767, 'z') + "</body>"); }, 5000));
    const std::string sent = s.sent();
    ck_assert(!contains(sent, std::string(32768, 'x')) && !contains(sent, std::string(40000, 'y')));
}
END_TEST

START_TEST(O4_a_status_message_is_cut_where_hipchats_form_stopped)
{
    Conformance s;
    const std::string long_status = std::string(1000, 'a') + std::string(500, 'b');
    PurpleSavedStatus *saved = purple_savedstatus_new(nullptr, PURPLE_STATUS_AWAY);
    purple_savedstatus_set_message(saved, long_status.c_str());
    purple_savedstatus_activate(saved);
    const std::string cut =
        "<status>" + std::string(1000, 'a') + std::string(24, 'b') + "</status>";
    ck_assert_msg(s.harness.run_until([&] { return contains(s.sent(), cut); }, 5000), "%s",
                  s.sent().substr(s.sent().rfind("<presence")).c_str());
}
END_TEST

void start_shared_emulator()
{
    shared_emulator = new EmulatorProcess();
}

void stop_shared_emulator()
{
    delete shared_emulator;
    shared_emulator = nullptr;
}

}  // namespace

int main()
{
    Suite *suite = suite_create("conformance");
    TCase *own = tcase_create("own");
    tcase_set_timeout(own, 60);
    tcase_add_test(own, A3_signed_in_elsewhere_with_the_same_resource_ends_here_for_good);
    tcase_add_test(own, A3_an_eleventh_device_is_refused_for_good_in_words);
    tcase_add_test(own, A3_a_login_withdrawn_mid_session_ends_it_for_good);
    tcase_add_loop_test(own, A2_a_refused_login_is_final_or_retried_as_hipchat_meant_it, 0,
                        static_cast<int>(std::size(refusals)));
    tcase_add_test(own, B3_V5_without_from_jid_the_sender_is_the_occupant_behind_the_nick);
    tcase_add_test(own, B8_a_message_to_a_closed_chat_opens_it);
    tcase_add_test(own, B9_an_undeliverable_message_is_said_in_its_chat);
    tcase_add_test(own, B10_M7_a_room_joined_again_after_a_reconnect_repeats_nothing);
    tcase_add_test(own, B6_M4_own_messages_from_another_device_from_the_partner);
    tcase_add_test(own, B6_B7_M4_own_messages_from_another_device_as_sent);
    tcase_add_test(own, C5_a_correction_rewrites_the_senders_last_line_and_never_alerts);
    tcase_add_test(own, M5_a_correction_in_a_history_page_corrects_the_line_before_it);
    tcase_add_test(own, C9_a_link_preview_is_a_plain_line_after_the_message_that_never_alerts);
    tcase_add_test(own, C10_an_info_message_is_a_gray_line_that_never_alerts);
    tcase_add_test(own, C11_a_colleagues_xhtml_message_shows_its_plain_body);
    tcase_add_test(own, C12_hipchats_join_video_call_link_is_not_drawn);
    tcase_add_test(own, G4_closing_a_chat_says_nothing);
    tcase_add_test(own, G5_our_own_chat_states_from_another_device_are_not_the_partners);
    tcase_add_test(own, G3_inactive_changes_nothing);
    tcase_add_test(own, F4_an_addlive_call_is_said_and_not_declined);
    tcase_add_test(own, E2_a_file_in_the_backlog_is_a_file);
    tcase_add_test(own, H2_an_invite_from_ourselves_opens_the_room_without_asking);
    tcase_add_test(own, H3_an_invite_from_a_rooms_occupant_is_by_that_name);
    tcase_add_test(own, I2_I6_an_old_topic_change_in_the_backlog_is_neither_announced_nor_kept);
    tcase_add_test(own, I2_M10_an_old_topic_change_in_a_history_page_is_neither_shown_nor_counted);
    tcase_add_test(own, M6_history_asked_before_the_backlog_arrived_keeps_the_backlog);
    tcase_add_test(own, I1_I4_live_topic_changes_are_said_in_hipchats_words_and_kept);
    tcase_add_test(own, I3_the_topic_a_room_announces_on_joining_is_the_rooms);
    tcase_add_test(own, I7_a_pushed_topic_changes_the_header_quietly);
    tcase_add_test(own, J3_people_entering_and_leaving_are_said);
    tcase_add_test(own, J4_J5_guests_come_and_are_sent_away_when_guest_access_ends);
    tcase_add_test(own, J5_a_leave_shows_no_machine_status);
    tcase_add_test(own, J6_a_member_record_of_someone_absent_is_no_leave);
    tcase_add_test(own, J7_closing_a_room_on_another_device_closes_it_here_in_words);
    tcase_add_test(own, J8_removed_by_the_rooms_owner_says_who_and_closes_the_room);
    tcase_add_test(own, J9_someone_else_removed_is_said_so_with_the_removers_name);
    tcase_add_test(own, J12_an_archived_room_is_said_once_by_whom);
    tcase_add_test(own, K7_K8_our_other_device_going_offline_leaves_us_as_we_are);
    tcase_add_test(own, L9_L10_integration_pushes_are_acknowledged_and_show_nothing);
    tcase_add_test(own, O1_a_message_past_hipchats_limit_is_said_and_not_sent);
    tcase_add_test(own, O4_a_status_message_is_cut_where_hipchats_form_stopped);
    suite_add_tcase(suite, own);

    TCase *shared = tcase_create("shared");
    tcase_set_timeout(shared, 60);
    // Unchecked: run once, in the process Check forks the case's tests from.
    tcase_add_unchecked_fixture(shared, start_shared_emulator, stop_shared_emulator);
    tcase_add_loop_test(shared, room_message_shapes_show_as_the_web_client_drew_them, 0,
                        static_cast<int>(std::size(room_shapes)));
    tcase_add_loop_test(shared, C1_C4_C8_what_people_type_is_drawn_as_hipchat_drew_it, 0,
                        static_cast<int>(std::size(typed)));
    tcase_add_loop_test(shared, D_notifications_are_drawn_and_alert_as_hipchat_decided, 0,
                        static_cast<int>(std::size(notices)));
    suite_add_tcase(suite, shared);

    return hipchat::test::run_suite(suite);
}
