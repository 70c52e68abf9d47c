// REST v2 writes on the API host take effect on the XMPP side as the real
// server's did (§13, docs/emulator.md "The API host"): a room made over REST
// is pushed (§7.3), a message posted reaches the occupants (§8.2), a topic set
// is the room's subject (§7.6), a private message arrives 1:1 (§8.1), an
// invite is a mediated invite (§7.8), a member removed is kicked (§7.5), a
// room deleted is pushed as deleted. The shapes of the answers are
// test-hipchatter.js's, through a client library others wrote.
#include <string>

#include "emulator-process.hpp"
#include "rest-client.hpp"
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

hipchat::test::RestResponse json_request(const EmulatorProcess &emulator, const char *method,
                                         const std::string &path, const std::string &token,
                                         const std::string &body = "{}")
{
    return hipchat::test::rest_request(emulator, method, path, token, "application/json", body);
}

void join(XmppTestClient &client, const std::string &room_jid, const std::string &nick)
{
    client.send("<presence to='" + room_jid + "/" + nick +
                "'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x>"
                "</presence>");
    client.expect("</subject></message>");
}

}  // namespace

START_TEST(a_room_made_and_deleted_over_rest_is_pushed)
{
    EmulatorProcess emulator;
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    auto r = json_request(emulator, "POST", "/v2/room", sample::alice.token,
                          "{\"name\":\"Release Crew\",\"topic\":\"Ship\"}");
    ck_assert_int_eq(r.status, 201);
    std::string push = bob.expect("</iq>");
    ck_assert_msg(contains(push,
                           "<query xmlns='http://hipchat.com/protocol/muc#room'><item "
                           "jid='10804_release_crew@conf.hipchat.com' name='Release Crew'>") &&
                      contains(push, "<topic>Ship</topic>") &&
                      contains(push, "<owner>10804_204364@chat.hipchat.com</owner>"),
                  "%s", push.c_str());
    r = json_request(emulator, "DELETE", "/v2/room/Release%20Crew", sample::alice.token);
    ck_assert_int_eq(r.status, 204);
    push = bob.expect("</iq>");
    ck_assert_msg(contains(push, "name='Release Crew' status='deleted'"), "%s", push.c_str());
}
END_TEST

START_TEST(messages_and_topics_posted_over_rest_reach_the_occupants)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    join(alice, sample::dev.jid, "Alice Example");
    auto r = json_request(emulator, "POST", "/v2/room/22087/message", sample::bob.token,
                          "{\"message\":\"Posted over REST\"}");
    ck_assert_int_eq(r.status, 201);
    std::string message = alice.expect("Posted over REST</body>");
    ck_assert_msg(contains(message, "from='10804_dev@conf.hipchat.com/Bob Test'") &&
                      contains(message, "from_jid='10804_204365@chat.hipchat.com'") &&
                      contains(r.body, "\"id\":\"") && contains(r.body, "\"timestamp\":\""),
                  "%s\n%s", message.c_str(), r.body.c_str());

    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    join(bob, sample::dev.jid, "Bob Test");
    r = json_request(emulator, "PUT", "/v2/room/Dev/topic", sample::alice.token,
                     "{\"topic\":\"Set over REST\"}");
    ck_assert_int_eq(r.status, 204);
    message = bob.expect("</subject></message>");
    ck_assert_msg(contains(message, "from='10804_dev@conf.hipchat.com/Alice Example'") &&
                      contains(message, "<subject>Set over REST</subject>"),
                  "%s", message.c_str());

    // 1:1 over REST (§8.1), from Alice's JID.
    r = json_request(emulator, "POST", "/v2/user/@BobTest/message", sample::alice.token,
                     "{\"message\":\"Just for you\"}");
    ck_assert_int_eq(r.status, 204);
    message = bob.expect("Just for you</body>");
    ck_assert_msg(contains(message, "type='chat' from='10804_204364@chat.hipchat.com'"), "%s",
                  message.c_str());
}
END_TEST

START_TEST(invites_and_removals_over_rest_act_as_over_xmpp)
{
    EmulatorProcess emulator;
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    auto r = json_request(emulator, "POST", "/v2/room/Design/invite/bob@example.com",
                          sample::alice.token, "{\"reason\":\"Review time\"}");
    ck_assert_int_eq(r.status, 204);
    std::string invite = bob.expect("</message>");
    ck_assert_msg(contains(invite, "from='10804_design@conf.hipchat.com'") &&
                      contains(invite,
                               "<invite from='10804_204364@chat.hipchat.com'>"
                               "<reason>Review time</reason></invite>"),
                  "%s", invite.c_str());

    // Bob in the private room Ops, removed from its members by Alice (§7.5).
    join(bob, sample::ops.jid, "Bob Test");
    r = json_request(emulator, "DELETE", "/v2/room/Ops/member/204365", sample::alice.token);
    ck_assert_int_eq(r.status, 204);
    const std::string kicked = bob.expect("</presence>");
    ck_assert_msg(contains(kicked, "type='unavailable'") && contains(kicked, "code='307'") &&
                      contains(kicked, "<actor jid='10804_204364@chat.hipchat.com'"),
                  "%s", kicked.c_str());
    // No longer a member, Bob no longer sees the private room.
    r = json_request(emulator, "GET", "/v2/room/Ops", sample::bob.token);
    ck_assert_int_eq(r.status, 404);
}
END_TEST

int main()
{
    Suite *suite = suite_create("emulator REST v2 on the XMPP side");
    TCase *tc = tcase_create("rest-xmpp");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_room_made_and_deleted_over_rest_is_pushed);
    tcase_add_test(tc, messages_and_topics_posted_over_rest_reach_the_occupants);
    tcase_add_test(tc, invites_and_removals_over_rest_act_as_over_xmpp);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
