#include "rest-room-members.hpp"

#include "json-body.hpp"
#include "rest-rooms.hpp"
#include "xmpp/messages.hpp"
#include "xmpp/room-occupants.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/server.hpp"

#include <algorithm>

namespace hipchat::emulator {

namespace {

// A request's JSON body as an object (members read with json-body.hpp's
// helpers); `parser` owns it.
JsonObject *body_object(ApiCall &call, JsonParser *parser, std::string &body)
{
    body = call.body();
    return parse_object(parser, body.data(), body.size());
}

std::string user_list(const ApiCall &call, const std::vector<const User *> &users,
                      const std::string &self)
{
    Page page(call);
    for (const User *u : users)
        if (page.offer())
            page.add(user_ref_json(call.org, *u));
    return page.json(self);
}

std::string room_url(const ApiCall &call, const Room &room, const std::string &rest)
{
    return api_url(call.org, "room/" + std::to_string(room.id) + rest);
}

// The events a room webhook may listen to (hipchatter's README, from
// REST-DOCS create_room_webhook).
bool known_event(const std::string &event)
{
    static const char *const events[] = {"room_message", "room_notification", "room_exit",
                                         "room_enter", "room_topic_change"};
    return std::any_of(std::begin(events), std::end(events),
                       [&](const char *e) { return event == e; });
}

Webhook *webhook_or_404(ApiCall &call, Room &room)
{
    for (auto &w : room.webhooks)
        if (std::to_string(w.id) == call.keys[1])
            return &w;
    api_error(call.message, 404, "Not Found", "Webhook not found");
    return nullptr;
}

// A webhook as the list shows it (REST-DOCS get_all_webhooks), or with its
// creator, creation time and room too (get_webhook).
std::string webhook_json(const ApiCall &call, const Room &room, const Webhook &w, bool details)
{
    JsonObjectText out;
    if (details) {
        const User *creator = call.org.find_user_by_id(w.creator);
        out.text("created", rest_date(static_cast<double>(w.created)));
        if (creator != nullptr)
            out.raw("creator", user_ref_json(call.org, *creator));
        else
            out.null("creator");
    }
    out.text("event", w.event)
        .number("id", static_cast<std::int64_t>(w.id))
        .raw("links", links_json(room_url(call, room, "/webhook/" + std::to_string(w.id))))
        .text("name", w.name)
        .text("pattern", w.pattern);
    if (details)
        out.raw("room", JsonObjectText()
                            .number("id", static_cast<std::int64_t>(room.id))
                            .raw("links", links_json(room_url(call, room, "")))
                            .text("name", room.name)
                            .done());
    return out.text("url", w.url).done();
}

}  // namespace

// REST-DOCS get_all_members: the room's members (who may see it when it is
// private, §7.1), paged.
void rest_list_members(ApiCall &call)
{
    const Room *room = visible_room_or_404(call);
    if (room == nullptr)
        return;
    std::vector<const User *> members;
    for (const auto id : room->members)
        if (const User *u = call.org.find_user_by_id(id); u != nullptr && !u->departed)
            members.push_back(u);
    api_json(call.message, user_list(call, members, room_url(call, *room, "/member")));
}

// REST-DOCS add_member: 204 (hipchatter's tests); the room appears in the
// new member's room list with a room push (§7.3).
void rest_add_member(ApiCall &call)
{
    Room *room = administered_room(call);
    const User *person = room != nullptr ? person_or_404(call, call.keys[1]) : nullptr;
    if (person == nullptr)
        return;
    if (std::find(room->members.begin(), room->members.end(), person->id) == room->members.end())
        room->members.push_back(person->id);
    push_room(*call.xmpp, *room, false);
    api_no_content(call.message);
}

// REST-DOCS remove_member: 204; their sessions in the room removed as over
// XMPP (§7.5: a 307 naming the token's owner).
void rest_remove_member(ApiCall &call)
{
    Room *room = administered_room(call);
    const User *person = room != nullptr ? person_or_404(call, call.keys[1]) : nullptr;
    if (person == nullptr)
        return;
    remove_member(*call.xmpp, *room, *person, call.user);
    api_no_content(call.message);
}

// REST-DOCS get_all_participants: who is in the room now (§7.4).
void rest_list_participants(ApiCall &call)
{
    const Room *room = visible_room_or_404(call);
    if (room == nullptr)
        return;
    api_json(call.message, user_list(call, participant_users(*call.xmpp, *room),
                                     room_url(call, *room, "/participant")));
}

// REST-DOCS invite_user: `reason`; 204 (hipchatter's tests); the §7.8
// invite from the token's owner.
void rest_invite(ApiCall &call)
{
    Room *room = visible_room_or_404(call);
    const User *person = room != nullptr ? person_or_404(call, call.keys[1]) : nullptr;
    if (person == nullptr)
        return;
    JsonParser *parser = json_parser_new();
    std::string body;
    JsonObject *object = body_object(call, parser, body);
    const bool with_reason = object != nullptr && json_object_has_member(object, "reason");
    const std::string reason = text_member(object, "reason");
    g_object_unref(parser);
    invite_to_room(*call.xmpp, *room, call.user, *person, reason, with_reason);
    api_no_content(call.message);
}

// REST-DOCS set_topic: at most 250 characters (§8.2's limit); 204; the room's
// topic, announced as over XMPP (§7.6), so get_room shows it (hipchatter's
// tests).
void rest_set_topic(ApiCall &call)
{
    Room *room = visible_room_or_404(call);
    if (room == nullptr)
        return;
    JsonParser *parser = json_parser_new();
    std::string body;
    JsonObject *object = body_object(call, parser, body);
    const bool has_topic = object != nullptr && json_object_has_member(object, "topic");
    const std::string topic = text_member(object, "topic");
    g_object_unref(parser);
    if (!has_topic || g_utf8_strlen(topic.c_str(), -1) > 250) {
        api_error(call.message, 400, "Bad Request", "topic must be at most 250 characters");
        return;
    }
    change_topic(*call.xmpp, *room, call.user, topic);
    api_no_content(call.message);
}

// REST-DOCS send_message: `message`, 1 to 10,000 characters, said in the room
// by the token's owner (§8.2: from room/<their nick>, in the history); 201
// with the message's id and time (hipchatter's tests: 201).
void rest_send_room_message(ApiCall &call)
{
    Room *room = visible_room_or_404(call);
    if (room == nullptr)
        return;
    JsonParser *parser = json_parser_new();
    std::string body;
    HistoryMessage m;
    m.body = text_member(body_object(call, parser, body), "message");
    g_object_unref(parser);
    if (m.body.empty() || g_utf8_strlen(m.body.c_str(), -1) > 10000) {
        api_error(call.message, 400, "Bad Request", "message must be 1 to 10000 characters");
        return;
    }
    m.from_jid = call.org.user_jid(call.user);
    m.from_name = call.xmpp->room_nick(call.user);
    post_to_room(*call.xmpp, *room, std::move(m), "");
    const HistoryMessage &sent = room->history.back();
    api_json(call.message,
             JsonObjectText().text("id", sent.mid).text("timestamp", rest_date(sent.ts)).done(),
             201);
}

// REST-DOCS create_room_webhook: url and event required, pattern and name
// optional; 201 with the id and a link (hipchatter's tests read both).
void rest_create_webhook(ApiCall &call)
{
    Room *room = administered_room(call);
    if (room == nullptr)
        return;
    JsonParser *parser = json_parser_new();
    std::string body;
    JsonObject *object = body_object(call, parser, body);
    Webhook w;
    w.url = text_member(object, "url");
    w.event = text_member(object, "event");
    w.pattern = text_member(object, "pattern");
    w.name = text_member(object, "name");
    g_object_unref(parser);
    if (w.url.rfind("http://", 0) != 0 && w.url.rfind("https://", 0) != 0) {
        api_error(call.message, 400, "Bad Request", "url must be an http or https URL");
        return;
    }
    if (!known_event(w.event)) {
        api_error(call.message, 400, "Bad Request", "Unknown event: " + w.event);
        return;
    }
    for (const auto &r : call.org.rooms)
        for (const auto &other : r.webhooks)
            w.id = std::max(w.id, other.id);
    w.id += 1;
    w.creator = call.user.id;
    w.created = g_get_real_time() / G_USEC_PER_SEC;
    room->webhooks.push_back(w);
    api_json(
        call.message,
        JsonObjectText()
            .number("id", static_cast<std::int64_t>(w.id))
            .raw("links", links_json(room_url(call, *room, "/webhook/" + std::to_string(w.id))))
            .done(),
        201);
}

// REST-DOCS get_all_webhooks: the room's webhooks, paged.
void rest_list_webhooks(ApiCall &call)
{
    const Room *room = administered_room(call);
    if (room == nullptr)
        return;
    Page page(call);
    for (const auto &w : room->webhooks)
        if (page.offer())
            page.add(webhook_json(call, *room, w, false));
    api_json(call.message, page.json(room_url(call, *room, "/webhook")));
}

// REST-DOCS get_webhook: the webhook with its creator and room.
void rest_get_webhook(ApiCall &call)
{
    Room *room = administered_room(call);
    const Webhook *w = room != nullptr ? webhook_or_404(call, *room) : nullptr;
    if (w == nullptr)
        return;
    api_json(call.message, webhook_json(call, *room, *w, true));
}

// REST-DOCS delete_webhook: 204.
void rest_delete_webhook(ApiCall &call)
{
    Room *room = administered_room(call);
    const Webhook *w = room != nullptr ? webhook_or_404(call, *room) : nullptr;
    if (w == nullptr)
        return;
    const std::uint64_t id = w->id;
    std::erase_if(room->webhooks, [id](const Webhook &h) { return h.id == id; });
    api_no_content(call.message);
}

}  // namespace hipchat::emulator
