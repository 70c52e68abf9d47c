#include "rest-server.hpp"

#include "soup-listen.hpp"

#include <algorithm>

namespace hipchat::emulator {

namespace {

// §13: errors are JSON {"error": {"code", "message", "type"}}.
void error(SoupServerMessage *message, unsigned code, const char *type, const std::string &text)
{
    const std::string json = "{\"error\":{\"code\":" + std::to_string(code) + ",\"message\":\"" +
                             text + "\",\"type\":\"" + type + "\"}}";
    soup_server_message_set_status(message, code, nullptr);
    soup_server_message_set_response(message, "application/json", SOUP_MEMORY_COPY, json.data(),
                                     json.size());
}

}  // namespace

RestServer::RestServer(Organisation &org, GTlsCertificate *certificate) : org_(org)
{
    server_ = soup_server_new("tls-certificate", certificate, nullptr);
    soup_server_add_handler(server_, nullptr, on_request, this, nullptr);
}

RestServer::~RestServer()
{
    soup_server_disconnect(server_);
    g_object_unref(server_);
}

bool RestServer::listen(guint16 port, std::string &problem)
{
    port_ = listen_on_loopback(server_, port, SOUP_SERVER_LISTEN_HTTPS, problem);
    return port_ != 0;
}

void RestServer::on_request(SoupServer *, SoupServerMessage *message, const char *path,
                            GHashTable *, gpointer data)
{
    auto *self = static_cast<RestServer *>(data);
    const std::string route = path != nullptr ? path : "";
    self->requests_.push_back(route);
    if (g_strcmp0(soup_server_message_get_method(message), "GET") != 0) {
        error(message, 405, "Method Not Allowed", "Only GET is served here");
        return;
    }
    // Photos (§6.3 photo_url): /avatars/<file>, exactly a user's photo.
    const std::string prefix = "/avatars/";
    if (route.rfind(prefix, 0) == 0) {
        const std::string file = "avatars/" + route.substr(prefix.size());
        const bool known = std::any_of(self->org_.users.begin(), self->org_.users.end(),
                                       [&](const User &u) { return u.photo == file; });
        gchar *contents = nullptr;
        gsize length = 0;
        const std::string full = self->org_.data_dir + "/" + file;
        if (known && self->oversized_photos) {
            std::string huge(2 * 1024 * 1024, '\0');
            huge.replace(0, 8, "\x89PNG\r\n\x1a\n");
            soup_server_message_set_status(message, 200, nullptr);
            soup_server_message_set_response(message, "image/png", SOUP_MEMORY_COPY, huge.data(),
                                             huge.size());
            return;
        }
        if (known && g_file_get_contents(full.c_str(), &contents, &length, nullptr)) {
            soup_server_message_set_status(message, 200, nullptr);
            soup_server_message_set_response(message, "image/png", SOUP_MEMORY_TAKE, contents,
                                             length);
            return;
        }
    }
    error(message, 404, "Not Found", "No such resource");
}

}  // namespace hipchat::emulator
