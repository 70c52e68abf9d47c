// People and presence (protocol reference §6, §10) through the built plugin
// against the emulator: names, mention names, the team group, Get Info, and
// HipChat's presence meanings in both directions.
#include <blist.h>
#include <buddyicon.h>
#include <connection.h>
#include <prpl.h>
#include <proxy.h>
#include <savedstatuses.h>
#include <status.h>

#include <string>

#include "connect-proxy.hpp"
#include "emulator-account.hpp"
#include "sample-org.hpp"

#include <check.h>

#include "check-run.hpp"
#include "text-match.hpp"

using hipchat::test::contains;
using hipchat::test::EventKind;
using hipchat::test::occurrences;

namespace sample = hipchat::test::sample;

namespace {

struct SignedIn : hipchat::test::EmulatorAccount {
    SignedIn()
    {
        connect();
        ck_assert_msg(connected(), "not connected:\n%s", harness.recent_events().c_str());
    }

    PurpleBuddy *buddy(const char *jid) { return purple_find_buddy(account, jid); }

    bool status_is(const char *jid, const char *status_id)
    {
        PurpleBuddy *b = buddy(jid);
        return b != nullptr &&
               purple_presence_is_status_active(purple_buddy_get_presence(b), status_id);
    }

    void presence(const char *jid, const char *show)
    {
        control.post("/presence",
                     std::string("{\"user\":\"") + jid + "\",\"show\":\"" + show + "\"}");
    }
};

START_TEST(the_team_is_in_one_group_under_full_names_with_mention_names)
{
    SignedIn s;
    ck_assert(s.harness.run_until([&] { return purple_find_group(sample::group_name) != nullptr; },
                                  5000));
    s.harness.run_for(300);
    PurpleBuddy *b = s.buddy(sample::bob.jid);
    ck_assert(b != nullptr);
    ck_assert_str_eq(purple_group_get_name(purple_buddy_get_group(b)), sample::group_name);
    // Startup is asked for before the roster, so even the first login puts
    // everyone in the team's group at once (no placeholder group, no move).
    const std::string sent = s.transcript();
    ck_assert(sent.find("http://hipchat.com/protocol/startup") < sent.find("jabber:iq:roster"));
    ck_assert(purple_find_group("HipChat") == nullptr);
    ck_assert_str_eq(
        purple_blist_node_get_string(reinterpret_cast<PurpleBlistNode *>(b), "full_name"),
        sample::bob.name);
    // Names come from the roster, not from a vCard per person (the real
    // server fell over at about 1,000 of those, §6.5): only our own is asked.
    ck_assert_int_le(occurrences(s.transcript(), "<vCard xmlns='vcard-temp'"), 1);
    ck_assert_str_eq(purple_buddy_get_alias(b), sample::bob.name);
    auto *node = reinterpret_cast<PurpleBlistNode *>(b);
    ck_assert_str_eq(purple_blist_node_get_string(node, "mention_name"), sample::bob.mention_name);
    ck_assert_str_eq(purple_blist_node_get_string(node, "email"), sample::bob.email);

    // The tooltip shows the @mention.
    PurpleNotifyUserInfo *info = purple_notify_user_info_new();
    PURPLE_PLUGIN_PROTOCOL_INFO(s.harness.plugin("prpl-hipchat"))->tooltip_text(b, info, TRUE);
    bool mention = false;
    for (GList *l = purple_notify_user_info_get_entries(info); l != nullptr; l = l->next) {
        const char *value = purple_notify_user_info_entry_get_value(
            static_cast<PurpleNotifyUserInfoEntry *>(l->data));
        mention = mention || g_strcmp0(value, "@BobTest") == 0;
    }
    purple_notify_user_info_destroy(info);
    ck_assert(mention);
}
END_TEST

START_TEST(naming_the_team_group_moves_only_our_own_people)
{
    hipchat::test::EmulatorAccount s;
    // Another account's buddy in a group that happens to have the name of
    // the first login's placeholder.
    PurpleAccount *other = s.harness.add_account("prpl-jabber", "someone@example.org", nullptr);
    PurpleGroup *placeholder = purple_group_new("HipChat");
    purple_blist_add_group(placeholder, nullptr);
    purple_blist_add_buddy(purple_buddy_new(other, "friend@example.org", nullptr), nullptr,
                           placeholder, nullptr);
    s.connect();
    ck_assert(s.connected());
    ck_assert(s.harness.run_until([&] { return purple_find_group(sample::group_name) != nullptr; },
                                  5000));
    s.harness.run_for(300);
    PurpleBuddy *friend_buddy = purple_find_buddy(other, "friend@example.org");
    ck_assert(friend_buddy != nullptr);
    ck_assert_str_eq(purple_group_get_name(purple_buddy_get_group(friend_buddy)), "HipChat");
    // All of the team in its group, in the roster's order, each in a contact of its own.
    GSList *ours = purple_find_buddies(s.account, nullptr);
    const int people = static_cast<int>(g_slist_length(ours));
    ck_assert_int_ge(people, 2);
    for (GSList *l = ours; l != nullptr; l = l->next) {
        auto *buddy = static_cast<PurpleBuddy *>(l->data);
        ck_assert_str_eq(purple_group_get_name(purple_buddy_get_group(buddy)), sample::group_name);
        auto *contact = reinterpret_cast<PurpleBlistNode *>(purple_buddy_get_contact(buddy));
        ck_assert(contact->child == reinterpret_cast<PurpleBlistNode *>(buddy) &&
                  contact->child->next == nullptr);
    }
    g_slist_free(ours);
    auto *team = reinterpret_cast<PurpleBlistNode *>(purple_find_group(sample::group_name));
    ck_assert_int_eq(purple_blist_get_group_size(purple_find_group(sample::group_name), TRUE),
                     people);
    auto *first = reinterpret_cast<PurpleBuddy *>(team->child->child);
    auto *second = reinterpret_cast<PurpleBuddy *>(team->child->next->child);
    ck_assert_str_eq(purple_buddy_get_name(first), sample::alice.jid);  // Alice
    ck_assert_str_eq(purple_buddy_get_name(second), sample::bob.jid);
}
END_TEST

// HipChat has no groups of people: the team's is ours. A colleague the user
// moved into a group of their own, and named as they like, stays so at the
// next login (the roster no longer names a group for them, which would have
// the module move them back, and their alias is left alone).
START_TEST(the_users_own_groups_and_aliases_outlive_a_login)
{
    SignedIn s;
    ck_assert(s.harness.run_until([&] { return purple_find_group(sample::group_name) != nullptr; },
                                  5000));
    s.harness.run_for(300);
    PurpleGroup *favourites = purple_group_new("Favourites");
    purple_blist_add_group(favourites, nullptr);
    purple_blist_add_buddy(s.buddy(sample::bob.jid), nullptr, favourites, nullptr);
    purple_blist_alias_buddy(s.buddy(sample::bob.jid), "Bobby");

    purple_account_disconnect(s.account);
    ck_assert(s.harness.run_until([&] { return !purple_account_is_connected(s.account); }, 5000));
    purple_account_connect(s.account);
    ck_assert(s.connected());
    s.harness.run_for(1000);
    GSList *bobs = purple_find_buddies(s.account, sample::bob.jid);
    ck_assert_int_eq(g_slist_length(bobs), 1);
    g_slist_free(bobs);
    PurpleBuddy *bob = s.buddy(sample::bob.jid);
    ck_assert_str_eq(purple_group_get_name(purple_buddy_get_group(bob)), "Favourites");
    ck_assert_str_eq(purple_buddy_get_alias(bob), "Bobby");
    // Everyone else is still in the team's group.
    ck_assert_str_eq(purple_group_get_name(purple_buddy_get_group(s.buddy(sample::alice.jid))),
                     sample::group_name);
}
END_TEST

START_TEST(when_startup_fails_our_profile_is_asked_instead)
{
    hipchat::test::EmulatorAccount s;
    s.control.post("/fault", "{\"error_iq\":\"http://hipchat.com/protocol/startup\"}");
    s.connect();
    ck_assert(s.connected());
    // §6.1: the profile IQ to our own JID gives our names when startup fails.
    ck_assert_msg(s.harness.run_until(
                      [&] {
                          const std::string sent = s.transcript();
                          return contains(sent, "to='10804_204364@chat.hipchat.com'") &&
                                 contains(sent, "http://hipchat.com/protocol/profile");
                      },
                      5000),
                  "no profile request:\n%s", s.transcript().c_str());
    // Without startup there is no team name: the group keeps its default.
    ck_assert(purple_find_group(sample::group_name) == nullptr);
    ck_assert(purple_find_group("HipChat") != nullptr);
    ck_assert(purple_account_is_connected(s.account));
}
END_TEST

START_TEST(get_info_shows_the_hipchat_profile)
{
    SignedIn s;
    serv_get_info(purple_account_get_connection(s.account), sample::bob.jid);
    ck_assert_msg(s.harness.expect_within(EventKind::notify_userinfo, "Full name: Bob Test", 5000),
                  "no user info:\n%s", s.harness.recent_events().c_str());
    const std::string info = s.harness.find(EventKind::notify_userinfo).front()->text;
    for (const char *expected :
         {"Full name: Bob Test", "Mention name: @BobTest", "E-mail: bob@example.com",
          "Title: Release manager", "Time zone: America/New_York", "Local time: ", "(UTC-5)"})
        ck_assert_msg(contains(info, expected), "'%s' missing from:\n%s", expected, info.c_str());
}
END_TEST

START_TEST(incoming_presence_means_what_hipchat_means)
{
    SignedIn s;
    s.presence(sample::bob.jid, "");       // chat: Available
    s.presence(sample::carol.jid, "xa");   // Away
    s.presence(sample::frank.jid, "dnd");  // Do not disturb
    s.presence(sample::erin.jid, "away");  // Idle
    ck_assert_msg(s.harness.run_until(
                      [&] {
                          return s.status_is(sample::bob.jid, "available") &&
                                 s.status_is(sample::carol.jid, "away") &&
                                 s.status_is(sample::frank.jid, "dnd") &&
                                 s.status_is(sample::erin.jid, "available");
                      },
                      5000),
                  "presences not mapped:\n%s", s.harness.recent_events().c_str());
    ck_assert(purple_presence_is_idle(purple_buddy_get_presence(s.buddy(sample::erin.jid))));
    ck_assert(!purple_presence_is_idle(purple_buddy_get_presence(s.buddy(sample::bob.jid))));

    // Bob leaves his desk but has his phone: offline, with the Mobile status.
    s.presence(sample::bob.jid, "unavailable");
    ck_assert_msg(s.harness.run_until(
                      [&] {
                          return !PURPLE_BUDDY_IS_ONLINE(s.buddy(sample::bob.jid)) &&
                                 s.status_is(sample::bob.jid, "mobile");
                      },
                      5000),
                  "no mobile status:\n%s", s.harness.recent_events().c_str());
    s.presence(sample::bob.jid, "");
    ck_assert(s.harness.run_until([&] { return !s.status_is(sample::bob.jid, "mobile"); }, 5000));
}
END_TEST

START_TEST(our_presence_is_sent_the_hipchat_way)
{
    SignedIn s;
    auto sent = [&] { return s.control.get("/transcript"); };
    // Signing on: Available is <show>chat</show>.
    ck_assert(s.harness.run_until([&] { return contains(sent(), "<show>chat</show>"); }, 5000));

    purple_account_set_status(s.account, "away", TRUE, nullptr);
    ck_assert_msg(s.harness.run_until([&] { return contains(sent(), "<show>xa</show>"); }, 5000),
                  "Away not sent as xa");
    purple_account_set_status(s.account, "dnd", TRUE, nullptr);
    ck_assert(s.harness.run_until([&] { return contains(sent(), "<show>dnd</show>"); }, 5000));

    // Idle while available: HipChat's automatic "away" with the idle time.
    purple_account_set_status(s.account, "available", TRUE, nullptr);
    purple_presence_set_idle(purple_account_get_presence(s.account), TRUE, time(nullptr) - 600);
    ck_assert_msg(s.harness.run_until([&] { return contains(sent(), "<show>away</show>"); }, 5000),
                  "idle not sent as away");
    ck_assert(contains(sent(), "jabber:iq:last"));

    // Our statuses are HipChat's: no Chatty, no Extended away.
    ck_assert(purple_account_get_status_type(s.account, "freeforchat") == nullptr);
    ck_assert(purple_account_get_status_type(s.account, "extended_away") == nullptr);
}
END_TEST

START_TEST(photos_go_through_the_accounts_proxy)
{
    hipchat::test::ConnectProxy proxy;
    hipchat::test::EmulatorAccount s;
    PurpleProxyInfo *info = purple_proxy_info_new();
    purple_proxy_info_set_type(info, PURPLE_PROXY_HTTP);
    purple_proxy_info_set_host(info, "127.0.0.1");
    purple_proxy_info_set_port(info, proxy.port());
    purple_account_set_proxy_info(s.account, info);  // the account takes it
    s.connect();
    ck_assert_msg(s.connected(), "not connected:\n%s", s.harness.recent_events().c_str());
    const std::string rest = "127.0.0.1:" + std::to_string(s.emulator.rest_port());
    ck_assert_msg(s.harness.run_until(
                      [&] {
                          for (const auto &target : proxy.targets())
                              if (target == rest)
                                  return true;
                          return false;
                      },
                      10000),
                  "no photo fetched through the proxy (%zu CONNECTs)", proxy.targets().size());
}
END_TEST

START_TEST(oversized_photos_are_refused)
{
    hipchat::test::EmulatorAccount s;
    s.control.post("/fault", "{\"oversized_photos\":true}");
    s.connect();
    ck_assert(s.connected());
    ck_assert(s.harness.run_until(
        [&] { return occurrences(s.control.get("/rest-log"), "/avatars/bob.png") == 1; }, 10000));
    // Bounded at 1 MiB: the answer is dropped, no icon, still signed in.
    ck_assert(s.harness.run_until(
        [&] {
            return contains(s.harness.debug_log(),
                            "Photo of 10804_204365@chat.hipchat.com not used");
        },
        10000));
    PurpleBuddyIcon *icon = purple_buddy_icons_find(s.account, sample::bob.jid);
    ck_assert(icon == nullptr);
    ck_assert(purple_account_is_connected(s.account));
}
END_TEST

START_TEST(roster_pushes_add_rename_and_remove_people)
{
    SignedIn s;
    constexpr const char *kim = "10804_204399@chat.hipchat.com";
    s.control.post("/roster",
                   "{\"action\":\"add\",\"id\":204399,\"name\":\"Kim New\","
                   "\"mention_name\":\"KimN\",\"email\":\"kim@example.com\"}");
    ck_assert_msg(
        s.harness.run_until(
            [&] {
                PurpleBuddy *b = s.buddy(kim);
                return b != nullptr && g_strcmp0(purple_buddy_get_alias(b), "Kim New") == 0 &&
                       g_strcmp0(purple_blist_node_get_string(
                                     reinterpret_cast<PurpleBlistNode *>(b), "mention_name"),
                                 "KimN") == 0;
            },
            5000),
        "Kim not added:\n%s", s.harness.recent_events().c_str());
    ck_assert_str_eq(purple_group_get_name(purple_buddy_get_group(s.buddy(kim))),
                     sample::group_name);

    s.control.post("/roster", "{\"action\":\"change\",\"id\":204365,\"name\":\"Robert Test\"}");
    ck_assert(s.harness.run_until(
        [&] {
            PurpleBuddy *bob = s.buddy(sample::bob.jid);
            return g_strcmp0(purple_buddy_get_alias(bob), "Robert Test") == 0 &&
                   g_strcmp0(purple_blist_node_get_string(reinterpret_cast<PurpleBlistNode *>(bob),
                                                          "full_name"),
                             "Robert Test") == 0;
        },
        5000));

    s.control.post("/roster", "{\"action\":\"remove\",\"id\":204366}");
    ck_assert(s.harness.run_until([&] { return s.buddy(sample::carol.jid) == nullptr; }, 5000));
}
END_TEST

START_TEST(photos_become_buddy_icons_and_are_fetched_once)
{
    SignedIn s;
    auto bob_icon = [&] {
        PurpleBuddyIcon *icon = purple_buddy_icons_find(s.account, sample::bob.jid);
        if (icon == nullptr)
            return std::string();
        size_t length = 0;
        const auto *data = static_cast<const char *>(purple_buddy_icon_get_data(icon, &length));
        std::string bytes(data, length);
        purple_buddy_icon_unref(icon);
        return bytes;
    };
    ck_assert_msg(s.harness.run_until([&] { return !bob_icon().empty(); }, 10000),
                  "no icon for Bob:\n%s", s.harness.recent_events().c_str());
    ck_assert(bob_icon().rfind("\x89PNG", 0) == 0);
    ck_assert_int_eq(occurrences(s.control.get("/rest-log"), "/avatars/bob.png"), 1);

    // Signing in again: the photo URL is unchanged, so nothing is fetched.
    purple_account_disconnect(s.account);
    ck_assert(s.harness.run_until([&] { return !purple_account_is_connected(s.account); }, 5000));
    purple_account_connect(s.account);
    ck_assert(s.connected());
    s.harness.run_for(1500);
    ck_assert_int_eq(occurrences(s.control.get("/rest-log"), "/avatars/bob.png"), 1);
    ck_assert(!bob_icon().empty());
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("people");
    TCase *tc = tcase_create("people");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, the_team_is_in_one_group_under_full_names_with_mention_names);
    tcase_add_test(tc, naming_the_team_group_moves_only_our_own_people);
    tcase_add_test(tc, when_startup_fails_our_profile_is_asked_instead);
    tcase_add_test(tc, get_info_shows_the_hipchat_profile);
    tcase_add_test(tc, incoming_presence_means_what_hipchat_means);
    tcase_add_test(tc, our_presence_is_sent_the_hipchat_way);
    tcase_add_test(tc, photos_become_buddy_icons_and_are_fetched_once);
    tcase_add_test(tc, roster_pushes_add_rename_and_remove_people);
    tcase_add_test(tc, the_users_own_groups_and_aliases_outlive_a_login);
    tcase_add_test(tc, photos_go_through_the_accounts_proxy);
    tcase_add_test(tc, oversized_photos_are_refused);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
