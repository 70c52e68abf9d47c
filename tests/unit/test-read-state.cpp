// core/read-state and core/notify-levels: HipChat's read state (§19.4) and
// the notification levels of its preferences (§19.6).
#include <check.h>

#include "assert-text.hpp"
#include "check-run.hpp"

#include "core/notify-levels.hpp"
#include "core/people.hpp"
#include "core/read-state.hpp"
#include "xml-fixture.hpp"

using namespace hipchat::core;
using hipchat::test::element;

namespace {

START_TEST(the_read_state_is_read_with_its_counts)
{
    const auto marks = parse_read_state(
        "{\"items\":["
        "{\"xmppJid\":\"10804_Dev@conf.hipchat.com\",\"mid\":\"m-1\","
        "\"timestamp\":\"1456172560.068233\","
        "\"unreadCount\":{\"count\":30,\"mentions\":2,\"includesMention\":true}},"
        "{\"xmppJid\":\"10804_2@chat.hipchat.com\",\"mid\":\"\",\"timestamp\":1456172561.5},"
        "{\"xmppJid\":\"no jid\"},{\"mid\":\"x\"},7,"
        "{\"xmppJid\":\"10804_3@chat.hipchat.com/res\"},"
        "{\"xmppJid\":\"10804_ops@conf.hipchat.com\",\"unreadCount\":{\"count\":-4}}]}");
    ck_assert(marks.has_value());
    ck_assert_int_eq(marks->size(), 3);
    const ReadMark &dev = (*marks)[0];
    ASSERT_TEXT(dev.jid, "10804_dev@conf.hipchat.com");  // lowercased
    ASSERT_TEXT(dev.mid, "m-1");
    ASSERT_TEXT(dev.timestamp, "1456172560.068233");
    ck_assert(dev.ts > 1456172560.06 && dev.ts < 1456172560.07);
    ck_assert(dev.unread && dev.unread->count == 30 && dev.unread->mentions == 2 &&
              dev.unread->includes_mention);
    // A number is read as the web client's Number() does, and written back
    // with six decimals.
    ASSERT_TEXT((*marks)[1].timestamp, "1456172561.500000");
    ck_assert(!(*marks)[1].unread);
    ck_assert((*marks)[2].unread && (*marks)[2].unread->count == 0);
    ck_assert(!(*marks)[2].unread->includes_mention);
    for (const char *bad : {"", "[]", "{}", "{\"items\":{}}", "{\"items\":[", "null"})
        ck_assert_msg(!parse_read_state(bad), "accepted %s", bad);
    ck_assert(parse_read_state("{\"items\":[]}")->empty());
}
END_TEST

START_TEST(the_patch_body_is_json_patch)
{
    ASSERT_TEXT(
        read_state_patch({{"10804_dev@conf.hipchat.com", "m\"1", "1456172560.068233", false},
                          {"10804_2@chat.hipchat.com", "", "", true},
                          {"10804_3@chat.hipchat.com", "", "", false}}),
        "[{\"op\":\"add\",\"path\":\"/10804_dev@conf.hipchat.com\",\"value\":{\"mid\":"
        "\"m\\\"1\",\"timestamp\":\"1456172560.068233\"}},"
        "{\"op\":\"remove\",\"path\":\"/10804_2@chat.hipchat.com\"},"
        "{\"op\":\"add\",\"path\":\"/10804_3@chat.hipchat.com\",\"value\":{\"mid\":\"\","
        "\"timestamp\":\"0.0\"}}]");
    ASSERT_TEXT(read_state_patch({}), "[]");
}
END_TEST

START_TEST(timestamps_have_six_decimals)
{
    ASSERT_TEXT(read_state_timestamp("1456172560.068233", 0), "1456172560.068233");
    ASSERT_TEXT(read_state_timestamp(" 1456172560.0682339 ", 0), "1456172560.068233");
    ASSERT_TEXT(read_state_timestamp("1456172560.5", 0), "1456172560.500000");
    ASSERT_TEXT(read_state_timestamp("1456172560", 0), "1456172560.000000");
    ASSERT_TEXT(read_state_timestamp("", 1456172560.068233), "1456172560.068233");
    ASSERT_TEXT(read_state_timestamp("x", 0), "0.0");
    ASSERT_TEXT(read_state_timestamp("-1", -1), "0.0");
}
END_TEST

START_TEST(statuses_mean_what_the_web_client_reads)
{
    ck_assert(classify_read_state_status(200) == ReadStateAnswer::ok);
    ck_assert(classify_read_state_status(204) == ReadStateAnswer::ok);
    ck_assert(classify_read_state_status(401) == ReadStateAnswer::unauthorized);
    ck_assert(classify_read_state_status(404) == ReadStateAnswer::disabled);
    ck_assert(classify_read_state_status(429) == ReadStateAnswer::rate_limited);
    ck_assert(classify_read_state_status(400) == ReadStateAnswer::bad_request);
    ck_assert(classify_read_state_status(403) == ReadStateAnswer::bad_request);
    ck_assert(classify_read_state_status(0) == ReadStateAnswer::unavailable);
    ck_assert(classify_read_state_status(503) == ReadStateAnswer::unavailable);
}
END_TEST

START_TEST(backoff_honours_the_reset_and_jitters_otherwise)
{
    // 429 with X-Ratelimit-Reset in 20 s: 25 s.
    ck_assert_int_eq(read_state_backoff_ms(ReadStateAnswer::rate_limited, 1020, 1000, 5000, 0),
                     25000);
    // ... at most an hour, whatever the server says.
    ck_assert_int_eq(read_state_backoff_ms(ReadStateAnswer::rate_limited, 1000000, 1000, 5000, 0),
                     3600000);
    // A reset in the past, or none: the jitter, from 5 s up to three times
    // the last wait, never over five minutes.
    for (const auto answer : {ReadStateAnswer::rate_limited, ReadStateAnswer::unavailable}) {
        ck_assert_int_eq(read_state_backoff_ms(answer, 0, 1000, 5000, 0), 5000);
        const auto high = read_state_backoff_ms(answer, 10, 1000, 5000, 0xffffffffu);
        ck_assert(high > 14000 && high <= 15000);
        ck_assert_int_eq(read_state_backoff_ms(answer, 0, 1000, 200000, 0xffffffffu), 300000);
        const auto middle = read_state_backoff_ms(answer, 0, 1000, 0, 0x80000000u);
        ck_assert(middle >= 5000 && middle <= 15000);
    }
}
END_TEST

START_TEST(unread_messages_start_after_the_marked_one)
{
    const std::vector<Dated> messages = {{"a", 10}, {"b", 20}, {"c", 30}, {"d", 0}, {"e", 50}};
    ReadMark mark;
    mark.mid = "b";
    mark.ts = 20;
    ck_assert_int_eq(first_unread(messages, mark), 2);
    mark.mid = "e";
    ck_assert_int_eq(first_unread(messages, mark), 5);  // all read
    // The marked message is older than the backlog: by time.
    mark.mid = "gone";
    mark.ts = 25;
    ck_assert_int_eq(first_unread(messages, mark), 2);
    mark.ts = 5;
    ck_assert_int_eq(first_unread(messages, mark), 0);
    mark.ts = 60;
    ck_assert_int_eq(first_unread(messages, mark), 5);
    // A mark without a message or time: everything is unread.
    ck_assert_int_eq(first_unread(messages, ReadMark{}), 0);
    ck_assert_int_eq(first_unread({}, mark), 0);
}
END_TEST

START_TEST(levels_come_from_the_startup_preferences)
{
    const auto startup = parse_startup(element(
        "<query xmlns='http://hipchat.com/protocol/startup'><name>Alice</name><preferences>"
        "<globalNotificationSetting>\"normal\"</globalNotificationSetting>"
        "<roomNotificationOverrides>{\"10804_Random@conf.hipchat.com\":{\"level\":\"quiet\"},"
        "\"10804_ops@conf.hipchat.com\":{\"level\":\"loud\"},\"x@y\":{\"level\":\"loudest\"},"
        "\"z@y\":\"quiet\"}</roomNotificationOverrides>"
        "<notifyWhenDND>true</notifyWhenDND></preferences></query>"));
    ck_assert(startup.has_value());
    const NotificationPrefs &prefs = startup->notifications;
    ck_assert(prefs.global == NotifyLevel::normal);
    ck_assert_int_eq(prefs.rooms.size(), 2);
    ck_assert(room_level(prefs, "10804_random@conf.hipchat.com") == NotifyLevel::quiet);
    ck_assert(room_level(prefs, "10804_OPS@conf.hipchat.com") == NotifyLevel::loud);
    ck_assert(room_level(prefs, "10804_dev@conf.hipchat.com") == NotifyLevel::normal);
    ck_assert(prefs.notify_when_dnd);
    ASSERT_TEXT(room_overrides_json(prefs.rooms),
                "{\"10804_ops@conf.hipchat.com\":{\"level\":\"loud\"},"
                "\"10804_random@conf.hipchat.com\":{\"level\":\"quiet\"}}");
    ck_assert(parse_room_overrides(room_overrides_json(prefs.rooms)) == prefs.rooms);
}
END_TEST

START_TEST(missing_preferences_have_the_web_clients_defaults)
{
    const NotificationPrefs none = parse_notification_prefs(nullptr);
    ck_assert(none.global == NotifyLevel::loud && none.rooms.empty() && !none.notify_when_dnd);
    // An invalid global level: loud unless room notifications are both off.
    const auto off = element(
        "<preferences><globalNotificationSetting>x</globalNotificationSetting>"
        "<notifyForRoom>false</notifyForRoom><notifyForPrivateRoom>0</notifyForPrivateRoom>"
        "<roomNotificationOverrides></roomNotificationOverrides></preferences>");
    ck_assert(parse_notification_prefs(&off).global == NotifyLevel::normal);
    const auto one_on = element(
        "<preferences><notifyForRoom>false</notifyForRoom>"
        "<roomNotificationOverrides>[1]</roomNotificationOverrides></preferences>");
    ck_assert(parse_notification_prefs(&one_on).global == NotifyLevel::loud);
    ck_assert(parse_notification_prefs(&one_on).rooms.empty());
}
END_TEST

START_TEST(levels_decide_which_mentions_highlight)
{
    for (const auto level : {NotifyLevel::loud, NotifyLevel::normal, NotifyLevel::quiet}) {
        ck_assert(!level_highlights(level, Mention::none));
        ck_assert(level_highlights(level, Mention::direct));
        ck_assert(level_highlights(level, Mention::everyone) == (level != NotifyLevel::quiet));
        ck_assert(parse_notify_level(notify_level_name(level)) == level);
    }
    ck_assert(!parse_notify_level("LOUD"));
    ck_assert(!parse_notify_level(""));
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("read-state");
    TCase *tc = tcase_create("read-state");
    tcase_add_test(tc, the_read_state_is_read_with_its_counts);
    tcase_add_test(tc, the_patch_body_is_json_patch);
    tcase_add_test(tc, timestamps_have_six_decimals);
    tcase_add_test(tc, statuses_mean_what_the_web_client_reads);
    tcase_add_test(tc, backoff_honours_the_reset_and_jitters_otherwise);
    tcase_add_test(tc, unread_messages_start_after_the_marked_one);
    tcase_add_test(tc, levels_come_from_the_startup_preferences);
    tcase_add_test(tc, missing_preferences_have_the_web_clients_defaults);
    tcase_add_test(tc, levels_decide_which_mentions_highlight);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
