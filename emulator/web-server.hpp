// HipChat emulator: the website (web_host, protocol reference §5.5) as far as
// a chat client reaches it: saving the user's preferences, which HipChat's
// clients did over the website rather than XMPP (§6.2; the official web
// client's core/hipchat.js savePreferences: POST {base_url}/api/save_preferences,
// a form with json, user_id, group_id, token and format=json). What it saves
// comes back in the next startup reply (§19.6). Served only with --web-port:
// otherwise the announced web host is HipChat's own, which nothing here
// reaches.
#pragma once

#include <libsoup/soup.h>

#include <string>
#include <vector>

#include "org.hpp"

namespace hipchat::emulator {

class WebServer {
public:
    // `certificate` is borrowed and must outlive the server.
    WebServer(Organisation &org, GTlsCertificate *certificate);
    ~WebServer();
    WebServer(const WebServer &) = delete;
    WebServer &operator=(const WebServer &) = delete;

    bool listen(guint16 port, std::string &error);  // 127.0.0.1, HTTPS
    guint16 port() const { return port_; }

private:
    static void on_request(SoupServer *server, SoupServerMessage *message, const char *path,
                           GHashTable *query, gpointer data);
    void save_preferences(SoupServerMessage *message);

    Organisation &org_;
    SoupServer *server_ = nullptr;
    guint16 port_ = 0;
};

}  // namespace hipchat::emulator
