// Test support: a scripted raw-XMPP client with blocking I/O, for testing the
// emulator directly (not through libpurple).
#pragma once

#include <gio/gio.h>

#include <string>

namespace hipchat::test {

class XmppTestClient {
public:
    explicit XmppTestClient(int port);
    ~XmppTestClient();
    XmppTestClient(const XmppTestClient &) = delete;
    XmppTestClient &operator=(const XmppTestClient &) = delete;

    void send(const std::string &text);
    // Reads until what arrived since the last expect() contains `part`;
    // returns all of it. Fails the test after `timeout_ms`.
    std::string expect(const std::string &part, int timeout_ms = 5000);
    // Reads for `timeout_ms`; true when the server closed the connection.
    bool closed_within(int timeout_ms);

    // The stream header plus STARTTLS, trusting `ca_file`.
    void start_tls(const std::string &ca_file);
    // TLS at once (the direct TLS port, §4.1), then the stream header.
    void start_direct_tls(const std::string &ca_file);
    // The HipChat password auth (§5.1), after start_tls and the features;
    // the answer is the caller's to expect.
    void send_auth(const std::string &email, const std::string &password,
                   const std::string &resource);
    // start_tls, then the HipChat password auth; returns the <success>.
    std::string login(const std::string &ca_file, const std::string &email,
                      const std::string &password, const std::string &resource = "test");

    static std::string base64(const std::string &plain);

private:
    bool read_some(int timeout_ms);
    void handshake(const std::string &ca_file);

    GSocketConnection *socket_ = nullptr;
    GIOStream *stream_ = nullptr;
    std::string pending_;
    bool eof_ = false;
};

}  // namespace hipchat::test
