// HipChat emulator: REST's room update on the API host (§13), which the
// official client archives and restores rooms with (dal.room.js update,
// application_store.js handleArchiveRoom): the reference has no XMPP request
// for archiving.
#include "json-body.hpp"
#include "rest-server.hpp"
#include "rest-support.hpp"
#include "xmpp/rooms.hpp"

#include <string>

namespace hipchat::emulator {

namespace {

// The fields HipChat's REST documentation requires of an update, all of
// which the official client sends.
constexpr const char *required_fields[] = {"name",  "privacy", "is_archived", "is_guest_accessible",
                                           "topic", "owner"};

std::string missing_fields(JsonObject *object)
{
    std::string missing;
    for (const char *field : required_fields)
        if (object == nullptr || !json_object_has_member(object, field))
            missing += (missing.empty() ? "" : ", ") + std::string(field);
    return missing;
}

RoomChange change_of(JsonObject *object)
{
    RoomChange change;
    change.name = text_member(object, "name");
    change.privacy = text_member(object, "privacy");
    change.topic = text_member(object, "topic");
    change.archived = bool_member(object, "is_archived");
    change.guest_access = bool_member(object, "is_guest_accessible");
    JsonNode *owner = json_object_get_member(object, "owner");
    if (owner != nullptr && JSON_NODE_HOLDS_OBJECT(owner))
        change.owner = static_cast<std::uint64_t>(int_member(json_node_get_object(owner), "id", 0));
    return change;
}

}  // namespace

// PUT /v2/room/{id or name}: every setting of the room at once. A refusal is
// §13's JSON with check_change's reasons; success is 204 [INFERRED, as the
// API's other writes answer], and the change is then told as the XMPP side
// tells it (§7.3 push, §8.9 messages).
void RestServer::update_room(SoupServerMessage *message, User &user, const std::string &key)
{
    Room *room = room_by_id_or_name(org_, key);
    if (room == nullptr) {
        rest_error(message, 404, "Not Found", "Room not found");
        return;
    }
    SoupMessageBody *body = soup_server_message_get_request_body(message);
    JsonParser *parser = json_parser_new();
    JsonObject *object = body != nullptr ? parse_object(parser, body->data, body->length) : nullptr;
    const std::string missing = missing_fields(object);
    const RoomChange change = missing.empty() ? change_of(object) : RoomChange{};
    g_object_unref(parser);
    if (!missing.empty()) {
        rest_error(message, 400, "Bad Request", "Missing required fields: " + missing);
        return;
    }
    if (const auto refused = check_change(org_, *room, user, change)) {
        rest_error(message, refused->http_status,
                   refused->http_status == 403 ? "Forbidden" : "Bad Request", refused->text);
        return;
    }
    if (xmpp_ == nullptr) {  // (main() always gives one: rooms change over XMPP too)
        rest_error(message, 503, "Service Unavailable", "The chat service is not running");
        return;
    }
    apply_change(*xmpp_, *room, user, change);
    soup_server_message_set_status(message, 204, nullptr);
}

}  // namespace hipchat::emulator
