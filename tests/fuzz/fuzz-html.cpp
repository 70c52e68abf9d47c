// core/html.hpp: sanitise_notification_html (§8.4: any add-on's HTML, treated
// as hostile), html_to_plain_text, text_to_html and is_safe_url. Input: the
// HTML.
#include "fuzz-support.hpp"

#include "core/html.hpp"

#include <glib.h>

#include <array>
#include <string>
#include <vector>

namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() &&
           g_ascii_strncasecmp(text.data(), prefix.data(), prefix.size()) == 0;
}

bool is_link_scheme(std::string_view url, bool allow_mailto)
{
    // "after leading spaces": any ASCII white space.
    while (!url.empty() && g_ascii_isspace(url.front()))
        url.remove_prefix(1);
    return starts_with_ignoring_case(url, "http://") ||
           starts_with_ignoring_case(url, "https://") ||
           (allow_mailto && starts_with_ignoring_case(url, "mailto:"));
}

// html.hpp: the result holds only the allowed tags, balanced, with no
// attribute but an http/https/mailto href on <a>.
void check_sanitised(const std::string &html)
{
    static constexpr std::array<std::string_view, 10> allowed = {
        "a", "b", "strong", "i", "em", "u", "code", "pre", "blockquote", "br"};
    std::vector<std::string_view> open;
    const std::string_view text(html);
    for (std::size_t pos = text.find('<'); pos != std::string_view::npos;
         pos = text.find('<', pos + 1)) {
        const auto end = text.find('>', pos);
        FUZZ_CHECK(end != std::string_view::npos);
        std::string_view tag = text.substr(pos + 1, end - pos - 1);
        const bool closing = !tag.empty() && tag.front() == '/';
        if (closing)
            tag.remove_prefix(1);
        const auto name = tag.substr(0, tag.find(' '));
        bool known = false;
        for (auto a : allowed)
            known = known || a == name;
        FUZZ_CHECK(known);
        if (closing) {
            FUZZ_CHECK(!open.empty() && open.back() == name);
            open.pop_back();
        } else if (name != "br") {
            const auto attributes = tag.substr(name.size());
            if (name == "a") {
                FUZZ_CHECK(attributes.empty() ||
                           (attributes.rfind(" href=\"", 0) == 0 && attributes.back() == '"' &&
                            is_link_scheme(attributes.substr(7), true)));
            } else {
                FUZZ_CHECK(attributes.empty());
            }
            open.push_back(name);
        }
        pos = end;
    }
    FUZZ_CHECK(open.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto input = hipchat::fuzz::text_of(data, size);

    const std::string sanitised = sanitise_notification_html(input);
    // "The result is valid UTF-8 with balanced tags."
    FUZZ_CHECK(g_utf8_validate(sanitised.data(), static_cast<gssize>(sanitised.size()), nullptr));
    check_sanitised(sanitised);

    (void)html_to_plain_text(input);

    const std::string html = text_to_html(input);
    // Escaped, invalid UTF-8 replaced: valid UTF-8 and no tag but <br>.
    FUZZ_CHECK(g_utf8_validate(html.data(), static_cast<gssize>(html.size()), nullptr));
    (void)html_escape(input);

    for (const bool allow_mailto : {true, false}) {
        if (is_safe_url(input, allow_mailto))
            FUZZ_CHECK(is_link_scheme(input, allow_mailto));
    }
    return 0;
}
