// core/timestamp.hpp: parse_hipchat_ts (§8.2), parse_xmpp_stamp (§8.3) and
// the history IQ's `before` values (§9). Input: the timestamp text.
#include "fuzz-support.hpp"

#include "core/timestamp.hpp"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto text = hipchat::fuzz::text_of(data, size);

    const auto ts = parse_hipchat_ts(text);
    // Digits with an optional fraction: never negative or non-finite.
    if (ts)
        FUZZ_CHECK(std::isfinite(*ts) && *ts >= 0);
    (void)history_before(ts.value_or(0));
    // "nullopt when the text is not a valid ts (see parse_hipchat_ts)".
    FUZZ_CHECK(history_before_from_ts_text(text).has_value() == ts.has_value());

    if (const auto stamp = parse_xmpp_stamp(text)) {
        const std::string formatted = format_xmpp_stamp(*stamp);
        // `…Z` for years 1970-9999, which parse back to the same second.
        if (!formatted.empty())
            FUZZ_CHECK(parse_xmpp_stamp(formatted) == stamp);
        (void)history_before_from_stamp(*stamp);
    }
    return 0;
}
