// The emulator on its own, through a scripted raw-XMPP client: each test is
// one behaviour of the protocol reference's §16 checklist (section cited).
#include <string>

#include "emulator-process.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::EmulatorProcess;
using hipchat::test::XmppTestClient;

namespace {

const std::string nul(1, '\0');
constexpr const char *alice_jid = "10804_204364@chat.hipchat.com";

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

std::string header()
{
    return "<?xml version='1.0'?><stream:stream to='chat.hipchat.com' xmlns='jabber:client' "
           "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
}

// §4.1, §4.2
START_TEST(starttls_is_required_then_the_hipchat_features_are_offered)
{
    EmulatorProcess emulator;
    {
        XmppTestClient client(emulator.xmpp_port());
        client.send(header());
        const std::string features = client.expect("</stream:features>");
        ck_assert(contains(features, "from='chat.hipchat.com'"));
        ck_assert(
            contains(features, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"));
        ck_assert(!contains(features, "mechanism"));
        // Authenticating in clear is refused.
        client.send("<auth xmlns='http://hipchat.com'>" +
                    XmppTestClient::base64(nul + "alice@example.com" + nul + "x" + nul + "r") +
                    "</auth>");
        ck_assert(contains(client.expect("</stream:stream>"), "<policy-violation"));
    }
    XmppTestClient client(emulator.xmpp_port());
    client.start_tls(emulator.ca_file());
    const std::string features = client.expect("</stream:features>");
    for (const char *feature :
         {"<auth xmlns='http://jabber.org/features/iq-auth'/>",
          "<auth xmlns='http://hipchat.com'/>", "<mechanism>PLAIN</mechanism>",
          "<mechanism>X-HIPCHAT-OAUTH2</mechanism>",
          "<authrestartlogic xmlns='http://hipchat.com'/>"})
        ck_assert_msg(contains(features, feature), "%s missing: %s", feature, features.c_str());
    ck_assert(!contains(features, "starttls"));
}
END_TEST

// §5.1, §5.5
START_TEST(password_auth_succeeds_with_jid_hosts_and_token_and_no_bind)
{
    EmulatorProcess emulator;
    XmppTestClient client(emulator.xmpp_port());
    const std::string success =
        client.login(emulator.ca_file(), "alice@example.com", "alice-demo-password", "pidgin");
    ck_assert_msg(contains(success, std::string("jid='") + alice_jid + "/pidgin'"), "%s",
                  success.c_str());
    for (const char *attribute : {"api_host='", "chat_host='chat.hipchat.com'",
                                  "muc_host='conf.hipchat.com'", "web_host='", "oauth2_token='"})
        ck_assert_msg(contains(success, attribute), "%s missing: %s", attribute, success.c_str());
    // The session is live at once: no restart, no bind (§5.5).
    client.send("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
    ck_assert(contains(client.expect("</iq>"), "<query xmlns='jabber:iq:roster'>"));
}
END_TEST

// §5.6
START_TEST(bad_credentials_are_not_authorized_and_the_stream_closes)
{
    EmulatorProcess emulator;
    XmppTestClient client(emulator.xmpp_port());
    client.start_tls(emulator.ca_file());
    client.expect("</stream:features>");
    client.send("<auth xmlns='http://hipchat.com'>" +
                XmppTestClient::base64(nul + "alice@example.com" + nul + "wrong" + nul + "r") +
                "</auth>");
    ck_assert(contains(client.expect("</failure>"), "<not-authorized/>"));
    ck_assert(client.closed_within(3000));

    XmppTestClient malformed(emulator.xmpp_port());
    malformed.start_tls(emulator.ca_file());
    malformed.expect("</stream:features>");
    malformed.send("<auth xmlns='http://hipchat.com'>" + XmppTestClient::base64("junk") +
                   "</auth>");
    ck_assert(contains(malformed.expect("</failure>"), "<malformed-request/>"));
}
END_TEST

// §5.2, §5.5
START_TEST(token_auth_with_restart_gets_features_without_bind)
{
    EmulatorProcess emulator;
    XmppTestClient client(emulator.xmpp_port());
    client.start_tls(emulator.ca_file());
    client.expect("</stream:features>");
    client.send("<auth xmlns='http://hipchat.com' mechanism='oauth2' restart_stream='true'>" +
                XmppTestClient::base64(nul + "alice-demo-token" + nul + "web") + "</auth>");
    ck_assert(contains(client.expect("<success"), std::string(alice_jid) + "/web"));
    client.send(header());
    const std::string features = client.expect("<stream:features/>");
    ck_assert(!contains(features, "bind"));
    client.send("<iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>");
    ck_assert(contains(client.expect("id='p'"), "type='result'"));
}
END_TEST

// §5.3
START_TEST(sasl_plain_restarts_and_binds)
{
    EmulatorProcess emulator;
    XmppTestClient client(emulator.xmpp_port());
    client.start_tls(emulator.ca_file());
    client.expect("</stream:features>");
    client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" +
                XmppTestClient::base64(nul + "10804_204364" + nul + "alice-demo-password") +
                "</auth>");
    client.expect("<success");
    client.send(header());
    ck_assert(contains(client.expect("</stream:features>"), "urn:ietf:params:xml:ns:xmpp-bind"));
    client.send(
        "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
        "<resource>bot</resource></bind></iq>");
    ck_assert(contains(client.expect("</iq>"), std::string("<jid>") + alice_jid + "/bot</jid>"));
    client.send(
        "<iq type='set' id='s'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
    ck_assert(contains(client.expect("id='s'"), "type='result'"));
}
END_TEST

// §6.2-§6.5
START_TEST(roster_startup_profile_and_vcard_carry_hipchat_fields)
{
    EmulatorProcess emulator;
    XmppTestClient client(emulator.xmpp_port());
    client.login(emulator.ca_file(), "alice@example.com", "alice-demo-password");

    client.send("<iq type='get' id='r'><query xmlns='jabber:iq:roster'/></iq>");
    const std::string roster = client.expect("</query></iq>");
    ck_assert(contains(
        roster, "jid='10804_204365@chat.hipchat.com' name='Bob Test' mention_name='BobTest'"));
    ck_assert(contains(roster, std::string("jid='") + alice_jid + "'"));  // self included
    ck_assert(contains(roster, "mobile='iphone'"));
    ck_assert(!contains(roster, "<group>"));

    client.send(
        "<iq type='get' id='st'><query xmlns='http://hipchat.com/protocol/startup' "
        "send_auto_join_user_presences='false'/></iq>");
    const std::string startup = client.expect("</query></iq>");
    for (const char *field :
         {"<name>Alice Example</name>", "<mention_name>AliceExample</mention_name>",
          "<group_name>Example Inc</group_name>",
          "<token expiration=", "<autoJoin><item jid='10804_dev@conf.hipchat.com' name='Dev'>"})
        ck_assert_msg(contains(startup, field), "%s missing: %s", field, startup.c_str());

    client.send(
        "<iq type='get' id='pr' to='10804_204365@chat.hipchat.com'>"
        "<query xmlns='http://hipchat.com/protocol/profile'/></iq>");
    const std::string profile = client.expect("</query></iq>");
    ck_assert(contains(profile, "from='10804_204365@chat.hipchat.com'"));
    ck_assert(contains(profile, "<timezone utc_offset='-5.0'>America/New_York</timezone>"));

    client.send(
        "<iq type='get' id='v' to='10804_204365@chat.hipchat.com'><vCard "
        "xmlns='vcard-temp'/></iq>");
    ck_assert(contains(client.expect("</vCard>"), "<NICKNAME>BobTest</NICKNAME>"));
}
END_TEST

// §4.3 and "never silence"
START_TEST(pings_whitespace_and_stray_elements_are_fine_and_unknown_iqs_get_errors)
{
    EmulatorProcess emulator({"--idle-timeout", "2"});
    XmppTestClient client(emulator.xmpp_port());
    client.login(emulator.ca_file(), "alice@example.com", "alice-demo-password");
    client.send("  <r/>  ");
    client.send(
        "<iq type='get' id='ping1' to='chat.hipchat.com'><ping xmlns='urn:xmpp:ping'/></iq>");
    ck_assert(contains(client.expect("id='ping1'"), "type='result'"));
    client.send("<iq type='get' id='u1'><query xmlns='urn:example:unknown'/></iq>");
    ck_assert(contains(client.expect("</iq>"), "<service-unavailable"));
    // Silent past the idle timeout: dropped.
    ck_assert(contains(client.expect("</stream:stream>", 6000), "connection-timeout"));
}
END_TEST

// §10, §8.1
START_TEST(presence_and_messages_flow_between_two_users)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), "alice@example.com", "alice-demo-password", "a");
    alice.send("<presence><show>chat</show></presence>");
    alice.expect("</presence>");  // own presence echoed (§10.4)

    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), "bob@example.com", "bob-demo-password", "b");
    bob.send("<presence><show>xa</show><status>Lunch</status></presence>");
    // Bob learns Alice is there; Alice sees Bob's presence.
    ck_assert(contains(bob.expect(std::string("from='") + alice_jid + "/a'"), "<show>chat</show>"));
    ck_assert(contains(alice.expect("<status>Lunch</status>"), "<show>xa</show>"));

    bob.send(std::string("<message type='chat' to='") + alice_jid +
             "' id='m1'><body>hi</body>"
             "<x xmlns='http://hipchat.com'><echo/></x></message>");
    const std::string received = alice.expect("</message>");
    ck_assert(contains(received, "<body>hi</body>"));
    ck_assert(contains(received, "mid='") && contains(received, "ts='"));
    ck_assert(contains(bob.expect("<body>hi</body>"), "id='m1'"));  // the echo (§8.1)
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("emulator-xmpp");
    TCase *tc = tcase_create("xmpp");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, starttls_is_required_then_the_hipchat_features_are_offered);
    tcase_add_test(tc, password_auth_succeeds_with_jid_hosts_and_token_and_no_bind);
    tcase_add_test(tc, bad_credentials_are_not_authorized_and_the_stream_closes);
    tcase_add_test(tc, token_auth_with_restart_gets_features_without_bind);
    tcase_add_test(tc, sasl_plain_restarts_and_binds);
    tcase_add_test(tc, roster_startup_profile_and_vcard_carry_hipchat_fields);
    tcase_add_test(tc, pings_whitespace_and_stray_elements_are_fine_and_unknown_iqs_get_errors);
    tcase_add_test(tc, presence_and_messages_flow_between_two_users);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
