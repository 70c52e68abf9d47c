// HTML for libpurple: escaping our own text, and making integration
// notifications' HTML (protocol reference §8.4) safe to hand to a UI.
//
// libpurple passes message HTML straight to the UI: Pidgin's GtkIMHtml
// renders a subset, Finch and bitlbee strip it to text. A notification's HTML
// comes from any add-on or REST caller, so it is treated as hostile. The
// sanitiser is our own small tolerant tokenizer rather than libxml2's HTML
// parser: it keeps the core free of libxml2, it is easy to fuzz, and
// unlike a DOM parser it never has to build a tree for 64 KiB of nesting.
#pragma once

#include <string>
#include <string_view>

namespace hipchat::core {

// `text` with & < > " ' escaped (core::xml_escape), for HTML text and attributes.
// Invalid UTF-8 is passed through unchanged; see text_to_html().
std::string html_escape(std::string_view text);

// Plain text as libpurple HTML: escaped, invalid UTF-8 replaced by U+FFFD,
// and each line break (\n, \r\n or \r) as `<br>`.
std::string text_to_html(std::string_view text);

// Whether `url` may become a link: it starts (after leading spaces) with
// http://, https:// or (when `allow_mailto`) mailto:, in any case, and holds
// no control characters. Everything else (javascript:, data:, vbscript:,
// relative URLs, scheme tricks with embedded tabs or entities) is refused.
bool is_safe_url(std::string_view url, bool allow_mailto = true);

// The host `url` really leads to (after any user info, without the port),
// lowercased; "" when it names none.
std::string url_host(std::string_view url);

// When a link's visible text looks like an address (a URL, or a host name
// with an optional path) of another host than its target's, the target's
// host, to be shown beside it; else "". "https://hipchat.example.com/login"
// leading to https://evil.example/login gives "evil.example".
std::string misleading_link_host(std::string_view text, std::string_view href);

// Inputs longer than this are cut (at a character boundary) and marked "…".
inline constexpr std::size_t max_html_input = 64 * 1024;

// Notification HTML (§8.4) as HTML libpurple may show, by allowlist:
//  * kept: b, strong, i, em, u, code, pre, blockquote, br, and a with only an
//    http/https/mailto href (other links keep their text, lose the tag); a
//    link whose text is an address of another host is followed by
//    " (its real host)" (misleading_link_host);
//  * p, div, h1-h6, hr, ul/ol and table become line breaks (`<br>`); li
//    becomes a "• " line (ol items "1. ", "2. ", …); table cells are joined
//    by " | " and rows end with `<br>`;
//  * img becomes a link `<a href="src">[image: alt]</a>` (never an <img>: no
//    remote images are fetched), or the bare "[image: alt]" when its src is
//    not http/https;
//  * script, style, iframe, object, embed, form, input, button, textarea,
//    select (and title, head, noscript, template, svg, math, applet,
//    audio, video, canvas, frameset, noframes, noembed, xmp) are dropped with
//    everything inside them;
//  * any other tag is dropped and its text kept; comments, doctypes and
//    processing instructions are dropped;
//  * every attribute except a's href is dropped;
//  * character references are decoded (named ones HTML commonly uses, and
//    numeric ones; invalid code points become U+FFFD) and the text is
//    re-escaped, so `&lt;script&gt;` stays visible text and never a tag;
//  * runs of white space collapse to one space (not inside pre, where line
//    breaks become `<br>`), as a browser would show them; no line break
//    trails the result, and runs of more than 8 are shortened to 8;
//  * tags left open are closed at the end, stray end tags are ignored, and
//    formatting deeper than 32 levels is flattened;
//  * input beyond max_html_input is cut and "…" appended.
// The result is valid UTF-8 with balanced tags.
std::string sanitise_notification_html(std::string_view html);

// The same input as plain text, for UIs that show no HTML (bitlbee's IRC,
// logs): line breaks as "\n", list items as "• " lines, links as
// "text (url)" (just the url when the text is the url), images as
// "[image: alt] (src)", everything unsafe dropped as above.
std::string html_to_plain_text(std::string_view html);

}  // namespace hipchat::core
