// The emulator on its own, through a scripted raw-XMPP client: each test is
// one behaviour of the protocol reference's §16 checklist (section cited).
#include <memory>
#include <string>
#include <vector>

#include "emulator-process.hpp"
#include "sample-org.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"
#include "text-match.hpp"

using hipchat::test::contains;
using hipchat::test::EmulatorProcess;
using hipchat::test::XmppTestClient;

namespace sample = hipchat::test::sample;

namespace {

const std::string nul(1, '\0');

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
                    XmppTestClient::base64(nul + sample::alice.email + nul + "x" + nul + "r") +
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
        client.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "pidgin");
    ck_assert_msg(contains(success, std::string("jid='") + sample::alice.jid + "/pidgin'"), "%s",
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
                XmppTestClient::base64(nul + sample::alice.email + nul + "wrong" + nul + "r") +
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
                XmppTestClient::base64(nul + sample::alice.token + nul + "web") + "</auth>");
    ck_assert(contains(client.expect("<success"), std::string(sample::alice.jid) + "/web"));
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
                XmppTestClient::base64(nul + "10804_204364" + nul + sample::alice.password) +
                "</auth>");
    client.expect("<success");
    client.send(header());
    ck_assert(contains(client.expect("</stream:features>"), "urn:ietf:params:xml:ns:xmpp-bind"));
    client.send(
        "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
        "<resource>bot</resource></bind></iq>");
    ck_assert(
        contains(client.expect("</iq>"), std::string("<jid>") + sample::alice.jid + "/bot</jid>"));
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
    client.login(emulator.ca_file(), sample::alice.email, sample::alice.password);

    client.send("<iq type='get' id='r'><query xmlns='jabber:iq:roster'/></iq>");
    const std::string roster = client.expect("</query></iq>");
    ck_assert(contains(
        roster, "jid='10804_204365@chat.hipchat.com' name='Bob Test' mention_name='BobTest'"));
    ck_assert(contains(roster, std::string("jid='") + sample::alice.jid + "'"));  // self included
    ck_assert(contains(roster, "mobile='iphone'"));
    ck_assert(!contains(roster, "<group>"));

    client.send(
        "<iq type='get' id='st'><query xmlns='http://hipchat.com/protocol/startup' "
        "send_auto_join_user_presences='false'/></iq>");
    const std::string startup = client.expect("</query></iq>");
    for (const char *field :
         {"<name>Alice Example</name>", "<mention_name>AliceExample</mention_name>",
          "<group_name>Example Inc</group_name>",
          "<token expiration=", "<autoJoin><item jid='10804_dev@conf.hipchat.com' name='Dev'>",
          // §19.6: the notification preferences beside autoJoin.
          "</autoJoin><globalNotificationSetting>loud</globalNotificationSetting>"
          "<roomNotificationOverrides>{&quot;10804_random@conf.hipchat.com&quot;:"
          "{&quot;level&quot;:&quot;quiet&quot;}}</roomNotificationOverrides>"
          "<notifyWhenDND>false</notifyWhenDND></preferences>"})
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
    client.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
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
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    alice.send("<presence><show>chat</show></presence>");
    alice.expect("</presence>");  // own presence echoed (§10.4)

    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    bob.send("<presence><show>xa</show><status>Lunch</status></presence>");
    // Bob learns Alice is there; Alice sees Bob's presence.
    ck_assert(contains(bob.expect(std::string("from='") + sample::alice.jid + "/a'"),
                       "<show>chat</show>"));
    ck_assert(contains(alice.expect("<status>Lunch</status>"), "<show>xa</show>"));

    bob.send(std::string("<message type='chat' to='") + sample::alice.jid +
             "' id='m1'><body>hi</body>"
             "<x xmlns='http://hipchat.com'><echo/></x></message>");
    const std::string received = alice.expect("</message>");
    ck_assert(contains(received, "<body>hi</body>"));
    ck_assert(contains(received, "mid='") && contains(received, "ts='"));
    ck_assert(contains(bob.expect("<body>hi</body>"), "id='m1'"));  // the echo (§8.1)
}
END_TEST

// §8.1, §19.8: a user's own 1:1 messages reach their other sessions (and the
// sending one, with <echo/>) and their 1:1 history: by default from the
// partner with the user in <delay from_jid>; with --own-copies from-self as sent.
void own_copies_reach_every_device(const std::vector<std::string> &args, bool from_partner)
{
    EmulatorProcess emulator(args);
    XmppTestClient desk(emulator.xmpp_port()), phone(emulator.xmpp_port());
    desk.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "desk");
    phone.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "phone");
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");

    // Without <echo/>: the other device hears of it, the sender does not.
    phone.send(std::string("<message type='chat' to='") + sample::bob.jid +
               "' id='p1'><body>from the phone</body></message>");
    ck_assert(contains(bob.expect("from the phone"), std::string("from='") + sample::alice.jid));
    std::string copy = desk.expect("from the phone");
    const std::string partner_form = std::string("from='") + sample::bob.jid + "'";
    const std::string sender_form = std::string("from='") + sample::alice.jid + "/phone'";
    ck_assert_msg(
        contains(copy, "id='p1'") && contains(copy, "mid='") &&
            (from_partner ? contains(copy, partner_form) &&
                                contains(copy, std::string("<delay xmlns='urn:xmpp:delay'")) &&
                                contains(copy, std::string("from_jid='") + sample::alice.jid + "'")
                          : contains(copy, sender_form) && !contains(copy, "<delay")),
        "%s", copy.c_str());
    ck_assert(!phone.closed_within(300) && !contains(phone.expect(""), "from the phone"));

    // With <echo/>: the sender too, in the same form.
    desk.send(
        std::string("<message type='chat' to='") + sample::bob.jid +
        "' id='d1'><body>from the desk</body><x xmlns='http://hipchat.com'><echo/></x></message>");
    copy = desk.expect("from the desk");
    ck_assert_msg(
        contains(copy, "id='d1'") &&
            contains(copy, from_partner ? partner_form
                                        : std::string("from='") + sample::alice.jid + "/desk'"),
        "%s", copy.c_str());
    phone.expect("from the desk");

    // The 1:1 history: Alice's messages in the same form, Bob's from Bob.
    desk.send(std::string("<iq type='get' id='h' to='") + sample::bob.jid +
              "'><query xmlns='http://hipchat.com/protocol/history' maxstanzas='10'/></iq>");
    const std::string page = desk.expect("id='h'");
    const auto phone_line = page.rfind("<message", page.find("from the phone"));
    const std::string line =
        page.substr(phone_line, page.find("</message>", phone_line) - phone_line);
    ck_assert_msg(contains(line, from_partner ? partner_form
                                              : std::string("from='") + sample::alice.jid + "'"),
                  "%s", page.c_str());
    ck_assert(contains(line, std::string("from_jid='") + sample::alice.jid + "'"));
}

START_TEST(own_messages_reach_every_device_from_the_partner)
{
    own_copies_reach_every_device({}, true);
}
END_TEST

START_TEST(own_messages_reach_every_device_as_sent_with_own_copies_from_self)
{
    own_copies_reach_every_device({"--own-copies", "from-self"}, false);
}
END_TEST

// RFC 6120 §7.7.2.2: the same full JID again ends the older session.
START_TEST(a_second_session_with_the_same_resource_ends_the_first_with_a_conflict)
{
    EmulatorProcess emulator;
    XmppTestClient first(emulator.xmpp_port()), second(emulator.xmpp_port()),
        other(emulator.xmpp_port());
    first.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "desk");
    other.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "phone");
    second.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "desk");
    ck_assert(contains(first.expect("</stream:stream>"),
                       "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"));
    ck_assert(!other.closed_within(300) && !second.closed_within(300));
}
END_TEST

// HipChat allowed ten clients of a user at once (the web client's
// lib/spi.js onStrophePolicyViolation): the eleventh is refused with a
// policy-violation stream error instead of <success>; the same resource
// again still replaces its older session.
START_TEST(an_eleventh_session_of_a_user_is_a_policy_violation)
{
    EmulatorProcess emulator;
    std::vector<std::unique_ptr<XmppTestClient>> sessions;
    for (int i = 0; i < 10; ++i) {
        sessions.push_back(std::make_unique<XmppTestClient>(emulator.xmpp_port()));
        sessions.back()->login(emulator.ca_file(), sample::alice.email, sample::alice.password,
                               "device" + std::to_string(i));
    }
    XmppTestClient eleventh(emulator.xmpp_port());
    eleventh.start_tls(emulator.ca_file());
    eleventh.expect("</stream:features>");
    eleventh.send_auth(sample::alice.email, sample::alice.password, "device10");
    const std::string refused = eleventh.expect("</stream:stream>");
    ck_assert_msg(
        contains(refused, "<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>") &&
            !contains(refused, "<success"),
        "%s", refused.c_str());
    // Someone else is not counted against Alice; Alice's "device3" again
    // replaces the older one (a conflict), not an eleventh.
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "device0");
    XmppTestClient again(emulator.xmpp_port());
    again.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "device3");
    ck_assert(contains(sessions[3]->expect("</stream:stream>"), "<conflict"));
}
END_TEST

// §5.2, §5.6
START_TEST(token_auth_with_an_unknown_token_is_not_authorized)
{
    EmulatorProcess emulator;
    XmppTestClient client(emulator.xmpp_port());
    client.start_tls(emulator.ca_file());
    client.expect("</stream:features>");
    client.send("<auth xmlns='http://hipchat.com' mechanism='oauth2'>" +
                XmppTestClient::base64(nul + "no-such-token" + nul + "r") + "</auth>");
    ck_assert(contains(client.expect("</failure>"), "<not-authorized/>"));
    ck_assert(client.closed_within(3000));
}
END_TEST

// §16 item 1, RFC 6120 §4.9.3.13: XML that is not well-formed ends the stream,
// with our stream header first when the client never sent one (§4.9.1.1).
START_TEST(malformed_xml_is_a_not_well_formed_stream_error)
{
    EmulatorProcess emulator;
    {
        XmppTestClient client(emulator.xmpp_port());
        client.send("<<this is not XML>>");
        const std::string reply = client.expect("</stream:stream>");
        ck_assert_msg(contains(reply, "<stream:stream ") &&
                          contains(reply,
                                   "<stream:error><not-well-formed "
                                   "xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"),
                      "%s", reply.c_str());
        ck_assert(client.closed_within(3000));
    }
    XmppTestClient client(emulator.xmpp_port());
    client.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    client.send("<message to='10804_204365@chat.hipchat.com'><body>x</bodyy></message>");
    const std::string reply = client.expect("</stream:stream>");
    ck_assert_msg(contains(reply, "<not-well-formed") &&
                      reply.find("<stream:stream ") == std::string::npos,  // one header only
                  "%s", reply.c_str());
}
END_TEST

// §16 (bounds), RFC 6120 §4.9.3.14: a stanza past --max-stanza-bytes is a
// policy-violation; many small ones in one write are not.
START_TEST(stanzas_over_the_size_bound_are_a_policy_violation)
{
    EmulatorProcess emulator({"--max-stanza-bytes", "4096"});
    XmppTestClient client(emulator.xmpp_port());
    client.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    std::string many;
    for (int i = 0; i < 200; ++i)
        many += "<iq type='get' id='p" + std::to_string(i) + "'><ping xmlns='urn:xmpp:ping'/></iq>";
    ck_assert_int_gt(many.size(), 8192);
    client.send(many);
    client.expect("id='p199'");
    client.send("<message to='10804_204365@chat.hipchat.com'><body>" + std::string(3000, 'a') +
                "</body></message>");
    client.send("<iq type='get' id='still'><ping xmlns='urn:xmpp:ping'/></iq>");
    client.expect("id='still'");
    client.send("<message to='10804_204365@chat.hipchat.com'><body>" + std::string(5000, 'a'));
    ck_assert(contains(client.expect("</stream:stream>"),
                       "<stream:error><policy-violation "
                       "xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"));
    ck_assert(client.closed_within(3000));
}
END_TEST

// §16 (bounds): one connection past --max-connections gets a stream error and
// is closed.
START_TEST(connections_past_the_bound_get_a_resource_constraint_error)
{
    EmulatorProcess emulator({"--max-connections", "2"});
    auto first = std::make_unique<XmppTestClient>(emulator.xmpp_port());
    first->send(header());
    first->expect("</stream:features>");
    XmppTestClient second(emulator.xmpp_port());
    second.send(header());
    second.expect("</stream:features>");
    {
        XmppTestClient third(emulator.xmpp_port());
        const std::string reply = third.expect("</stream:stream>");
        ck_assert_msg(contains(reply, "from='chat.hipchat.com'") &&
                          contains(reply,
                                   "<stream:error><resource-constraint "
                                   "xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"),
                      "%s", reply.c_str());
        ck_assert(third.closed_within(3000));
    }
    // Once the emulator has seen one go, there is room again.
    first.reset();
    bool served = false;
    for (int attempt = 0; attempt < 20 && !served; ++attempt) {
        g_usleep(100 * 1000);
        XmppTestClient again(emulator.xmpp_port());
        again.send(header());
        served = contains(again.expect("</stream:"), "<starttls");  // features, not the error
    }
    ck_assert(served);
}
END_TEST

// §4.1, §16 item 1: the legacy direct-TLS port: TLS first, then the post-TLS features.
START_TEST(direct_tls_port_skips_starttls)
{
    EmulatorProcess emulator({"--direct-tls-port", "0"});
    ck_assert_int_gt(emulator.direct_tls_port(), 0);
    XmppTestClient client(emulator.direct_tls_port());
    client.start_direct_tls(emulator.ca_file());
    const std::string features = client.expect("</stream:features>");
    ck_assert_msg(
        !contains(features, "starttls") && contains(features, "<auth xmlns='http://hipchat.com'/>"),
        "%s", features.c_str());
    client.send("<auth xmlns='http://hipchat.com'>" +
                XmppTestClient::base64(nul + sample::alice.email + nul + sample::alice.password +
                                       nul + "legacy") +
                "</auth>");
    ck_assert(contains(client.expect("<success"), std::string(sample::alice.jid) + "/legacy"));
}
END_TEST

// §5.7: a token with expiration and ttl on get; an empty result on delete.
START_TEST(auth_token_iq_gives_a_token_and_accepts_its_deletion)
{
    EmulatorProcess emulator;
    XmppTestClient client(emulator.xmpp_port());
    client.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    client.send(
        "<iq type='get' id='t1' to='conf.hipchat.com'><query "
        "xmlns='http://hipchat.com/protocol/auth'/></iq>");
    const std::string token = client.expect("</iq>");
    ck_assert_msg(contains(token, "type='result'") && contains(token, "from='conf.hipchat.com'") &&
                      contains(token, "<token expiration='") && contains(token, "ttl='3600'>"),
                  "%s", token.c_str());
    client.send(
        "<iq type='set' id='t2'><query xmlns='http://hipchat.com/protocol/auth' "
        "action='delete'/></iq>");
    const std::string deleted = client.expect("id='t2'");
    ck_assert(contains(deleted, "type='result'") && !contains(deleted, "<token"));
}
END_TEST

// §10.3, §10.5, §16 item 5: accepted with an empty result (not acted on).
START_TEST(presence_filter_and_device_iqs_are_accepted)
{
    EmulatorProcess emulator;
    XmppTestClient client(emulator.xmpp_port());
    client.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    client.send(
        "<iq type='set' id='f1'><query xmlns='http://hipchat.com/protocol/presence' "
        "action='presence_filter'><uid>204364</uid><uid>204365</uid></query></iq>");
    ck_assert(contains(client.expect("id='f1'"), "type='result'"));
    client.send(
        "<iq type='set' id='d1'><query xmlns='http://hipchat.com/protocol/device'>"
        "<device_id>x</device_id><token>y</token></query></iq>");
    ck_assert(contains(client.expect("id='d1'"), "type='result'"));
}
END_TEST

// §16 item 6: the server's disco#info features and the MUC service in disco#items.
START_TEST(server_disco_lists_muc_disco_ping_and_chatstates)
{
    EmulatorProcess emulator;
    XmppTestClient client(emulator.xmpp_port());
    client.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    client.send(
        "<iq type='get' id='di' to='chat.hipchat.com'><query "
        "xmlns='http://jabber.org/protocol/disco#info'/></iq>");
    const std::string info = client.expect("</iq>");
    for (const char *feature :
         {"http://jabber.org/protocol/muc", "http://jabber.org/protocol/disco#info",
          "http://jabber.org/protocol/disco#items", "urn:xmpp:ping",
          "http://jabber.org/protocol/chatstates"})
        ck_assert_msg(contains(info, std::string("<feature var='") + feature + "'/>"), "%s: %s",
                      feature, info.c_str());
    client.send(
        "<iq type='get' id='dt' to='chat.hipchat.com'><query "
        "xmlns='http://jabber.org/protocol/disco#items'/></iq>");
    ck_assert(contains(client.expect("</iq>"), "<item jid='conf.hipchat.com'/>"));
}
END_TEST

// §6.3 entity versioning: an MD5-looking hash, the same when nothing changed.
START_TEST(entity_hashes_are_stable)
{
    EmulatorProcess emulator;
    XmppTestClient client(emulator.xmpp_port());
    client.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    for (const char *ns :
         {"http://hipchat.com/protocol/users#hash", "http://hipchat.com/protocol/rooms#hash"}) {
        std::string hashes[2];
        for (auto &hash : hashes) {
            client.send(std::string("<iq type='get' id='h'><query xmlns='") + ns + "'/></iq>");
            const std::string reply = client.expect("</iq>");
            const std::string open = std::string("<query xmlns='") + ns + "'>";
            const auto at = reply.find(open);
            ck_assert_msg(at != std::string::npos, "%s", reply.c_str());
            hash = reply.substr(at + open.size(), 32);
            ck_assert_msg(hash.find_first_not_of("0123456789abcdef") == std::string::npos &&
                              reply.compare(at + open.size() + 32, 8, "</query>") == 0,
                          "%s", reply.c_str());
        }
        ck_assert_str_eq(hashes[0].c_str(), hashes[1].c_str());
    }
}
END_TEST

// §8.1: chat states pass through; without a body nothing is kept.
START_TEST(chat_states_pass_through)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    bob.send(std::string("<message type='chat' to='") + sample::alice.jid +
             "'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
    const std::string state = alice.expect("</message>");
    ck_assert_msg(contains(state, "<composing xmlns='http://jabber.org/protocol/chatstates'/>") &&
                      contains(state, "from='10804_204365@chat.hipchat.com/b'"),
                  "%s", state.c_str());
    alice.send(
        "<iq type='get' id='h' to='10804_204365@chat.hipchat.com'><query "
        "xmlns='http://hipchat.com/protocol/history' maxstanzas='10' type='chat'/></iq>");
    ck_assert(!contains(alice.expect("id='h'"), "<message"));  // no history of a state
}
END_TEST

// §10.2, §10.6, §16 item 9: idle is jabber:iq:last, kept in global and room presences.
START_TEST(idle_presence_keeps_its_last_activity_query)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    alice.send("<presence><show>chat</show></presence>");
    alice.expect("</presence>");
    alice.send(
        "<presence to='10804_dev@conf.hipchat.com/Alice Example'><x "
        "xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
    alice.expect("</subject></message>");
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    bob.send("<presence><show>chat</show></presence>");
    alice.expect("from='10804_204365@chat.hipchat.com/b'");
    bob.send(
        "<presence to='10804_dev@conf.hipchat.com/Bob Test'><x "
        "xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
    bob.expect("</subject></message>");
    alice.expect("from='10804_dev@conf.hipchat.com/Bob Test'");

    bob.send("<presence><show>away</show><query xmlns='jabber:iq:last' seconds='900'/></presence>");
    std::string idle = alice.expect("seconds='900'");
    ck_assert_msg(contains(idle, "from='10804_204365@chat.hipchat.com/b'") &&
                      contains(idle, "<show>away</show>"),
                  "%s", idle.c_str());
    bob.send(
        "<presence to='10804_dev@conf.hipchat.com/Bob Test'><show>away</show>"
        "<query xmlns='jabber:iq:last' seconds='960'/></presence>");
    idle = alice.expect("seconds='960'");
    ck_assert_msg(contains(idle, "from='10804_dev@conf.hipchat.com/Bob Test'") &&
                      contains(idle, "<query xmlns='jabber:iq:last' seconds='960'/>"),
                  "%s", idle.c_str());
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
    tcase_add_test(tc, a_second_session_with_the_same_resource_ends_the_first_with_a_conflict);
    tcase_add_test(tc, an_eleventh_session_of_a_user_is_a_policy_violation);
    tcase_add_test(tc, own_messages_reach_every_device_from_the_partner);
    tcase_add_test(tc, own_messages_reach_every_device_as_sent_with_own_copies_from_self);
    tcase_add_test(tc, token_auth_with_an_unknown_token_is_not_authorized);
    tcase_add_test(tc, malformed_xml_is_a_not_well_formed_stream_error);
    tcase_add_test(tc, stanzas_over_the_size_bound_are_a_policy_violation);
    tcase_add_test(tc, connections_past_the_bound_get_a_resource_constraint_error);
    tcase_add_test(tc, direct_tls_port_skips_starttls);
    tcase_add_test(tc, auth_token_iq_gives_a_token_and_accepts_its_deletion);
    tcase_add_test(tc, presence_filter_and_device_iqs_are_accepted);
    tcase_add_test(tc, server_disco_lists_muc_disco_ping_and_chatstates);
    tcase_add_test(tc, entity_hashes_are_stable);
    tcase_add_test(tc, chat_states_pass_through);
    tcase_add_test(tc, idle_presence_keeps_its_last_activity_query);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
