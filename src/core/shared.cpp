#include "core/shared.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "core/html.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"

namespace hipchat::core {

namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::uint64_t parse_number(std::string_view text)
{
    text = trim(text);
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() ? value : 0;
}

std::string last_segment(std::string_view path)
{
    path = trim(path);
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    const std::size_t slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::int64_t date_of(const Element &item)
{
    return parse_xmpp_stamp(trim(item.child_text("date"))).value_or(0);
}

// Newest first (a stable sort keeps the server's order among equal dates),
// the first of each key, at most max_listed.
template <typename Item, typename Key>
std::vector<Item> newest_unique(std::vector<Item> items, Key key)
{
    std::stable_sort(items.begin(), items.end(),
                     [](const Item &a, const Item &b) { return a.date > b.date; });
    std::set<std::string> seen;
    std::vector<Item> out;
    for (auto &item : items) {
        if (out.size() == max_listed)
            break;
        if (seen.insert(key(item)).second)
            out.push_back(std::move(item));
    }
    return out;
}

}  // namespace

SharedFile read_legacy_file(const Element &file)
{
    SharedFile f;
    f.name = last_segment(file.child_text("name"));
    f.url = std::string(trim(file.child_text("file_url")));
    f.description = std::string(file.child_text("desc"));
    f.size = parse_number(file.child_text("size"));
    f.id = std::string(file.attribute("id"));
    if (f.id.empty())
        f.id = std::string(trim(file.child_text("id")));
    return f;
}

SharedFile read_authenticated_file(const Element &file)
{
    SharedFile f;
    f.id = std::string(trim(file.child_text("id")));
    f.name = last_segment(file.child_text("name"));
    f.description = std::string(file.child_text("desc"));
    f.size = parse_number(file.child_text("size"));
    f.authenticated = true;
    return f;
}

std::string url_in_body(std::string_view body, std::string_view id)
{
    std::string_view last;
    for (std::size_t at = body.find("https://"); at != std::string_view::npos;
         at = body.find("https://", at + 1)) {
        std::size_t end = at;
        while (end < body.size() && !is_space(body[end]) && body[end] != '<' && body[end] != '>' &&
               body[end] != '"')
            ++end;
        const std::string_view url = body.substr(at, end - at);
        if (!id.empty() && url.find(id) != std::string_view::npos)
            return std::string(url);
        last = url;
    }
    return std::string(last);
}

std::vector<ListedFile> parse_listed_files(const Element &query)
{
    // Authenticated files when the query has any, else the legacy items
    // (file.js fromXMPP tells them apart by the element's name).
    const bool authenticated = query.child("authenticated_file") != nullptr;
    std::vector<ListedFile> files;
    for (const Element &item : query.children) {
        if (item.name != (authenticated ? "authenticated_file" : "item"))
            continue;
        ListedFile listed;
        listed.file = authenticated ? read_authenticated_file(item) : read_legacy_file(item);
        listed.date = date_of(item);
        listed.user_id = parse_number(item.child_text("user_id"));
        if (listed.file.name.empty() && listed.file.url.empty())
            continue;
        if (authenticated && listed.file.id.empty())
            continue;  // nothing to fetch it by
        files.push_back(std::move(listed));
        if (files.size() > 4 * max_listed)
            break;  // bounded, whatever the server sends
    }
    return newest_unique(std::move(files), [](const ListedFile &f) {
        return f.file.authenticated ? "id:" + f.file.id : "url:" + f.file.url;
    });
}

std::vector<ListedLink> parse_listed_links(const Element &query)
{
    std::vector<ListedLink> links;
    for (const Element &item : query.children) {
        if (item.name != "item")
            continue;
        ListedLink link;
        link.url = std::string(trim(item.child_text("url")));
        if (!is_safe_url(link.url, false))
            continue;
        link.date = date_of(item);
        link.user_id = parse_number(item.child_text("user_id"));
        links.push_back(std::move(link));
        if (links.size() > 4 * max_listed)
            break;
    }
    return newest_unique(std::move(links), [](const ListedLink &l) { return l.url; });
}

}  // namespace hipchat::core
