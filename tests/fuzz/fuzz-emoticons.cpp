// core/emoticons.hpp: the emoticons IQ's list and pushes (§12), our cache
// file read back, (shortcut)s in a message, and image bytes recognised.
// Input: XML text; the same bytes as the cache file, a message and an image.
#include "fuzz-support.hpp"

#include "core/emoticons.hpp"
#include "xml-fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto text = hipchat::fuzz::text_of(data, size);
    EmoticonList list;
    if (const auto query = hipchat::test::parse_element(text)) {
        list = parse_emoticons(*query);
        apply_emoticon_push(list, parse_emoticons(*query));
        const auto back = deserialise_emoticons(serialise_emoticons(list));
        if (!back || back->items.size() != list.items.size())
            __builtin_trap();  // what we write, we must read back
    }
    if (const auto cached = deserialise_emoticons(text))
        (void)emoticons_in(text, *cached);
    (void)emoticons_in(text, list);
    (void)sniff_image(text);
    return 0;
}
