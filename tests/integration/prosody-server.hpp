// Test support: a real XMPP server nobody here wrote (Debian's prosody),
// started on a free loopback port with a temporary configuration, data
// directory and self-signed certificate, and stopped on scope exit.
#pragma once

#include <glib.h>

#include <string>

namespace hipchat::test {

class ProsodyServer {
public:
    ProsodyServer();
    ~ProsodyServer();
    ProsodyServer(const ProsodyServer &) = delete;
    ProsodyServer &operator=(const ProsodyServer &) = delete;

    // Registers user@localhost.
    void add_user(const std::string &user, const std::string &password);

    int port() const { return port_; }
    const std::string &certificate() const { return certificate_; }  // PEM, for "localhost"
    static constexpr const char *domain = "localhost";
    static constexpr const char *muc_domain = "conference.localhost";

private:
    std::string dir_, config_, certificate_;
    int port_ = 0;
    GPid pid_ = 0;
};

}  // namespace hipchat::test
