#include "connect-proxy.hpp"

#include <check.h>

namespace hipchat::test {

namespace {

struct Tunnel {
    ConnectProxy *proxy;
    std::vector<std::string> *targets;
    GSocketConnection *client;
    char buffer[4096];
    std::string request;
};

void read_request(Tunnel *tunnel);

void on_request_data(GObject *source, GAsyncResult *result, gpointer data)
{
    auto *tunnel = static_cast<Tunnel *>(data);
    const gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), result, nullptr);
    if (n <= 0) {
        g_object_unref(tunnel->client);
        delete tunnel;
        return;
    }
    tunnel->request.append(tunnel->buffer, n);
    if (tunnel->request.find("\r\n\r\n") == std::string::npos) {
        read_request(tunnel);
        return;
    }
    // "CONNECT host:port HTTP/1.1"
    const auto first_space = tunnel->request.find(' ');
    const auto second_space = tunnel->request.find(' ', first_space + 1);
    const std::string target =
        tunnel->request.substr(first_space + 1, second_space - first_space - 1);
    tunnel->targets->push_back(target);
    const auto colon = target.rfind(':');
    GSocketClient *connector = g_socket_client_new();
    GSocketConnection *upstream =
        g_socket_client_connect_to_host(connector, target.substr(0, colon).c_str(),
                                        std::stoi(target.substr(colon + 1)), nullptr, nullptr);
    g_object_unref(connector);
    GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(tunnel->client));
    if (upstream == nullptr) {
        const char reply[] = "HTTP/1.1 502 Bad Gateway\r\n\r\n";
        g_output_stream_write_all(out, reply, sizeof reply - 1, nullptr, nullptr, nullptr);
        g_object_unref(tunnel->client);
        delete tunnel;
        return;
    }
    const char reply[] = "HTTP/1.1 200 Connection established\r\n\r\n";
    g_output_stream_write_all(out, reply, sizeof reply - 1, nullptr, nullptr, nullptr);
    g_io_stream_splice_async(G_IO_STREAM(tunnel->client), G_IO_STREAM(upstream),
                             static_cast<GIOStreamSpliceFlags>(G_IO_STREAM_SPLICE_CLOSE_STREAM1 |
                                                               G_IO_STREAM_SPLICE_CLOSE_STREAM2),
                             G_PRIORITY_DEFAULT, nullptr, nullptr, nullptr);
    g_object_unref(upstream);
    g_object_unref(tunnel->client);
    delete tunnel;
}

void read_request(Tunnel *tunnel)
{
    g_input_stream_read_async(g_io_stream_get_input_stream(G_IO_STREAM(tunnel->client)),
                              tunnel->buffer, sizeof tunnel->buffer, G_PRIORITY_DEFAULT, nullptr,
                              on_request_data, tunnel);
}

}  // namespace

ConnectProxy::ConnectProxy()
{
    service_ = g_socket_service_new();
    GInetAddress *loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
    GSocketAddress *address = g_inet_socket_address_new(loopback, 0);
    GSocketAddress *bound = nullptr;
    ck_assert(g_socket_listener_add_address(G_SOCKET_LISTENER(service_), address,
                                            G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, nullptr,
                                            &bound, nullptr));
    port_ = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
    g_object_unref(bound);
    g_object_unref(address);
    g_object_unref(loopback);
    g_signal_connect(service_, "incoming", G_CALLBACK(on_incoming), this);
    g_socket_service_start(service_);
}

ConnectProxy::~ConnectProxy()
{
    g_socket_service_stop(service_);
    g_object_unref(service_);
}

gboolean ConnectProxy::on_incoming(GSocketService *, GSocketConnection *client, GObject *,
                                   gpointer data)
{
    auto *self = static_cast<ConnectProxy *>(data);
    auto *tunnel =
        new Tunnel{self, &self->targets_, G_SOCKET_CONNECTION(g_object_ref(client)), {}, {}};
    read_request(tunnel);
    return TRUE;
}

}  // namespace hipchat::test
