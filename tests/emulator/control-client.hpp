// Test support: the emulator's control interface (docs/emulator.md) over
// plain HTTP/1.0 on loopback, blocking. Returns the response body, or "" when
// the request failed; `status` receives the HTTP status code.
#pragma once

#include <gio/gio.h>

#include <cstdlib>
#include <string>

namespace hipchat::test {

inline std::string control_request(int port, const std::string &method, const std::string &path,
                                   const std::string &body = {}, int *status = nullptr)
{
    GSocketClient *client = g_socket_client_new();
    g_socket_client_set_timeout(client, 10);
    GSocketConnection *connection =
        g_socket_client_connect_to_host(client, "127.0.0.1", static_cast<guint16>(port), nullptr,
                                        nullptr);
    g_object_unref(client);
    if (connection == nullptr)
        return {};
    const std::string request = method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n" +
                                "Content-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
    GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(connection));
    g_output_stream_write_all(out, request.data(), request.size(), nullptr, nullptr, nullptr);
    GInputStream *in = g_io_stream_get_input_stream(G_IO_STREAM(connection));
    std::string response;
    char buffer[4096];
    gssize n;
    while ((n = g_input_stream_read(in, buffer, sizeof buffer, nullptr, nullptr)) > 0)
        response.append(buffer, static_cast<std::size_t>(n));
    g_object_unref(connection);
    if (status != nullptr)
        *status = response.size() > 12 ? std::atoi(response.c_str() + 9) : 0;
    const auto split = response.find("\r\n\r\n");
    return split == std::string::npos ? std::string() : response.substr(split + 4);
}

}  // namespace hipchat::test
