#include "xmpp-test-client.hpp"

#include <check.h>

namespace hipchat::test {

XmppTestClient::XmppTestClient(int port)
{
    GSocketClient *client = g_socket_client_new();
    GError *error = nullptr;
    socket_ = g_socket_client_connect_to_host(client, "127.0.0.1", port, nullptr, &error);
    g_object_unref(client);
    ck_assert_msg(socket_ != nullptr, "connect: %s", error != nullptr ? error->message : "");
    stream_ = G_IO_STREAM(g_object_ref(socket_));
}

XmppTestClient::~XmppTestClient()
{
    g_io_stream_close(stream_, nullptr, nullptr);
    g_object_unref(stream_);
    g_object_unref(socket_);
}

std::string XmppTestClient::base64(const std::string &plain)
{
    gchar *encoded = g_base64_encode(reinterpret_cast<const guchar *>(plain.data()), plain.size());
    std::string result(encoded);
    g_free(encoded);
    return result;
}

void XmppTestClient::send(const std::string &text)
{
    GError *error = nullptr;
    ck_assert_msg(g_output_stream_write_all(g_io_stream_get_output_stream(stream_), text.data(),
                                            text.size(), nullptr, nullptr, &error),
                  "send: %s", error != nullptr ? error->message : "");
}

bool XmppTestClient::read_some(int timeout_ms)
{
    GSocket *socket = g_socket_connection_get_socket(socket_);
    GInputStream *in = g_io_stream_get_input_stream(stream_);
    // TLS may hold decrypted data; otherwise wait for the socket.
    if (!G_IS_TLS_CONNECTION(stream_) &&
        !(g_socket_condition_timed_wait(socket, G_IO_IN, gint64{timeout_ms} * 1000, nullptr,
                                        nullptr)))
        return false;
    g_socket_set_timeout(socket, (timeout_ms + 999) / 1000);
    char buffer[8192];
    GError *error = nullptr;
    const gssize n = g_input_stream_read(in, buffer, sizeof buffer, nullptr, &error);
    g_socket_set_timeout(socket, 0);
    if (n <= 0) {
        const bool timed_out =
            error != nullptr && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
        g_clear_error(&error);
        if (!timed_out)
            eof_ = true;
        return false;
    }
    pending_.append(buffer, n);
    return true;
}

std::string XmppTestClient::expect(const std::string &part, int timeout_ms)
{
    const gint64 deadline = g_get_monotonic_time() + gint64{timeout_ms} * 1000;
    while (pending_.find(part) == std::string::npos) {
        const gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        ck_assert_msg(left > 0 && !eof_, "waited for '%s', got: %s", part.c_str(),
                      pending_.substr(0, 1500).c_str());
        read_some(static_cast<int>(std::min<gint64>(left, 500)));
    }
    std::string all;
    all.swap(pending_);
    return all;
}

bool XmppTestClient::closed_within(int timeout_ms)
{
    const gint64 deadline = g_get_monotonic_time() + gint64{timeout_ms} * 1000;
    while (!eof_ && g_get_monotonic_time() < deadline)
        read_some(200);
    return eof_;
}

void XmppTestClient::handshake(const std::string &ca_file)
{
    GError *error = nullptr;
    GTlsDatabase *database = g_tls_file_database_new(ca_file.c_str(), &error);
    ck_assert_msg(database != nullptr, "CA: %s", error != nullptr ? error->message : "");
    GSocketConnectable *identity = g_network_address_new("127.0.0.1", 0);
    GIOStream *tls = g_tls_client_connection_new(stream_, identity, &error);
    g_object_unref(identity);
    ck_assert(tls != nullptr);
    g_tls_connection_set_database(G_TLS_CONNECTION(tls), database);
    g_object_unref(database);
    ck_assert_msg(g_tls_connection_handshake(G_TLS_CONNECTION(tls), nullptr, &error),
                  "handshake (the emulator's certificate must verify against its CA): %s",
                  error != nullptr ? error->message : "");
    g_object_unref(stream_);
    stream_ = tls;
    send(
        "<stream:stream to='chat.hipchat.com' xmlns='jabber:client' "
        "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
}

void XmppTestClient::start_tls(const std::string &ca_file)
{
    send(
        "<?xml version='1.0'?><stream:stream to='chat.hipchat.com' xmlns='jabber:client' "
        "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
    expect("</stream:features>");
    send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    expect("<proceed");
    handshake(ca_file);
}

void XmppTestClient::start_direct_tls(const std::string &ca_file)
{
    handshake(ca_file);
}

std::string XmppTestClient::login(const std::string &ca_file, const std::string &email,
                                  const std::string &password, const std::string &resource)
{
    start_tls(ca_file);
    expect("</stream:features>");
    send_auth(email, password, resource);
    return expect("<success");
}

void XmppTestClient::send_auth(const std::string &email, const std::string &password,
                               const std::string &resource)
{
    const std::string payload = std::string("\0", 1) + email + std::string("\0", 1) + password +
                                std::string("\0", 1) + resource;
    send("<auth xmlns='http://hipchat.com' oauth2_token='true'>" + base64(payload) + "</auth>");
}

}  // namespace hipchat::test
