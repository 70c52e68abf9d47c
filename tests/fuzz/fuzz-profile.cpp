// core::parse_profile and local_time_text (core/people.hpp): the profile
// IQ's reply and the local time shown from its UTC offset. Input: the
// <query> as XML text.
#include "fuzz-support.hpp"

#include "core/people.hpp"
#include "xml-fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto query = hipchat::test::parse_element(hipchat::fuzz::text_of(data, size));
    if (!query)
        return 0;
    const auto profile = hipchat::core::parse_profile(*query);
    if (profile && profile->utc_offset) {
        // 2016-02-22T20:22:40Z, and the input's size as another instant.
        for (const long long now : {1456172560LL, static_cast<long long>(size) * 86399})
            FUZZ_CHECK(!hipchat::core::local_time_text(now, *profile->utc_offset).empty());
    }
    return 0;
}
