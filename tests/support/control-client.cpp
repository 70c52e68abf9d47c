#include "control-client.hpp"

#include <gio/gio.h>

#include <cstdlib>

// Last: check.h defines a `fail` macro that breaks C++ headers.
#include <check.h>

namespace hipchat::test {

// One HTTP/1.0 exchange on a connection of its own: the server closes it
// after the answer, which is read to the end.
ControlReply ControlClient::request(const std::string &method, const std::string &path,
                                    const std::string &json) const
{
    ControlReply reply;
    GSocketClient *client = g_socket_client_new();
    g_socket_client_set_timeout(client, 30);
    GError *error = nullptr;
    GSocketConnection *connection = g_socket_client_connect_to_host(
        client, "127.0.0.1", static_cast<guint16>(port_), nullptr, &error);
    g_object_unref(client);
    if (connection == nullptr) {
        reply.error = error != nullptr ? error->message : "cannot connect";
        g_clear_error(&error);
        return reply;
    }
    const std::string head = method + " " + path +
                             " HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             "Content-Length: " +
                             std::to_string(json.size()) + "\r\n\r\n";
    const std::string out = head + json;
    GOutputStream *output = g_io_stream_get_output_stream(G_IO_STREAM(connection));
    if (!g_output_stream_write_all(output, out.data(), out.size(), nullptr, nullptr, &error)) {
        reply.error = error->message;
        g_clear_error(&error);
        g_object_unref(connection);
        return reply;
    }
    GInputStream *input = g_io_stream_get_input_stream(G_IO_STREAM(connection));
    std::string response;
    char buffer[4096];
    gssize n;
    while ((n = g_input_stream_read(input, buffer, sizeof buffer, nullptr, &error)) > 0)
        response.append(buffer, static_cast<std::size_t>(n));
    if (n < 0) {
        reply.error = error->message;
        g_clear_error(&error);
    }
    g_object_unref(connection);
    // "HTTP/1.x NNN Reason\r\n...\r\n\r\nbody"
    const auto space = response.find(' ');
    const auto split = response.find("\r\n\r\n");
    if (space == std::string::npos || split == std::string::npos) {
        if (reply.error.empty())
            reply.error = "no HTTP answer";
        return reply;
    }
    reply.status = std::atoi(response.c_str() + space + 1);
    reply.body = response.substr(split + 4);
    return reply;
}

std::string ControlClient::checked(const char *method, const std::string &path,
                                   const std::string &json) const
{
    const ControlReply reply = request(method, path, json);
    ck_assert_msg(reply.error.empty(), "control %s %s: %s", method, path.c_str(),
                  reply.error.c_str());
    ck_assert_msg(reply.status >= 200 && reply.status < 300, "control %s %s: HTTP %d %s", method,
                  path.c_str(), reply.status, reply.body.c_str());
    return reply.body;
}

std::string ControlClient::get(const std::string &path) const
{
    return checked("GET", path, {});
}

std::string ControlClient::post(const std::string &path, const std::string &json) const
{
    return checked("POST", path, json);
}

}  // namespace hipchat::test
