// net::HttpClient in the real headless libpurple core against the test's own
// HTTPS server (a SoupServer on 127.0.0.1 with a certificate made for the run
// and accepted in libpurple's tls_peers pool): bodies bounded while they are
// read, a total deadline against servers that drip their answer, and
// redirects that never take the bearer token (§13) away from its origin.
#include <libsoup/soup.h>
#include <proxy.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness.hpp"
#include "net/http-client.hpp"
#include "text-match.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::net::HttpClient;
using hipchat::net::HttpResponse;
using hipchat::test::contains;
using hipchat::test::Harness;

namespace {

constexpr const char *token = "test-token-not-for-logs";
constexpr std::uint64_t mib = 1024 * 1024;
constexpr std::uint64_t huge_body = 50 * mib;
constexpr std::uint64_t photo_limit = 1 * mib;  // as people.cpp asks
// What a bounded read may add to the peak RSS besides the limit itself:
// libsoup's and GnuTLS's buffers and one read chunk. Under AddressSanitizer
// freed chunks wait in its quarantine instead of being reused (about 20 MiB
// over a 50 MiB stream), so the bound is wider there, still well under the
// body a whole read would hold.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::uint64_t rss_margin = 32 * mib;
#else
constexpr std::uint64_t rss_margin = 8 * mib;
#endif
static_assert(photo_limit + rss_margin < huge_body / 3 * 2);

// The process's peak resident set so far (VmHWM), in bytes.
std::uint64_t peak_rss()
{
    gchar *status = nullptr;
    ck_assert(g_file_get_contents("/proc/self/status", &status, nullptr, nullptr));
    const char *line = std::strstr(status, "VmHWM:");
    ck_assert(line != nullptr);
    const std::uint64_t kib = g_ascii_strtoull(line + std::strlen("VmHWM:"), nullptr, 10);
    g_free(status);
    return kib * 1024;
}

// What the server saw of one request.
struct Seen {
    unsigned port;
    std::string method, authorization;
    std::size_t body_size;
};

// Answers served one byte a second until the client goes away.
struct Drip {
    SoupServerMessage *message;  // a reference
    guint timer = 0;
    bool finished = false;
};

// HTTPS on two ports of 127.0.0.1 (two origins, one certificate), plain
// HTTP on a third, and a fourth that never reads. Paths:
//   /echo                 200 "ok", after noting the request
//   /stream?size=N        N bytes, chunked, produced as they are sent
//   /declared?size=N      Content-Length: N, then nothing
//   /drip                 one byte a second, chunked
//   /to?status=S&location=L   a redirect
//   /loop                 a redirect to itself
// A new self-signed certificate for 127.0.0.1, `name`.pem in `dir`, and its
// key, `name`-key.pem.
void make_certificate(const std::string &dir, const std::string &name)
{
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
        dir + "/" + name + "-key.pem -out " + dir + "/" + name + ".pem";
    gint status = 0;
    GError *error = nullptr;
    ck_assert_msg(g_spawn_command_line_sync(command.c_str(), nullptr, nullptr, &status, &error),
                  "openssl: %s", error != nullptr ? error->message : "");
    ck_assert_msg(g_spawn_check_wait_status(status, nullptr), "openssl failed");
}

class Server {
public:
    explicit Server(const std::string &dir)
    {
        make_certificate(dir, "cert");
        certificate = dir + "/cert.pem";
        const std::string key = dir + "/cert-key.pem";
        GError *error = nullptr;
        GTlsCertificate *tls =
            g_tls_certificate_new_from_files(certificate.c_str(), key.c_str(), &error);
        ck_assert_msg(tls != nullptr, "certificate: %s", error != nullptr ? error->message : "");
        server_ = soup_server_new("tls-certificate", tls, nullptr);
        g_object_unref(tls);
        soup_server_add_handler(server_, nullptr, on_request, this, nullptr);
        port = listen(SOUP_SERVER_LISTEN_HTTPS);
        other_port = listen(SOUP_SERVER_LISTEN_HTTPS);
        plain_port = listen(static_cast<SoupServerListenOptions>(0));
        listen_deaf();
    }

    ~Server()
    {
        for (auto &drip : drips_) {
            if (drip->timer != 0)
                g_source_remove(drip->timer);
            g_signal_handlers_disconnect_by_data(drip->message, drip.get());
            g_object_unref(drip->message);
        }
        g_object_unref(server_);
        g_socket_service_stop(deaf_);
        for (GSocketConnection *connection : held_) {
            g_io_stream_close(G_IO_STREAM(connection), nullptr, nullptr);
            g_object_unref(connection);
        }
        g_object_unref(deaf_);
    }

    std::string url(const std::string &path) const { return url_on(port, path); }

    std::string url_on(unsigned on, const std::string &path) const
    {
        const char *scheme = on == plain_port || on == deaf_port ? "http" : "https";
        return std::string(scheme) + "://127.0.0.1:" + std::to_string(on) + path;
    }

    // A redirect from this server's first port to `location`.
    std::string redirect(unsigned status, const std::string &location) const
    {
        gchar *escaped = g_uri_escape_string(location.c_str(), nullptr, TRUE);
        const std::string out =
            url("/to?status=" + std::to_string(status) + "&location=" + escaped);
        g_free(escaped);
        return out;
    }

    std::vector<Seen> echoed;  // requests to /echo
    unsigned requests = 0;     // all of them
    unsigned connections = 0;  // they came over
    unsigned streaming = 0;    // /stream answers not finished
    std::string certificate;
    unsigned port = 0, other_port = 0, plain_port = 0;
    unsigned deaf_port = 0;  // plain TCP: takes connections, never reads them

private:
    void listen_deaf()
    {
        deaf_ = g_socket_service_new();
        GInetAddress *loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
        GSocketAddress *address = g_inet_socket_address_new(loopback, 0);
        GSocketAddress *bound = nullptr;
        GError *error = nullptr;
        ck_assert_msg(
            g_socket_listener_add_address(G_SOCKET_LISTENER(deaf_), address, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, nullptr, &bound, &error),
            "listen: %s", error != nullptr ? error->message : "");
        deaf_port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
        g_object_unref(bound);
        g_object_unref(address);
        g_object_unref(loopback);
        g_signal_connect(deaf_, "incoming",
                         G_CALLBACK(+[](GSocketService *, GSocketConnection *connection, GObject *,
                                        gpointer self) -> gboolean {
                             static_cast<Server *>(self)->held_.push_back(
                                 G_SOCKET_CONNECTION(g_object_ref(connection)));
                             return TRUE;
                         }),
                         this);
    }

    unsigned listen(SoupServerListenOptions options)
    {
        GError *error = nullptr;
        ck_assert_msg(soup_server_listen_local(server_, 0,
                                               static_cast<SoupServerListenOptions>(
                                                   options | SOUP_SERVER_LISTEN_IPV4_ONLY),
                                               &error),
                      "listen: %s", error != nullptr ? error->message : "");
        // The new port is the one not seen before.
        unsigned found = 0;
        GSList *uris = soup_server_get_uris(server_);
        for (GSList *l = uris; l != nullptr; l = l->next) {
            const auto p = static_cast<unsigned>(g_uri_get_port(static_cast<GUri *>(l->data)));
            if (p != port && p != other_port && p != plain_port)
                found = p;
        }
        g_slist_free_full(uris, reinterpret_cast<GDestroyNotify>(g_uri_unref));
        ck_assert(found != 0);
        return found;
    }

    static void on_request(SoupServer *, SoupServerMessage *message, const char *path,
                           GHashTable *query, gpointer data)
    {
        auto *self = static_cast<Server *>(data);
        ++self->requests;
        GSocket *socket = soup_server_message_get_socket(message);
        if (g_object_get_data(G_OBJECT(socket), "seen") == nullptr) {
            g_object_set_data(G_OBJECT(socket), "seen", self);
            ++self->connections;
        }
        const auto param = [&](const char *name) -> std::string {
            const char *value = query != nullptr
                                    ? static_cast<const char *>(g_hash_table_lookup(query, name))
                                    : nullptr;
            return value != nullptr ? value : "";
        };
        SoupMessageHeaders *headers = soup_server_message_get_response_headers(message);
        if (std::strcmp(path, "/echo") == 0) {
            const char *authorization = soup_message_headers_get_one(
                soup_server_message_get_request_headers(message), "Authorization");
            self->echoed.push_back(
                {static_cast<unsigned>(g_uri_get_port(soup_server_message_get_uri(message))),
                 soup_server_message_get_method(message),
                 authorization != nullptr ? authorization : "",
                 static_cast<std::size_t>(soup_server_message_get_request_body(message)->length)});
            soup_server_message_set_status(message, 200, nullptr);
            soup_server_message_set_response(message, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
        } else if (std::strcmp(path, "/to") == 0) {
            soup_server_message_set_status(message, std::stoi(param("status")), nullptr);
            soup_message_headers_replace(headers, "Location", param("location").c_str());
        } else if (std::strcmp(path, "/loop") == 0) {
            soup_server_message_set_status(message, 302, nullptr);
            soup_message_headers_replace(headers, "Location", "/loop");
        } else if (std::strcmp(path, "/stream") == 0) {
            self->start_stream(message, g_ascii_strtoull(param("size").c_str(), nullptr, 10));
        } else if (std::strcmp(path, "/declared") == 0) {
            // libsoup waits, paused, for a body that never comes.
            soup_server_message_set_status(message, 200, nullptr);
            soup_message_headers_set_content_type(headers, "image/png", nullptr);
            soup_message_headers_set_content_length(
                headers,
                static_cast<goffset>(g_ascii_strtoull(param("size").c_str(), nullptr, 10)));
            soup_message_body_set_accumulate(soup_server_message_get_response_body(message), FALSE);
        } else if (std::strcmp(path, "/drip") == 0) {
            self->start_drip(message);
        } else {
            soup_server_message_set_status(message, 404, nullptr);
        }
    }

    // Chunks are appended as the previous one is written and dropped once
    // sent, so the server holds one at a time however long the body.
    struct Stream {
        std::uint64_t left;
    };

    void start_stream(SoupServerMessage *message, std::uint64_t size)
    {
        ++streaming;
        g_signal_connect(message, "finished", G_CALLBACK(+[](SoupServerMessage *, gpointer server) {
                             --static_cast<Server *>(server)->streaming;
                         }),
                         this);
        soup_server_message_set_status(message, 200, nullptr);
        SoupMessageHeaders *headers = soup_server_message_get_response_headers(message);
        soup_message_headers_set_encoding(headers, SOUP_ENCODING_CHUNKED);
        soup_message_headers_set_content_type(headers, "image/png", nullptr);
        soup_message_body_set_accumulate(soup_server_message_get_response_body(message), FALSE);
        auto *stream = new Stream{size};
        g_signal_connect_data(
            message, "wrote-chunk", G_CALLBACK(next_chunk), stream,
            [](gpointer s, GClosure *) { delete static_cast<Stream *>(s); }, G_CONNECT_DEFAULT);
        next_chunk(message, stream);
    }

    static void next_chunk(SoupServerMessage *message, gpointer data)
    {
        static const std::string block(64 * 1024, 'x');
        auto *stream = static_cast<Stream *>(data);
        SoupMessageBody *body = soup_server_message_get_response_body(message);
        if (stream->left == 0) {
            soup_message_body_complete(body);
            return;
        }
        const std::size_t size = std::min<std::uint64_t>(stream->left, block.size());
        stream->left -= size;
        soup_message_body_append(body, SOUP_MEMORY_STATIC, block.data(), size);
    }

    void start_drip(SoupServerMessage *message)
    {
        soup_server_message_set_status(message, 200, nullptr);
        SoupMessageHeaders *headers = soup_server_message_get_response_headers(message);
        soup_message_headers_set_encoding(headers, SOUP_ENCODING_CHUNKED);
        soup_message_headers_set_content_type(headers, "image/png", nullptr);
        soup_message_body_set_accumulate(soup_server_message_get_response_body(message), FALSE);
        auto &drip = drips_.emplace_back(new Drip{SOUP_SERVER_MESSAGE(g_object_ref(message))});
        g_signal_connect(message, "finished", G_CALLBACK(+[](SoupServerMessage *, gpointer d) {
                             static_cast<Drip *>(d)->finished = true;
                         }),
                         drip.get());
        drip->timer = g_timeout_add(1000, drip_byte, drip.get());
        soup_server_message_pause(message);
    }

    static gboolean drip_byte(gpointer data)
    {
        auto *drip = static_cast<Drip *>(data);
        if (drip->finished) {
            drip->timer = 0;
            return G_SOURCE_REMOVE;
        }
        soup_message_body_append(soup_server_message_get_response_body(drip->message),
                                 SOUP_MEMORY_STATIC, "x", 1);
        soup_server_message_unpause(drip->message);
        return G_SOURCE_CONTINUE;
    }

    SoupServer *server_ = nullptr;
    std::vector<std::unique_ptr<Drip>> drips_;
    GSocketService *deaf_ = nullptr;
    std::vector<GSocketConnection *> held_;
};

struct Http {
    Http() : harness(options()), server(harness.user_dir())
    {
        harness.accept_certificate("127.0.0.1", server.certificate);
        account = harness.add_account("prpl-jabber", "tester@example.com", nullptr);
        client = new_client(account);
    }

    static std::unique_ptr<HttpClient> new_client(PurpleAccount *account)
    {
        std::string error;
        auto made = HttpClient::create(account, error);
        ck_assert_msg(made != nullptr, "no client: %s", error.c_str());
        return made;
    }

    ~Http()
    {
        client.reset();
        // The server shares this main loop: it must see the client hang up
        // before it closes its side, or its TLS goodbye blocks on a full
        // socket.
        ck_assert_msg(harness.run_until([&] { return server.streaming == 0; }, 10000),
                      "the client kept a streamed answer's connection open");
        // Whatever the client did, the token never reached the debug log.
        ck_assert(!contains(harness.debug_log(), token));
    }

    static Harness::Options options()
    {
        Harness::Options o;
        o.with_build_plugin = false;
        return o;
    }

    HttpResponse wait(std::optional<HttpResponse> &slot, int timeout_ms = 10000)
    {
        ck_assert_msg(harness.run_until([&] { return slot.has_value(); }, timeout_ms),
                      "no answer within %d ms", timeout_ms);
        return std::move(*slot);
    }

    HttpResponse get(const std::string &url, std::uint64_t limit, int timeout_ms = 10000)
    {
        std::optional<HttpResponse> answer;
        client->get(url, token, limit, [&](HttpResponse r) { answer = std::move(r); });
        return wait(answer, timeout_ms);
    }

    HttpResponse post(const std::string &url, const std::string &body, int timeout_ms = 10000)
    {
        std::optional<HttpResponse> answer;
        GInputStream *stream = g_memory_input_stream_new_from_data(
            g_memdup2(body.data(), body.size()), static_cast<gssize>(body.size()), g_free);
        client->post(
            url, token, "text/plain", stream, body.size(), [](std::uint64_t, std::uint64_t) {},
            [&](HttpResponse r) { answer = std::move(r); });
        return wait(answer, timeout_ms);
    }

    HttpResponse download(const std::string &url, const std::string &path, std::uint64_t limit,
                          int timeout_ms = 10000)
    {
        std::optional<HttpResponse> answer;
        client->download(
            url, token, path, limit, [](std::uint64_t, std::uint64_t) {},
            [&](HttpResponse r) { answer = std::move(r); });
        return wait(answer, timeout_ms);
    }

    // Deadlines of `ms`, plus for a transfer its size at `rate` bytes a second.
    void shorten_deadlines(int ms, std::uint64_t rate)
    {
        const std::chrono::milliseconds bound(ms);
        client->set_deadlines(
            {.answer = bound, .transfer_base = bound, .transfer_floor_rate = rate});
    }

    // The growth of the peak RSS while `request` runs, printed.
    template <typename Request>
    std::uint64_t peak_growth(const char *what, Request &&request)
    {
        // TLS and libsoup set up their buffers on the first request.
        ck_assert_int_eq(get(server.url("/echo"), 1024).status, 200);
        const std::uint64_t before = peak_rss();
        request();
        const std::uint64_t growth = peak_rss() - before;
        std::printf("test-http: %s: peak RSS grew by %.1f MiB (bound %.1f MiB)\n", what,
                    static_cast<double>(growth) / mib,
                    static_cast<double>(photo_limit + rss_margin) / mib);
        std::fflush(stdout);
        return growth;
    }

    Harness harness;
    Server server;
    PurpleAccount *account = nullptr;
    std::unique_ptr<HttpClient> client;
};

// --- Sizes -----------------------------------------------------------------

START_TEST(a_body_over_the_limit_stops_at_the_limit)
{
    Http h;
    const auto growth = h.peak_growth("50 MiB chunked GET, 1 MiB limit", [&] {
        const HttpResponse r =
            h.get(h.server.url("/stream?size=" + std::to_string(huge_body)), photo_limit, 30000);
        ck_assert_msg(contains(r.error, "more data than expected"), "error: %s", r.error.c_str());
        ck_assert(r.body.empty());
    });
    ck_assert_uint_lt(growth, photo_limit + rss_margin);
}
END_TEST

START_TEST(a_declared_length_over_the_limit_is_refused_before_the_body)
{
    Http h;
    // The server sends its headers and no body: only the length can tell.
    const HttpResponse r =
        h.get(h.server.url("/declared?size=" + std::to_string(huge_body)), photo_limit, 5000);
    ck_assert_msg(contains(r.error, "more data than expected"), "error: %s", r.error.c_str());
}
END_TEST

START_TEST(an_upload_answer_is_cut_at_64_KiB)
{
    Http h;
    const auto growth = h.peak_growth("50 MiB chunked answer to a POST", [&] {
        const HttpResponse r =
            h.post(h.server.url("/stream?size=" + std::to_string(huge_body)), "payload", 30000);
        ck_assert_msg(r.error.empty(), "error: %s", r.error.c_str());
        ck_assert_uint_eq(r.status, 200);
        ck_assert_uint_eq(r.body.size(), 64 * 1024);
    });
    ck_assert_uint_lt(growth, photo_limit + rss_margin);
}
END_TEST

// --- Deadlines -------------------------------------------------------------

// A request its deadline stopped: an error, not a cancellation.
void assert_overdue(const HttpResponse &r)
{
    ck_assert_msg(contains(r.error, "took too long"), "error: %s", r.error.c_str());
    ck_assert(!r.cancelled);
}

START_TEST(a_dripping_answer_stops_at_the_deadline)
{
    Http h;
    h.shorten_deadlines(2000, mib);
    const auto started = g_get_monotonic_time();
    assert_overdue(h.get(h.server.url("/drip"), photo_limit, 8000));
    ck_assert_int_ge(g_get_monotonic_time() - started, 2000 * 1000);

    // A download's deadline: 2 s, plus its 1 KiB limit at 1 MiB/s.
    const std::string path = h.harness.user_dir() + "/dripped";
    assert_overdue(h.download(h.server.url("/drip"), path, 1024, 8000));
    ck_assert(!g_file_test(path.c_str(), G_FILE_TEST_EXISTS));
}
END_TEST

START_TEST(an_upload_the_server_stops_reading_stops_at_the_deadline)
{
    Http h;
    // 1 s, plus 16 MiB at 1 GiB/s; the answer's deadline never starts, as
    // the upload is never all sent.
    h.shorten_deadlines(1000, 1024 * mib);
    assert_overdue(
        h.post(h.server.url_on(h.server.deaf_port, "/"), std::string(16 * mib, 'u'), 8000));
}
END_TEST

// --- Redirects -------------------------------------------------------------

START_TEST(the_token_stays_within_its_origin)
{
    Http h;
    auto &seen = h.server.echoed;
    const std::string bearer = std::string("Bearer ") + token;

    // Same origin (a relative Location): followed, with the token.
    HttpResponse r = h.get(h.server.redirect(302, "/echo"), 1024);
    ck_assert_msg(r.error.empty(), "error: %s", r.error.c_str());
    ck_assert_uint_eq(r.status, 200);
    ck_assert_str_eq(r.body.c_str(), "ok");
    ck_assert_uint_eq(seen.size(), 1);
    ck_assert_str_eq(seen[0].authorization.c_str(), bearer.c_str());

    // Another port is another origin: followed, without it.
    r = h.get(h.server.redirect(302, h.server.url_on(h.server.other_port, "/echo")), 1024);
    ck_assert_msg(r.error.empty(), "error: %s", r.error.c_str());
    ck_assert_uint_eq(seen.size(), 2);
    ck_assert_uint_eq(seen[1].port, h.server.other_port);
    ck_assert_str_eq(seen[1].authorization.c_str(), "");

    // A download (a file on a storage host, §8.8) the same way.
    const std::string path = h.harness.user_dir() + "/file";
    r = h.download(h.server.redirect(307, h.server.url_on(h.server.other_port, "/echo")), path,
                   1024);
    ck_assert_msg(r.error.empty(), "error: %s", r.error.c_str());
    ck_assert_uint_eq(seen.size(), 3);
    ck_assert_str_eq(seen[2].authorization.c_str(), "");

    // Once gone, the token does not come back on a hop home.
    const std::string home = h.server.url("/echo");
    gchar *escaped = g_uri_escape_string(home.c_str(), nullptr, TRUE);
    const std::string via_other =
        h.server.url_on(h.server.other_port, std::string("/to?status=302&location=") + escaped);
    g_free(escaped);
    r = h.get(h.server.redirect(302, via_other), 1024);
    ck_assert_msg(r.error.empty(), "error: %s", r.error.c_str());
    ck_assert_uint_eq(seen.size(), 4);
    ck_assert_uint_eq(seen[3].port, h.server.port);
    ck_assert_str_eq(seen[3].authorization.c_str(), "");
}
END_TEST

START_TEST(an_upload_is_not_redirected_elsewhere)
{
    Http h;
    auto &seen = h.server.echoed;
    const std::string body(3000, 'u');

    HttpResponse r =
        h.post(h.server.redirect(307, h.server.url_on(h.server.other_port, "/echo")), body);
    ck_assert_msg(contains(r.error, "another server"), "error: %s", r.error.c_str());
    ck_assert_uint_eq(r.status, 0);
    ck_assert_uint_eq(seen.size(), 0);

    // Within its origin, it is sent again, whole, with the token.
    r = h.post(h.server.redirect(307, "/echo"), body);
    ck_assert_msg(r.error.empty(), "error: %s", r.error.c_str());
    ck_assert_uint_eq(seen.size(), 1);
    ck_assert_str_eq(seen[0].method.c_str(), "POST");
    ck_assert_uint_eq(seen[0].body_size, body.size());
    const std::string bearer = std::string("Bearer ") + token;
    ck_assert_str_eq(seen[0].authorization.c_str(), bearer.c_str());
}
END_TEST

START_TEST(a_redirect_to_plain_http_is_refused)
{
    Http h;
    const HttpResponse r =
        h.get(h.server.redirect(302, h.server.url_on(h.server.plain_port, "/echo")), 1024);
    ck_assert_msg(contains(r.error, "insecure"), "error: %s", r.error.c_str());
    ck_assert_uint_eq(h.server.echoed.size(), 0);
}
END_TEST

// --- Certificates ----------------------------------------------------------

// A server is trusted with the certificate the user accepted for it in
// libpurple, and only with that one (the system's authorities know none of
// the test's): not under another name, not once another was accepted.
START_TEST(only_the_certificate_the_user_accepted_is_trusted)
{
    Http h;
    ck_assert_int_eq(h.get(h.server.url("/echo"), 1024).status, 200);

    std::string other_name = h.server.url("/echo");
    other_name.replace(other_name.find("127.0.0.1"), std::strlen("127.0.0.1"), "localhost");
    HttpResponse r = h.get(other_name, 1024);
    ck_assert_msg(r.status == 0 && !r.error.empty(), "localhost: %u", r.status);

    // (The second port: a new connection, so a new handshake.)
    make_certificate(h.harness.user_dir(), "another");
    h.harness.accept_certificate("127.0.0.1", h.harness.user_dir() + "/another.pem");
    r = h.get(h.server.url_on(h.server.other_port, "/echo"), 1024);
    ck_assert_msg(r.status == 0 && !r.error.empty(), "another certificate: %u", r.status);
    ck_assert_uint_eq(h.server.echoed.size(), 1);
}
END_TEST

// --- Connections ------------------------------------------------------------

// Each login of an account makes a new client (its session's); the HTTPS
// connection the last one opened is used again (kept-sessions.hpp says why).
START_TEST(an_accounts_next_client_uses_its_open_connection)
{
    Http h;
    ck_assert_int_eq(h.get(h.server.url("/echo"), 1024).status, 200);
    h.client = Http::new_client(h.account);
    ck_assert_int_eq(h.get(h.server.url("/echo"), 1024).status, 200);
    ck_assert_uint_eq(h.server.connections, 1);

    // Another account, or this one through a proxy, has a session of its own.
    PurpleAccount *other = h.harness.add_account("prpl-jabber", "other@example.com", nullptr);
    h.client = Http::new_client(other);
    ck_assert_int_eq(h.get(h.server.url("/echo"), 1024).status, 200);
    ck_assert_uint_eq(h.server.connections, 2);
    PurpleProxyInfo *proxy = purple_proxy_info_new();
    purple_proxy_info_set_type(proxy, PURPLE_PROXY_HTTP);
    purple_proxy_info_set_host(proxy, "127.0.0.1");
    purple_proxy_info_set_port(proxy, h.server.deaf_port);
    purple_account_set_proxy_info(h.account, proxy);  // taken
    h.client = Http::new_client(h.account);
    h.shorten_deadlines(500, 1);
    const HttpResponse r = h.get(h.server.url("/echo"), 1024);
    ck_assert_msg(r.status == 0 && !r.error.empty(), "through the proxy: %u", r.status);
    ck_assert_uint_eq(h.server.connections, 2);
}
END_TEST

START_TEST(a_few_hops_are_followed)
{
    Http h;
    // A loop: each hop is one more request; a few are followed, not libsoup's 20.
    const HttpResponse r = h.get(h.server.url("/loop"), 1024);
    ck_assert_msg(contains(r.error, "too many"), "error: %s", r.error.c_str());
    ck_assert_uint_le(h.server.requests, 6);
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("http");
    TCase *tc = tcase_create("http");
    tcase_set_timeout(tc, 90);
    tcase_add_test(tc, a_body_over_the_limit_stops_at_the_limit);
    tcase_add_test(tc, a_declared_length_over_the_limit_is_refused_before_the_body);
    tcase_add_test(tc, an_upload_answer_is_cut_at_64_KiB);
    tcase_add_test(tc, a_dripping_answer_stops_at_the_deadline);
    tcase_add_test(tc, an_upload_the_server_stops_reading_stops_at_the_deadline);
    tcase_add_test(tc, the_token_stays_within_its_origin);
    tcase_add_test(tc, an_upload_is_not_redirected_elsewhere);
    tcase_add_test(tc, a_redirect_to_plain_http_is_refused);
    tcase_add_test(tc, a_few_hops_are_followed);
    tcase_add_test(tc, only_the_certificate_the_user_accepted_is_trusted);
    tcase_add_test(tc, an_accounts_next_client_uses_its_open_connection);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
