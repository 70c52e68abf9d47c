#include "core/timestamp.hpp"

#include "core/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace hipchat::core {

namespace {

// 9999-12-31T23:59:59Z: the last instant a four-digit year can name.
constexpr std::int64_t max_seconds = 253402300799;

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil); valid for any year an int can hold.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
    std::int64_t year;
    unsigned month, day;
};

// The inverse (civil_from_days).
Civil civil_from_days(std::int64_t z)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool is_leap(std::int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(std::int64_t y, unsigned m)
{
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Reads exactly `count` digits at the cursor.
bool take_digits(std::string_view &text, std::size_t count, unsigned &value)
{
    if (text.size() < count)
        return false;
    value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (!is_digit(text[i]))
            return false;
        value = value * 10 + static_cast<unsigned>(text[i] - '0');
    }
    text.remove_prefix(count);
    return true;
}

bool take(std::string_view &text, char c)
{
    if (text.empty() || text.front() != c)
        return false;
    text.remove_prefix(1);
    return true;
}

// The two halves of a ts (`1456172560.068233`): the whole seconds and the
// fraction's digits (possibly empty), or false when it is not that shape.
bool split_ts(std::string_view text, std::int64_t &seconds, std::string_view &fraction)
{
    text = trim(text);
    const std::size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    if (whole.empty() || whole.size() > 12 || (dot != std::string_view::npos && fraction.empty()))
        return false;
    for (char c : whole) {
        if (!is_digit(c))
            return false;
    }
    for (char c : fraction) {
        if (!is_digit(c))
            return false;
    }
    const auto [end, error] = std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
    return error == std::errc() && end == whole.data() + whole.size() && seconds <= max_seconds;
}

// "2016-02-22T20:22:40Z" followed by `tail` (the history format's " 068233").
std::string format_utc(std::int64_t unix_seconds, std::string_view tail)
{
    if (unix_seconds < 0 || unix_seconds > max_seconds)
        return {};
    const std::int64_t days = unix_seconds / 86400;
    const std::int64_t rest = unix_seconds % 86400;
    const Civil date = civil_from_days(days);
    char text[64];
    std::snprintf(text, sizeof text, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(date.year), date.month, date.day,
                  static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                  static_cast<long long>(rest % 60));
    return std::string(text) + std::string(tail);
}

}  // namespace

std::optional<double> parse_hipchat_ts(std::string_view text)
{
    std::int64_t seconds = 0;
    std::string_view fraction;
    if (!split_ts(text, seconds, fraction))
        return std::nullopt;
    // from_chars, unlike strtod, ignores the locale's decimal separator
    // (Pidgin runs in the user's locale).
    const std::string_view trimmed = trim(text);
    double value = 0;
    const auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(),
                                              value, std::chars_format::fixed);
    if (error != std::errc() || end != trimmed.data() + trimmed.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<std::int64_t> parse_xmpp_stamp(std::string_view text)
{
    text = trim(text);
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!take_digits(text, 4, year))
        return std::nullopt;
    if (take(text, '-')) {
        // XEP-0082: CCYY-MM-DD
        if (!take_digits(text, 2, month) || !take(text, '-') || !take_digits(text, 2, day))
            return std::nullopt;
    } else if (!take_digits(text, 2, month) || !take_digits(text, 2, day)) {
        // XEP-0091: CCYYMMDD
        return std::nullopt;
    }
    if (!(take(text, 'T') || take(text, 't')) || !take_digits(text, 2, hour) || !take(text, ':') ||
        !take_digits(text, 2, minute) || !take(text, ':') || !take_digits(text, 2, second))
        return std::nullopt;
    if (take(text, '.')) {
        // Fractional seconds: any number of digits, at least one; truncated.
        std::size_t digits = 0;
        while (digits < text.size() && is_digit(text[digits]))
            ++digits;
        if (digits == 0)
            return std::nullopt;
        text.remove_prefix(digits);
    }
    std::int64_t offset = 0;
    if (take(text, 'Z') || take(text, 'z')) {
        // UTC
    } else if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        const int sign = text.front() == '-' ? -1 : 1;
        text.remove_prefix(1);
        unsigned offset_hours = 0, offset_minutes = 0;
        if (!take_digits(text, 2, offset_hours))
            return std::nullopt;
        take(text, ':');
        if (!take_digits(text, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59)
            return std::nullopt;
        offset = sign * static_cast<std::int64_t>(offset_hours * 3600 + offset_minutes * 60);
    }
    if (!text.empty())
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
        minute > 59 || second > 60)
        return std::nullopt;
    const std::int64_t local =
        days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    // A local time at +02:00 is two hours ahead of UTC.
    return local - offset;
}

std::string format_xmpp_stamp(std::int64_t unix_seconds)
{
    return format_utc(unix_seconds, {});
}

std::string history_before(double ts)
{
    if (!std::isfinite(ts) || ts < 0 || ts >= static_cast<double>(max_seconds + 1))
        return {};
    // Split first: the fraction of a double is exact (Sterbenz), and rounding
    // it alone to microseconds keeps 1456172560.068233 at 068233 where
    // llround(ts * 1e6) would be at the mercy of the product's rounding.
    auto seconds = static_cast<std::int64_t>(std::floor(ts));
    auto micros = static_cast<std::int64_t>(std::llround((ts - std::floor(ts)) * 1e6));
    if (micros >= 1000000) {
        ++seconds;
        micros -= 1000000;
    }
    char tail[32];
    std::snprintf(tail, sizeof tail, " %06lld", static_cast<long long>(micros));
    return format_utc(seconds, tail);
}

std::optional<std::string> history_before_from_ts_text(std::string_view ts_text)
{
    std::int64_t seconds = 0;
    std::string_view fraction;
    if (!split_ts(ts_text, seconds, fraction))
        return std::nullopt;
    // Exactly six digits: padded with zeros, truncated beyond microseconds
    // (an instant a fraction of a microsecond earlier is still "before").
    std::string micros(fraction.substr(0, 6));
    micros.resize(6, '0');
    std::string out = format_utc(seconds, " " + micros);
    if (out.empty())
        return std::nullopt;
    return out;
}

std::string history_before_from_stamp(std::int64_t unix_seconds)
{
    return format_utc(unix_seconds, " 000000");
}

}  // namespace hipchat::core
