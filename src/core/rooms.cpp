#include "core/rooms.hpp"

#include <glib.h>

#include <algorithm>
#include <charconv>
#include <memory>

#include "core/namespaces.hpp"
#include "core/people.hpp"
#include "core/text.hpp"

namespace hipchat::core {

namespace {

struct GFree {
    void operator()(char *p) const { g_free(p); }
};
using GCharPtr = std::unique_ptr<char, GFree>;

template <typename Number>
Number number(std::string_view text)
{
    Number value{};
    const std::string t = std::string(trim(text));
    std::from_chars(t.data(), t.data() + t.size(), value);
    return value;
}

// The muc#room fields (§7.1, §7.2, §7.3), on an <x> or a push's <item>.
void read_fields(const Element &fields, Room &room)
{
    if (const auto name = fields.child_text("name"); !name.empty() && room.name.empty())
        room.name = std::string(name);
    room.id = number<std::uint64_t>(fields.child_text("id"));
    room.topic = std::string(fields.child_text("topic"));
    room.privacy = std::string(fields.child_text("privacy"));
    room.owner = std::string(fields.child_text("owner"));
    room.guest_url = std::string(fields.child_text("guest_url"));
    room.participants = number<int>(fields.child_text("num_participants"));
    room.last_active = number<std::int64_t>(fields.child_text("last_active"));
    // An empty <is_archived/> marks an archived room (§7.1); the bodyless
    // room-state messages write 1 or 0 (§8.9), so "0" is not archived.
    if (const Element *archived = fields.child("is_archived")) {
        const std::string text = std::string(trim(archived->text));
        room.archived = text.empty() || parse_flag(text);
    }
}

Room room_from_item(const Element &item)
{
    Room room;
    room.jid = ascii_lower(bare_jid(item.attribute("jid")));
    room.name = std::string(item.attribute("name"));
    if (const Element *x = item.child("x", ns::muc_room))
        read_fields(*x, room);
    if (room.name.empty())
        room.name = room.jid.substr(0, room.jid.find('@'));
    return room;
}

}  // namespace

RoomPage parse_room_page(const Element &query)
{
    RoomPage page;
    page.rooms.reserve(query.children.size());
    for (const auto &item : query.children) {
        if (item.name == "item" && !item.attribute("jid").empty())
            page.rooms.push_back(room_from_item(item));
    }
    if (const Element *set = query.child("set", ns::rsm)) {
        const std::string last = std::string(trim(set->child_text("last")));
        if (!last.empty())
            page.next_after = last;
    }
    return page;
}

std::optional<Room> parse_room_push(const Element &query)
{
    const Element *item = query.child("item");
    if (item == nullptr || item->attribute("jid").empty())
        return std::nullopt;
    Room room = room_from_item(*item);
    // The push carries the fields on the item itself (§7.3).
    read_fields(*item, room);
    if (room.name.empty())
        room.name = room.jid.substr(0, room.jid.find('@'));
    room.deleted = item->attribute("status") == "deleted";
    return room;
}

std::optional<Room> parse_room_info(const Element &query, std::string_view jid)
{
    const Element *x = query.child("x", ns::muc_room);
    if (x == nullptr)
        return std::nullopt;
    Room room;
    room.jid = ascii_lower(bare_jid(jid));
    if (const Element *identity = query.child("identity"))
        room.name = std::string(identity->attribute("name"));
    read_fields(*x, room);
    if (room.name.empty())
        room.name = room.jid.substr(0, room.jid.find('@'));
    return room;
}

std::optional<Invite> parse_invite(const Element &message)
{
    if (message.name != "message" || message.attribute("type") == "error")
        return std::nullopt;
    const Element *x = message.child("x", ns::muc_user);
    const Element *invite = x != nullptr ? x->child("invite") : nullptr;
    if (invite == nullptr || message.attribute("from").empty())
        return std::nullopt;
    Invite out;
    out.room_jid = ascii_lower(bare_jid(message.attribute("from")));
    out.inviter = std::string(invite->attribute("from"));
    out.reason = std::string(trim(invite->child_text("reason")));
    if (const Element *room = message.child("x", ns::muc_room))
        out.room_name = std::string(trim(room->child_text("name")));
    return out;
}

std::string room_slug(std::string_view name)
{
    const std::string t = std::string(trim(name));
    if (!g_utf8_validate(t.data(), static_cast<gssize>(t.size()), nullptr))
        return {};
    // Decomposing and dropping the combining marks folds accented letters
    // (é -> e, ç -> c), as the official client's table does for Latin ones.
    GCharPtr decomposed(g_utf8_normalize(t.data(), static_cast<gssize>(t.size()), G_NORMALIZE_NFD));
    std::string slug;
    for (const char *p = decomposed.get(); p != nullptr && *p; p = g_utf8_next_char(p)) {
        const gunichar c = g_utf8_get_char(p);
        if (c < 0x80 && (g_ascii_isalnum(static_cast<char>(c))))
            slug += static_cast<char>(g_ascii_tolower(static_cast<char>(c)));
        else if (c == ' ')
            slug += '_';
        else if (c == '-' && (slug.empty() || slug.back() != '-'))
            slug += '-';
    }
    return slug;
}

std::uint64_t group_id_from_jid(std::string_view jid)
{
    const auto underscore = jid.find('_');
    const auto at = jid.find('@');
    if (underscore == std::string_view::npos || at == std::string_view::npos || underscore > at ||
        underscore == 0)
        return 0;
    std::uint64_t id = 0;
    const auto [end, error] = std::from_chars(jid.data(), jid.data() + underscore, id);
    return error == std::errc() && end == jid.data() + underscore ? id : 0;
}

std::optional<std::string> find_room_jid(std::string_view input, const std::vector<Room> &rooms)
{
    const std::string wanted = std::string(trim(input));
    if (wanted.empty())
        return std::nullopt;
    if (wanted.find('@') != std::string::npos)
        return ascii_lower(bare_jid(wanted));
    const std::string folded = casefold(wanted);
    const std::string as_node = ascii_lower(wanted);
    for (const auto &room : rooms) {
        if (casefold(room.name) == folded)
            return room.jid;
    }
    // A slug: the JID's node with or without the group prefix.
    for (const auto &room : rooms) {
        const std::string node = room.jid.substr(0, room.jid.find('@'));
        const auto underscore = node.find('_');
        if (node == as_node ||
            (underscore != std::string::npos && node.substr(underscore + 1) == as_node))
            return room.jid;
    }
    return std::nullopt;
}

std::string guess_room_jid(std::string_view input, std::uint64_t group_id,
                           std::string_view muc_host)
{
    const std::string wanted = std::string(trim(input));
    if (wanted.find('@') != std::string::npos)
        return ascii_lower(bare_jid(wanted));
    if (group_id == 0)
        return room_slug(wanted) + "@" + std::string(muc_host);
    // A node typed with its group prefix keeps it ('_' is not a slug character).
    const std::string prefix = std::to_string(group_id) + "_";
    const std::string rest = wanted.starts_with(prefix) ? wanted.substr(prefix.size()) : wanted;
    return prefix + room_slug(rest) + "@" + std::string(muc_host);
}

JoinProblem classify_join_error(std::string_view condition)
{
    if (condition == "not-acceptable" || condition == "conflict" || condition == "jid-malformed")
        return JoinProblem::wrong_nick;
    if (condition == "forbidden" || condition == "registration-required" ||
        condition == "not-allowed")
        return JoinProblem::not_allowed;
    if (condition == "item-not-found" || condition == "remote-server-not-found")
        return JoinProblem::no_such_room;
    return JoinProblem::other;
}

}  // namespace hipchat::core
