// Test support: one blocking HTTPS request to the emulator's API host
// (docs/emulator.md), trusting its throwaway CA.
#pragma once

#include <libsoup/soup.h>

#include <string>

#include "emulator-process.hpp"

#include <check.h>

namespace hipchat::test {

struct RestResponse {
    unsigned status = 0;
    std::string body;
    std::string content_type;
    std::string ratelimit_remaining;
};

// `token`, when not empty, goes as Authorization: Bearer; a `content_type`
// sends `body`. To the API host, or to another of the emulator's HTTPS ports
// (`port`: its website's).
inline RestResponse rest_request(const EmulatorProcess &emulator, const char *method,
                                 const std::string &path, const std::string &token,
                                 const std::string &content_type = {}, const std::string &body = {},
                                 int port = 0)
{
    GTlsDatabase *database = g_tls_file_database_new(emulator.ca_file().c_str(), nullptr);
    ck_assert(database != nullptr);
    SoupSession *session = soup_session_new_with_options("tls-database", database, nullptr);
    g_object_unref(database);
    const std::string url =
        "https://127.0.0.1:" + std::to_string(port != 0 ? port : emulator.rest_port()) + path;
    SoupMessage *message = soup_message_new(method, url.c_str());
    ck_assert(message != nullptr);
    if (!token.empty())
        soup_message_headers_replace(soup_message_get_request_headers(message), "Authorization",
                                     ("Bearer " + token).c_str());
    if (!content_type.empty()) {
        GBytes *bytes = g_bytes_new(body.data(), body.size());
        soup_message_set_request_body_from_bytes(message, content_type.c_str(), bytes);
        g_bytes_unref(bytes);
    }
    GError *error = nullptr;
    GBytes *answer = soup_session_send_and_read(session, message, nullptr, &error);
    ck_assert_msg(answer != nullptr, "%s", error != nullptr ? error->message : "");
    RestResponse r;
    r.status = soup_message_get_status(message);
    gsize size = 0;
    const auto *data = static_cast<const char *>(g_bytes_get_data(answer, &size));
    r.body.assign(data != nullptr ? data : "", size);
    SoupMessageHeaders *headers = soup_message_get_response_headers(message);
    const char *type = soup_message_headers_get_content_type(headers, nullptr);
    r.content_type = type != nullptr ? type : "";
    const char *remaining = soup_message_headers_get_one(headers, "X-Ratelimit-Remaining");
    r.ratelimit_remaining = remaining != nullptr ? remaining : "";
    g_bytes_unref(answer);
    g_object_unref(message);
    g_object_unref(session);
    return r;
}

// One raw HTTPS exchange with the API host, trusting its CA: `request` as it
// is, then everything the server sends until it closes the connection, so a
// test sees a response exactly as written (framing included).
inline std::string raw_https_exchange(const EmulatorProcess &emulator, const std::string &request)
{
    GSocketClient *client = g_socket_client_new();
    g_socket_client_set_timeout(client, 10);
    GError *error = nullptr;
    GSocketConnection *socket = g_socket_client_connect_to_host(
        client, "127.0.0.1", static_cast<guint16>(emulator.rest_port()), nullptr, &error);
    g_object_unref(client);
    ck_assert_msg(socket != nullptr, "connect: %s", error != nullptr ? error->message : "");
    GTlsDatabase *database = g_tls_file_database_new(emulator.ca_file().c_str(), nullptr);
    ck_assert(database != nullptr);
    GSocketConnectable *identity = g_network_address_new("127.0.0.1", 0);
    GIOStream *tls = g_tls_client_connection_new(G_IO_STREAM(socket), identity, nullptr);
    g_object_unref(identity);
    ck_assert(tls != nullptr);
    g_tls_connection_set_database(G_TLS_CONNECTION(tls), database);
    g_object_unref(database);
    ck_assert(g_output_stream_write_all(g_io_stream_get_output_stream(tls), request.data(),
                                        request.size(), nullptr, nullptr, nullptr));
    std::string response;
    char buffer[4096];
    gssize n;
    // A close without close_notify is an error here, and the end all the same.
    while ((n = g_input_stream_read(g_io_stream_get_input_stream(tls), buffer, sizeof buffer,
                                    nullptr, nullptr)) > 0)
        response.append(buffer, static_cast<std::size_t>(n));
    g_object_unref(tls);
    g_object_unref(socket);
    return response;
}

}  // namespace hipchat::test
