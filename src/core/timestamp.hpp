// Timestamps in HipChat stanzas: the `ts` attribute on messages (§8.2), XMPP
// delay stamps (§8.3, XEP-0082 and legacy XEP-0091), and the `before`
// attribute of the history IQ (§9).
//
// Everything here is UTC and independent of the process's time zone: dates
// are converted with the days-from-civil algorithm, never with mktime(),
// timegm() or TZ tricks. Nothing throws; malformed input gives nullopt (or an
// empty string where documented).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hipchat::core {

// A message's `ts` attribute, Unix time with microseconds as a decimal string
// (`1456172560.068233`, §8.2): digits, optionally a '.' and more digits.
// Surrounding ASCII whitespace is ignored. nullopt for anything else (signs,
// exponents, "nan", empty) and for absurd values (beyond year 9999).
// A double carries ts to about a quarter of a microsecond; when the exact
// digits matter (history paging) use history_before_from_ts_text().
std::optional<double> parse_hipchat_ts(std::string_view text);

// An XMPP date-time as Unix seconds (UTC), fractional seconds truncated:
//  * XEP-0082 `2013-09-09T01:50:52Z`, with optional fractional seconds
//    (`…:52.123Z`) and a `Z`, `+hh:mm`/`-hh:mm` (or `+hhmm`) offset; a missing
//    zone is read as UTC, the way HipChat's own stamps are meant (§8.3);
//  * legacy XEP-0091 `20130909T01:50:52` (always UTC).
// Fields are range-checked (month 1-12, the day within its month, 24:00:00 is
// rejected; a leap second :60 is accepted and lands on the next second).
// nullopt when the text is not one of these shapes.
std::optional<std::int64_t> parse_xmpp_stamp(std::string_view text);

// `2013-09-09T01:50:52Z` for Unix seconds; "" outside years 1970-9999.
std::string format_xmpp_stamp(std::int64_t unix_seconds);

// The history IQ's `before` value (§9, the official client's
// format_time_for_history): `2016-02-22T20:22:40Z 068233`, a UTC second, a
// space and six digits of microseconds. From a double, the microseconds are
// rounded to the nearest (so 1456172560.068233 gives 068233 despite binary
// floating point). "" for negative, non-finite or too large values.
std::string history_before(double ts);

// The same from the `ts` attribute's own digits, exact: the fraction is
// taken digit by digit (padded with zeros, truncated after six digits), so
// no precision is lost. nullopt when the text is not a valid ts (see
// parse_hipchat_ts). Prefer this when the message's ts_text is at hand.
std::optional<std::string> history_before_from_ts_text(std::string_view ts_text);

// The same from a whole-second instant (e.g. a delay stamp from
// parse_xmpp_stamp when a message has no `ts`): `… 000000`. "" outside
// years 1970-9999.
std::string history_before_from_stamp(std::int64_t unix_seconds);

}  // namespace hipchat::core
