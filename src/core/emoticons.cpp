#include "core/emoticons.hpp"

#include "core/text.hpp"

#include <glib.h>

#include <charconv>
#include <set>

namespace hipchat::core {

namespace {

bool valid_shortcut(std::string_view shortcut)
{
    if (shortcut.empty() || shortcut.size() > 64)
        return false;
    for (const char c : shortcut) {
        if (!g_ascii_isalnum(c) && c != '_')
            return false;
    }
    return true;
}

int dimension(std::string_view text)
{
    int value = 0;
    const std::string t = std::string(trim(text));
    const auto [end, error] = std::from_chars(t.data(), t.data() + t.size(), value);
    return error == std::errc() && end == t.data() + t.size() && value > 0 && value <= 4096 ? value
                                                                                            : 30;
}

bool printable(std::string_view text)
{
    return text.find_first_of("\t\r\n") == std::string_view::npos;
}

}  // namespace

EmoticonList parse_emoticons(const Element &query)
{
    EmoticonList list;
    list.ver = std::string(trim(query.attribute("ver")));
    // The docs' example wraps path_prefix in white space (§12.1).
    std::string prefix = std::string(trim(query.child_text("path_prefix")));
    while (!prefix.empty() && prefix.back() == '/')
        prefix.pop_back();
    for (const auto &item : query.children) {
        if (item.name != "item")
            continue;
        Emoticon e;
        e.shortcut = std::string(trim(item.child_text("shortcut")));
        std::string path = std::string(trim(item.child_text("path")));
        while (!path.empty() && path.front() == '/')
            path.erase(0, 1);
        if (!valid_shortcut(e.shortcut) || path.empty() || !printable(path) || !printable(prefix))
            continue;
        e.url = prefix.empty() ? path : prefix + "/" + path;
        const std::string id = std::string(trim(item.child_text("id")));
        std::from_chars(id.data(), id.data() + id.size(), e.id);
        e.width = dimension(item.child_text("w"));
        e.height = dimension(item.child_text("h"));
        e.type = std::string(trim(item.child_text("type")));
        if (!printable(e.type))
            e.type.clear();
        list.items.push_back(std::move(e));
    }
    return list;
}

void apply_emoticon_push(EmoticonList &list, const EmoticonList &push)
{
    if (!push.ver.empty())
        list.ver = push.ver;
    for (const auto &pushed : push.items) {
        bool replaced = false;
        for (auto &existing : list.items) {
            if ((pushed.id != 0 && existing.id == pushed.id) ||
                existing.shortcut == pushed.shortcut) {
                existing = pushed;
                replaced = true;
                break;
            }
        }
        if (!replaced)
            list.items.push_back(pushed);
    }
}

// Line 1: "hipchat-emoticons 1", line 2: the ver, then one line per item:
// id, shortcut, width, height, type, url, tab-separated.
std::string serialise_emoticons(const EmoticonList &list)
{
    std::string out = "hipchat-emoticons 1\n" + (printable(list.ver) ? list.ver : "") + "\n";
    for (const auto &e : list.items) {
        out += std::to_string(e.id) + "\t" + e.shortcut + "\t" + std::to_string(e.width) + "\t" +
               std::to_string(e.height) + "\t" + e.type + "\t" + e.url + "\n";
    }
    return out;
}

std::optional<EmoticonList> deserialise_emoticons(std::string_view text)
{
    auto next_line = [&text]() -> std::optional<std::string_view> {
        if (text.empty())
            return std::nullopt;
        const auto end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        return line;
    };
    if (next_line() != std::optional<std::string_view>("hipchat-emoticons 1"))
        return std::nullopt;
    const auto ver = next_line();
    if (!ver)
        return std::nullopt;
    EmoticonList list;
    list.ver = std::string(*ver);
    while (auto line = next_line()) {
        std::vector<std::string_view> fields;
        std::string_view rest = *line;
        for (std::size_t tab; (tab = rest.find('\t')) != std::string_view::npos;) {
            fields.push_back(rest.substr(0, tab));
            rest.remove_prefix(tab + 1);
        }
        fields.push_back(rest);
        if (fields.size() != 6 || !valid_shortcut(fields[1]) || fields[5].empty())
            return std::nullopt;
        Emoticon e;
        std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), e.id);
        e.shortcut = std::string(fields[1]);
        e.width = dimension(fields[2]);
        e.height = dimension(fields[3]);
        e.type = std::string(fields[4]);
        e.url = std::string(fields[5]);
        list.items.push_back(std::move(e));
    }
    return list;
}

std::vector<Emoticon> emoticons_in(std::string_view text, const EmoticonList &list)
{
    std::vector<Emoticon> found;
    std::set<std::string> seen;
    for (std::size_t open = text.find('('); open != std::string_view::npos;
         open = text.find('(', open + 1)) {
        const auto close = text.find(')', open + 1);
        if (close == std::string_view::npos)
            break;
        const std::string_view shortcut = text.substr(open + 1, close - open - 1);
        if (!valid_shortcut(shortcut) || seen.count(std::string(shortcut)) != 0)
            continue;
        for (const auto &e : list.items) {
            if (e.shortcut == shortcut) {
                found.push_back(e);
                seen.insert(e.shortcut);
                break;
            }
        }
    }
    return found;
}

std::optional<ImageInfo> sniff_image(std::string_view b)
{
    auto byte = [&b](std::size_t i) { return static_cast<unsigned char>(b[i]); };
    auto be16 = [&](std::size_t i) { return (byte(i) << 8) | byte(i + 1); };
    auto be32 = [&](std::size_t i) {
        return (static_cast<unsigned long>(byte(i)) << 24) | (byte(i + 1) << 16) |
               (byte(i + 2) << 8) | byte(i + 3);
    };
    if (b.size() >= 24 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8) &&
        b.substr(12, 4) == "IHDR") {
        const unsigned long w = be32(16), h = be32(20);
        if (w == 0 || h == 0 || w > 65535 || h > 65535)
            return std::nullopt;
        return ImageInfo{"image/png", static_cast<int>(w), static_cast<int>(h)};
    }
    if (b.size() >= 10 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a")) {
        const int w = byte(6) | (byte(7) << 8), h = byte(8) | (byte(9) << 8);
        if (w == 0 || h == 0)
            return std::nullopt;
        return ImageInfo{"image/gif", w, h};
    }
    if (b.size() >= 4 && byte(0) == 0xFF && byte(1) == 0xD8) {
        // Walk the segments to the first start-of-frame.
        std::size_t i = 2;
        while (i + 9 < b.size()) {
            if (byte(i) != 0xFF)
                return std::nullopt;
            const unsigned marker = byte(i + 1);
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            const unsigned length = be16(i + 2);
            if (length < 2)
                return std::nullopt;
            if ((marker >= 0xC0 && marker <= 0xCF) && marker != 0xC4 && marker != 0xC8 &&
                marker != 0xCC) {
                const int h = be16(i + 5), w = be16(i + 7);
                if (w == 0 || h == 0)
                    return std::nullopt;
                return ImageInfo{"image/jpeg", w, h};
            }
            i += 2 + length;
        }
    }
    return std::nullopt;
}

}  // namespace hipchat::core
