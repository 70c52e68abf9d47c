// What you missed (protocol reference §19.4, §19.6) through the built plugin
// against the emulator: the read state fetched at login and shared by two
// sessions of Alice, a room joined with its unread messages under the
// unread line, nothing read shown as new, a quiet room's mentions, the 404
// and 429 answers, and in bitlbee the login's summary and marking read when
// the user speaks.
#include <account.h>
#include <accountopt.h>
#include <blist.h>
#include <cmds.h>
#include <connection.h>
#include <conversation.h>
#include <prpl.h>
#include <server.h>
#include <status.h>

#include <string>
#include <vector>

#include "emulator-account.hpp"
#include "rest-client.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::contains;
using hipchat::test::Event;
using hipchat::test::EventKind;
using hipchat::test::free_menu;
using hipchat::test::Harness;
using hipchat::test::occurrences;

namespace sample = hipchat::test::sample;

namespace {

// In the sample organisation Alice has read Ops up to Frank's first message;
// two came after it, the first naming @AliceExample. Random is quiet for her.
constexpr const char *read_one = "Pager handed over, quiet night.";
constexpr const char *unread_mention = "@AliceExample the release freeze starts Friday";
constexpr const char *unread_last = "Deploy window moved to 14:00 today.";

Harness::Options ui(const char *id)
{
    Harness::Options options;
    options.ui_id = id;
    return options;
}

// The emulator's website (--web-port): where HipChat's preferences are
// saved; without it the web host is HipChat's own, out of reach.
const std::vector<std::string> with_website = {"--web-port", "0"};

struct ReadState : hipchat::test::EmulatorAccount {
    explicit ReadState(Harness::Options options = {}, bool autojoin = false,
                       const std::vector<std::string> &args = {},
                       const sample::Person &who = sample::alice)
        : EmulatorAccount(args, who.email, who.password, std::move(options))
    {
        purple_account_set_bool(account, "autojoin", autojoin ? TRUE : FALSE);
        purple_account_set_int(account, "chat_history", 0);
    }

    // Connected, with the read state fetched (or refused): a join made
    // before it answers cannot know what is unread.
    void sign_in(PurpleAccount *who = nullptr)
    {
        const std::size_t answers = occurrences(harness.debug_log(), "Read state: ");
        harness.enable(who != nullptr ? who : account);
        ck_assert_msg(harness.run_until(
                          [&] {
                              return purple_account_is_connected(who ? who : account) &&
                                     occurrences(harness.debug_log(), "Read state: ") > answers;
                          },
                          15000),
                      "not connected:\n%s", harness.recent_events().c_str());
    }

    // Another session of Alice (resource `resource`) in the same process:
    // logging in with her Jabber ID (libpurple keeps one account per name).
    PurpleAccount *another_session(const char *resource)
    {
        PurpleAccount *other =
            harness.add_account("prpl-hipchat", sample::alice.jid, sample::alice.password);
        purple_account_set_remember_password(other, TRUE);
        purple_account_set_string(other, "connect_server", "127.0.0.1");
        purple_account_set_int(other, "port", emulator.xmpp_port());
        purple_account_set_string(other, "resource", resource);
        purple_account_set_bool(other, "autojoin", FALSE);
        purple_account_set_int(other, "chat_history", 0);
        return other;
    }

    PurpleConversation *join(PurpleAccount *who, const char *room_jid)
    {
        GHashTable *data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_replace(data, g_strdup("room"), g_strdup(room_jid));
        serv_join_chat(purple_account_get_connection(who), data);
        g_hash_table_destroy(data);
        PurpleConversation *conv = nullptr;
        ck_assert_msg(
            harness.run_until(
                [&] {
                    conv =
                        purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, room_jid, who);
                    return conv != nullptr && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv));
                },
                10000),
            "%s not joined:\n%s", room_jid, harness.recent_events().c_str());
        return conv;
    }

    // The messages written in `room` for `who`, in order.
    std::vector<const Event *> written(const char *room, PurpleAccount *who = nullptr)
    {
        std::vector<const Event *> out;
        const std::string name = purple_account_get_username(who ? who : account);
        for (const Event *e : harness.find(EventKind::message))
            if (e->category == room && e->account == name)
                out.push_back(e);
        return out;
    }

    const Event *wait_written(const char *room, const std::string &text, int timeout_ms = 8000)
    {
        const Event *found = nullptr;
        harness.run_until(
            [&] {
                for (const Event *e : written(room))
                    if (contains(e->text, text))
                        found = e;
                return found != nullptr;
            },
            timeout_ms);
        std::string shown;
        for (const Event *e : written(room))
            shown += e->text.substr(0, 120) + "\n";
        ck_assert_msg(found != nullptr, "\"%s\" not written in %s, only:\n%s", text.c_str(), room,
                      shown.c_str());
        return found;
    }

    // How many read state requests (GET or PATCH) the plugin made: the API
    // host's count less the test's own.
    std::size_t read_state_requests()
    {
        return occurrences(control.get("/rest-log"), "/v2/readstate") - own_requests;
    }
    std::size_t own_requests = 0;

    bool read_state_requests_reach(std::size_t n, int timeout_ms)
    {
        return harness.run_until([&] { return read_state_requests() >= n; }, timeout_ms);
    }

    // Bob says `body` in `room` (no session of his needed).
    void bob_says(const char *room, const std::string &body)
    {
        control.post("/message", std::string("{\"from\":\"") + sample::bob.jid + "\",\"room\":\"" +
                                     room + "\",\"body\":\"" + body + "\"}");
    }

    // Signed in, in Ops with its two unread messages shown.
    PurpleConversation *ops_with_its_unread()
    {
        sign_in();
        PurpleConversation *ops = join(account, sample::ops.jid);
        wait_written(sample::ops.jid, unread_last);
        return ops;
    }

    // Alice's read state as the API host has it now, with the counts.
    std::string server_read_state()
    {
        ++own_requests;
        const auto r = hipchat::test::rest_request(
            emulator, "GET", "/v2/readstate?expand=items.unreadCount", sample::alice.token);
        ck_assert_int_eq(r.status, 200);
        return r.body;
    }
};

// A slash command typed in `conv`, as Pidgin and Finch run it.
void command(PurpleConversation *conv, const char *line)
{
    char *error = nullptr;
    const PurpleCmdStatus status = purple_cmd_do_command(conv, line, line, &error);
    ck_assert_msg(status == PURPLE_CMD_STATUS_OK, "/%s: %s", line, error ? error : "");
    g_free(error);
}

bool flagged(const Event *e, PurpleMessageFlags flag)
{
    return (e->number & flag) != 0;
}

// The messages written after the unread line (not the room's own lines,
// such as its topic), in order.
std::vector<std::string> after_unread_line(const std::vector<const Event *> &written)
{
    std::vector<std::string> out;
    bool seen = false;
    for (const Event *e : written) {
        const bool system = flagged(e, PURPLE_MESSAGE_SYSTEM);
        if (seen && !system)
            out.push_back(e->text);
        seen = seen || (system && contains(e->text, "unread message"));
    }
    return out;
}

START_TEST(joining_shows_exactly_the_unread_messages_under_the_line)
{
    ReadState s;
    // 28 more for Ops while Alice is away: 30 unread.
    std::string batch = std::string("{\"room\":\"") + sample::ops.jid + "\",\"messages\":[";
    for (int i = 1; i <= 28; ++i)
        batch += std::string(i > 1 ? "," : "") + "{\"from\":\"" + sample::bob.jid +
                 "\",\"body\":\"update " + std::to_string(i) + "\"}";
    s.control.post("/messages", batch + "]}");
    s.sign_in();
    s.join(s.account, sample::ops.jid);
    s.wait_written(sample::ops.jid, "update 28");
    s.harness.run_for(500);
    // The join asked for the unread ones only (the sign-on's counts).
    ck_assert_msg(contains(s.transcript(), "maxstanzas='30'"), "%s", s.transcript().c_str());
    const auto all = s.written(sample::ops.jid);
    const Event *line = s.wait_written(sample::ops.jid, "— 30 unread messages —");
    ck_assert(flagged(line, PURPLE_MESSAGE_SYSTEM));
    const auto unread = after_unread_line(all);
    ck_assert_int_eq(unread.size(), 30);
    ck_assert(contains(unread[0], "@AliceExample the release freeze") &&
              contains(unread[1], unread_last) && contains(unread[29], "update 28"));
    // Nothing already read comes again, and the unread mention asks for
    // attention though it is old (Pidgin marks the tab, Finch the window).
    for (const Event *e : all)
        ck_assert_msg(!contains(e->text, read_one), "read message shown: %s", e->text.c_str());
    const Event *mention = s.wait_written(sample::ops.jid, unread_mention);
    ck_assert(flagged(mention, PURPLE_MESSAGE_NICK) && flagged(mention, PURPLE_MESSAGE_DELAYED));
    ck_assert(!flagged(s.wait_written(sample::ops.jid, unread_last), PURPLE_MESSAGE_NICK));
}
END_TEST

// join_history is the cap: the last ones, saying how many were left out.
START_TEST(the_cap_says_how_many_are_left_out)
{
    ReadState s;
    purple_account_set_int(s.account, "join_history", 1);
    s.sign_in();
    s.join(s.account, sample::ops.jid);
    s.wait_written(sample::ops.jid, "— the last 1 of 2 unread messages —");
    s.wait_written(sample::ops.jid, unread_last);
    ck_assert(contains(s.transcript(), "maxstanzas='1'"));
    ck_assert_int_eq(after_unread_line(s.written(sample::ops.jid)).size(), 1);
}
END_TEST

START_TEST(reading_in_one_session_clears_the_unread_the_other_fetches)
{
    ReadState s;
    PurpleConversation *ops = s.ops_with_its_unread();
    ck_assert(contains(s.server_read_state(), "\"count\":2"));
    // Joined, but not looked at: nothing is marked read.
    s.harness.run_for(2500);
    ck_assert_int_eq(s.read_state_requests(), 1);  // the login's GET
    // Alice looks at Ops (Pidgin's focused tab): marked read up to Bob's.
    s.harness.focus(ops);
    ck_assert_msg(s.read_state_requests_reach(2, 8000), "no PATCH:\n%s",
                  s.control.get("/rest-log").c_str());
    ck_assert(
        s.harness.run_until([&] { return contains(s.server_read_state(), "\"count\":0"); }, 5000));

    // Her other session logs in afterwards: Ops has nothing unread there.
    PurpleAccount *other = s.another_session("second");
    s.sign_in(other);
    s.join(other, sample::ops.jid);
    s.harness.run_for(1500);
    ck_assert_msg(contains(s.control.get("/transcript?user=alice@example.com"), "maxstanzas='0'"),
                  "the second session asked for a backlog");
    for (const Event *e : s.written(sample::ops.jid, other))
        ck_assert_msg(!contains(e->text, "unread") && !flagged(e, PURPLE_MESSAGE_NICK),
                      "shown as new: %s", e->text.c_str());

    // Something new while both are in: the first session looks on, so it
    // marks it read too.
    ck_assert_int_eq(s.read_state_requests(), 3);  // and the second's GET
    s.bob_says(sample::ops.jid, "Freeze is on.");
    s.wait_written(sample::ops.jid, "Freeze is on.");
    ck_assert(s.read_state_requests_reach(4, 10000));
    ck_assert(
        s.harness.run_until([&] { return contains(s.server_read_state(), "\"count\":0"); }, 5000));
}
END_TEST

START_TEST(a_quiet_room_highlights_only_what_names_the_user)
{
    ReadState s({}, false, with_website);
    s.sign_in();
    s.join(s.account, sample::random.jid);  // quiet in Alice's preferences (§19.6)
    s.join(s.account, sample::dev.jid);     // the global level: loud
    s.bob_says(sample::random.jid, "@all lunch?");
    s.bob_says(sample::random.jid, "nothing for anyone");
    s.bob_says(sample::random.jid, "@AliceExample your coffee is ready");
    s.bob_says(sample::dev.jid, "@here standup");
    ck_assert(!flagged(s.wait_written(sample::random.jid, "@all lunch?"), PURPLE_MESSAGE_NICK));
    ck_assert(
        !flagged(s.wait_written(sample::random.jid, "nothing for anyone"), PURPLE_MESSAGE_NICK));
    ck_assert(
        flagged(s.wait_written(sample::random.jid, "your coffee is ready"), PURPLE_MESSAGE_NICK));
    ck_assert(flagged(s.wait_written(sample::dev.jid, "@here standup"), PURPLE_MESSAGE_NICK));

    // The room's level from its menu's command: normal lets @all through,
    // and is kept in the account for the next login.
    PurpleConversation *random =
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, sample::random.jid, s.account);
    command(random, "notify normal");
    s.wait_written(sample::random.jid, "Notifications in Random: normal");
    // Saved in her HipChat preferences: nothing of it kept here.
    s.wait_written(sample::random.jid, "Saved in your HipChat preferences.");
    ck_assert(!contains(purple_account_get_string(s.account, "room_levels", ""), "random"));
    s.bob_says(sample::random.jid, "@all cake in the kitchen");
    ck_assert(
        flagged(s.wait_written(sample::random.jid, "cake in the kitchen"), PURPLE_MESSAGE_NICK));
    // Pidgin's Conversation ▸ More ▸ Notifications (the room's menu) sets it
    // back to quiet.
    PurpleChat *chat = purple_blist_find_chat(s.account, sample::random.jid);
    ck_assert(chat != nullptr);
    auto *node = reinterpret_cast<PurpleBlistNode *>(chat);
    GList *menu =
        PURPLE_PLUGIN_PROTOCOL_INFO(s.harness.plugin("prpl-hipchat"))->blist_node_menu(node);
    bool chosen = false;
    for (GList *m = menu; m != nullptr; m = m->next) {
        auto *item = static_cast<PurpleMenuAction *>(m->data);  // nullptr: a separator
        for (GList *c = item != nullptr && g_strcmp0(item->label, "Notifications") == 0
                            ? item->children
                            : nullptr;
             c != nullptr; c = c->next) {
            auto *choice = static_cast<PurpleMenuAction *>(c->data);
            if (g_str_has_prefix(choice->label, "Quiet")) {
                reinterpret_cast<void (*)(PurpleBlistNode *, gpointer)>(choice->callback)(
                    node, choice->data);
                chosen = true;
            }
        }
    }
    free_menu(menu);
    ck_assert(chosen);
    s.wait_written(sample::random.jid, "Notifications in Random: quiet");
    s.harness.run_until(
        [&] {
            return occurrences(s.harness.recent_events(100),
                               "Saved in your HipChat preferences.") == 2;
        },
        5000);
    s.bob_says(sample::random.jid, "@all tea too");
    ck_assert(!flagged(s.wait_written(sample::random.jid, "tea too"), PURPLE_MESSAGE_NICK));

    // Busy, with notifyWhenDND off (the default): nothing asks for attention.
    purple_account_set_status(s.account, "dnd", TRUE, nullptr);
    s.harness.run_for(300);
    s.bob_says(sample::dev.jid, "@AliceExample are you there?");
    ck_assert(!flagged(s.wait_written(sample::dev.jid, "are you there?"), PURPLE_MESSAGE_NICK));
}
END_TEST

// A level saved in HipChat's preferences reaches her next session (§19.6);
// one the website does not take is kept in this account's settings.
START_TEST(a_saved_level_reaches_the_next_session)
{
    ReadState s({}, false, with_website);
    s.sign_in();
    PurpleConversation *dev = s.join(s.account, sample::dev.jid);
    command(dev, "notify quiet");
    s.wait_written(sample::dev.jid, "Saved in your HipChat preferences.");
    PurpleAccount *other = s.another_session("second");
    s.sign_in(other);
    s.join(other, sample::dev.jid);
    s.bob_says(sample::dev.jid, "@here deploy starts");
    s.harness.run_until(
        [&] {
            return s.written(sample::dev.jid, other).size() > 0 &&
                   contains(s.written(sample::dev.jid, other).back()->text, "deploy starts");
        },
        8000);
    const auto seen = s.written(sample::dev.jid, other);
    ck_assert(!seen.empty() && contains(seen.back()->text, "deploy starts"));
    ck_assert_msg(!flagged(seen.back(), PURPLE_MESSAGE_NICK),
                  "the other session's Dev is not quiet");
}
END_TEST

START_TEST(a_level_the_website_does_not_take_is_kept_here)
{
    // A web host nothing answers on (on this machine).
    ReadState s({}, false, {"--web-host", "127.0.0.1:1"});
    s.sign_in();
    PurpleConversation *random = s.join(s.account, sample::random.jid);  // quiet on HipChat
    command(random, "notify normal");
    s.wait_written(
        sample::random.jid,
        "Kept in this account&apos;s settings: HipChat&apos;s website did not save it (");
    ck_assert(contains(purple_account_get_string(s.account, "room_levels", ""),
                       "\"10804_random@conf.hipchat.com\":{\"level\":\"normal\"}"));
    s.bob_says(sample::random.jid, "@all lunch?");
    ck_assert(flagged(s.wait_written(sample::random.jid, "@all lunch?"), PURPLE_MESSAGE_NICK));
    // The next login keeps it: this account's level wins over HipChat's.
    purple_account_disconnect(s.account);
    s.harness.run_until([&] { return purple_account_is_disconnected(s.account); }, 5000);
    s.sign_in();
    s.join(s.account, sample::random.jid);
    s.bob_says(sample::random.jid, "@all dinner?");
    ck_assert(flagged(s.wait_written(sample::random.jid, "@all dinner?"), PURPLE_MESSAGE_NICK));
}
END_TEST

START_TEST(no_read_state_for_the_group_means_the_last_messages_and_no_marks)
{
    ReadState s;
    s.control.post("/fault", "{\"rest_status\":404}");  // off for the group (§19.4)
    s.sign_in();
    PurpleConversation *ops = s.join(s.account, sample::ops.jid);
    // The account's join_history, and no unread line.
    s.wait_written(sample::ops.jid, read_one);
    s.wait_written(sample::ops.jid, unread_last);
    ck_assert(contains(s.transcript(), "maxstanzas='100'"));
    for (const Event *e : s.written(sample::ops.jid))
        ck_assert(!contains(e->text, "unread message"));
    // Looked at and written in: nothing more is asked of the read state.
    s.harness.focus(ops);
    purple_conv_chat_send(PURPLE_CONV_CHAT(ops), "on it");
    s.wait_written(sample::ops.jid, "on it");
    s.harness.run_for(7000);
    ck_assert_int_eq(s.read_state_requests(), 1);
}
END_TEST

START_TEST(rate_limited_marks_wait_and_go_out_later)
{
    ReadState s;
    PurpleConversation *ops = s.ops_with_its_unread();
    s.control.post("/fault", "{\"rest_status\":429}");
    s.harness.focus(ops);
    ck_assert(s.read_state_requests_reach(2, 8000));  // refused
    // Not again at once (the web client's backoff: 5 s at least).
    s.harness.run_for(4000);
    ck_assert_int_eq(s.read_state_requests(), 2);
    ck_assert(contains(s.harness.debug_log(), "Read state: HTTP 429"));
    s.control.post("/fault", "{\"reset\":true}");
    ck_assert_msg(s.read_state_requests_reach(3, 20000), "the mark was not sent again");
    ck_assert(
        s.harness.run_until([&] { return contains(s.server_read_state(), "\"count\":0"); }, 5000));
}
END_TEST

START_TEST(bitlbee_hears_what_it_missed_and_marks_read_when_the_user_speaks)
{
    ReadState s(ui("BitlBee"), true);
    s.harness.expect(EventKind::notice, "2 unread in #Ops, 1 mentions you");
    s.sign_in();
    // The auto-join list's Ops, with its two unread messages.
    s.wait_written(sample::ops.jid, unread_last, 15000);
    const auto unread = after_unread_line(s.written(sample::ops.jid));
    ck_assert_int_eq(unread.size(), 2);
    ck_assert(s.harness.run_until([&] { return s.harness.has(EventKind::notice); }, 5000));
    // bitlbee cannot tell what was looked at: mark_read is "speak" there.
    for (GList *o = PURPLE_PLUGIN_PROTOCOL_INFO(s.harness.plugin("prpl-hipchat"))->protocol_options;
         o != nullptr; o = o->next) {
        auto *option = static_cast<PurpleAccountOption *>(o->data);
        if (g_strcmp0(purple_account_option_get_setting(option), "mark_read") == 0)
            ck_assert_str_eq(purple_account_option_get_default_list_value(option), "speak");
    }
    s.harness.run_for(3000);
    ck_assert_int_eq(s.read_state_requests(), 1);
    PurpleConversation *ops =
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, sample::ops.jid, s.account);
    purple_conv_chat_send(PURPLE_CONV_CHAT(ops), "I'll take it");
    ck_assert(s.read_state_requests_reach(2, 8000));
    ck_assert(
        s.harness.run_until([&] { return contains(s.server_read_state(), "\"count\":0"); }, 5000));
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("read-state");
    TCase *tc = tcase_create("read-state");
    tcase_set_timeout(tc, 90);
    tcase_add_test(tc, joining_shows_exactly_the_unread_messages_under_the_line);
    tcase_add_test(tc, the_cap_says_how_many_are_left_out);
    tcase_add_test(tc, reading_in_one_session_clears_the_unread_the_other_fetches);
    tcase_add_test(tc, a_quiet_room_highlights_only_what_names_the_user);
    tcase_add_test(tc, a_saved_level_reaches_the_next_session);
    tcase_add_test(tc, a_level_the_website_does_not_take_is_kept_here);
    tcase_add_test(tc, no_read_state_for_the_group_means_the_last_messages_and_no_marks);
    tcase_add_test(tc, rate_limited_marks_wait_and_go_out_later);
    tcase_add_test(tc, bitlbee_hears_what_it_missed_and_marks_read_when_the_user_speaks);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
