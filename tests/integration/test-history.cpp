// History on demand (protocol reference §9) through the built plugin against
// the emulator: paging through 1,000 messages of a room and of a 1:1
// conversation reaches the first one with no gaps and no duplicates, in the
// official client's `before` format; /history, the "Load older messages"
// menu item and the 1:1 context on opening; one page at a time; errors.
#include <blist.h>
#include <log.h>
#include <prefs.h>
#include <cmds.h>
#include <connection.h>
#include <conversation.h>
#include <prpl.h>
#include <server.h>

#include <glib/gstdio.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "emulator-account.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::Event;
using hipchat::test::EventKind;

using hipchat::test::contains;
using hipchat::test::free_menu;

namespace sample = hipchat::test::sample;

namespace {

constexpr const char *room = "10804_archive@conf.hipchat.com";
constexpr int room_messages = 1000;

// A team of two with a room holding 1,000 messages, "message 0" the oldest.
std::string write_org()
{
    std::string json =
        "{\"group_id\":10804,\"group_name\":\"History Inc\",\"users\":["
        "{\"id\":204364,\"email\":\"alice@example.com\",\"password\":\"alice-demo-password\","
        "\"name\":\"Alice Example\",\"mention_name\":\"AliceExample\"},"
        "{\"id\":204365,\"email\":\"bob@example.com\",\"password\":\"bob-demo-password\","
        "\"name\":\"Bob Test\",\"mention_name\":\"BobTest\"}],"
        "\"rooms\":[{\"id\":1,\"slug\":\"archive\",\"name\":\"Archive\",\"privacy\":\"public\","
        "\"owner\":204365,\"history\":[";
    for (int i = 0; i < room_messages; ++i) {
        if (i > 0)
            json += ",";
        // A second and a bit apart: the microseconds matter for `before`.
        json += "{\"ts\":" + std::to_string(1700000000 + i) + "." + std::to_string(100000 + i) +
                ",\"from_jid\":\"" + std::string(i % 2 ? sample::alice.jid : sample::bob.jid) +
                "\",\"body\":\"message " + std::to_string(i) + "\"}";
    }
    json += "]}]}";
    char *path = nullptr;
    const int fd = g_file_open_tmp("hipchat-history-XXXXXX.json", &path, nullptr);
    ck_assert(fd >= 0);
    ck_assert(write(fd, json.data(), json.size()) == static_cast<ssize_t>(json.size()));
    close(fd);
    std::string out = path;
    g_free(path);
    return out;
}

struct History : hipchat::test::EmulatorAccount {
    explicit History(const std::string &org, int chat_history = 0, int overlap = 0)
        : EmulatorAccount({"--org", org, "--history-overlap", std::to_string(overlap)}),
          org_file(org)
    {
        purple_account_set_bool(account, "autojoin", FALSE);
        purple_account_set_int(account, "join_history", 0);
        purple_account_set_int(account, "chat_history", chat_history);
        connect();
        ck_assert_msg(connected(), "not connected:\n%s", harness.recent_events().c_str());
    }
    ~History() { g_unlink(org_file.c_str()); }

    PurpleConnection *gc() { return purple_account_get_connection(account); }

    std::size_t count(const std::string &conv_name, const std::string &part)
    {
        std::size_t n = 0;
        for (const Event *e : harness.find(EventKind::message))
            n += e->category == conv_name && contains(e->text, part) ? 1 : 0;
        return n;
    }

    // Runs /history until a page says there is nothing earlier; false if
    // that takes more than `max_pages`.
    bool page_to_the_start(PurpleConversation *conv, const char *command, int max_pages)
    {
        const std::string name = purple_conversation_get_name(conv);
        for (int page = 0; page < max_pages; ++page) {
            const std::size_t lines = count(name, "earlier message");
            char *error = nullptr;
            ck_assert_int_eq(purple_cmd_do_command(conv, command, command, &error),
                             PURPLE_CMD_STATUS_OK);
            g_free(error);
            ck_assert_msg(harness.run_until(
                              [&] {
                                  return count(name, "earlier message") > lines ||
                                         count(name, "No earlier messages.") > 0;
                              },
                              10000),
                          "page %d did not finish:\n%s", page, harness.recent_events().c_str());
            if (count(name, "No earlier messages.") > 0)
                return true;
        }
        return false;
    }

    // "message N" bodies written to a conversation, in the order written.
    std::vector<int> numbers(const std::string &conv_name)
    {
        std::vector<int> out;
        static const std::regex body("^message (\\d+)$");
        for (const Event *e : harness.find(EventKind::message)) {
            std::smatch m;
            if (e->category == conv_name && std::regex_match(e->text, m, body))
                out.push_back(std::stoi(m[1]));
        }
        return out;
    }

    // Everything libpurple logged for `conv`.
    std::string log_text(PurpleConversation *conv)
    {
        std::string text;
        GList *logs =
            purple_log_get_logs(PURPLE_LOG_CHAT, purple_conversation_get_name(conv), account);
        for (GList *l = logs; l != nullptr; l = l->next) {
            auto *log = static_cast<PurpleLog *>(l->data);
            PurpleLogReadFlags flags{};
            char *read = purple_log_read(log, &flags);
            text += read != nullptr ? read : "";
            g_free(read);
            purple_log_free(log);
        }
        g_list_free(logs);
        return text;
    }

    std::string org_file;
};

// Pages are written newest page first (Pidgin only appends), each page
// oldest first: together they must be every message exactly once.
void expect_everything_once(const std::vector<int> &seen, int total)
{
    ck_assert_int_eq(seen.size(), total);
    std::set<int> unique(seen.begin(), seen.end());
    ck_assert_int_eq(unique.size(), total);
    ck_assert_int_eq(*unique.begin(), 0);
    ck_assert_int_eq(*unique.rbegin(), total - 1);
}

// Pages through the room, whose pages (with --history-overlap) may repeat
// `overlap` messages already shown: each message is shown once and each
// heading counts only the new ones, as the web client de-duplicated by mid.
void page_the_room(int overlap)
{
    // Chats are logged (as a user may have chosen), in libpurple's plain-text format.
    purple_prefs_set_bool("/purple/logging/log_chats", TRUE);
    purple_prefs_set_string("/purple/logging/format", "txt");
    History s(write_org(), 0, overlap);
    PurpleConversation *conv = s.join_room(room, room);
    ck_assert_int_eq(s.numbers(room).size(), 0);  // join_history 0: no backlog
    ck_assert(s.page_to_the_start(conv, "history", 30));
    const auto seen = s.numbers(room);
    expect_everything_once(seen, room_messages);
    // Within a page, oldest first; the first page brought the newest 50.
    ck_assert_int_eq(seen.front(), room_messages - 50);
    ck_assert_int_eq(seen[49], room_messages - 1);
    ck_assert_int_eq(s.count(room, "— 50 earlier messages —"), room_messages / 50);
    // Old messages: delayed, never highlighted, with their senders and times
    // (not NO_LOG, which Pidgin draws as bare grey lines)...
    for (const Event *e : s.harness.find(EventKind::message)) {
        if (e->category == room && contains(e->text, "message ")) {
            ck_assert(e->number & PURPLE_MESSAGE_DELAYED);
            ck_assert(!(e->number & PURPLE_MESSAGE_NO_LOG));
            ck_assert(!(e->number & PURPLE_MESSAGE_NICK));
            ck_assert(!e->who.empty());
        }
    }
    // ...and not written into today's log, which stays on.
    ck_assert(purple_conversation_is_logging(conv));
    const std::string logged = s.log_text(conv);
    ck_assert_msg(!contains(logged, "message 5"), "history in the log:\n%s",
                  logged.substr(0, 500).c_str());
    // `before` in the official client's form: the oldest shown message's ts.
    const std::string sent = s.control.get("/transcript?user=alice@example.com");
    ck_assert_msg(std::regex_search(sent, std::regex("before='\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:"
                                                     "\\d\\dZ \\d{6}'")),
                  "no before= in %s", sent.substr(0, 2000).c_str());
    ck_assert(contains(sent, "before='2023-11-14T22:29:10Z 100950'"));  // message 950's ts
    ck_assert(contains(sent, "type='groupchat'"));
}

START_TEST(paging_a_room_reaches_its_first_message_without_gaps_or_repeats)
{
    page_the_room(0);
}
END_TEST

START_TEST(pages_that_overlap_the_screen_show_and_count_only_what_is_new)
{
    page_the_room(7);
}
END_TEST

START_TEST(paging_a_one_to_one_conversation_reaches_its_first_message)
{
    History s(write_org());
    // 1,000 messages between Bob and Alice, half of them Alice's, while she is here.
    for (int i = 0; i < room_messages; ++i) {
        const bool from_alice = i % 2 == 1;
        s.control.post("/message", std::string("{\"from\":\"") +
                                       (from_alice ? sample::alice.jid : sample::bob.jid) +
                                       "\",\"to\":\"" +
                                       (from_alice ? sample::bob.jid : sample::alice.jid) +
                                       "\",\"body\":\"message " + std::to_string(i) + "\"}");
    }
    ck_assert(
        s.harness.run_until([&] { return s.count(sample::bob.jid, "message 998") == 1; }, 20000));
    // A new session in a new window knows none of them: the history brings
    // them all back.
    purple_account_set_enabled(s.account, "hipchat-test", FALSE);
    if (PurpleConversation *old =
            purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, sample::bob.jid, s.account))
        purple_conversation_destroy(old);
    s.harness.run_for(200);
    const std::size_t live = s.harness.events().size();
    s.harness.enable(s.account);
    ck_assert(s.connected());
    PurpleConversation *im =
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, sample::bob.jid, s.account);
    if (im == nullptr)
        im = purple_conversation_new(PURPLE_CONV_TYPE_IM, s.account, sample::bob.jid);
    ck_assert(s.page_to_the_start(im, "history 100", 20));
    // What the history wrote (delayed), in this session.
    std::vector<int> seen;
    const auto &events = s.harness.events();
    std::size_t index = 0;
    static const std::regex body("^message (\\d+)$");
    for (const auto &e : events) {
        if (index++ < live || e.kind != EventKind::message || e.category != sample::bob.jid ||
            !(e.number & PURPLE_MESSAGE_DELAYED))
            continue;
        std::smatch m;
        if (std::regex_match(e.text, m, body)) {
            seen.push_back(std::stoi(m[1]));
            // Alice's own messages are hers, whoever the server addressed them to.
            ck_assert_msg(((std::stoi(m[1]) % 2 == 1) == ((e.number & PURPLE_MESSAGE_SEND) != 0)),
                          "message %s has flags %d", m[1].str().c_str(), e.number);
        }
    }
    expect_everything_once(seen, room_messages);
    ck_assert(contains(s.control.get("/transcript?user=alice@example.com"), "type='chat'"));
}
END_TEST

START_TEST(one_page_at_a_time_and_errors_are_reported)
{
    History s(write_org());
    PurpleConversation *conv = s.join_room(room, room);
    char *error = nullptr;
    ck_assert_int_eq(purple_cmd_do_command(conv, "history 10", "history 10", &error),
                     PURPLE_CMD_STATUS_OK);
    g_free(error);
    error = nullptr;
    ck_assert_int_eq(purple_cmd_do_command(conv, "history 10", "history 10", &error),
                     PURPLE_CMD_STATUS_FAILED);
    ck_assert(error != nullptr && contains(error, "already being loaded"));
    g_free(error);
    error = nullptr;
    ck_assert_int_eq(purple_cmd_do_command(conv, "history lots", "history lots", &error),
                     PURPLE_CMD_STATUS_FAILED);
    g_free(error);
    ck_assert_msg(
        s.harness.run_until([&] { return s.count(room, "— 10 earlier messages —") == 1; }, 5000),
        "%s", s.harness.recent_events(40).c_str());
    // The server refuses the next page: said in the conversation.
    s.control.post("/fault", "{\"error_iq\":\"http://hipchat.com/protocol/history\"}");
    s.harness.expect(EventKind::message, "Could not load earlier messages: internal-server-error");
    error = nullptr;
    ck_assert_int_eq(purple_cmd_do_command(conv, "history", "history", &error),
                     PURPLE_CMD_STATUS_OK);
    g_free(error);
    ck_assert_msg(s.harness.run_until(
                      [&] { return s.count(room, "Could not load earlier messages") == 1; }, 5000),
                  "%s", s.harness.recent_events().c_str());
    ck_assert(purple_account_is_connected(s.account));
}
END_TEST

START_TEST(the_menu_item_and_bitlbee_typed_history_load_pages)
{
    History s(write_org());
    PurpleConversation *conv = s.join_room(room, room);
    // Pidgin's Conversation > More for a room that is not in the buddy list:
    // a temporary chat node from chat_info_defaults(conversation name).
    auto *prpl = PURPLE_PLUGIN_PROTOCOL_INFO(s.harness.plugin("prpl-hipchat"));
    PurpleChat *node = purple_chat_new(s.account, nullptr, prpl->chat_info_defaults(s.gc(), room));
    GList *menu = prpl->blist_node_menu(reinterpret_cast<PurpleBlistNode *>(node));
    PurpleMenuAction *load = nullptr;
    for (GList *l = menu; l != nullptr; l = l->next) {
        auto *action = static_cast<PurpleMenuAction *>(l->data);
        if (action != nullptr && g_strcmp0(action->label, "Load older messages") == 0)
            load = action;
    }
    ck_assert(load != nullptr);
    reinterpret_cast<void (*)(PurpleBlistNode *, gpointer)>(load->callback)(
        reinterpret_cast<PurpleBlistNode *>(node), load->data);
    ck_assert(
        s.harness.run_until([&] { return s.count(room, "— 50 earlier messages —") == 1; }, 5000));
    free_menu(menu);
    purple_blist_remove_chat(node);

    // bitlbee sends what is typed as a message: /history is still ours.
    ck_assert_int_eq(prpl->chat_send(s.gc(), purple_conv_chat_get_id(PURPLE_CONV_CHAT(conv)),
                                     "/history 5", PURPLE_MESSAGE_SEND),
                     0);
    ck_assert(
        s.harness.run_until([&] { return s.count(room, "— 5 earlier messages —") == 1; }, 5000));
    ck_assert(!contains(s.control.get("/transcript?user=alice@example.com"), "<body>/history"));
}
END_TEST

// A server without the history IQ: opening chats asks once per session and
// says nothing of it; /history, asked for, says why.
START_TEST(without_the_history_iq_chats_open_quietly_and_ask_once)
{
    History s(write_org(), 10);
    s.control.post("/fault", "{\"unsupported_iq\":\"http://hipchat.com/protocol/history\"}");
    auto asked = [&] {
        return hipchat::test::occurrences(s.control.get("/transcript?user=alice@example.com"),
                                          "xmlns='http://hipchat.com/protocol/history'");
    };
    for (int round = 0; round < 3; ++round) {
        PurpleConversation *im =
            purple_conversation_new(PURPLE_CONV_TYPE_IM, s.account, sample::bob.jid);
        s.harness.run_for(500);
        purple_conversation_destroy(im);
    }
    ck_assert_int_eq(asked(), 1);
    ck_assert_int_eq(s.count(sample::bob.jid, "earlier messages"), 0);
    PurpleConversation *im =
        purple_conversation_new(PURPLE_CONV_TYPE_IM, s.account, sample::bob.jid);
    s.harness.expect(EventKind::message, "Could not load earlier messages: service-unavailable");
    char *error = nullptr;
    ck_assert_int_eq(purple_cmd_do_command(im, "history", "history", &error), PURPLE_CMD_STATUS_OK);
    g_free(error);
    ck_assert(s.harness.run_until(
        [&] { return s.count(sample::bob.jid, "Could not load earlier messages") == 1; }, 5000));
    ck_assert_int_eq(asked(), 2);
}
END_TEST

START_TEST(a_chat_shows_its_latest_messages_when_it_opens)
{
    const std::string org = write_org();
    {
        // Some 1:1 history first, in another session.
        History before(org);
        for (int i = 0; i < 15; ++i)
            before.control.post("/message", std::string("{\"from\":\"") + sample::bob.jid +
                                                "\",\"to\":\"" + sample::alice.jid +
                                                "\",\"body\":\"message " + std::to_string(i) +
                                                "\"}");
        ck_assert(before.harness.run_until(
            [&] { return before.count(sample::bob.jid, "message 14") == 1; }, 10000));
        // The history lives in that emulator: carry on in it.
        purple_account_set_int(before.account, "chat_history", 10);
        purple_account_set_enabled(before.account, "hipchat-test", FALSE);
        before.harness.run_for(200);
        PurpleConversation *old = purple_find_conversation_with_account(
            PURPLE_CONV_TYPE_IM, sample::bob.jid, before.account);
        if (old != nullptr)
            purple_conversation_destroy(old);
        const std::size_t earlier = before.harness.events().size();
        before.harness.enable(before.account);
        ck_assert(before.connected());
        purple_conversation_new(PURPLE_CONV_TYPE_IM, before.account, sample::bob.jid);
        ck_assert_msg(
            before.harness.run_until(
                [&] { return before.count(sample::bob.jid, "— 10 earlier messages —") == 1; },
                5000),
            "%s", before.harness.recent_events().c_str());
        std::vector<int> shown;
        const auto &events = before.harness.events();
        for (std::size_t i = earlier; i < events.size(); ++i) {
            static const std::regex body("^message (\\d+)$");
            std::smatch m;
            if (events[i].kind == EventKind::message &&
                (events[i].number & PURPLE_MESSAGE_DELAYED) &&
                std::regex_match(events[i].text, m, body))
                shown.push_back(std::stoi(m[1]));
        }
        ck_assert_int_eq(shown.size(), 10);
        ck_assert_int_eq(shown.front(), 5);
        ck_assert_int_eq(shown.back(), 14);
    }
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("history");
    TCase *tc = tcase_create("history");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, paging_a_room_reaches_its_first_message_without_gaps_or_repeats);
    tcase_add_test(tc, pages_that_overlap_the_screen_show_and_count_only_what_is_new);
    tcase_add_test(tc, paging_a_one_to_one_conversation_reaches_its_first_message);
    tcase_add_test(tc, one_page_at_a_time_and_errors_are_reported);
    tcase_add_test(tc, the_menu_item_and_bitlbee_typed_history_load_pages);
    tcase_add_test(tc, a_chat_shows_its_latest_messages_when_it_opens);
    tcase_add_test(tc, without_the_history_iq_chats_open_quietly_and_ask_once);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
