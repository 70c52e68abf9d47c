#include "rest-rooms.hpp"

#include "core/mentions.hpp"
#include "core/rooms.hpp"
#include "json-body.hpp"
#include "xmpp/room-occupants.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/server.hpp"
#include "xmpp/stanza.hpp"

#include <algorithm>

namespace hipchat::emulator {

namespace {

std::string room_path(const Room &room)
{
    return "room/" + std::to_string(room.id);
}

// A room's links (REST-DOCS get_room; hipchat-go's RoomLinks).
std::string room_links(const Organisation &org, const Room &room)
{
    const std::string self = api_url(org, room_path(room));
    return links_json(self, {{"webhooks", self + "/webhook"},
                             {"members", self + "/member"},
                             {"participants", self + "/participant"}});
}

// A room in the room list (REST-DOCS get_all_rooms).
std::string room_item(const Organisation &org, const Room &room)
{
    return JsonObjectText()
        .number("id", static_cast<std::int64_t>(room.id))
        .boolean("is_archived", room.archived)
        .raw("links", room_links(org, room))
        .text("name", room.name)
        .text("privacy", room.privacy)
        .text("version", room.version)
        .text("xmpp_jid", org.room_jid(room))
        .done();
}

// The people a message mentions by @MentionName (§8.6), as REST lists them.
std::string mentions_json(const Organisation &org, const HistoryMessage &m)
{
    std::string list = "[";
    if (m.notification_type.empty())
        for (const auto &u : org.users)
            if (!u.departed && core::mentions_me(m.body, {u.mention_name, u.name},
                                                 core::MentionScope::direct_only))
                list += (list.size() > 1 ? "," : "") + user_ref_json(org, u);
    return list + "]";
}

// A history item (REST-DOCS view_room_history; hipchat-go's room history
// test): a person's message has them as `from`, a notification its label.
std::string history_item(Organisation &org, const HistoryMessage &m)
{
    JsonObjectText item;
    item.text("date", rest_date(m.ts));
    const User *sender = m.from_jid.empty() ? nullptr : org.find_user_by_jid(m.from_jid);
    if (sender != nullptr)
        item.raw("from", user_ref_json(org, *sender));
    else
        item.text("from", m.from_name);
    item.text("id", m.mid).raw("mentions", mentions_json(org, m)).text("message", m.body);
    if (m.notification_type.empty())
        return item.text("type", "message").done();
    if (!m.card.empty())
        item.raw("card", m.card);
    return item.text("color", m.color.empty() ? "yellow" : m.color)
        .text("message_format", m.message_format.empty() ? "html" : m.message_format)
        .text("type", "notification")
        .done();
}

// The JSON list of `messages` from index `from` to `to`, oldest first or,
// with `newest_first`, the other way round.
std::string history_page(ApiCall &call, const std::vector<HistoryMessage> &messages,
                         std::size_t from, std::size_t to, bool newest_first, int start, int max,
                         bool more, const std::string &self)
{
    std::vector<std::string> items;
    for (std::size_t i = from; i < to; ++i)
        items.push_back(history_item(call.org, messages[newest_first ? to - 1 - (i - from) : i]));
    return page_json(items, start, max, more, self);
}

// REST's `date`: "recent" (the default) or an ISO-8601 date-time (or Unix
// seconds); the newest instant to include. Negative for text that is neither.
double history_until(const std::string &date)
{
    if (date.empty() || date == "recent")
        return 1e18;
    if (date.find_first_not_of("0123456789.") == std::string::npos)
        return g_ascii_strtod(date.c_str(), nullptr);
    GTimeZone *utc = g_time_zone_new_utc();
    GDateTime *parsed = g_date_time_new_from_iso8601(date.c_str(), utc);
    g_time_zone_unref(utc);
    if (parsed == nullptr)
        return -1;
    const double until = static_cast<double>(g_date_time_to_unix(parsed)) +
                         g_date_time_get_microsecond(parsed) / 1e6;
    g_date_time_unref(parsed);
    return until;
}

// The latest messages of `messages` (oldest first) from the one whose id is
// `not_before` on, at most `max`, oldest first (REST-DOCS
// view_recent_room_history).
void send_latest(ApiCall &call, const std::vector<HistoryMessage> &messages,
                 const std::string &self)
{
    const int max = call.int_param("max-results", 75, 0, 1000);
    std::size_t begin = 0;
    if (const std::string not_before = call.param("not-before"); !not_before.empty())
        for (std::size_t i = 0; i < messages.size(); ++i)
            if (messages[i].mid == not_before)
                begin = i;
    const std::size_t end = messages.size();
    begin = std::max(begin, end - std::min(end, static_cast<std::size_t>(max)));
    api_json(call.message, history_page(call, messages, begin, end, false, 0, max, false, self));
}

// A refusal of the room rules (rooms.hpp) as §13's JSON.
void refuse(ApiCall &call, const Refusal &refusal)
{
    api_error(call.message, refusal.http_status,
              refusal.http_status == 403 ? "Forbidden" : "Bad Request", refusal.text);
}

// A JID node for a new room's name: the official client's slug (§3), made
// unique with the room id when another room has it [INFERRED].
std::string new_slug(const Organisation &org, const std::string &name, std::uint64_t next_id)
{
    std::string slug = core::room_slug(name);
    if (slug.empty() || std::any_of(org.rooms.begin(), org.rooms.end(),
                                    [&](const Room &r) { return r.slug == slug; }))
        slug += (slug.empty() ? "" : "_") + std::to_string(next_id);
    return slug;
}

}  // namespace

Room *visible_room_or_404(ApiCall &call)
{
    Room *room = find_room(call.org, call.keys[0]);
    if (room == nullptr || !may_see(*room, call.user)) {
        api_error(call.message, 404, "Not Found", "Room " + call.keys[0] + " not found");
        return nullptr;
    }
    return room;
}

Room *administered_room(ApiCall &call)
{
    Room *room = visible_room_or_404(call);
    if (room != nullptr && room->owner != call.user.id && !call.user.is_admin) {
        api_error(call.message, 403, "Forbidden",
                  "You must be the room owner or a group admin to do this");
        return nullptr;
    }
    return room;
}

// REST-DOCS get_all_rooms: start-index, max-results (100, at most 1000),
// include-private (true), include-archived (false); only rooms the token's
// owner may see.
void rest_list_rooms(ApiCall &call)
{
    const bool archived = call.bool_param("include-archived", false);
    const bool private_too = call.bool_param("include-private", true);
    Page page(call);
    for (const auto &r : call.org.rooms)
        if (may_see(r, call.user) && (!r.archived || archived) &&
            (r.privacy != "private" || private_too) && page.offer())
            page.add(room_item(call.org, r));
    api_json(call.message, page.json(api_url(call.org, "room")));
}

// REST-DOCS create_room: name, privacy, topic, guest_access, owner_user_id
// (id, e-mail or @mention; the token's owner by default); 201 with the id and
// a link (hipchatter's tests); a room push to everyone who may see it (§7.3).
void rest_create_room(ApiCall &call)
{
    const std::string body = call.body();
    JsonParser *parser = json_parser_new();
    JsonObject *object = parse_object(parser, body.data(), body.size());
    const std::string name = text_member(object, "name");
    const std::string owner_key = text_member(object, "owner_user_id");
    Room room;
    room.privacy = text_member(object, "privacy", "public") == "private" ? "private" : "public";
    room.topic = text_member(object, "topic").substr(0, 250);
    const bool guest_access = bool_member(object, "guest_access");
    g_object_unref(parser);
    if (const auto problem = room_name_problem(call.org, name, nullptr)) {
        refuse(call, *problem);
        return;
    }
    User *owner = owner_key.empty() ? &call.user : person_or_404(call, owner_key);
    if (owner == nullptr)
        return;
    room.name = name;
    std::uint64_t next_id = 0;
    for (const auto &r : call.org.rooms)
        next_id = std::max(next_id, r.id);
    room.slug = new_slug(call.org, name, next_id + 1);
    Room &made = add_room(*call.xmpp, std::move(room), *owner);
    if (guest_access)
        set_guest_access(*call.xmpp, made, true, call.user);
    api_json(call.message,
             JsonObjectText()
                 .number("id", static_cast<std::int64_t>(made.id))
                 .raw("links", links_json(api_url(call.org, room_path(made))))
                 .done(),
             201);
}

// REST-DOCS get_room (hipchatter's tests read owner.id, name and topic).
void rest_get_room(ApiCall &call)
{
    const Room *room = visible_room_or_404(call);
    if (room == nullptr)
        return;
    const Organisation &org = call.org;
    std::string participants = "[";
    for (const User *u : participant_users(*call.xmpp, *room))
        participants += (participants.size() > 1 ? "," : "") + user_ref_json(org, *u);
    const User *owner = call.org.find_user_by_id(room->owner);
    JsonObjectText out;
    if (room->created != 0)
        out.text("created", rest_date(static_cast<double>(room->created)));
    if (room->guest_url.empty())
        out.null("guest_access_url");
    else
        out.text("guest_access_url", room->guest_url);
    out.number("id", static_cast<std::int64_t>(room->id))
        .boolean("is_archived", room->archived)
        .boolean("is_guest_accessible", !room->guest_url.empty())
        .text("last_active", rest_date(static_cast<double>(room->last_active)))
        .raw("links", room_links(org, *room))
        .text("name", room->name);
    if (owner != nullptr)
        out.raw("owner", user_ref_json(org, *owner));
    else
        out.null("owner");
    const std::string self = api_url(org, room_path(*room));
    api_json(call.message,
             out.raw("participants", participants + "]")
                 .text("privacy", room->privacy)
                 .raw("statistics",
                      JsonObjectText().raw("links", links_json(self + "/statistics")).done())
                 .text("topic", room->topic)
                 .text("version", room->version)
                 .text("xmpp_jid", org.room_jid(*room))
                 .done());
}

// REST-DOCS update_room: name, privacy, is_archived, is_guest_accessible,
// topic, owner {id}; 204 (hipchatter's tests). The official client archives
// and restores rooms with it, sending every setting (application_store.js
// handleArchiveRoom). The rules and the changes are those of §7.7 over XMPP
// (check_change, apply_change): an archived room takes only being restored;
// the topic as a subject (§7.6), guest access and archiving with their §8.9
// messages, then one room push (§7.3).
void rest_update_room(ApiCall &call)
{
    Room *room = administered_room(call);
    if (room == nullptr)
        return;
    const std::string body = call.body();
    JsonParser *parser = json_parser_new();
    JsonObject *object = parse_object(parser, body.data(), body.size());
    auto has = [object](const char *member) {
        return object != nullptr && json_object_has_member(object, member);
    };
    RoomChange change;
    change.name = text_member(object, "name");
    change.privacy =
        text_member(object, "privacy", room->privacy.c_str()) == "private" ? "private" : "public";
    if (has("topic"))
        change.topic = text_member(object, "topic");
    if (has("is_guest_accessible"))
        change.guest_access = bool_member(object, "is_guest_accessible");
    if (has("is_archived"))
        change.archived = bool_member(object, "is_archived");
    JsonObject *owner = has("owner") ? json_object_get_object_member(object, "owner") : nullptr;
    change.owner =
        static_cast<std::uint64_t>(int_member(owner, "id", static_cast<std::int64_t>(room->owner)));
    g_object_unref(parser);
    if (const auto refused = check_change(call.org, *room, call.user, change)) {
        refuse(call, *refused);
        return;
    }
    apply_change(*call.xmpp, *room, call.user, change);
    api_no_content(call.message);
}

// REST-DOCS delete_room: everyone out and a deleted push, as §7.7's destroy.
void rest_delete_room(ApiCall &call)
{
    if (Room *room = administered_room(call)) {
        destroy_room(*call.xmpp, *room);
        api_no_content(call.message);
    }
}

// REST-DOCS view_room_history: date ("recent" or a date-time: the newest to
// include), start-index (counted from the newest), max-results (100, at most
// 1000), reverse (true: oldest first); timezone is not served (UTC).
void rest_room_history(ApiCall &call)
{
    const Room *room = visible_room_or_404(call);
    if (room == nullptr)
        return;
    const double until = history_until(call.param("date"));
    if (until < 0) {
        api_error(call.message, 400, "Bad Request", "date must be 'recent' or an ISO-8601 date");
        return;
    }
    const int start = call.int_param("start-index", 0, 0, 1 << 30);
    const int max = call.int_param("max-results", 100, 0, 1000);
    const auto &h = room->history;
    std::size_t end = 0;  // the messages up to `until`
    while (end < h.size() && h[end].ts <= until)
        ++end;
    const std::size_t last = end - std::min(end, static_cast<std::size_t>(start));
    const std::size_t first = last - std::min(last, static_cast<std::size_t>(max));
    api_json(call.message,
             history_page(call, h, first, last, !call.bool_param("reverse", true), start, max,
                          first > 0, api_url(call.org, room_path(*room) + "/history")));
}

// REST-DOCS view_recent_room_history: max-results (75), not-before.
void rest_room_latest(ApiCall &call)
{
    if (const Room *room = visible_room_or_404(call))
        send_latest(call, room->history, api_url(call.org, room_path(*room) + "/history/latest"));
}

// REST-DOCS view_recent_privatechat_history: the 1:1 with that person.
void rest_private_latest(ApiCall &call)
{
    const User *other = person_or_404(call, call.keys[0]);
    if (other == nullptr)
        return;
    static const std::vector<HistoryMessage> none;
    const std::uint64_t a = std::min(call.user.id, other->id),
                        b = std::max(call.user.id, other->id);
    const auto it = std::find_if(call.org.private_history.begin(), call.org.private_history.end(),
                                 [&](const PrivateHistory &h) { return h.a == a && h.b == b; });
    send_latest(call, it != call.org.private_history.end() ? it->messages : none,
                api_url(call.org, "user/" + std::to_string(other->id) + "/history/latest"));
}

}  // namespace hipchat::emulator
