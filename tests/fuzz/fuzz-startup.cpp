// core::parse_startup (core/people.hpp): the startup IQ's reply. Input: the
// <query> as XML text.
#include "core/namespaces.hpp"
#include "fuzz-support.hpp"

#include "core/people.hpp"
#include "xml-fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto query = hipchat::test::parse_element(hipchat::fuzz::text_of(data, size));
    if (!query)
        return 0;
    const auto startup = hipchat::core::parse_startup(*query);
    // "nullopt when `query` is not a startup reply or lacks the user's name".
    if (startup)
        FUZZ_CHECK(!startup->name.empty() && query->xmlns == hipchat::ns::startup);
    return 0;
}
