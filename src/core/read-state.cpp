#include "core/read-state.hpp"

#include <algorithm>
#include <cmath>

#include "core/files.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"

namespace hipchat::core {

namespace {

constexpr std::int64_t max_rate_limit_wait_ms = 60 * 60 * 1000;

// A JSON number member as an int, 0 for anything else (absurd values clamped).
int count_member(const JsonValue &object, std::string_view key)
{
    const JsonValue *value = object.member(key);
    const double *number = value != nullptr ? value->number() : nullptr;
    if (number == nullptr || !std::isfinite(*number) || *number < 0)
        return 0;
    return static_cast<int>(std::min(*number, 1e9));
}

// `timestamp` comes as a string ("1456172560.068233") or, from some
// servers, a number: the web client reads both with Number().
void read_timestamp(const JsonValue &item, ReadMark &mark)
{
    const JsonValue *value = item.member("timestamp");
    if (value == nullptr)
        return;
    if (const std::string *text = value->string()) {
        mark.timestamp = *text;
        mark.ts = parse_hipchat_ts(*text).value_or(0);
    } else if (const double *number = value->number();
               number != nullptr && *number >= 0 && *number < 253402300800.0) {
        mark.ts = *number;
        mark.timestamp = read_state_timestamp("", *number);
    }
}

std::optional<ReadMark> read_item(const JsonValue &item)
{
    std::string jid = ascii_lower(trim(item.text("xmppJid")));
    if (jid.find('@') == std::string::npos || jid.find('/') != std::string::npos ||
        jid.find_first_of(" \"<>") != std::string::npos)
        return std::nullopt;
    ReadMark mark;
    mark.jid = std::move(jid);
    mark.mid = item.text("mid");
    read_timestamp(item, mark);
    if (const JsonValue *unread = item.member("unreadCount"); unread && unread->object()) {
        UnreadCount count;
        count.count = count_member(*unread, "count");
        count.mentions = count_member(*unread, "mentions");
        const JsonValue *includes = unread->member("includesMention");
        count.includes_mention =
            includes != nullptr && std::holds_alternative<bool>(includes->value)
                ? std::get<bool>(includes->value)
                : count.mentions > 0;
        mark.unread = count;
    }
    return mark;
}

}  // namespace

std::optional<std::vector<ReadMark>> parse_read_state(std::string_view json)
{
    const auto root = parse_json(json, 8);
    const JsonValue *items = root ? root->member("items") : nullptr;
    const auto *array = items != nullptr ? std::get_if<JsonArray>(&items->value) : nullptr;
    if (array == nullptr)
        return std::nullopt;
    std::vector<ReadMark> marks;
    for (const JsonValue &item : *array) {
        if (marks.size() == max_read_marks)
            break;
        if (item.object() == nullptr)
            continue;
        if (auto mark = read_item(item))
            marks.push_back(std::move(*mark));
    }
    return marks;
}

std::string read_state_patch(const std::vector<ReadUpdate> &updates)
{
    std::string body = "[";
    for (const ReadUpdate &update : updates) {
        if (body.size() > 1)
            body += ',';
        const std::string path = json_string("/" + update.jid);
        if (update.remove) {
            body += "{\"op\":\"remove\",\"path\":" + path + "}";
            continue;
        }
        body +=
            "{\"op\":\"add\",\"path\":" + path + ",\"value\":{\"mid\":" + json_string(update.mid) +
            ",\"timestamp\":" + json_string(update.timestamp.empty() ? "0.0" : update.timestamp) +
            "}}";
    }
    return body + "]";
}

std::string read_state_timestamp(std::string_view ts_text, double ts)
{
    const std::string_view text = trim(ts_text);
    if (parse_hipchat_ts(text)) {
        const auto dot = text.find('.');
        std::string fraction(dot == std::string_view::npos ? "" : text.substr(dot + 1));
        fraction.resize(6, '0');
        return std::string(text.substr(0, dot)) + "." + fraction;
    }
    if (!std::isfinite(ts) || ts <= 0 || ts >= 253402300800.0)
        return "0.0";
    // Whole microseconds, rounded, so that binary floating point does not
    // turn .068233 into .068232.
    const auto micros = static_cast<std::int64_t>(std::llround(ts * 1e6));
    std::string fraction = std::to_string(micros % 1000000);
    fraction.insert(0, 6 - fraction.size(), '0');
    return std::to_string(micros / 1000000) + "." + fraction;
}

ReadStateAnswer classify_read_state_status(unsigned status)
{
    if (status >= 200 && status < 300)
        return ReadStateAnswer::ok;
    if (status == 401)
        return ReadStateAnswer::unauthorized;
    if (status == 404)
        return ReadStateAnswer::disabled;
    if (status == 429)
        return ReadStateAnswer::rate_limited;
    if (status >= 400 && status < 500)
        return ReadStateAnswer::bad_request;
    return ReadStateAnswer::unavailable;  // 0, 5xx and anything odd
}

std::int64_t read_state_backoff_ms(ReadStateAnswer answer, std::int64_t reset, std::int64_t now,
                                   std::int64_t previous_ms, std::uint32_t random)
{
    // handleRateLimitReset: five seconds after the limit resets.
    if (answer == ReadStateAnswer::rate_limited && reset > 0 && reset + 5 > now)
        return std::min<std::int64_t>((reset + 5 - now) * 1000, max_rate_limit_wait_ms);
    // decorrelatedJitter(max, base, sleep, factor):
    // min(max, randomBetween(base, sleep * factor)).
    const std::int64_t base = read_state_default_backoff_ms;
    const std::int64_t high = std::max(
        base, std::min(std::max<std::int64_t>(previous_ms, base), read_state_max_backoff_ms) *
                  read_state_backoff_factor);
    const std::int64_t span = high - base;
    const std::int64_t pick =
        base + static_cast<std::int64_t>(
                   (static_cast<std::uint64_t>(random) * static_cast<std::uint64_t>(span)) >> 32);
    return std::min(read_state_max_backoff_ms, pick);
}

std::size_t first_unread(const std::vector<Dated> &messages, const ReadMark &mark)
{
    if (!mark.mid.empty()) {
        for (std::size_t i = messages.size(); i-- > 0;) {
            if (messages[i].mid == mark.mid)
                return i + 1;
        }
    }
    // The marked message is not among them: everything after its time is
    // unread (a mark without a time, as the web client sets for a chat it
    // starts to track before it has a message, leaves all of them unread).
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (mark.ts <= 0 || messages[i].ts > mark.ts)
            return i;
    }
    return messages.size();
}

}  // namespace hipchat::core
