// The emulator's server variants (docs/emulator.md: --no-starttls,
// --no-hipchat-auth, --no-restart-logic) and its control interface: status,
// transcripts, faults, simulated people.
#include <string>

#include "control-client.hpp"
#include "emulator-process.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::control_request;
using hipchat::test::EmulatorProcess;
using hipchat::test::XmppTestClient;

namespace {

const std::string nul(1, '\0');
constexpr const char *alice_jid = "10804_204364@chat.hipchat.com";
constexpr const char *bob_jid = "10804_204365@chat.hipchat.com";

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

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
    alice.login(emulator.ca_file(), "alice@example.com", "alice-demo-password", "pidgin");
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), "bob@example.com", "bob-demo-password", "finch");
    const int port = emulator.control_port();
    int status = 0;
    const std::string sessions = control_request(port, "GET", "/status", {}, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_msg(contains(sessions, "\"user\":\"alice@example.com\",\"resource\":\"pidgin\"") &&
                      contains(sessions, std::string("\"jid\":\"") + alice_jid + "/pidgin\"") &&
                      contains(sessions, "\"resource\":\"finch\""),
                  "%s", sessions.c_str());
    const std::string mine = control_request(port, "GET", "/transcript?user=alice@example.com");
    ck_assert_msg(contains(mine, "<starttls") && contains(mine, "<auth xmlns='http://hipchat.com'") &&
                      !contains(mine, "bob@example.com"),
                  "%s", mine.c_str());
    ck_assert(contains(control_request(port, "GET", "/transcript"), "bob@example.com"));
    ck_assert(contains(control_request(port, "GET", "/nothing", {}, &status), "error"));
    ck_assert_int_eq(status, 404);
}
END_TEST

// docs/emulator.md: POST /fault.
START_TEST(faults_drop_connections_and_delay_replies)
{
    EmulatorProcess emulator;
    const int port = emulator.control_port();
    int status = 0;
    control_request(port, "POST", "/fault", "{\"drop_after\":\"sometime\"}", &status);
    ck_assert_int_eq(status, 400);
    control_request(port, "POST", "/fault", "{\"drop_after\":\"iq:2\"}", &status);
    ck_assert_int_eq(status, 200);
    {
        XmppTestClient client(emulator.xmpp_port());
        client.login(emulator.ca_file(), "alice@example.com", "alice-demo-password");
        client.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
        client.expect("id='p1'");
        client.send("<iq type='get' id='p2'><ping xmlns='urn:xmpp:ping'/></iq>");
        ck_assert(client.closed_within(3000));
    }
    control_request(port, "POST", "/fault", "{\"reset\":true,\"delay_ms\":700}");
    {
        XmppTestClient client(emulator.xmpp_port());
        client.login(emulator.ca_file(), "alice@example.com", "alice-demo-password");
        const gint64 start = g_get_monotonic_time();
        client.send("<iq type='get' id='p3'><ping xmlns='urn:xmpp:ping'/></iq>");
        client.expect("id='p3'");
        ck_assert_int_ge(g_get_monotonic_time() - start, 600 * 1000);
        control_request(port, "POST", "/fault", "{\"drop_after\":\"now\"}");
        ck_assert(client.closed_within(3000));
    }
}
END_TEST

// docs/emulator.md: simulated people; §10.3 unavailable with <mobile>.
START_TEST(simulated_people_and_disconnects_reach_clients)
{
    EmulatorProcess emulator;
    const int port = emulator.control_port();
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), "alice@example.com", "alice-demo-password", "a");
    alice.send("<presence><show>chat</show></presence>");
    alice.expect("</presence>");

    int status = 0;
    control_request(port, "POST", "/presence",
                    std::string("{\"user\":\"") + bob_jid + "\",\"show\":\"dnd\",\"status\":\"Busy\"}",
                    &status);
    ck_assert_int_eq(status, 200);
    ck_assert(contains(alice.expect("<status>Busy</status>"), "<show>dnd</show>"));
    control_request(port, "POST", "/message",
                    std::string("{\"from\":\"") + bob_jid + "\",\"to\":\"" + alice_jid +
                        "\",\"body\":\"ping?\"}");
    ck_assert(contains(alice.expect("ping?"), "type='chat'"));

    alice.send(
        "<presence to='10804_dev@conf.hipchat.com/Alice Example'><x "
        "xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
    alice.expect("</subject></message>");
    control_request(port, "POST", "/message",
                    std::string("{\"from\":\"") + bob_jid +
                        "\",\"room\":\"10804_dev@conf.hipchat.com\",\"body\":\"from the room\"}",
                    &status);
    ck_assert_int_eq(status, 200);
    ck_assert(contains(alice.expect("from the room"),
                       "from='10804_dev@conf.hipchat.com/Bob Test'"));
    control_request(port, "POST", "/message", "{\"from\":\"nobody\",\"to\":\"x\",\"body\":\"\"}",
                    &status);
    ck_assert_int_eq(status, 400);

    // A real Bob session goes away: Alice sees unavailable with his phone (§10.3).
    {
        XmppTestClient bob(emulator.xmpp_port());
        bob.login(emulator.ca_file(), "bob@example.com", "bob-demo-password", "b");
        bob.send("<presence/>");
        alice.expect(std::string("from='") + bob_jid + "/b'");
    }
    const std::string gone = alice.expect("</mobile>");
    ck_assert_msg(contains(gone, std::string("<presence type='unavailable' from='") + bob_jid +
                                     "/b'><mobile>iphone</mobile>"),
                  "%s", gone.c_str());

    control_request(port, "POST", "/disconnect", "{}");
    ck_assert(contains(alice.expect("</stream:stream>"), "system-shutdown"));
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
    tcase_add_test(tc, simulated_people_and_disconnects_reach_clients);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
