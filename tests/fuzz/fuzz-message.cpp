// core/message.hpp: parse_message, sender_jid and render_message, the path
// of every received <message> (§8), and its link card (core/link-metadata.hpp). Input: the stanza
// as XML text.
#include "fuzz-support.hpp"

#include "core/message.hpp"
#include "xml-fixture.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto stanza = hipchat::test::parse_element(hipchat::fuzz::text_of(data, size));
    if (!stanza)
        return 0;
    const auto message = parse_message(*stanza);
    // "nullopt only when the element is not a <message>".
    FUZZ_CHECK(message.has_value() == (stanza->name == "message"));
    if (!message)
        return 0;

    // A roster that knows one nick, as src/xmpp's lookup would.
    const auto lookup = [](std::string_view nick) {
        return nick == "Bob Test" ? std::string("10804_263@chat.hipchat.com") : std::string();
    };
    (void)sender_jid(*message, "10804_dev@conf.hipchat.com", lookup);
    (void)sender_jid(*message, "", lookup);
    (void)sender_jid(*message, "10804_dev@conf.hipchat.com", {});

    const Rendered rendered = render_message(*message);
    (void)rendered;
    if (message->notification)
        (void)readable_color(message->notification->color);
    if (message->file)
        FUZZ_CHECK(!human_size(message->file->size).empty());
    if (message->link_metadata) {
        // A card is one bounded line (link-metadata.hpp).
        const std::string card = link_card_text(*message->link_metadata);
        FUZZ_CHECK(card.find('\n') == std::string::npos);
        FUZZ_CHECK(card.size() <= 16 * max_field_bytes);
    }
    return 0;
}
