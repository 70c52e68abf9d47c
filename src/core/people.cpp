#include "core/people.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>

#include "core/namespaces.hpp"
#include "core/text.hpp"

namespace hipchat::core {

namespace {

std::uint64_t parse_number(std::string_view text)
{
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() ? value : 0;
}

std::string strip_at(std::string_view mention)
{
    if (!mention.empty() && mention.front() == '@')
        mention.remove_prefix(1);
    return std::string(mention);
}

}  // namespace

std::uint64_t user_id_from_jid(std::string_view jid)
{
    const auto at = jid.find('@');
    const auto node = jid.substr(0, at);
    const auto underscore = node.find('_');
    if (at == std::string_view::npos || underscore == std::string_view::npos)
        return 0;
    return parse_number(node.substr(underscore + 1));
}

std::vector<RosterItem> parse_roster(const Element &query)
{
    std::vector<RosterItem> items;
    items.reserve(query.children.size());
    for (const auto &child : query.children) {
        if (child.name != "item" || child.attribute("jid").empty())
            continue;
        RosterItem item;
        item.jid = bare_jid(child.attribute("jid"));
        item.name = std::string(child.attribute("name"));
        item.mention_name = strip_at(child.attribute("mention_name"));
        item.email = std::string(child.attribute("email"));
        item.photo_url = std::string(child.attribute("photo_url"));
        item.mobile = std::string(child.attribute("mobile"));
        item.version = std::string(child.attribute("version"));
        item.id = parse_number(child.attribute("id"));
        if (item.id == 0)
            item.id = user_id_from_jid(item.jid);
        item.removed = child.attribute("subscription") == "remove";
        items.push_back(std::move(item));
    }
    return items;
}

std::optional<Startup> parse_startup(const Element &query)
{
    if (query.name != "query" || query.xmlns != ns::startup || query.child_text("name").empty())
        return std::nullopt;
    Startup s;
    s.user_id = parse_number(query.child_text("user_id"));
    s.name = std::string(query.child_text("name"));
    s.mention_name = strip_at(query.child_text("mention_name"));
    s.email = std::string(query.child_text("email"));
    s.title = std::string(query.child_text("title"));
    s.photo_small = std::string(query.child_text("photo_small"));
    s.photo_large = std::string(query.child_text("photo_large"));
    s.group_id = parse_number(query.child_text("group_id"));
    s.group_name = std::string(query.child_text("group_name"));
    s.group_uri_domain = std::string(query.child_text("group_uri_domain"));
    s.is_admin = parse_flag(query.child_text("is_admin"));
    s.is_guest = parse_flag(query.child_text("is_guest"));
    s.token = std::string(query.child_text("token"));

    // `preferences` a.k.a. `prefs` (§6.2, [UNKNOWN] which).
    const Element *prefs = query.child("preferences");
    if (prefs == nullptr)
        prefs = query.child("prefs");
    s.notifications = parse_notification_prefs(prefs);
    const Element *auto_join = prefs != nullptr ? prefs->child("autoJoin") : nullptr;
    if (auto_join != nullptr) {
        for (const auto &item : auto_join->children) {
            if (item.name != "item" || item.attribute("jid").empty())
                continue;
            AutoJoinItem entry;
            entry.jid = bare_jid(item.attribute("jid"));
            entry.name = std::string(item.attribute("name"));
            const Element *room = item.child("x", ns::muc_room);
            entry.is_room = room != nullptr;
            if (entry.name.empty() && room != nullptr)
                entry.name = std::string(room->child_text("name"));
            s.auto_join.push_back(std::move(entry));
        }
    }
    return s;
}

std::optional<Profile> parse_profile(const Element &query)
{
    if (query.name != "query" || query.xmlns != ns::profile)
        return std::nullopt;
    Profile p;
    p.name = std::string(query.child_text("name"));
    p.mention_name = strip_at(query.child_text("mention_name"));
    p.email = std::string(query.child_text("email"));
    p.title = std::string(query.child_text("title"));
    p.photo_small = std::string(query.child_text("photo_small"));
    p.photo_large = std::string(query.child_text("photo_large"));
    if (const Element *tz = query.child("timezone")) {
        p.timezone = tz->text;
        const std::string offset(tz->attribute("utc_offset"));
        if (!offset.empty()) {
            char *end = nullptr;
            const double hours = std::strtod(offset.c_str(), &end);
            if (end != nullptr && *end == '\0' && hours >= -14 && hours <= 14)
                p.utc_offset = hours;
        }
    }
    return p;
}

std::string local_time_text(long long now, double utc_offset)
{
    const long long offset_minutes =
        static_cast<long long>(utc_offset * 60 + (utc_offset < 0 ? -0.5 : 0.5));
    long long minutes_of_day = ((now / 60 + offset_minutes) % (24 * 60) + 24 * 60) % (24 * 60);
    char text[64];
    const long long abs_offset = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    if (abs_offset % 60 == 0)
        std::snprintf(text, sizeof text, "%02lld:%02lld (UTC%c%lld)", minutes_of_day / 60,
                      minutes_of_day % 60, offset_minutes < 0 ? '-' : '+', abs_offset / 60);
    else
        std::snprintf(text, sizeof text, "%02lld:%02lld (UTC%c%lld:%02lld)", minutes_of_day / 60,
                      minutes_of_day % 60, offset_minutes < 0 ? '-' : '+', abs_offset / 60,
                      abs_offset % 60);
    return text;
}

Availability availability_from(std::string_view type, std::string_view show, bool mobile_marker)
{
    if (type == "unavailable")
        return mobile_marker ? Availability::mobile : Availability::offline;
    if (show == "away")
        return Availability::idle;  // automatic idle, not the user's choice (§10.1)
    if (show == "xa")
        return Availability::away;
    if (show == "dnd")
        return Availability::dnd;
    return Availability::available;  // "chat", absent or unknown
}

std::string_view show_for(Availability availability)
{
    switch (availability) {
    case Availability::idle:
        return "away";
    case Availability::away:
        return "xa";
    case Availability::dnd:
        return "dnd";
    case Availability::available:
    case Availability::mobile:
    case Availability::offline:
        break;
    }
    return "chat";
}

}  // namespace hipchat::core
