// core/rooms: the room list, pushes, invites, slugs and room resolution, and
// the stanza errors a refused join carries (core/element).
#include <check.h>

#include "assert-text.hpp"
#include "check-run.hpp"

#include "core/rooms.hpp"
#include "xml-fixture.hpp"

using namespace hipchat::core;
using hipchat::test::element;

namespace {

START_TEST(room_pages_carry_the_hipchat_fields_and_the_next_page)
{
    const auto query = element(
        "<query xmlns='http://jabber.org/protocol/disco#items'>"
        "<item jid='1_HipChat@conf.hipchat.com' name='HipChat'>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><id>1</id><name>HipChat</name>"
        "<topic>This is the topic</topic><privacy>public</privacy>"
        "<owner>1_1@chat.hipchat.com</owner><num_participants>3</num_participants>"
        "<guest_url/><version>QX6A723G</version><last_active>1343073497</last_active></x>"
        "</item>"
        "<item jid='1_old@conf.hipchat.com'>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><id>2</id><name>Old</name>"
        "<privacy>private</privacy><is_archived/><guest_url>https://www.hipchat.com/gX</guest_url>"
        "</x></item>"
        "<item jid='1_bare@conf.hipchat.com'/>"
        "<item name='no jid'/>"
        "<set xmlns='http://jabber.org/protocol/rsm'><first>1_hipchat@conf.hipchat.com</first>"
        "<last> 1_bare@conf.hipchat.com </last><count>250</count></set>"
        "</query>");
    const auto page = parse_room_page(query);
    ck_assert_int_eq(page.rooms.size(), 3);
    const Room &first = page.rooms[0];
    ck_assert_str_eq(first.jid.c_str(), "1_hipchat@conf.hipchat.com");  // lowercased
    ck_assert_str_eq(first.name.c_str(), "HipChat");
    ck_assert_str_eq(first.topic.c_str(), "This is the topic");
    ck_assert_str_eq(first.privacy.c_str(), "public");
    ck_assert_str_eq(first.owner.c_str(), "1_1@chat.hipchat.com");
    ck_assert_int_eq(first.id, 1);
    ck_assert_int_eq(first.participants, 3);
    ck_assert_int_eq(first.last_active, 1343073497);
    ck_assert(!first.archived);
    ck_assert(first.guest_url.empty());
    // The name from the x when the item has none (the web client's fallback).
    ck_assert_str_eq(page.rooms[1].name.c_str(), "Old");
    ck_assert(page.rooms[1].archived);
    ck_assert_str_eq(page.rooms[1].guest_url.c_str(), "https://www.hipchat.com/gX");
    // Neither: the JID's node.
    ck_assert_str_eq(page.rooms[2].name.c_str(), "1_bare");
    ck_assert(page.next_after.has_value());
    ck_assert_str_eq(page.next_after->c_str(), "1_bare@conf.hipchat.com");
}
END_TEST

START_TEST(the_last_page_has_no_set_and_odd_numbers_are_zero)
{
    const auto page = parse_room_page(element(
        "<query xmlns='http://jabber.org/protocol/disco#items'>"
        "<item jid='1_a@conf.hipchat.com' name='A'><x xmlns='http://hipchat.com/protocol/muc#room'>"
        "<id>x</id><num_participants>-</num_participants><is_archived>0</is_archived></x></item>"
        "<set xmlns='http://jabber.org/protocol/rsm'><count>1</count></set></query>"));
    ck_assert_int_eq(page.rooms.size(), 1);
    ck_assert_int_eq(page.rooms[0].id, 0);
    ck_assert_int_eq(page.rooms[0].participants, 0);
    ck_assert(!page.rooms[0].archived);  // §8.9 writes 0 for "not archived"
    ck_assert(!page.next_after.has_value());
}
END_TEST

START_TEST(room_pushes_name_the_room_and_deletions)
{
    const auto push = parse_room_push(
        element("<query xmlns='http://hipchat.com/protocol/muc#room'>"
                "<item jid='1_ii@conf.hipchat.com' name='Eye Eye'><id>693</id><name>Eye Eye</name>"
                "<topic>t</topic><privacy>public</privacy><owner>1_2@chat.hipchat.com</owner>"
                "<guest_url/><version>8WEKZB9B</version><num_participants>0</"
                "num_participants><is_archived/>"
                "</item></query>"));
    ck_assert(push.has_value());
    ck_assert_str_eq(push->jid.c_str(), "1_ii@conf.hipchat.com");
    ck_assert_str_eq(push->name.c_str(), "Eye Eye");
    ck_assert_int_eq(push->id, 693);
    ck_assert(push->archived);
    ck_assert(!push->deleted);
    const auto deleted =
        parse_room_push(element("<query xmlns='http://hipchat.com/protocol/muc#room'>"
                                "<item jid='1_ii@conf.hipchat.com' status='deleted'/></query>"));
    ck_assert(deleted.has_value() && deleted->deleted);
    ck_assert(!parse_room_push(element("<query xmlns='http://hipchat.com/protocol/muc#room'/>")));
}
END_TEST

START_TEST(room_info_describes_the_room)
{
    // §7.2, with the identity's name (the x may leave it out) and an archived room.
    const auto info = parse_room_info(
        element("<query xmlns='http://jabber.org/protocol/disco#info'>"
                "<identity category='conference' type='text' name='Dev'/>"
                "<feature var='muc_membersonly'/>"
                "<x xmlns='http://hipchat.com/protocol/muc#room'><id>22087</id><topic>t</topic>"
                "<privacy>private</privacy><owner>10804_85346@chat.hipchat.com</owner>"
                "<guest_url>https://www.hipchat.com/gX</guest_url><is_archived/></x></query>"),
        "10804_Dev@conf.hipchat.com/Someone");
    ck_assert(info.has_value());
    ASSERT_TEXT(info->jid, "10804_dev@conf.hipchat.com");
    ASSERT_TEXT(info->name, "Dev");
    ck_assert_int_eq(info->id, 22087);
    ASSERT_TEXT(info->privacy, "private");
    ASSERT_TEXT(info->owner, "10804_85346@chat.hipchat.com");
    ASSERT_TEXT(info->guest_url, "https://www.hipchat.com/gX");
    ck_assert(info->archived);
    // Without HipChat's x it says nothing we need (a plain XMPP room).
    ck_assert(!parse_room_info(element("<query xmlns='http://jabber.org/protocol/disco#info'>"
                                       "<identity category='conference' name='x'/></query>"),
                               "a@b"));
}
END_TEST

START_TEST(mediated_invites_name_the_room_and_the_inviter)
{
    const auto invite = parse_invite(element(
        "<message from='10804_Dev@conf.hipchat.com' to='10804_1@chat.hipchat.com/p'>"
        "<x xmlns='http://jabber.org/protocol/muc#user'><invite from='10804_2@chat.hipchat.com/x'>"
        "<reason> Come along </reason></invite></x>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><name>Dev</name><topic>t</topic></x>"
        "</message>"));
    ck_assert(invite.has_value());
    ck_assert_str_eq(invite->room_jid.c_str(), "10804_dev@conf.hipchat.com");
    ck_assert_str_eq(invite->inviter.c_str(), "10804_2@chat.hipchat.com/x");
    ck_assert_str_eq(invite->reason.c_str(), "Come along");
    ck_assert_str_eq(invite->room_name.c_str(), "Dev");
    ck_assert(
        !parse_invite(element("<message from='r@c' type='error'>"
                              "<x xmlns='http://jabber.org/protocol/muc#user'><invite/></x>"
                              "</message>")));
    ck_assert(!parse_invite(element("<message from='r@c'><body>hi</body></message>")));
}
END_TEST

START_TEST(slugs_follow_the_official_clients_rule)
{
    ASSERT_TEXT(room_slug("  Dev Team "), "dev_team");
    ASSERT_TEXT(room_slug("Café Crème"), "cafe_creme");
    ASSERT_TEXT(room_slug("Q&A: 2016!"), "qa_2016");
    ASSERT_TEXT(room_slug("a--b---c"), "a-b-c");
    ASSERT_TEXT(room_slug(""), "");
    ASSERT_TEXT(room_slug("\xff\xfe"), "");  // not UTF-8
}
END_TEST

START_TEST(group_ids_come_from_hipchat_jids)
{
    ck_assert_int_eq(group_id_from_jid("10804_204364@chat.hipchat.com/p"), 10804);
    ck_assert_int_eq(group_id_from_jid("alice@example.com"), 0);
    ck_assert_int_eq(group_id_from_jid("_1@chat"), 0);
    ck_assert_int_eq(group_id_from_jid("x1_2@chat"), 0);
    ck_assert_int_eq(group_id_from_jid("chat_room"), 0);
}
END_TEST

START_TEST(names_slugs_and_jids_resolve_through_the_room_list)
{
    std::vector<Room> rooms(3);
    rooms[0].jid = "10804_dev@conf.hipchat.com";
    rooms[0].name = "Dev";
    rooms[1].jid = "10804_old_launch@conf.hipchat.com";
    rooms[1].name = "Old Launch";
    rooms[2].jid = "10804_renamed@conf.hipchat.com";  // slugs survive renames (§3)
    rooms[2].name = "Ünïcode Room";
    auto jid = [&](const char *input) { return find_room_jid(input, rooms).value_or("(none)"); };
    ASSERT_TEXT(jid("Dev"), "10804_dev@conf.hipchat.com");
    ASSERT_TEXT(jid(" old launch "), "10804_old_launch@conf.hipchat.com");
    ASSERT_TEXT(jid("ÜNÏCODE ROOM"), "10804_renamed@conf.hipchat.com");
    ASSERT_TEXT(jid("old_launch"), "10804_old_launch@conf.hipchat.com");
    ASSERT_TEXT(jid("10804_renamed"), "10804_renamed@conf.hipchat.com");
    ASSERT_TEXT(jid("10804_X@Conf.hipchat.com/Nick"), "10804_x@conf.hipchat.com");
    ASSERT_TEXT(jid("Nope"), "(none)");
    ASSERT_TEXT(jid("  "), "(none)");
}
END_TEST

START_TEST(without_a_list_the_jid_is_guessed_from_the_slug)
{
    ASSERT_TEXT(guess_room_jid("Old Launch", 10804, "conf.hipchat.com"),
                "10804_old_launch@conf.hipchat.com");
    ASSERT_TEXT(guess_room_jid("10804_dev", 10804, "conf.hipchat.com"),
                "10804_dev@conf.hipchat.com");
    ASSERT_TEXT(guess_room_jid("dev", 0, "conf.example"), "dev@conf.example");
}
END_TEST

START_TEST(join_errors_are_classified)
{
    ck_assert(classify_join_error("not-acceptable") == JoinProblem::wrong_nick);
    ck_assert(classify_join_error("conflict") == JoinProblem::wrong_nick);
    ck_assert(classify_join_error("forbidden") == JoinProblem::not_allowed);
    ck_assert(classify_join_error("registration-required") == JoinProblem::not_allowed);
    ck_assert(classify_join_error("item-not-found") == JoinProblem::no_such_room);
    ck_assert(classify_join_error("") == JoinProblem::other);
}
END_TEST

START_TEST(stanza_errors_give_their_condition_and_text)
{
    // A join refused (§7.4): the stanza-namespace condition, after an
    // application-specific element, and the server's text.
    auto error = parse_stanza_error(
        element("<presence from='1_dev@conf.hipchat.com/Alice' type='error'><error type='modify'>"
                "<nick-rule xmlns='http://example.com/app'/>"
                "<not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Use your full name</text>"
                "</error></presence>"));
    ASSERT_TEXT(error.condition, "not-acceptable");
    ASSERT_TEXT(error.text, "Use your full name");
    // A server that leaves the namespace out is understood too.
    error = parse_stanza_error(
        element("<iq type='error' id='1'><error type='cancel'><text>Nope</text><forbidden/></error>"
                "</iq>"));
    ASSERT_TEXT(error.condition, "forbidden");
    ASSERT_TEXT(error.text, "Nope");
    // No <error>, or an empty one: nothing.
    error = parse_stanza_error(element("<iq type='error' id='2'/>"));
    ASSERT_TEXT(error.condition, "");
    ASSERT_TEXT(error.text, "");
    error = parse_stanza_error(element("<message type='error'><error/></message>"));
    ASSERT_TEXT(error.condition, "");
    // A stream error's condition is in the streams namespace.
    error = parse_stream_error(
        element("<error xmlns='http://etherx.jabber.org/streams'>"
                "<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Not from here</text></error>"));
    ASSERT_TEXT(error.condition, "policy-violation");
    ASSERT_TEXT(error.text, "Not from here");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("rooms");
    TCase *tc = tcase_create("rooms");
    tcase_add_test(tc, room_pages_carry_the_hipchat_fields_and_the_next_page);
    tcase_add_test(tc, the_last_page_has_no_set_and_odd_numbers_are_zero);
    tcase_add_test(tc, room_pushes_name_the_room_and_deletions);
    tcase_add_test(tc, room_info_describes_the_room);
    tcase_add_test(tc, mediated_invites_name_the_room_and_the_inviter);
    tcase_add_test(tc, slugs_follow_the_official_clients_rule);
    tcase_add_test(tc, group_ids_come_from_hipchat_jids);
    tcase_add_test(tc, names_slugs_and_jids_resolve_through_the_room_list);
    tcase_add_test(tc, without_a_list_the_jid_is_guessed_from_the_slug);
    tcase_add_test(tc, join_errors_are_classified);
    tcase_add_test(tc, stanza_errors_give_their_condition_and_text);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
