// HipChat emulator: the HTTPS side on the API host (protocol reference §11,
// §13). Today it serves the people's photos that roster photo_url points
// to; the REST API proper (share/file, files, emoticons) is still to come.
#pragma once

#include <libsoup/soup.h>

#include <string>
#include <vector>

#include "org.hpp"

namespace hipchat::emulator {

class RestServer {
public:
    // `certificate` is borrowed and must outlive the server.
    RestServer(Organisation &org, GTlsCertificate *certificate);
    ~RestServer();
    RestServer(const RestServer &) = delete;
    RestServer &operator=(const RestServer &) = delete;

    bool listen(guint16 port, std::string &error);  // 127.0.0.1, HTTPS
    guint16 port() const { return port_; }

    // Every request path served or refused, in order (control interface).
    const std::vector<std::string> &requests() const { return requests_; }

    // Fault for tests: photos served as 2 MiB images.
    bool oversized_photos = false;

private:
    static void on_request(SoupServer *server, SoupServerMessage *message, const char *path,
                           GHashTable *query, gpointer data);

    Organisation &org_;
    SoupServer *server_ = nullptr;
    guint16 port_ = 0;
    std::vector<std::string> requests_;
};

}  // namespace hipchat::emulator
