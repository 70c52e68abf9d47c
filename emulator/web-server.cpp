#include "web-server.hpp"

#include "core/files.hpp"
#include "json-body.hpp"
#include "rest-api.hpp"
#include "soup-listen.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace hipchat::emulator {

namespace {

// What the web client reads of the answer: {"error": "Invalid token"} makes
// it fetch a new token and try again; anything else that is JSON is done
// [INFERRED: the success body is not known].
void refuse(SoupServerMessage *message, unsigned status, const std::string &why)
{
    api_json(message, "{\"error\":" + core::json_string(why) + "}", status);
}

// Each changed preference replaces the user's, or is added.
void store(User &user, const std::vector<std::pair<std::string, std::string>> &changes)
{
    for (const auto &change : changes) {
        auto &prefs = user.preferences;
        const auto it = std::find_if(prefs.begin(), prefs.end(),
                                     [&](const auto &p) { return p.first == change.first; });
        if (it != prefs.end())
            it->second = change.second;
        else
            prefs.push_back(change);
    }
}

const char *field(GHashTable *form, const char *name)
{
    const char *value =
        form != nullptr ? static_cast<const char *>(g_hash_table_lookup(form, name)) : nullptr;
    return value != nullptr ? value : "";
}

}  // namespace

WebServer::WebServer(Organisation &org, GTlsCertificate *certificate) : org_(org)
{
    server_ = soup_server_new("tls-certificate", certificate, nullptr);
    soup_server_add_handler(server_, nullptr, on_request, this, nullptr);
}

WebServer::~WebServer()
{
    soup_server_disconnect(server_);
    g_object_unref(server_);
}

bool WebServer::listen(guint16 port, std::string &problem)
{
    port_ = listen_on_loopback(server_, port, SOUP_SERVER_LISTEN_HTTPS, problem);
    return port_ != 0;
}

void WebServer::on_request(SoupServer *, SoupServerMessage *message, const char *path, GHashTable *,
                           gpointer data)
{
    auto *self = static_cast<WebServer *>(data);
    if (g_strcmp0(path, "/api/save_preferences") != 0) {
        refuse(message, 404, "Not found");
        return;
    }
    if (std::strcmp(soup_server_message_get_method(message), "POST") != 0) {
        refuse(message, 405, "Use POST");
        return;
    }
    self->save_preferences(message);
}

// The form's `json` holds the changed preferences; each replaces the user's
// (objects such as roomNotificationOverrides are kept as JSON text, as the
// startup reply carries them). The token is the startup reply's (§6.2, the
// web client's apiv1_token): here one of the user's tokens.
void WebServer::save_preferences(SoupServerMessage *message)
{
    SoupMessageBody *body = soup_server_message_get_request_body(message);
    const std::string text = body != nullptr && body->data != nullptr
                                 ? std::string(body->data, static_cast<std::size_t>(body->length))
                                 : std::string();
    GHashTable *form = soup_form_decode(text.c_str());
    User *user = org_.find_user_by_id(std::strtoull(field(form, "user_id"), nullptr, 10));
    const std::string token = field(form, "token");
    const bool known =
        user != nullptr && !user->departed && !token.empty() &&
        std::find(user->tokens.begin(), user->tokens.end(), token) != user->tokens.end() &&
        std::strtoull(field(form, "group_id"), nullptr, 10) == org_.group_id;
    JsonParser *parser = json_parser_new();
    const char *json = field(form, "json");
    JsonObject *changes = parse_object(parser, json, std::strlen(json));
    if (!known) {
        refuse(message, 401, "Invalid token");
    } else if (changes == nullptr) {
        refuse(message, 400, "Expected json: an object of preferences");
    } else {
        store(*user, member_texts(changes));
        api_json(message, "{\"success\":true}");
    }
    g_object_unref(parser);
    if (form != nullptr)
        g_hash_table_destroy(form);
}

}  // namespace hipchat::emulator
