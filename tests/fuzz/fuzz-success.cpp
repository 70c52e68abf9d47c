// core::parse_auth_success and parse_auth_failure (core/auth.hpp): what the
// server's <success> and <failure> say after HipChat auth (§5.5, §5.6).
// Input: the element as XML text (either kind: both parsers get it).
#include "fuzz-support.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "core/auth.hpp"
#include "xml-fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto element = hipchat::test::parse_element(hipchat::fuzz::text_of(data, size));
    if (!element)
        return 0;

    // The header's promises: a usable JID or nothing; each host plausible
    // and the attribute's own value, or empty; the token as sent.
    const auto success = parse_auth_success(*element);
    FUZZ_CHECK(success.has_value() == is_plausible_jid(element->attribute("jid")));
    if (success) {
        FUZZ_CHECK(success->jid == element->attribute("jid"));
        const auto at = success->jid.find('@');
        FUZZ_CHECK(at != std::string::npos && at != 0 && at + 1 < success->jid.size());
        FUZZ_CHECK(std::none_of(success->jid.begin(), success->jid.end(), [](char c) {
            return static_cast<unsigned char>(c) <= ' ' || c == '\x7f';
        }));
        const std::pair<const std::string *, const char *> hosts[] = {
            {&success->hosts.api_host, "api_host"},
            {&success->hosts.chat_host, "chat_host"},
            {&success->hosts.muc_host, "muc_host"},
            {&success->hosts.web_host, "web_host"}};
        for (const auto &[value, attribute] : hosts) {
            const auto sent = element->attribute(attribute);
            FUZZ_CHECK(*value == (is_plausible_host(sent) ? sent : std::string_view()));
            // What the glue builds from it stays one host: no scheme, path or user.
            FUZZ_CHECK(std::all_of(value->begin(), value->end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == ':';
            }));
        }
        FUZZ_CHECK(success->oauth2_token == element->attribute("oauth2_token"));
    }

    // The condition is the first child that is not <text>, or "".
    const auto failure = parse_auth_failure(*element);
    const auto first = std::find_if(element->children.begin(), element->children.end(),
                                    [](const Element &child) { return child.name != "text"; });
    FUZZ_CHECK(failure.condition == (first != element->children.end() ? first->name : ""));
    FUZZ_CHECK(failure.text == element->child_text("text"));
    return 0;
}
