// The emulator's room administration (§7.4, §7.7, §7.8, §8.9 and REST's room
// update, §13) with the official client's rules: who may, not in an archived
// room, names unique and at most 50 characters, invites into private rooms
// by their owner and admins.
#include <libsoup/soup.h>

#include <string>

#include "emulator-process.hpp"
#include "rest-client.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::contains;
using hipchat::test::EmulatorProcess;
using hipchat::test::XmppTestClient;

namespace sample = hipchat::test::sample;

namespace {

std::string admin_iq(const char *id, const char *room, const std::string &payload,
                     const char *xmlns = "http://hipchat.com")
{
    return std::string("<iq type='set' id='") + id + "' to='" + room + "'><query xmlns='" + xmlns +
           "'>" + payload + "</query></iq>";
}

void join(XmppTestClient &client, const char *room, const char *nick)
{
    client.send(std::string("<presence to='") + room + "/" + nick +
                "'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x>"
                "</presence>");
    client.expect("</subject></message>");
}

std::string minted_token(const std::string &success)
{
    const auto at = success.find("oauth2_token='") + 14;
    return success.substr(at, success.find('\'', at) - at);
}

START_TEST(renames_and_changes_are_refused_with_the_clients_reasons)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());  // a team admin, owner of Dev and Old Launch
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    // Another room's name, in any case.
    alice.send(admin_iq("n1", sample::dev.jid, "<rename>rANDOM</rename>"));
    std::string reply = alice.expect("id='n1'");
    ck_assert_msg(contains(reply, "<error type='cancel'><conflict") &&
                      contains(reply, ">Another room exists with that name.</text>"),
                  "%s", reply.c_str());
    // 51 characters.
    alice.send(admin_iq("n2", sample::dev.jid, "<rename>" + std::string(51, 'x') + "</rename>"));
    reply = alice.expect("id='n2'");
    ck_assert_msg(contains(reply, "<bad-request") &&
                      contains(reply, "Room name must be between 1 and 50 characters"),
                  "%s", reply.c_str());
    // Its own name in another case is no other room's.
    alice.send(admin_iq("n3", sample::dev.jid, "<rename>DEV</rename>"));
    ck_assert(contains(alice.expect("id='n3'"), "type='result'"));
    // An archived room takes nothing but being restored (over REST).
    for (const char *payload : {"<rename>New Launch</rename>", "<privacy>private</privacy>",
                                "<guest_access>1</guest_access>"}) {
        alice.send(admin_iq("a1", sample::old_launch.jid, payload));
        reply = alice.expect("id='a1'");
        ck_assert_msg(
            contains(reply, "<not-allowed") && contains(reply, ">This room is archived.</text>"),
            "%s: %s", payload, reply.c_str());
    }
    alice.send(admin_iq("a2", sample::old_launch.jid, "<destroy/>",
                        "http://jabber.org/protocol/muc#owner"));
    ck_assert(contains(alice.expect("id='a2'"), "<not-allowed"));
    // Someone else's room: the rule before anything else.
    XmppTestClient carol(emulator.xmpp_port());
    carol.login(emulator.ca_file(), sample::carol.email, sample::carol.password, "c");
    carol.send(admin_iq("f1", sample::dev.jid, "<privacy>private</privacy>"));
    reply = carol.expect("id='f1'");
    ck_assert_msg(contains(reply, "<error type='auth'><forbidden") &&
                      contains(reply, "You must be the room owner or a group admin to do this"),
                  "%s", reply.c_str());
}
END_TEST

START_TEST(creating_refuses_taken_names_and_wrong_nicks_before_creating)
{
    EmulatorProcess emulator;
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    auto create = [&](const std::string &node, const std::string &nick, const std::string &name) {
        bob.send("<presence to='10804_" + node + "@conf.hipchat.com/" + nick +
                 "'><x xmlns='http://jabber.org/protocol/muc'/>"
                 "<x xmlns='http://hipchat.com/protocol/muc#room'><name>" +
                 name + "</name><privacy>private</privacy></x></presence>");
        return bob.expect("</presence>");
    };
    std::string reply = create("dev2", "Bob Test", "dev");
    ck_assert_msg(contains(reply, "type='error'") && contains(reply, "code='409'><conflict") &&
                      contains(reply, "Another room exists with that name."),
                  "%s", reply.c_str());
    reply = create("long", "Bob Test", std::string(51, 'l'));
    ck_assert(contains(reply, "<bad-request"));
    reply = create("launch", "BobTest", "Launch");
    ck_assert(contains(reply, "code='406'><not-acceptable"));
    // None of them was made.
    bob.send(
        "<iq type='get' id='l1' to='conf.hipchat.com'><query "
        "xmlns='http://jabber.org/protocol/disco#items' include_archived='true'/></iq>");
    reply = bob.expect("</query>");
    ck_assert_msg(!contains(reply, "10804_dev2@") && !contains(reply, "10804_long@") &&
                      !contains(reply, "10804_launch@"),
                  "%s", reply.c_str());
    // A good one is, private, with Bob as its owner and only member (§7.4).
    reply = create("launch", "Bob Test", "Launch");
    ck_assert_msg(contains(reply, "<status code='110'/>") && contains(reply, "affiliation='owner'"),
                  "%s", reply.c_str());
}
END_TEST

START_TEST(private_rooms_take_invites_from_their_owner_and_admins_only)
{
    EmulatorProcess emulator;
    XmppTestClient bob(emulator.xmpp_port());  // a member of Ops, which Frank owns
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    XmppTestClient carol(emulator.xmpp_port());
    carol.login(emulator.ca_file(), sample::carol.email, sample::carol.password, "c");
    auto invite = [](XmppTestClient &from, const char *room) {
        from.send(std::string("<message to='") + room +
                  "' id='i1'><x xmlns='http://jabber.org/protocol/muc#user'><invite to='" +
                  sample::carol.jid + "'><reason>help</reason></invite></x></message>");
    };
    invite(bob, sample::ops.jid);
    std::string reply = bob.expect("</message>");
    ck_assert_msg(contains(reply, "type='error'") && contains(reply, "<invite to='") &&
                      contains(reply, "<forbidden") &&
                      contains(reply, "invite people to a private room"),
                  "%s", reply.c_str());
    // Carol got nothing and is no member: the room refuses her.
    carol.send(std::string("<presence to='") + sample::ops.jid + "/Carol Jones'/>");
    ck_assert(contains(carol.expect("</presence>"), "code='403'"));
    // A team admin may; an archived room takes no invites.
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    invite(alice, sample::ops.jid);
    ck_assert(contains(carol.expect("</message>"), "<invite from='10804_204364@"));
    invite(alice, sample::old_launch.jid);
    ck_assert(contains(alice.expect("</message>"), "<not-allowed"));
}
END_TEST

// REST's room update (the official client archives with it): the session's
// token has every scope, a personal one its owner's; the room's owner's or an
// admin's; restoring is the one change an archived room takes.
START_TEST(rooms_are_archived_and_restored_over_rest)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    const std::string token =
        minted_token(alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password));
    XmppTestClient bob(emulator.xmpp_port());
    const std::string bob_token =
        minted_token(bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password));
    join(bob, sample::dev.jid, sample::bob.name);
    auto body = [](bool archived, const char *name = "Dev") {
        return std::string("{\"name\":\"") + name +
               "\",\"privacy\":\"public\",\"is_archived\":" + (archived ? "true" : "false") +
               ",\"is_guest_accessible\":false,\"topic\":\"Ship it\",\"owner\":{\"id\":204364}}";
    };
    auto put = [&](const std::string &with, const std::string &json,
                   const char *room = "/v2/room/22087") {
        return hipchat::test::rest_request(emulator, "PUT", room, with, "application/json", json);
    };
    // Bob's personal token has a personal token's scopes; his session's every one.
    auto r = put(sample::bob.token, body(false, "Random"), "/v2/room/22088");
    ck_assert_int_eq(r.status, 403);
    ck_assert(contains(r.body, "[admin_room, manage_rooms]"));
    ck_assert_int_eq(put(bob_token, body(false, "Random"), "/v2/room/22088").status, 204);
    r = put(bob_token, body(true));  // not his room
    ck_assert_int_eq(r.status, 403);
    ck_assert_msg(contains(r.body, "room owner or a group admin"), "%s", r.body.c_str());
    ck_assert_int_eq(put(token, body(true)).status, 204);
    // The occupants hear it from Alice (§8.9), then the push (§7.3).
    std::string seen = bob.expect("</is_archived></x></message>");
    ck_assert_msg(contains(seen, "from='10804_dev@conf.hipchat.com/Alice Example'") &&
                      contains(seen, "<is_archived>1</is_archived>"),
                  "%s", seen.c_str());
    ck_assert(contains(bob.expect("<is_archived/>"), "name='Dev'"));
    // Archived: only restoring.
    r = put(token, body(true, "Dev Archive"));
    ck_assert_int_eq(r.status, 403);
    ck_assert(contains(r.body, "This room is archived."));
    ck_assert_int_eq(put(token, body(false)).status, 204);
    ck_assert(contains(bob.expect("</is_archived></x></message>"), "<is_archived>0</is_archived>"));
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("emulator-room-admin");
    TCase *tc = tcase_create("room-admin");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, renames_and_changes_are_refused_with_the_clients_reasons);
    tcase_add_test(tc, creating_refuses_taken_names_and_wrong_nicks_before_creating);
    tcase_add_test(tc, private_rooms_take_invites_from_their_owner_and_admins_only);
    tcase_add_test(tc, rooms_are_archived_and_restored_over_rest);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
