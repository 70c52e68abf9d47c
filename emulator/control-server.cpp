#include "control-server.hpp"

#include "soup-listen.hpp"

#include "core/timestamp.hpp"
#include "xmpp/emoticons.hpp"
#include "xmpp/messages.hpp"
#include "xmpp/people.hpp"
#include "xmpp/presence.hpp"
#include "xmpp/rooms.hpp"

#include <json-glib/json-glib.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace hipchat::emulator {

namespace {

void respond(SoupServerMessage *message, unsigned status, const std::string &json)
{
    soup_server_message_set_status(message, status, nullptr);
    soup_server_message_set_response(message, "application/json", SOUP_MEMORY_COPY, json.data(),
                                     json.size());
}

// The request body as a JSON object, or nullptr (caller unrefs the parser).
JsonObject *body_object(SoupServerMessage *message, JsonParser *parser)
{
    SoupMessageBody *body = soup_server_message_get_request_body(message);
    if (body == nullptr || body->length == 0)
        return nullptr;
    if (!json_parser_load_from_data(parser, body->data, body->length, nullptr))
        return nullptr;
    JsonNode *root = json_parser_get_root(parser);
    return root != nullptr && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : nullptr;
}

// Members of a request body, tolerant of absent or mistyped values (never
// crash on bad input: house style).
std::string text_member(JsonObject *object, const char *name, const char *fallback = "")
{
    JsonNode *node = object != nullptr ? json_object_get_member(object, name) : nullptr;
    if (node == nullptr || !JSON_NODE_HOLDS_VALUE(node) ||
        json_node_get_value_type(node) != G_TYPE_STRING)
        return fallback;
    return json_node_get_string(node);
}

bool bool_member(JsonObject *object, const char *name)
{
    JsonNode *node = object != nullptr ? json_object_get_member(object, name) : nullptr;
    return node != nullptr && JSON_NODE_HOLDS_VALUE(node) &&
           json_node_get_value_type(node) == G_TYPE_BOOLEAN && json_node_get_boolean(node);
}

std::int64_t int_member(JsonObject *object, const char *name, std::int64_t fallback)
{
    JsonNode *node = object != nullptr ? json_object_get_member(object, name) : nullptr;
    if (node == nullptr || !JSON_NODE_HOLDS_VALUE(node) ||
        json_node_get_value_type(node) != G_TYPE_INT64)
        return fallback;
    return json_node_get_int(node);
}

// A new emoticons ver (§12.1: opaque; the reference's look, to the second)
// that differs from `old`.
std::string next_emoticons_ver(const std::string &old)
{
    for (gint64 t = g_get_real_time() / G_USEC_PER_SEC;; ++t) {
        const std::string ver = core::format_xmpp_stamp(t);
        if (ver != old)
            return ver;
    }
}

// A JSON member as text: strings as they are, objects as JSON (§8.4 card).
std::string json_member_text(JsonObject *object, const char *name)
{
    JsonNode *node = object != nullptr ? json_object_get_member(object, name) : nullptr;
    if (node == nullptr)
        return {};
    if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING)
        return json_node_get_string(node);
    if (!JSON_NODE_HOLDS_OBJECT(node))
        return {};
    gchar *json = json_to_string(node, FALSE);
    std::string out = json;
    g_free(json);
    return out;
}

// POST /messages: a batch for benchmarks, so that posting costs the client
// under test one request, not one per message. Each entry is what POST
// /message (`from` a JID, `body`) or POST /notification (`from` a label,
// `message`, `message_format`, `color`, `notify`) would post to `room`, in
// order. Returns how many were posted; stops at the first bad entry.
std::size_t post_batch(XmppServer &xmpp, Room &room, const std::string &room_jid,
                       JsonArray *entries, std::string &error)
{
    const guint count = entries != nullptr ? json_array_get_length(entries) : 0;
    for (guint i = 0; i < count; ++i) {
        JsonNode *node = json_array_get_element(entries, i);
        JsonObject *entry = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : nullptr;
        bool posted = false;
        if (entry != nullptr && json_object_has_member(entry, "body")) {
            posted = simulate_room_message(xmpp, text_member(entry, "from"), room_jid,
                                                text_member(entry, "body"));
        } else if (entry != nullptr && !text_member(entry, "message").empty()) {
            HistoryMessage m;  // §8.4, as POST /notification
            m.body = text_member(entry, "message");
            m.from_name = text_member(entry, "from", "Integration");
            m.message_format = text_member(entry, "message_format", "html");
            m.color = text_member(entry, "color", "yellow");
            m.notification_type = text_member(entry, "type", "notification");
            m.notify = bool_member(entry, "notify");
            post_to_room(xmpp, room, std::move(m), "");
            posted = true;
        }
        if (!posted) {
            error = "message " + std::to_string(i) +
                    ": a known from with a body, or a notification's message";
            return i;
        }
    }
    return count;
}

}  // namespace

ControlServer::ControlServer(XmppServer &xmpp, RestServer &rest) : xmpp_(xmpp), rest_(rest) {}

ControlServer::~ControlServer()
{
    if (server_ != nullptr) {
        soup_server_disconnect(server_);
        g_object_unref(server_);
    }
}

bool ControlServer::listen(guint16 port, std::string &error)
{
    server_ = soup_server_new(nullptr, nullptr);
    soup_server_add_handler(server_, nullptr, on_request, this, nullptr);
    port_ = listen_on_loopback(server_, port, SoupServerListenOptions(0), error);
    if (port_ == 0)
        return false;
    return true;
}

void ControlServer::on_request(SoupServer *, SoupServerMessage *message, const char *path,
                               GHashTable *query, gpointer data)
{
    auto *self = static_cast<ControlServer *>(data);
    const std::string method = soup_server_message_get_method(message);
    const std::string route = path != nullptr ? path : "";

    if (method == "GET" && route == "/status") {
        respond(message, 200, self->xmpp_.status_json());
    } else if (method == "GET" && route == "/rest-log") {
        std::string json = "{\"requests\":[";
        for (const auto &request : self->rest_.requests())
            json += (json.back() == '[' ? "\"" : ",\"") + request + "\"";
        respond(message, 200, json + "]}");
    } else if (method == "GET" && route == "/transcript") {
        const char *user = query != nullptr
                               ? static_cast<const char *>(g_hash_table_lookup(query, "user"))
                               : nullptr;
        respond(message, 200, self->xmpp_.transcript_json(user != nullptr ? user : ""));
    } else if (method == "POST" && route == "/fault") {
        JsonParser *parser = json_parser_new();
        JsonObject *body = body_object(message, parser);
        if (body == nullptr) {
            respond(message, 400, "{\"error\":\"a JSON object is required\"}");
        } else {
            if (bool_member(body, "reset")) {
                self->xmpp_.faults = Faults{};
                self->rest_.faults = RestServer::RestFaults{};
            }
            if (json_object_has_member(body, "drop_after")) {
                const std::string stage = text_member(body, "drop_after");
                const bool numbered_iq =
                    stage.rfind("iq:", 0) == 0 && stage.size() > 3 &&
                    stage.find_first_not_of("0123456789", 3) == std::string::npos &&
                    std::atoi(stage.c_str() + 3) > 0;
                if (stage == "now") {
                    self->xmpp_.drop_all();
                } else if (stage != "features" && stage != "auth" && stage != "success" &&
                           stage != "iq" && !numbered_iq) {
                    respond(message, 400,
                            "{\"error\":\"drop_after: features, auth, success, iq, iq:N or now\"}");
                    g_object_unref(parser);
                    return;
                } else {
                    self->xmpp_.faults.drop_after = stage;
                }
            }
            if (json_object_has_member(body, "delay_ms"))
                self->xmpp_.faults.delay_ms =
                    static_cast<int>(CLAMP(int_member(body, "delay_ms", 0), 0, 60000));
            if (json_object_has_member(body, "fail_auth_with"))
                self->xmpp_.faults.fail_auth_with = text_member(body, "fail_auth_with");
            RestServer::RestFaults &rest = self->rest_.faults;
            if (json_object_has_member(body, "oversized_photos"))
                rest.oversized_photos = bool_member(body, "oversized_photos");
            if (json_object_has_member(body, "rate_limit"))
                rest.rate_limit =
                    static_cast<int>(CLAMP(int_member(body, "rate_limit", 500), 0, 1000000));
            if (json_object_has_member(body, "rest_delay_ms"))
                rest.delay_ms =
                    static_cast<int>(CLAMP(int_member(body, "rest_delay_ms", 0), 0, 60000));
            if (json_object_has_member(body, "rest_truncate"))
                rest.truncate = bool_member(body, "rest_truncate");
            if (json_object_has_member(body, "rest_status")) {
                const auto status = int_member(body, "rest_status", 0);
                if (status != 0 && status != 400 && status != 401 && status != 403 &&
                    status != 500 && status != 503) {
                    respond(message, 400,
                            "{\"error\":\"rest_status: 0, 400, 401, 403, 500 or 503\"}");
                    g_object_unref(parser);
                    return;
                }
                rest.fail_status = static_cast<int>(status);
            }
            if (json_object_has_member(body, "error_iq"))
                self->xmpp_.faults.error_iq = text_member(body, "error_iq");
            if (json_object_has_member(body, "ignore_iq"))
                self->xmpp_.faults.ignore_iq = text_member(body, "ignore_iq");
            if (json_object_has_member(body, "reply_iq")) {
                // {"xmlns": NS, "payload": TEXT}; null (or an empty xmlns) clears it.
                JsonNode *node = json_object_get_member(body, "reply_iq");
                JsonObject *reply =
                    JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : nullptr;
                if (reply == nullptr && !JSON_NODE_HOLDS_NULL(node)) {
                    respond(message, 400,
                            "{\"error\":\"reply_iq: an object with xmlns and payload, or null\"}");
                    g_object_unref(parser);
                    return;
                }
                self->xmpp_.faults.reply_iq = {text_member(reply, "xmlns"),
                                               text_member(reply, "payload")};
            }
            if (json_object_has_member(body, "success_without_jid"))
                self->xmpp_.faults.success_without_jid = bool_member(body, "success_without_jid");
            respond(message, 200, "{}");
        }
        g_object_unref(parser);
    } else if (method == "POST" && (route == "/presence" || route == "/message")) {
        JsonParser *parser = json_parser_new();
        JsonObject *body = body_object(message, parser);
        auto text = [body](const char *name) { return text_member(body, name); };
        bool done = false;
        if (body != nullptr && route == "/presence")
            done = simulate_presence(self->xmpp_, text("user"), text("show"), text("status"));
        else if (body != nullptr && !text("room").empty())
            done = simulate_room_message(self->xmpp_, text("from"), text("room"), text("body"));
        else if (body != nullptr)
            done = simulate_message(self->xmpp_, text("from"), text("to"), text("body"));
        respond(message, done ? 200 : 400,
                done ? "{}" : "{\"error\":\"unknown user or bad JSON\"}");
        g_object_unref(parser);
    } else if (method == "POST" && route == "/stanza") {
        // {"to": bare or full JID, "xml": TEXT}: TEXT as it is to that user's live
        // sessions (or the one), for the malformed and oversized pushes,
        // messages and presences a client must survive.
        JsonParser *parser = json_parser_new();
        JsonObject *body = body_object(message, parser);
        const std::string to = text_member(body, "to");
        const std::string xml = text_member(body, "xml");
        if (to.empty() || xml.empty()) {
            respond(message, 400, "{\"error\":\"a to JID and the xml to send are required\"}");
        } else if (const std::size_t sessions = self->xmpp_.send_verbatim(to, xml); sessions == 0) {
            respond(message, 404, "{\"error\":\"no live session of that JID\"}");
        } else {
            respond(message, 200, "{\"sessions\":" + std::to_string(sessions) + "}");
        }
        g_object_unref(parser);
    } else if (method == "POST" && route == "/roster") {
        // {"action": "add"|"change"|"remove", "id": N, "name", "mention_name", "email"}
        JsonParser *parser = json_parser_new();
        JsonObject *body = body_object(message, parser);
        auto text = [body](const char *name) { return text_member(body, name); };
        Organisation &org = self->xmpp_.org();
        const std::string action = body != nullptr ? text("action") : "";
        const auto id =
            static_cast<std::uint64_t>(std::max<std::int64_t>(0, int_member(body, "id", 0)));
        User *user = id != 0 ? org.find_user_by_id(id) : nullptr;
        if (action == "add" && user != nullptr && user->departed) {
            // Back in the team: the same id, the new details.
            user->departed = false;
            if (!text("name").empty())
                user->name = text("name");
            if (!text("mention_name").empty())
                user->mention_name = text("mention_name");
            if (!text("email").empty())
                user->email = text("email");
            push_roster(self->xmpp_, *user, false);
            respond(message, 200, "{}");
        } else if (action == "add" && user == nullptr && id != 0) {
            User added;
            added.id = id;
            added.name = text("name");
            added.mention_name = text("mention_name");
            added.email = text("email");
            org.users.push_back(std::move(added));
            push_roster(self->xmpp_, org.users.back(), false);
            respond(message, 200, "{}");
        } else if (action == "change" && user != nullptr) {
            if (!text("name").empty())
                user->name = text("name");
            if (!text("mention_name").empty())
                user->mention_name = text("mention_name");
            push_roster(self->xmpp_, *user, false);
            respond(message, 200, "{}");
        } else if (action == "remove" && user != nullptr && !user->departed) {
            // §6.3: gone from the roster and unable to log in; sessions stay
            // until they end (what HipChat did with them is [UNKNOWN]).
            user->departed = true;
            push_roster(self->xmpp_, *user, true);
            respond(message, 200, "{}");
        } else {
            respond(message, 400, "{\"error\":\"add a new id, or change/remove a known one\"}");
        }
        g_object_unref(parser);
    } else if (method == "POST" && route == "/notification") {
        // §16 item 11, §8.4: {"room": JID, "from": label, "message", "message_format",
        // "color", "notify", "type"} as an integration notification in the room.
        JsonParser *parser = json_parser_new();
        JsonObject *body = body_object(message, parser);
        auto text = [body](const char *name, const char *fallback) {
            return text_member(body, name, fallback);
        };
        Room *room =
            body != nullptr ? self->xmpp_.org().find_room_by_jid(text("room", "")) : nullptr;
        HistoryMessage m;
        m.body = text("message", "");
        m.from_name = text("from", "Integration");
        m.message_format = text("message_format", "html");
        m.color = text("color", "yellow");
        m.notification_type = text("type", "notification");
        m.notify = bool_member(body, "notify");
        m.card = json_member_text(body, "card");
        if (JsonNode *sender =
                body != nullptr ? json_object_get_member(body, "notification_sender") : nullptr;
            sender != nullptr && JSON_NODE_HOLDS_OBJECT(sender)) {
            m.sender_type = text_member(json_node_get_object(sender), "type");
            m.sender_id = text_member(json_node_get_object(sender), "id");
        }
        if (room == nullptr || m.body.empty()) {
            respond(message, 400, "{\"error\":\"a known room and a message are required\"}");
        } else {
            post_to_room(self->xmpp_, *room, std::move(m), "");
            respond(message, 200, "{}");
        }
        g_object_unref(parser);
    } else if (method == "POST" && route == "/messages") {
        // {"room": JID, "messages": [{"from": JID, "body"} | {"from": label, "message", …}]}
        JsonParser *parser = json_parser_new();
        JsonObject *body = body_object(message, parser);
        const std::string room_jid = text_member(body, "room");
        Room *room = body != nullptr ? self->xmpp_.org().find_room_by_jid(room_jid) : nullptr;
        JsonNode *list = body != nullptr ? json_object_get_member(body, "messages") : nullptr;
        std::string error;
        if (room == nullptr || list == nullptr || !JSON_NODE_HOLDS_ARRAY(list)) {
            respond(message, 400, "{\"error\":\"a known room and a messages array\"}");
        } else {
            const std::size_t posted =
                post_batch(self->xmpp_, *room, room_jid, json_node_get_array(list), error);
            respond(message, error.empty() ? 200 : 400,
                    error.empty() ? "{\"posted\":" + std::to_string(posted) + "}"
                                  : "{\"error\":\"" + error +
                                        "\",\"posted\":" + std::to_string(posted) + "}");
        }
        g_object_unref(parser);
    } else if (method == "POST" && route == "/emoticons") {
        // §12.1: {"id": N, "shortcut", "path", "type", "width", "height", "file"} adds
        // an emoticon or changes the one with that id; a new ver, then a push.
        JsonParser *parser = json_parser_new();
        JsonObject *body = body_object(message, parser);
        Organisation &org = self->xmpp_.org();
        const auto id =
            static_cast<std::uint64_t>(std::max<std::int64_t>(0, int_member(body, "id", 0)));
        auto known = std::find_if(org.emoticons.begin(), org.emoticons.end(),
                                  [id](const Emoticon &e) { return e.id == id; });
        Emoticon e = known != org.emoticons.end() ? *known : Emoticon{};
        e.id = id;
        auto set_text = [body](const char *name, std::string &field) {
            if (json_object_has_member(body, name))
                field = text_member(body, name);
        };
        if (body != nullptr) {
            set_text("shortcut", e.shortcut);
            set_text("path", e.path);
            set_text("type", e.type);
            set_text("file", e.file);
            e.width = static_cast<int>(CLAMP(int_member(body, "width", e.width), 1, 1000));
            e.height = static_cast<int>(CLAMP(int_member(body, "height", e.height), 1, 1000));
        }
        if (id == 0 || e.shortcut.empty() || e.path.empty() ||
            (e.type != "global" && e.type != "group") || e.file.find("..") != std::string::npos) {
            respond(message, 400,
                    "{\"error\":\"an id, a shortcut, a path, type global or group, a file "
                    "inside the data directory\"}");
        } else {
            if (known != org.emoticons.end())
                *known = e;
            else
                org.emoticons.push_back(e);
            org.emoticons_ver = next_emoticons_ver(org.emoticons_ver);
            push_emoticons(self->xmpp_, {e});
            respond(message, 200, "{\"ver\":\"" + org.emoticons_ver + "\"}");
        }
        g_object_unref(parser);
    } else if (method == "POST" && route == "/room") {
        // {"room": JID, "archived": true|false, "by": JID}: archived or restored on the
        // website (§7.3 push, §8.9 message); "by" defaults to the owner.
        JsonParser *parser = json_parser_new();
        JsonObject *body = body_object(message, parser);
        Organisation &org = self->xmpp_.org();
        Room *room = body != nullptr ? org.find_room_by_jid(text_member(body, "room")) : nullptr;
        User *by = body != nullptr && json_object_has_member(body, "by")
                       ? org.find_user_by_jid(text_member(body, "by"))
                       : (room != nullptr ? org.find_user_by_id(room->owner) : nullptr);
        if (room == nullptr || by == nullptr || !json_object_has_member(body, "archived")) {
            respond(message, 400, "{\"error\":\"a known room, archived and a known by\"}");
        } else {
            set_archived(self->xmpp_, *room, bool_member(body, "archived"), *by);
            respond(message, 200, "{}");
        }
        g_object_unref(parser);
    } else if (method == "POST" && route == "/disconnect") {
        self->xmpp_.disconnect_all();
        respond(message, 200, "{}");
    } else {
        respond(message, 404, "{\"error\":\"no such endpoint\"}");
    }
}

}  // namespace hipchat::emulator
