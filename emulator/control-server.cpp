#include "control-server.hpp"

#include "soup-listen.hpp"

#include <json-glib/json-glib.h>

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
                               GHashTable *, gpointer data)
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
        respond(message, 200, self->xmpp_.transcript_json());
    } else if (method == "POST" && route == "/fault") {
        JsonParser *parser = json_parser_new();
        JsonObject *body = body_object(message, parser);
        if (body == nullptr) {
            respond(message, 400, "{\"error\":\"a JSON object is required\"}");
        } else {
            if (json_object_has_member(body, "reset") &&
                json_object_get_boolean_member(body, "reset")) {
                self->xmpp_.faults = Faults{};
                self->rest_.oversized_photos = false;
            }
            if (json_object_has_member(body, "drop_after")) {
                const std::string stage = json_object_get_string_member(body, "drop_after");
                if (stage != "features" && stage != "auth" && stage != "success" && stage != "iq") {
                    respond(message, 400,
                            "{\"error\":\"drop_after: features, auth, success or iq\"}");
                    g_object_unref(parser);
                    return;
                }
                self->xmpp_.faults.drop_after = stage;
            }
            if (json_object_has_member(body, "fail_auth_with"))
                self->xmpp_.faults.fail_auth_with =
                    json_object_get_string_member(body, "fail_auth_with");
            if (json_object_has_member(body, "oversized_photos"))
                self->rest_.oversized_photos =
                    json_object_get_boolean_member(body, "oversized_photos");
            if (json_object_has_member(body, "error_iq"))
                self->xmpp_.faults.error_iq = json_object_get_string_member(body, "error_iq");
            if (json_object_has_member(body, "success_without_jid"))
                self->xmpp_.faults.success_without_jid =
                    json_object_get_boolean_member(body, "success_without_jid");
            respond(message, 200, "{}");
        }
        g_object_unref(parser);
    } else if (method == "POST" && (route == "/presence" || route == "/message")) {
        JsonParser *parser = json_parser_new();
        JsonObject *body = body_object(message, parser);
        auto text = [body](const char *name) {
            return body != nullptr && json_object_has_member(body, name)
                       ? std::string(json_object_get_string_member(body, name))
                       : std::string();
        };
        bool done = false;
        if (body != nullptr && route == "/presence")
            done = self->xmpp_.simulate_presence(text("user"), text("show"), text("status"));
        else if (body != nullptr)
            done = self->xmpp_.simulate_message(text("from"), text("to"), text("body"));
        respond(message, done ? 200 : 400,
                done ? "{}" : "{\"error\":\"unknown user or bad JSON\"}");
        g_object_unref(parser);
    } else if (method == "POST" && route == "/roster") {
        // {"action": "add"|"change"|"remove", "id": N, "name", "mention_name", "email"}
        JsonParser *parser = json_parser_new();
        JsonObject *body = body_object(message, parser);
        auto text = [body](const char *name) {
            return json_object_has_member(body, name)
                       ? std::string(json_object_get_string_member(body, name))
                       : std::string();
        };
        Organisation &org = self->xmpp_.org();
        const std::string action = body != nullptr ? text("action") : "";
        const auto id = body != nullptr && json_object_has_member(body, "id")
                            ? static_cast<std::uint64_t>(json_object_get_int_member(body, "id"))
                            : 0;
        User *user = id != 0 ? org.find_user_by_id(id) : nullptr;
        if (action == "add" && user == nullptr && id != 0) {
            User added;
            added.id = id;
            added.name = text("name");
            added.mention_name = text("mention_name");
            added.email = text("email");
            org.users.push_back(std::move(added));
            self->xmpp_.push_roster(org.users.back(), false);
            respond(message, 200, "{}");
        } else if (action == "change" && user != nullptr) {
            if (!text("name").empty())
                user->name = text("name");
            if (!text("mention_name").empty())
                user->mention_name = text("mention_name");
            self->xmpp_.push_roster(*user, false);
            respond(message, 200, "{}");
        } else if (action == "remove" && user != nullptr) {
            self->xmpp_.push_roster(*user, true);
            respond(message, 200, "{}");
        } else {
            respond(message, 400, "{\"error\":\"add a new id, or change/remove a known one\"}");
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
