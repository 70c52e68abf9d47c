// The emulator's server variants (docs/emulator.md: --no-starttls,
// --no-hipchat-auth, --no-restart-logic) and its control interface: status,
// transcripts, faults, simulated people.
#include <sys/wait.h>

#include <string>
#include <vector>

#include "control-client.hpp"
#include "emulator-process.hpp"
#include "sample-org.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"
#include "text-match.hpp"

using hipchat::test::contains;
using hipchat::test::ControlClient;
using hipchat::test::ControlReply;
using hipchat::test::EmulatorProcess;
using hipchat::test::XmppTestClient;

namespace sample = hipchat::test::sample;

namespace {

std::string header()
{
    return "<?xml version='1.0'?><stream:stream to='chat.hipchat.com' xmlns='jabber:client' "
           "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
}

// §4.2, §5.3: the variants' feature sets.
START_TEST(server_variants_offer_their_feature_sets)
{
    {
        EmulatorProcess emulator({"--no-starttls"});
        XmppTestClient client(emulator.xmpp_port());
        client.send(header());
        const std::string features = client.expect("</stream:features>");
        ck_assert_msg(!contains(features, "starttls") && contains(features, "http://hipchat.com"),
                      "%s", features.c_str());
    }
    {
        EmulatorProcess emulator({"--no-hipchat-auth"});
        XmppTestClient client(emulator.xmpp_port());
        client.start_tls(emulator.ca_file());
        const std::string features = client.expect("</stream:features>");
        ck_assert_msg(!contains(features, "<auth xmlns='http://hipchat.com'/>") &&
                          !contains(features, "authrestartlogic") &&
                          contains(features, "<mechanism>PLAIN</mechanism>"),
                      "%s", features.c_str());
    }
    EmulatorProcess emulator({"--no-restart-logic"});
    XmppTestClient client(emulator.xmpp_port());
    client.start_tls(emulator.ca_file());
    const std::string features = client.expect("</stream:features>");
    ck_assert(contains(features, "<auth xmlns='http://hipchat.com'/>") &&
              !contains(features, "authrestartlogic"));
}
END_TEST

// docs/emulator.md: /status and /transcript (what each client sent, even before auth).
START_TEST(status_and_transcripts_show_sessions_and_what_clients_sent)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "pidgin");
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "finch");
    const ControlClient control(emulator.control_port());
    const ControlReply status = control.request("GET", "/status");
    ck_assert_int_eq(status.status, 200);
    const std::string &sessions = status.body;
    ck_assert_msg(
        contains(sessions, "\"user\":\"alice@example.com\",\"resource\":\"pidgin\"") &&
            contains(sessions, std::string("\"jid\":\"") + sample::alice.jid + "/pidgin\"") &&
            contains(sessions, "\"resource\":\"finch\""),
        "%s", sessions.c_str());
    const std::string mine = control.get("/transcript?user=alice@example.com");
    ck_assert_msg(contains(mine, "<starttls") &&
                      contains(mine, "<auth xmlns='http://hipchat.com'") &&
                      !contains(mine, sample::bob.email),
                  "%s", mine.c_str());
    ck_assert(contains(control.get("/transcript"), sample::bob.email));
    const ControlReply nothing = control.request("GET", "/nothing");
    ck_assert(contains(nothing.body, "error"));
    ck_assert_int_eq(nothing.status, 404);
}
END_TEST

// docs/emulator.md: POST /fault.
START_TEST(faults_drop_connections_and_delay_replies)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    ck_assert_int_eq(control.post_status("/fault", "{\"drop_after\":\"sometime\"}"), 400);
    ck_assert_int_eq(control.post_status("/fault", "{\"drop_after\":\"iq:2\"}"), 200);
    {
        XmppTestClient client(emulator.xmpp_port());
        client.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
        client.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
        client.expect("id='p1'");
        client.send("<iq type='get' id='p2'><ping xmlns='urn:xmpp:ping'/></iq>");
        ck_assert(client.closed_within(3000));
    }
    control.post("/fault", "{\"reset\":true,\"delay_ms\":700}");
    {
        XmppTestClient client(emulator.xmpp_port());
        client.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
        const gint64 start = g_get_monotonic_time();
        client.send("<iq type='get' id='p3'><ping xmlns='urn:xmpp:ping'/></iq>");
        client.expect("id='p3'");
        ck_assert_int_ge(g_get_monotonic_time() - start, 600 * 1000);
        control.post("/fault", "{\"drop_after\":\"now\"}");
        ck_assert(client.closed_within(3000));
    }
}
END_TEST

// docs/emulator.md: POST /fault reply_iq answers IQs of one namespace with a
// canned payload, verbatim (here not well-formed, and large), from and to as
// in every reply; drop_after still comes first; null, an empty xmlns and reset
// clear it.
START_TEST(reply_iq_fault_answers_one_namespace_with_the_payload_verbatim)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    ck_assert_int_eq(control.post_status("/fault", "{\"reply_iq\":\"vcard-temp\"}"), 400);
    ck_assert_int_eq(
        control.post_status("/fault",
                            "{\"reply_iq\":{\"xmlns\":\"vcard-temp\",\"payload\":\"<vCard "
                            "xmlns='vcard-temp'><FN>Broken</vCard>\"}}"),
        200);
    const std::string me = std::string(sample::alice.jid) + "/a";
    {
        XmppTestClient alice(emulator.xmpp_port());
        alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
        alice.send(std::string("<iq type='get' id='v1' to='") + sample::bob.jid +
                   "'><vCard xmlns='vcard-temp'/></iq>");
        const std::string answer = alice.expect("</iq>");
        ck_assert_msg(contains(answer, std::string("<iq type='result' id='v1' from='") +
                                           sample::bob.jid + "' to='" + me +
                                           "'><vCard xmlns='vcard-temp'><FN>Broken</vCard></iq>"),
                      "%s", answer.c_str());
        // Other namespaces are answered as ever.
        alice.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
        alice.expect("<iq type='result' id='p1' to='" + me + "'/>");

        // A large payload arrives whole.
        const std::string big =
            "<query xmlns='jabber:iq:roster'>" + std::string(512 * 1024, 'x') + "</query>";
        ck_assert_int_eq(
            control.post_status(
                "/fault",
                "{\"reply_iq\":{\"xmlns\":\"jabber:iq:roster\",\"payload\":\"" + big + "\"}}"),
            200);
        alice.send("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
        ck_assert(contains(alice.expect("</iq>", 10000),
                           "<iq type='result' id='r1' to='" + me + "'>" + big + "</iq>"));

        // Cleared by null, and by an empty xmlns: the real roster and vCard again.
        ck_assert_int_eq(control.post_status("/fault", "{\"reply_iq\":null}"), 200);
        alice.send("<iq type='get' id='r2'><query xmlns='jabber:iq:roster'/></iq>");
        ck_assert(contains(alice.expect("</iq>"), "name='Bob Test'"));
        control.post("/fault", "{\"reply_iq\":{\"xmlns\":\"vcard-temp\",\"payload\":\"<x/>\"}}");
        ck_assert_int_eq(control.post_status("/fault", "{\"reply_iq\":{\"xmlns\":\"\"}}"), 200);
        alice.send(std::string("<iq type='get' id='v2' to='") + sample::bob.jid +
                   "'><vCard xmlns='vcard-temp'/></iq>");
        ck_assert(contains(alice.expect("</iq>"), "<FN>Bob Test</FN>"));
    }
    // drop_after comes first; reset clears both.
    control.post("/fault",
                 "{\"drop_after\":\"iq\",\"reply_iq\":{\"xmlns\":\"urn:xmpp:ping\","
                 "\"payload\":\"<ping/>\"}}");
    {
        XmppTestClient alice(emulator.xmpp_port());
        alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
        alice.send("<iq type='get' id='p2'><ping xmlns='urn:xmpp:ping'/></iq>");
        ck_assert(alice.closed_within(3000));
    }
    control.post("/fault", "{\"reset\":true}");
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    alice.send("<iq type='get' id='p3'><ping xmlns='urn:xmpp:ping'/></iq>");
    alice.expect("<iq type='result' id='p3' to='" + me + "'/>");
}
END_TEST

// docs/emulator.md: the fault ignore_iq leaves one namespace's IQs
// unanswered on a connection that stays up; "" clears it.
START_TEST(ignore_iq_fault_leaves_one_namespace_unanswered)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    control.post("/fault", "{\"ignore_iq\":\"urn:xmpp:ping\"}");
    alice.send("<iq type='get' id='i1'><ping xmlns='urn:xmpp:ping'/></iq>");
    alice.send("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
    const std::string answered = alice.expect("id='r1'");
    ck_assert_msg(!contains(answered, "id='i1'"), "%s", answered.c_str());
    control.post("/fault", "{\"ignore_iq\":\"\"}");
    alice.send("<iq type='get' id='i2'><ping xmlns='urn:xmpp:ping'/></iq>");
    const std::string later = alice.expect("id='i2'");
    ck_assert_msg(!contains(later, "id='i1'"), "%s", later.c_str());
}
END_TEST

// docs/emulator.md: POST /stanza writes the text as it is to every live
// session of a bare JID or to a full JID's one, in order with everything else
// the delay_ms fault holds; 404 with no such session, 400 without a field.
START_TEST(stanza_writes_text_verbatim_to_a_users_live_sessions)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    XmppTestClient first(emulator.xmpp_port());
    first.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "one");
    XmppTestClient second(emulator.xmpp_port());
    second.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "two");
    const std::string garbage = "<message from='nowhere'><body>raw & <unclosed></message>";
    const ControlReply both = control.request(
        "POST", "/stanza",
        std::string("{\"to\":\"") + sample::alice.jid + "\",\"xml\":\"" + garbage + "\"}");
    ck_assert_int_eq(both.status, 200);
    ck_assert_str_eq(both.body.c_str(), "{\"sessions\":2}");
    ck_assert(contains(first.expect(garbage), garbage));
    ck_assert(contains(second.expect(garbage), garbage));

    // A full JID: only that session.
    ck_assert_int_eq(
        control.post_status("/stanza", std::string("{\"to\":\"") + sample::alice.jid +
                                           "/two\",\"xml\":\"<presence><show>only two</show>\"}"),
        200);
    second.expect("<presence><show>only two</show>");
    first.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
    ck_assert(!contains(first.expect("id='p1'"), "only two"));

    // Held by delay_ms like everything else, and in order with it.
    control.post("/fault", "{\"delay_ms\":600}");
    const gint64 start = g_get_monotonic_time();
    control.post("/presence",
                 std::string("{\"user\":\"") + sample::bob.jid + "\",\"show\":\"away\"}");
    ck_assert_int_eq(control.post_status("/stanza", std::string("{\"to\":\"") + sample::alice.jid +
                                                        "/one\",\"xml\":\"<after/>\"}"),
                     200);
    const std::string held = first.expect("<after/>");
    ck_assert_int_ge(g_get_monotonic_time() - start, 500 * 1000);
    ck_assert_msg(contains(held, "<show>away</show>") &&
                      held.find("<show>away</show>") < held.find("<after/>"),
                  "%s", held.c_str());
    control.post("/fault", "{\"reset\":true}");

    // Nobody to write to: unknown, offline, connected but not logged in, a
    // resource that is not there; and fields missing.
    XmppTestClient carol(emulator.xmpp_port());
    carol.start_tls(emulator.ca_file());
    carol.expect("</stream:features>");
    for (const std::string &to :
         std::vector<std::string>{"10804_999999@chat.hipchat.com", sample::carol.jid,
                                  std::string(sample::alice.jid) + "/three", "nobody"}) {
        const ControlReply nobody =
            control.request("POST", "/stanza", "{\"to\":\"" + to + "\",\"xml\":\"<x/>\"}");
        ck_assert_int_eq(nobody.status, 404);
        ck_assert(contains(nobody.body, "\"error\""));
    }
    ck_assert_int_eq(
        control.post_status("/stanza", std::string("{\"to\":\"") + sample::alice.jid + "\"}"), 400);
    ck_assert_int_eq(control.post_status("/stanza", "{\"xml\":\"<x/>\"}"), 400);
}
END_TEST

// docs/emulator.md: simulated people; §10.3 unavailable with <mobile>.
START_TEST(simulated_people_and_disconnects_reach_clients)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    alice.send("<presence><show>chat</show></presence>");
    alice.expect("</presence>");

    ck_assert_int_eq(
        control.post_status("/presence", std::string("{\"user\":\"") + sample::bob.jid +
                                             "\",\"show\":\"dnd\",\"status\":\"Busy\"}"),
        200);
    ck_assert(contains(alice.expect("<status>Busy</status>"), "<show>dnd</show>"));
    control.post("/message", std::string("{\"from\":\"") + sample::bob.jid + "\",\"to\":\"" +
                                 sample::alice.jid + "\",\"body\":\"ping?\"}");
    ck_assert(contains(alice.expect("ping?"), "type='chat'"));

    alice.send(
        "<presence to='10804_dev@conf.hipchat.com/Alice Example'><x "
        "xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
    alice.expect("</subject></message>");
    ck_assert_int_eq(
        control.post_status(
            "/message",
            std::string("{\"from\":\"") + sample::bob.jid +
                "\",\"room\":\"10804_dev@conf.hipchat.com\",\"body\":\"from the room\"}"),
        200);
    ck_assert(
        contains(alice.expect("from the room"), "from='10804_dev@conf.hipchat.com/Bob Test'"));
    ck_assert_int_eq(
        control.post_status("/message", "{\"from\":\"nobody\",\"to\":\"x\",\"body\":\"\"}"), 400);

    // A real Bob session goes away: Alice sees unavailable with his phone (§10.3).
    {
        XmppTestClient bob(emulator.xmpp_port());
        bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
        bob.send("<presence/>");
        alice.expect(std::string("from='") + sample::bob.jid + "/b'");
    }
    const std::string gone = alice.expect("</mobile>");
    ck_assert_msg(contains(gone, std::string("<presence type='unavailable' from='") +
                                     sample::bob.jid + "/b'><mobile>iphone</mobile>"),
                  "%s", gone.c_str());

    control.post("/disconnect", "{}");
    ck_assert(contains(alice.expect("</stream:stream>"), "system-shutdown"));
}
END_TEST

// §6.3: roster pushes (iq set, a timestamp ver, answered with a result) when
// people join, are renamed and leave; who left is out of the roster and cannot
// log in.
START_TEST(roster_pushes_announce_people_joining_renamed_and_leaving)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    ck_assert_int_eq(
        control.post_status("/roster",
                            "{\"action\":\"add\",\"id\":204400,\"name\":\"Nina New\","
                            "\"mention_name\":\"NinaN\",\"email\":\"nina@example.com\"}"),
        200);
    std::string push = alice.expect("</iq>");
    ck_assert_msg(contains(push, "<iq type='set' id='push") &&
                      contains(push, "<query xmlns='jabber:iq:roster' ver='20") &&
                      contains(push,
                               "<item jid='10804_204400@chat.hipchat.com' name='Nina New' "
                               "mention_name='NinaN' email='nina@example.com'") &&
                      contains(push, "subscription='both'"),
                  "%s", push.c_str());
    ck_assert_int_eq(
        control.post_status("/roster",
                            "{\"action\":\"change\",\"id\":204365,\"name\":\"Bob Tester\"}"),
        200);
    ck_assert(contains(alice.expect("</iq>"), "name='Bob Tester'"));
    ck_assert_int_eq(control.post_status("/roster", "{\"action\":\"remove\",\"id\":204366}"), 200);
    ck_assert(contains(alice.expect("</iq>"),
                       "<item jid='10804_204366@chat.hipchat.com' subscription='remove'/>"));
    alice.send("<iq type='get' id='r'><query xmlns='jabber:iq:roster'/></iq>");
    const std::string roster = alice.expect("</query></iq>");
    ck_assert(contains(roster, "Nina New") && contains(roster, "Bob Tester") &&
              !contains(roster, sample::carol.name));
    XmppTestClient carol(emulator.xmpp_port());
    carol.start_tls(emulator.ca_file());
    carol.expect("</stream:features>");
    carol.send_auth(sample::carol.email, sample::carol.password, "c");
    ck_assert(contains(carol.expect("</failure>"), "<not-authorized/>"));
    ck_assert_int_eq(control.post_status("/roster", "{\"action\":\"remove\",\"id\":999}"), 400);
}
END_TEST

// §12.1: POST /emoticons adds or changes one; everyone connected gets an
// <iq type='set'> push with it under a new ver, which the emoticons IQ honours.
START_TEST(emoticon_pushes_reach_everyone_and_change_ver)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    const ControlReply added = control.request(
        "POST", "/emoticons",
        "{\"id\":560700,\"shortcut\":\"shipit\",\"path\":\"10804/shipit.png\","
        "\"type\":\"group\",\"width\":30,\"height\":30,\"file\":\"emoticons/troll.png\"}");
    ck_assert_int_eq(added.status, 200);
    const std::string &answer = added.body;
    const auto at = answer.find("\"ver\":\"") + 7;
    const std::string ver = answer.substr(at, answer.find('"', at) - at);
    ck_assert(!ver.empty() && ver != "2026-11-01T09:00Z");
    for (XmppTestClient *client : {&alice, &bob}) {
        const std::string push = client->expect("</iq>");
        ck_assert_msg(contains(push, "<iq type='set' id='emoticons") &&
                          contains(push,
                                   "<query xmlns='http://hipchat.com/protocol/emoticons' "
                                   "ver='" +
                                       ver + "'><path_prefix>https://") &&
                          contains(push,
                                   "<item><id>560700</id><path>10804/shipit.png</path>"
                                   "<shortcut>shipit</shortcut><w>30</w><h>30</h>"
                                   "<type>group</type></item></query>") &&
                          !contains(push, "troll"),  // only what changed
                      "%s", push.c_str());
        client->send("<iq type='result' id='ack'/>");
    }
    // The old ver is stale now: the whole list, the new one in it; the new ver is current.
    alice.send(
        "<iq type='get' id='e1'><query xmlns='http://hipchat.com/protocol/emoticons' "
        "ver='2026-11-01T09:00Z'/></iq>");
    const std::string list = alice.expect("</iq>");
    ck_assert(contains(list, "<shortcut>shipit</shortcut>") &&
              contains(list, "<shortcut>troll</shortcut>"));
    alice.send("<iq type='get' id='e2'><query xmlns='http://hipchat.com/protocol/emoticons' ver='" +
               ver + "'/></iq>");
    alice.expect(std::string("<iq type='result' id='e2' to='") + sample::alice.jid + "/a'/>");
    // A change to a known one: pushed again, under yet another ver.
    ck_assert_int_eq(
        control.post_status("/emoticons", "{\"id\":41,\"shortcut\":\"allthethings2\"}"), 200);
    const std::string changed = bob.expect("</iq>");
    ck_assert(contains(changed,
                       "<id>41</id><path>allthethings.png</path>"
                       "<shortcut>allthethings2</shortcut>") &&
              !contains(changed, "ver='" + ver + "'"));
    ck_assert_int_eq(control.post_status("/emoticons", "{\"id\":5}"), 400);
}
END_TEST

// docs/emulator.md: --help names every option; mistakes exit with status 2.
START_TEST(help_documents_every_option)
{
    const std::string binary = EmulatorProcess::binary();
    const char *argv[] = {binary.c_str(), "--help", nullptr};
    gchar *out = nullptr;
    gint wait_status = 0;
    ck_assert(g_spawn_sync(nullptr, const_cast<gchar **>(argv), nullptr, G_SPAWN_DEFAULT, nullptr,
                           nullptr, &out, nullptr, &wait_status, nullptr));
    const std::string help = out != nullptr ? out : "";
    g_free(out);
    ck_assert(g_spawn_check_wait_status(wait_status, nullptr));
    for (const char *option : {"--org=FILE",
                               "--listen=ADDRESS",
                               "--xmpp-port=PORT",
                               "--direct-tls-port=PORT",
                               "--control-port=PORT",
                               "--rest-port=PORT",
                               "--tls-dir=DIR",
                               "--idle-timeout=SECONDS",
                               "--chat-host=HOST",
                               "--muc-host=HOST",
                               "--api-host=HOST[:PORT]",
                               "--web-host=HOST",
                               "--web-port=PORT",
                               "--nick-rule=full-name|mention-name",
                               "--max-connections=N",
                               "--max-stanza-bytes=BYTES",
                               "--no-starttls",
                               "--no-hipchat-auth",
                               "--no-restart-logic",
                               "--no-from-jid",
                               "--large=PEOPLE",
                               "--large-rooms=N",
                               "--large-history=N",
                               "--large-unread=N",
                               "--demo",
                               "--demo-interval=SECONDS"})
        ck_assert_msg(contains(help, option), "%s missing from --help:\n%s", option, help.c_str());
    ck_assert(contains(help, "READY {") && contains(help, "docs/emulator.md"));

    // Mistakes are refused with status 2.
    for (const std::vector<const char *> &bad :
         std::vector<std::vector<const char *>>{{"--nick-rule", "nickname"},
                                                {"--large-rooms", "5"},
                                                {"--large", "5", "--large-history", "-1"},
                                                {"--large-unread", "5"}}) {
        std::vector<const char *> args = {binary.c_str()};
        args.insert(args.end(), bad.begin(), bad.end());
        args.push_back(nullptr);
        gchar *err = nullptr;
        ck_assert(g_spawn_sync(nullptr, const_cast<gchar **>(args.data()), nullptr,
                               G_SPAWN_STDOUT_TO_DEV_NULL, nullptr, nullptr, nullptr, &err,
                               &wait_status, nullptr));
        ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 2, "%s: %s", bad[0],
                      err);
        g_free(err);
    }
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("emulator-control");
    TCase *tc = tcase_create("control");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, server_variants_offer_their_feature_sets);
    tcase_add_test(tc, status_and_transcripts_show_sessions_and_what_clients_sent);
    tcase_add_test(tc, faults_drop_connections_and_delay_replies);
    tcase_add_test(tc, ignore_iq_fault_leaves_one_namespace_unanswered);
    tcase_add_test(tc, reply_iq_fault_answers_one_namespace_with_the_payload_verbatim);
    tcase_add_test(tc, stanza_writes_text_verbatim_to_a_users_live_sessions);
    tcase_add_test(tc, simulated_people_and_disconnects_reach_clients);
    tcase_add_test(tc, roster_pushes_announce_people_joining_renamed_and_leaving);
    tcase_add_test(tc, emoticon_pushes_reach_everyone_and_change_ver);
    tcase_add_test(tc, help_documents_every_option);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
