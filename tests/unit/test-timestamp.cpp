// core/timestamp: ts attributes, XMPP stamps and the history IQ's `before`.
#include <check.h>

#include "check-run.hpp"

#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>

#include "core/timestamp.hpp"

using namespace hipchat::core;

namespace {

void expect_eq(const std::string &got, std::string_view expected)
{
    ck_assert_msg(got == expected, "got '%s'\n  not '%.*s'", got.c_str(), int(expected.size()),
                  expected.data());
}

void expect_stamp(const char *text, long long expected)
{
    const auto value = parse_xmpp_stamp(text);
    ck_assert_msg(value.has_value(), "%s did not parse", text);
    ck_assert_msg(*value == expected, "%s gave %lld, not %lld", text,
                  static_cast<long long>(*value), expected);
}

void expect_no_stamp(const char *text)
{
    ck_assert_msg(!parse_xmpp_stamp(text).has_value(), "%s parsed", text);
}

START_TEST(hipchat_ts_is_a_decimal_unix_time)
{
    const auto ts = parse_hipchat_ts("1456172560.068233");
    ck_assert(ts.has_value());
    ck_assert(*ts == 1456172560.068233);
    ck_assert(*parse_hipchat_ts("1456172560") == 1456172560.0);
    ck_assert(*parse_hipchat_ts(" 1456172560.5\n") == 1456172560.5);
    ck_assert(*parse_hipchat_ts("0") == 0.0);
    for (const char *bad : {"", " ", "abc", "-1456172560.5", "+1", "1.2.3", "1e9", ".5", "5.",
                            "nan", "inf", "1456172560,068233", "0x10", "1 2", "9999999999999.0"})
        ck_assert_msg(!parse_hipchat_ts(bad).has_value(), "'%s' parsed", bad);
}
END_TEST

START_TEST(xep_0082_stamps_are_utc)
{
    expect_stamp("2013-09-09T01:50:52Z", 1378691452);
    expect_stamp("2016-01-04T22:28:11Z", 1451946491);
    expect_stamp("1970-01-01T00:00:00Z", 0);
    expect_stamp("1969-12-31T23:59:59Z", -1);
    expect_stamp("9999-12-31T23:59:59Z", 253402300799);
    expect_stamp("2000-02-29T00:00:00Z", 951782400);
    // Fractions are truncated, however many digits.
    expect_stamp("2013-09-09T01:50:52.999Z", 1378691452);
    expect_stamp("2013-09-09T01:50:52.123456789Z", 1378691452);
    // Offsets: local time ahead of UTC by the offset.
    expect_stamp("2013-09-09T03:50:52+02:00", 1378691452);
    expect_stamp("2013-09-08T20:20:52-05:30", 1378691452);
    expect_stamp("2013-09-09T03:50:52+0200", 1378691452);
    expect_stamp("2013-09-09T01:50:52.5-00:00", 1378691452);
    // Across a day and a year boundary.
    expect_stamp("2017-01-01T01:00:00+02:00", 1483228799 + 1 - 3600);
    // No zone: read as UTC; lower-case separators; white space around.
    expect_stamp("2013-09-09T01:50:52", 1378691452);
    expect_stamp("2013-09-09t01:50:52z", 1378691452);
    expect_stamp("  2013-09-09T01:50:52Z\n", 1378691452);
    // A leap second lands on the next second.
    expect_stamp("2016-12-31T23:59:60Z", 1483228800);
}
END_TEST

START_TEST(legacy_xep_0091_stamps)
{
    expect_stamp("20130909T01:50:52", 1378691452);
    expect_stamp("20160104T22:28:11", 1451946491);
    expect_stamp("20130909T01:50:52Z", 1378691452);
}
END_TEST

START_TEST(malformed_stamps_are_refused)
{
    for (const char *bad : {"",
                            "Z",
                            "2013-09-09",
                            "2013-09-09T01:50Z",
                            "2013-9-09T01:50:52Z",
                            "2013-09-09 01:50:52Z",
                            "2013-13-09T01:50:52Z",
                            "2013-00-09T01:50:52Z",
                            "2013-09-31T01:50:52Z",
                            "2013-02-29T01:50:52Z",
                            "1900-02-29T00:00:00Z",
                            "2013-09-09T24:00:00Z",
                            "2013-09-09T01:60:00Z",
                            "2013-09-09T01:50:61Z",
                            "2013-09-09T01:50:52.Z",
                            "2013-09-09T01:50:52+2:00",
                            "2013-09-09T01:50:52+24:00",
                            "2013-09-09T01:50:52+02:60",
                            "2013-09-09T01:50:52ZZ",
                            "2013-09-09T01:50:52Z 068233",
                            "2013-09-09T01:50:52 UTC",
                            "201309-09T01:50:52",
                            "130909T01:50:52",
                            "2013-09-09T01:50:52+",
                            "x2013-09-09T01:50:52Z",
                            "２０１３-09-09T01:50:52Z"})
        expect_no_stamp(bad);
}
END_TEST

START_TEST(stamps_ignore_the_local_time_zone)
{
    // The process's zone must not leak in (mktime/timegm-with-TZ hacks would).
    setenv("TZ", "America/St_Johns", 1);
    tzset();
    expect_stamp("2013-09-09T01:50:52Z", 1378691452);
    expect_eq(format_xmpp_stamp(1378691452), "2013-09-09T01:50:52Z");
    setenv("TZ", "Asia/Kathmandu", 1);
    tzset();
    expect_eq(history_before(1456172560.068233), "2016-02-22T20:22:40Z 068233");
    unsetenv("TZ");
    tzset();
}
END_TEST

START_TEST(xmpp_stamps_are_formatted)
{
    expect_eq(format_xmpp_stamp(0), "1970-01-01T00:00:00Z");
    expect_eq(format_xmpp_stamp(951782400), "2000-02-29T00:00:00Z");
    expect_eq(format_xmpp_stamp(253402300799), "9999-12-31T23:59:59Z");
    expect_eq(format_xmpp_stamp(-1), "");
    expect_eq(format_xmpp_stamp(253402300800), "");
    // Round trip across a range of days.
    for (long long t = 0; t < 253402300799; t += 86400LL * 3659 + 3723)
        ck_assert_int_eq(parse_xmpp_stamp(format_xmpp_stamp(t)).value_or(-1), t);
}
END_TEST

START_TEST(history_before_has_exact_microseconds)
{
    // The reference's own example (§9).
    expect_eq(history_before(1456172560.068233), "2016-02-22T20:22:40Z 068233");
    expect_eq(history_before(1456172560.0), "2016-02-22T20:22:40Z 000000");
    expect_eq(history_before(1456172560.000001), "2016-02-22T20:22:40Z 000001");
    expect_eq(history_before(1456172560.999999), "2016-02-22T20:22:40Z 999999");
    // Rounds to the next second rather than printing 1000000.
    expect_eq(history_before(1456172560.9999996), "2016-02-22T20:22:41Z 000000");
    expect_eq(history_before(0), "1970-01-01T00:00:00Z 000000");
    expect_eq(history_before(-1), "");
    expect_eq(history_before(1e300), "");
    expect_eq(history_before(std::strtod("nan", nullptr)), "");
    expect_eq(history_before(std::strtod("inf", nullptr)), "");
    // Every microsecond of a second survives the double.
    for (int us = 0; us < 1000000; us += 7919) {
        char ts[32], expected[48];
        std::snprintf(ts, sizeof ts, "1456172560.%06d", us);
        std::snprintf(expected, sizeof expected, "2016-02-22T20:22:40Z %06d", us);
        expect_eq(history_before(parse_hipchat_ts(ts).value_or(-1)), expected);
    }
}
END_TEST

START_TEST(history_before_from_the_ts_digits)
{
    expect_eq(history_before_from_ts_text("1456172560.068233").value_or("nullopt"),
              "2016-02-22T20:22:40Z 068233");
    // Padded, truncated (never rounded up past the message), whole seconds.
    expect_eq(history_before_from_ts_text("1456172560.5").value_or("nullopt"),
              "2016-02-22T20:22:40Z 500000");
    expect_eq(history_before_from_ts_text("1456172560.0682339999").value_or("nullopt"),
              "2016-02-22T20:22:40Z 068233");
    expect_eq(history_before_from_ts_text("1456172560").value_or("nullopt"),
              "2016-02-22T20:22:40Z 000000");
    expect_eq(history_before_from_ts_text(" 1456172560.068233 ").value_or("nullopt"),
              "2016-02-22T20:22:40Z 068233");
    for (const char *bad : {"", "x", "1456172560.", "-1.5", "1.2.3", "1e9", "253402300800.0"})
        ck_assert_msg(!history_before_from_ts_text(bad).has_value(), "'%s' accepted", bad);
}
END_TEST

START_TEST(history_before_from_a_whole_second_stamp)
{
    expect_eq(history_before_from_stamp(parse_xmpp_stamp("2013-09-09T01:50:52Z").value_or(-1)),
              "2013-09-09T01:50:52Z 000000");
    expect_eq(history_before_from_stamp(-5), "");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("timestamp");
    TCase *tc = tcase_create("timestamp");
    tcase_add_test(tc, hipchat_ts_is_a_decimal_unix_time);
    tcase_add_test(tc, xep_0082_stamps_are_utc);
    tcase_add_test(tc, legacy_xep_0091_stamps);
    tcase_add_test(tc, malformed_stamps_are_refused);
    tcase_add_test(tc, stamps_ignore_the_local_time_zone);
    tcase_add_test(tc, xmpp_stamps_are_formatted);
    tcase_add_test(tc, history_before_has_exact_microseconds);
    tcase_add_test(tc, history_before_from_the_ts_digits);
    tcase_add_test(tc, history_before_from_a_whole_second_stamp);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
