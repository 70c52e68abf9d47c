// Test support: a minimal HTTP CONNECT proxy on a free loopback port, run on
// the test's main loop, recording each CONNECT target. For checking that
// traffic honours the account's purple proxy settings.
#pragma once

#include <gio/gio.h>

#include <string>
#include <vector>

namespace hipchat::test {

class ConnectProxy {
public:
    ConnectProxy();
    ~ConnectProxy();
    ConnectProxy(const ConnectProxy &) = delete;
    ConnectProxy &operator=(const ConnectProxy &) = delete;

    int port() const { return port_; }
    const std::vector<std::string> &targets() const { return targets_; }  // "host:port"

private:
    static gboolean on_incoming(GSocketService *, GSocketConnection *client, GObject *,
                                gpointer data);

    GSocketService *service_ = nullptr;
    int port_ = 0;
    std::vector<std::string> targets_;
};

}  // namespace hipchat::test
