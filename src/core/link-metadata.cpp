#include "core/link-metadata.hpp"

#include <glib.h>
#include <glib/gi18n-lib.h>

#include <initializer_list>
#include <vector>

#include "core/html.hpp"
#include "core/text.hpp"

namespace hipchat::core {

namespace {

// Characters that would let a title break the line or reorder what is
// around it: line and paragraph separators, bidirectional overrides and
// isolates.
bool is_layout_control(gunichar c)
{
    return c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069);
}

// `raw` as one line: valid UTF-8, control and layout characters and runs of
// white space made one space, trimmed, cut to max_field_bytes.
std::string one_line(std::string_view raw)
{
    char *valid = g_utf8_make_valid(raw.data(), static_cast<gssize>(raw.size()));
    std::string out;
    bool space = false;
    for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
        const gunichar c = g_utf8_get_char(p);
        if (g_unichar_isspace(c) || g_unichar_iscntrl(c) || is_layout_control(c)) {
            space = !out.empty();
            continue;
        }
        const char *next = g_utf8_next_char(p);
        const auto length = static_cast<std::size_t>(next - p);
        if (out.size() + (space ? 1 : 0) + length > max_field_bytes)
            break;
        if (space)
            out += ' ';
        space = false;
        out.append(p, length);
    }
    g_free(valid);
    return out;
}

// The field under the first of `keys` that the metadata has, as an
// attribute or a child element (x2js makes both alike).
std::string field(const Element &meta, std::initializer_list<std::string_view> keys)
{
    for (const std::string_view key : keys) {
        if (meta.has_attribute(key))
            return one_line(meta.attribute(key));
        if (const Element *child = meta.child(key))
            return one_line(child->text);
    }
    return {};
}

bool all_digits(std::string_view text)
{
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool screen_name_like(std::string_view text)
{
    return !text.empty() &&
           text.find_first_not_of(
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
               std::string_view::npos;
}

void add(std::vector<std::string> &parts, std::string part)
{
    if (!part.empty())
        parts.push_back(std::move(part));
}

// The card's parts after its sender, as the web client's card components
// show them.
std::vector<std::string> card_parts(const LinkMetadata &m)
{
    std::vector<std::string> parts;
    const std::string who = m.screen_name.empty()
                                ? m.name
                                : (m.name.empty() ? "" : m.name + " ") + "(@" + m.screen_name + ")";
    if (m.type == "video") {
        add(parts, m.title);
        add(parts, m.author);
        // TRANSLATORS: a video's view count, e.g. "1234 views".
        add(parts, m.views.empty() ? "" : fill_placeholders(_("%s views"), {m.views}));
    } else if (m.type == "image") {
        add(parts, m.name);
    } else if (m.type == "twitter_status") {
        add(parts, m.text.empty() ? "" : "“" + m.text + "”");
        add(parts, who);
        // TRANSLATORS: where a tweet was sent from, e.g. "via Twitter for iPhone".
        add(parts, m.source.empty() ? "" : fill_placeholders(_("via %s"), {m.source}));
    } else if (m.type == "twitter_user") {
        add(parts, who);
        // TRANSLATORS: a Twitter account's follower count, e.g. "1234 followers".
        add(parts, m.followers.empty() ? "" : fill_placeholders(_("%s followers"), {m.followers}));
    } else {
        add(parts, m.title);
        add(parts, m.description.empty() ? m.text : m.description);
    }
    if (is_safe_url(m.url, false))
        add(parts, m.url);
    return parts;
}

}  // namespace

std::optional<LinkMetadata> parse_link_metadata(const Element &message)
{
    for (const Element &x : message.children) {
        const Element *meta = x.name == "x" ? x.child("metadata") : nullptr;
        if (meta == nullptr)
            continue;
        LinkMetadata m;
        m.type = field(*meta, {"type"});
        if (m.type.empty())
            return std::nullopt;
        m.url = field(*meta, {"full_url", "fullUrl", "url", "image"});
        m.title = field(*meta, {"header_text", "headerText", "title"});
        m.description = field(*meta, {"desc", "description"});
        m.text = field(*meta, {"text"});
        m.author = field(*meta, {"author"});
        m.views = field(*meta, {"views"});
        m.name = field(*meta, {"name"});
        m.screen_name = field(*meta, {"screen_name", "screenName"});
        m.source = field(*meta, {"source"});
        m.followers = field(*meta, {"followers"});
        if (!all_digits(m.views))
            m.views.clear();
        if (!all_digits(m.followers))
            m.followers.clear();
        if (!screen_name_like(m.screen_name))
            m.screen_name.clear();
        return m;
    }
    return std::nullopt;
}

std::string_view link_card_sender(std::string_view type)
{
    // TRANSLATORS: who a link preview is from, as HipChat named them.
    if (type == "video")
        return _("Video");
    if (type == "twitter_status" || type == "twitter_user")
        return _("Twitter");
    if (type == "link")
        return _("Link");
    return _("HipChat");
}

std::string link_card_text(const LinkMetadata &meta)
{
    if (meta.type == "info")
        return {};
    const std::vector<std::string> parts = card_parts(meta);
    if (parts.empty())
        return {};
    std::string line(link_card_sender(meta.type));
    line += ":";
    for (std::size_t i = 0; i < parts.size(); ++i)
        line += (i == 0 ? " " : " — ") + parts[i];
    return line;
}

}  // namespace hipchat::core
