// core/people: roster extras, startup, profile and presence meanings.
#include <check.h>

#include "check-run.hpp"

#include "core/people.hpp"
#include "xml-fixture.hpp"

using namespace hipchat::core;
using hipchat::test::element;

namespace {

START_TEST(roster_items_carry_hipchat_attributes)
{
    const auto query = element(
        "<query xmlns='jabber:iq:roster'>"
        "<item jid='1_2520@chat.hipchat.com' name='Art Cronin' id='2520' mention_name='ArtCronin'"
        " mobile='iphone' version='18EA5095' subscription='both' email='art@example.com'"
        " photo_url='https://example.com/a.png?s=125&amp;r=g'/>"
        "<item jid='1_7@chat.hipchat.com/res' name='No Id'/>"
        "<item name='no jid'/>"
        "<item jid='1_9@chat.hipchat.com' subscription='remove'/>"
        "</query>");
    const auto items = parse_roster(query);
    ck_assert_int_eq(items.size(), 3);
    ck_assert_str_eq(items[0].jid.c_str(), "1_2520@chat.hipchat.com");
    ck_assert_str_eq(items[0].name.c_str(), "Art Cronin");
    ck_assert_str_eq(items[0].mention_name.c_str(), "ArtCronin");
    ck_assert_str_eq(items[0].email.c_str(), "art@example.com");
    ck_assert_str_eq(items[0].photo_url.c_str(), "https://example.com/a.png?s=125&r=g");
    ck_assert_str_eq(items[0].mobile.c_str(), "iphone");
    ck_assert_int_eq(items[0].id, 2520);
    ck_assert(!items[0].removed);
    // No id attribute: taken from the JID; the resource is dropped.
    ck_assert_str_eq(items[1].jid.c_str(), "1_7@chat.hipchat.com");
    ck_assert_int_eq(items[1].id, 7);
    ck_assert(items[2].removed);
}
END_TEST

START_TEST(user_ids_come_from_hipchat_jids_only)
{
    ck_assert_int_eq(user_id_from_jid("10804_204364@chat.hipchat.com"), 204364);
    ck_assert_int_eq(user_id_from_jid("10804_204364@chat.hipchat.com/pidgin"), 204364);
    ck_assert_int_eq(user_id_from_jid("alice@example.com"), 0);
    ck_assert_int_eq(user_id_from_jid("1_x@chat"), 0);
    ck_assert_int_eq(user_id_from_jid(""), 0);
}
END_TEST

START_TEST(startup_reply_is_parsed)
{
    const auto query = element(
        "<query xmlns='http://hipchat.com/protocol/startup'>"
        "<user_id>204364</user_id><name>Alice "
        "Example</name><mention_name>AliceExample</mention_name>"
        "<email>alice@example.com</email><title>Engineer</title><is_admin>true</is_admin>"
        "<is_guest>0</is_guest><group_id>10804</group_id><group_name>Example Inc</group_name>"
        "<token expiration='1395755218' ttl='3600'>EXSFBabokEfqKS9</token>"
        "<preferences><autoJoin>"
        "<item jid='10804_dev@conf.hipchat.com' name='Dev'>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><id>22087</id></x></item>"
        "<item jid='10804_300000@chat.hipchat.com'/>"
        "<item/>"
        "</autoJoin></preferences></query>");
    const auto startup = parse_startup(query);
    ck_assert(startup.has_value());
    ck_assert_int_eq(startup->user_id, 204364);
    ck_assert_str_eq(startup->name.c_str(), "Alice Example");
    ck_assert_str_eq(startup->mention_name.c_str(), "AliceExample");
    ck_assert_str_eq(startup->group_name.c_str(), "Example Inc");
    ck_assert_int_eq(startup->group_id, 10804);
    ck_assert(startup->is_admin);
    ck_assert(!startup->is_guest);
    ck_assert_str_eq(startup->token.c_str(), "EXSFBabokEfqKS9");
    ck_assert_int_eq(startup->auto_join.size(), 2);
    ck_assert(startup->auto_join[0].is_room);
    ck_assert_str_eq(startup->auto_join[0].name.c_str(), "Dev");
    ck_assert(!startup->auto_join[1].is_room);
}
END_TEST

START_TEST(startup_tolerates_prefs_and_rejects_nonsense)
{
    const auto with_prefs = parse_startup(element(
        "<query xmlns='http://hipchat.com/protocol/startup'><name>Bob</name>"
        "<prefs><autoJoin><item jid='1_r@conf'><x xmlns='http://hipchat.com/protocol/muc#room'>"
        "<name>Room R</name></x></item></autoJoin></prefs></query>"));
    ck_assert(with_prefs.has_value());
    ck_assert_int_eq(with_prefs->auto_join.size(), 1);
    ck_assert_str_eq(with_prefs->auto_join[0].name.c_str(), "Room R");
    ck_assert_int_eq(with_prefs->user_id, 0);

    ck_assert(!parse_startup(element("<query xmlns='http://hipchat.com/protocol/startup'/>")));
    ck_assert(!parse_startup(element("<query xmlns='jabber:iq:roster'><name>x</name></query>")));
    ck_assert(
        !parse_startup(
             element("<query "
                     "xmlns='http://hipchat.com/protocol/startup'><user_id>99999999999999999999999"
                     "</user_id><name>Overflow</name></query>"))
             ->user_id);
}
END_TEST

START_TEST(profile_reply_is_parsed)
{
    const auto profile = parse_profile(element(
        "<query xmlns='http://hipchat.com/protocol/profile'><email>m@example.com</email>"
        "<name>Mattye Veum</name><mention_name>MattyeVeum69</mention_name>"
        "<photo_large>https://x/125</photo_large><timezone utc_offset='-5.5'>America/X</timezone>"
        "<title>Member</title></query>"));
    ck_assert(profile.has_value());
    ck_assert_str_eq(profile->name.c_str(), "Mattye Veum");
    ck_assert_str_eq(profile->timezone.c_str(), "America/X");
    ck_assert(profile->utc_offset.has_value());
    ck_assert(*profile->utc_offset == -5.5);

    const auto odd =
        parse_profile(element("<query xmlns='http://hipchat.com/protocol/profile'><timezone "
                              "utc_offset='lots'>UTC</timezone></query>"));
    ck_assert(odd.has_value());
    ck_assert(!odd->utc_offset.has_value());
    ck_assert(!parse_profile(element("<query xmlns='other'/>")));
}
END_TEST

void expect_local_time(long long now, double offset, const char *expected)
{
    const std::string text = local_time_text(now, offset);
    ck_assert_str_eq(text.c_str(), expected);
}

START_TEST(local_time_follows_the_offset)
{
    // 2016-02-22T20:22:40Z
    const long long now = 1456172560;
    expect_local_time(now, 0, "20:22 (UTC+0)");
    expect_local_time(now, 5.5, "01:52 (UTC+5:30)");
    expect_local_time(now, -8, "12:22 (UTC-8)");
    expect_local_time(now, -3.5, "16:52 (UTC-3:30)");
}
END_TEST

START_TEST(presence_values_mean_what_hipchat_means)
{
    ck_assert(availability_from("", "chat", false) == Availability::available);
    ck_assert(availability_from("", "", false) == Availability::available);
    ck_assert(availability_from("", "away", false) == Availability::idle);
    ck_assert(availability_from("", "xa", false) == Availability::away);
    ck_assert(availability_from("", "dnd", false) == Availability::dnd);
    ck_assert(availability_from("unavailable", "", true) == Availability::mobile);
    ck_assert(availability_from("unavailable", "", false) == Availability::offline);

    ck_assert(show_for(Availability::available) == "chat");
    ck_assert(show_for(Availability::away) == "xa");
    ck_assert(show_for(Availability::dnd) == "dnd");
    ck_assert(show_for(Availability::idle) == "away");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("people");
    TCase *tc = tcase_create("people");
    tcase_add_test(tc, roster_items_carry_hipchat_attributes);
    tcase_add_test(tc, user_ids_come_from_hipchat_jids_only);
    tcase_add_test(tc, startup_reply_is_parsed);
    tcase_add_test(tc, startup_tolerates_prefs_and_rejects_nonsense);
    tcase_add_test(tc, profile_reply_is_parsed);
    tcase_add_test(tc, local_time_follows_the_offset);
    tcase_add_test(tc, presence_values_mean_what_hipchat_means);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
