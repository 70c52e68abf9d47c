// core/calls.hpp: the video call signals of §19.1 in a received <message>,
// and the addresses made from them. Input: the stanza as XML text; the same
// text is also taken as an invite's URL and a decline's reason.
#include "fuzz-support.hpp"

#include "core/calls.hpp"
#include "core/html.hpp"
#include "xml-fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto text = hipchat::fuzz::text_of(data, size);
    if (const auto stanza = hipchat::test::parse_element(text)) {
        if (const auto call = parse_call(*stanza)) {
            // "only http(s)": nothing else becomes a browser's address.
            const std::string url = browser_call_url(call->url);
            FUZZ_CHECK(url.empty() || is_safe_url(url, false));
            (void)declined_text(call->reason, "Bob Test");
        }
    }
    const std::string url = browser_call_url(text);
    FUZZ_CHECK(url.empty() || is_safe_url(url, false));
    (void)declined_text(text, text);
    (void)conference_url(text, 10804, text);
    (void)call_invite_body(text);
    return 0;
}
