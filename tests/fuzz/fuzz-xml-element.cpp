// XML text to core::Element (tests/unit/xml-fixture, the conversion src/xmpp
// does from a received stanza), and Element's accessors on whatever tree
// comes out. Input: any bytes, meant to be XML.
#include "fuzz-support.hpp"

#include "core/element.hpp"
#include "xml-fixture.hpp"

namespace {

using hipchat::core::Element;

void walk(const Element &element)
{
    FUZZ_CHECK(!element.name.empty());
    for (const auto &[key, value] : element.attributes) {
        FUZZ_CHECK(element.has_attribute(key));
        // The first attribute of that name (element.hpp: "the attribute's value").
        (void)value;
        (void)element.attribute(key);
    }
    for (const auto &child : element.children) {
        const Element *found = element.child(child.name);
        FUZZ_CHECK(found != nullptr && found->name == child.name);
        FUZZ_CHECK(element.child_text(child.name) == found->text);
        // With a namespace, the first child of that name in it.
        if (!child.xmlns.empty()) {
            const Element *with_ns = element.child(child.name, child.xmlns);
            FUZZ_CHECK(with_ns != nullptr && with_ns->xmlns == child.xmlns);
        }
        walk(child);
    }
    (void)hipchat::core::parse_flag(element.text);
    // A condition is only ever a child element's name.
    const auto error = hipchat::core::parse_stanza_error(element);
    FUZZ_CHECK(error.condition.empty() || element.child("error") != nullptr);
    FUZZ_CHECK(element.attribute("\x01 not an attribute name").empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (const auto element = hipchat::test::parse_element(hipchat::fuzz::text_of(data, size)))
        walk(*element);
    return 0;
}
