// HipChat emulator: the control interface for tests (docs/emulator.md): a
// plain-HTTP JSON API on loopback only, one handler per (method, path) in a
// table (control-server.cpp).
#pragma once

#include <libsoup/soup.h>

#include <string>

#include "rest-server.hpp"
#include "xmpp/server.hpp"

namespace hipchat::emulator {

class ControlServer {
public:
    ControlServer(XmppServer &xmpp, RestServer &rest);
    ~ControlServer();
    ControlServer(const ControlServer &) = delete;
    ControlServer &operator=(const ControlServer &) = delete;

    bool listen(guint16 port, std::string &error);  // 127.0.0.1 only
    guint16 port() const { return port_; }

private:
    static void on_request(SoupServer *server, SoupServerMessage *message, const char *path,
                           GHashTable *query, gpointer data);

    XmppServer &xmpp_;
    RestServer &rest_;
    SoupServer *server_ = nullptr;
    guint16 port_ = 0;
};

}  // namespace hipchat::emulator
