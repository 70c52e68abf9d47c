// core::parse_roster and user_id_from_jid (core/people.hpp): a
// jabber:iq:roster result or push with HipChat's extra attributes. Input: the
// <query> as XML text.
#include "fuzz-support.hpp"

#include "core/people.hpp"
#include "xml-fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto text = hipchat::fuzz::text_of(data, size);
    (void)hipchat::core::user_id_from_jid(text);
    const auto query = hipchat::test::parse_element(text);
    if (!query)
        return 0;
    const auto items = hipchat::core::parse_roster(*query);
    // One item per <item> at most; "items without a JID are skipped".
    FUZZ_CHECK(items.size() <= query->children.size());
    for (const auto &item : items)
        (void)hipchat::core::user_id_from_jid(item.jid);
    return 0;
}
