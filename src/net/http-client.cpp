#include "net/http-client.hpp"

#include "net/kept-sessions.hpp"
#include "net/pinned-tls-database.hpp"

#include <certificate.h>
#include <debug.h>
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <proxy.h>

#include <glib/gstdio.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "util/c-guard.hpp"
#include "util/i18n.hpp"

namespace hipchat::net {

namespace {

// The account's purple proxy as a proxy URI for GSimpleProxyResolver; empty
// for "use the environment" (GIO's default resolver reads it), "direct://"
// for none.
std::string proxy_uri(PurpleAccount *account)
{
    PurpleProxyInfo *info = purple_proxy_get_setup(account);
    if (info == nullptr)
        return "direct://";
    const char *scheme = nullptr;
    switch (purple_proxy_info_get_type(info)) {
    case PURPLE_PROXY_HTTP:
        scheme = "http";
        break;
    case PURPLE_PROXY_SOCKS4:
        scheme = "socks4";
        break;
    case PURPLE_PROXY_SOCKS5:
    case PURPLE_PROXY_TOR:
        scheme = "socks5";
        break;
    case PURPLE_PROXY_USE_ENVVAR:
        return {};
    case PURPLE_PROXY_NONE:
    case PURPLE_PROXY_USE_GLOBAL:
        return "direct://";
    }
    const char *host = purple_proxy_info_get_host(info);
    if (scheme == nullptr || host == nullptr || *host == '\0')
        return "direct://";
    const char *user = purple_proxy_info_get_username(info);
    const char *password = purple_proxy_info_get_password(info);
    char *uri =
        g_uri_join_with_user(G_URI_FLAGS_NONE, scheme, user != nullptr && *user ? user : nullptr,
                             password != nullptr && *password ? password : nullptr, nullptr, host,
                             purple_proxy_info_get_port(info), "", nullptr, nullptr);
    std::string result(uri);
    g_free(uri);
    return result;
}

// libpurple keeps the server certificates the user accepted ("tls_peers"
// pool, by host name). The SHA-1 of the one for `host`, or "": read on the
// main loop before each hop (pinned-tls-database.hpp says why).
std::string accepted_sha1(const char *host)
{
    PurpleCertificatePool *pool = purple_certificate_find_pool("x509", "tls_peers");
    std::string sha1;
    if (pool != nullptr && purple_certificate_pool_contains(pool, host)) {
        if (PurpleCertificate *known = purple_certificate_pool_retrieve(pool, host)) {
            if (GByteArray *digest = purple_certificate_get_fingerprint_sha1(known)) {
                sha1.assign(reinterpret_cast<const char *>(digest->data), digest->len);
                g_byte_array_free(digest, TRUE);
            }
            purple_certificate_destroy(known);
        }
    }
    return sha1;
}

// A stalled server (no byte either way for this long) fails the request
// instead of holding it, and the feature waiting on it, forever; a transfer
// that keeps moving never times out.
constexpr guint io_timeout_seconds = 30;

// A session going through `proxy` (proxy_uri's form); nullptr when libsoup
// 2 is loaded in this process.
SoupSession *new_session(const std::string &proxy)
{
    SoupSession *session = soup_session_new();
    if (session == nullptr)
        return nullptr;
    GTlsDatabase *certificates = pinned_tls_database_new();
    soup_session_set_tls_database(session, certificates);
    g_object_unref(certificates);
    soup_session_set_user_agent(session, "purple-hipchat");
    soup_session_set_timeout(session, io_timeout_seconds);
    if (proxy == "direct://") {
        // No resolver at all: with one, every connection would load GIO's
        // default resolver first (libproxy and the desktop's proxy
        // settings, 1.5 MiB), only to be told to go direct.
        soup_session_set_proxy_resolver(session, nullptr);
    } else if (!proxy.empty()) {
        GProxyResolver *resolver = g_simple_proxy_resolver_new(proxy.c_str(), nullptr);
        soup_session_set_proxy_resolver(session, resolver);
        g_object_unref(resolver);
    }
    return session;
}

// What went wrong on the wire, in words for the user: the two a server
// causes most (silence, a connection closed mid-answer) are ours to word;
// the rest (DNS, TLS, refused connections) are GIO's own messages.
std::string transport_error(const GError *error)
{
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        return _("The server stopped answering.");
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
        g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        return _("The connection closed before the server's answer was complete.");
    return error->message;
}

// One hop's message. libsoup follows none of its redirects: follow() does.
SoupMessage *new_message(const char *method, GUri *uri, const std::string &bearer)
{
    SoupMessage *message = soup_message_new_from_uri(method, uri);
    soup_message_add_flags(message, SOUP_MESSAGE_NO_REDIRECT);
    if (!bearer.empty()) {
        const std::string value = "Bearer " + bearer;
        soup_message_headers_replace(soup_message_get_request_headers(message), "Authorization",
                                     value.c_str());
    }
    return message;
}

template <auto free_function>
struct Free {
    template <typename T>
    void operator()(T *p) const
    {
        free_function(p);
    }
};
using UriPtr = std::unique_ptr<GUri, Free<g_uri_unref>>;
using BytesPtr = std::unique_ptr<GBytes, Free<g_bytes_unref>>;

// `text`, resolved against `base` when there is one, as an http or https
// address with a host; nullptr for anything else (libsoup asserts on a
// message for an address without a host).
UriPtr http_uri(GUri *base, const char *text)
{
    constexpr auto flags = static_cast<GUriFlags>(SOUP_HTTP_URI_FLAGS);
    UriPtr uri(base != nullptr ? g_uri_parse_relative(base, text, flags, nullptr)
                               : g_uri_parse(text, flags, nullptr));
    if (uri == nullptr)
        return nullptr;
    const char *scheme = g_uri_get_scheme(uri.get());  // GLib folds it to lower case
    const char *host = g_uri_get_host(uri.get());
    if ((g_strcmp0(scheme, "http") != 0 && g_strcmp0(scheme, "https") != 0) || host == nullptr ||
        *host == '\0')
        return nullptr;
    return uri;
}

bool is_https(GUri *uri)
{
    return g_strcmp0(g_uri_get_scheme(uri), "https") == 0;
}

int port_of(GUri *uri)
{
    const int port = g_uri_get_port(uri);
    return port != -1 ? port : is_https(uri) ? 443 : 80;
}

// The same origin (RFC 6454): scheme, host and port.
bool same_origin(GUri *a, GUri *b)
{
    return is_https(a) == is_https(b) && port_of(a) == port_of(b) &&
           g_ascii_strcasecmp(g_uri_get_host(a), g_uri_get_host(b)) == 0;
}

HttpResponse refused(std::string why)
{
    HttpResponse response;
    response.error = std::move(why);
    return response;
}

void fill_headers(HttpResponse &response, SoupMessage *message)
{
    response.status = soup_message_get_status(message);
    SoupMessageHeaders *headers = soup_message_get_response_headers(message);
    const char *type = soup_message_headers_get_content_type(headers, nullptr);
    response.content_type = type != nullptr ? type : "";
    const char *reset = soup_message_headers_get_one(headers, "X-Ratelimit-Reset");
    response.ratelimit_reset = reset != nullptr ? reset : "";
}

// Bodies the caller does not size: an upload's answer and a refused
// download's error, HipChat's JSON (§11.2, §13). Kept up to this; the rest
// is not read.
constexpr std::uint64_t max_answer_bytes = 64 * 1024;
constexpr gsize chunk_size = 64 * 1024;
// Redirects followed in a row (libsoup's own bound is 20).
constexpr int max_redirects = 5;

using RequestTable = std::map<HttpClient::RequestId, GCancellable *>;

// An upload's answer is cut at max_answer_bytes; a submit's (a small body of
// ours, such as a PATCH) is read to its limit like a GET's.
enum class Kind { get, upload, send, download };

// One request, from its first hop to the end of its answer. It has one
// owner at a time: the libsoup or GIO callback it is pending on takes it
// as its data and back. Signal handlers on its message only borrow it, and
// are disconnected before the message is dropped.
struct Request {
    Request(Kind kind_, SoupSession *session_, RequestTable &table_, std::weak_ptr<bool> alive_,
            HttpClient::RequestId id_, const HttpClient::Deadlines &deadlines_, UriPtr uri_,
            std::string bearer_, HttpClient::Callback done_)
        : kind(kind_),
          session(SOUP_SESSION(g_object_ref(session_))),
          table(&table_),
          alive(std::move(alive_)),
          id(id_),
          deadlines(deadlines_),
          method(kind_ == Kind::upload ? SOUP_METHOD_POST : SOUP_METHOD_GET),
          origin(g_uri_ref(uri_.get())),
          uri(std::move(uri_)),
          bearer(std::move(bearer_)),
          done(std::move(done_))
    {
        (*table)[id] = cancellable;
    }
    Request(const Request &) = delete;
    Request &operator=(const Request &) = delete;

    ~Request()
    {
        if (const auto client = alive.lock(); client && *client)
            table->erase(id);
        set_deadline(nullptr);
        set_message(nullptr);
        g_clear_object(&upload);
        g_clear_object(&body);
        g_clear_object(&file);
        g_object_unref(cancellable);
        g_object_unref(session);
    }

    // Takes `next`, the current hop's message, in place of the last one.
    void set_message(SoupMessage *next)
    {
        if (message != nullptr) {
            g_signal_handlers_disconnect_by_data(message, this);
            g_object_unref(message);
        }
        message = next;
    }

    // Takes `next` (attached) as the one deadline, in place of the last one.
    void set_deadline(GSource *next)
    {
        if (deadline != nullptr) {
            g_source_destroy(deadline);
            g_source_unref(deadline);
        }
        deadline = next;
    }

    const Kind kind;
    SoupSession *const session;
    RequestTable *const table;  // the client's; valid while `alive` holds
    const std::weak_ptr<bool> alive;
    const HttpClient::RequestId id;
    const HttpClient::Deadlines deadlines;
    GCancellable *const cancellable = g_cancellable_new();
    GSource *deadline = nullptr;

    // The hops. The token goes only where the first one went.
    const char *method;
    const UriPtr origin;
    UriPtr uri;
    std::string bearer;  // dropped for good once a hop leaves the origin
    int redirects = 0;
    SoupMessage *message = nullptr;

    // An upload: its body, sent again by a 307 or 308; `total` its length.
    GInputStream *upload = nullptr;
    std::string content_type;

    // The final answer's body, read no further than `limit`: over it, the
    // request fails, or with `cut` the rest is left unread.
    GInputStream *body = nullptr;
    std::uint64_t limit = 0;
    bool cut = false;
    std::string data;  // in memory
    std::string path;  // or into this file (a download's 200)
    GFileOutputStream *file = nullptr;

    std::uint64_t total = 0, sent = 0, received = 0;
    HttpClient::Progress progress;
    HttpClient::Callback done;
};

// Set on a request's cancellable when its deadline cancels it.
constexpr const char *overdue_key = "hipchat-overdue";

gboolean on_deadline(gpointer data)
{
    util::guard("HTTP deadline", [&] {
        g_object_set_data(G_OBJECT(data), overdue_key, GINT_TO_POINTER(TRUE));
        g_cancellable_cancel(G_CANCELLABLE(data));
    });
    return G_SOURCE_REMOVE;
}

bool overdue(const Request &request)
{
    return g_object_get_data(G_OBJECT(request.cancellable), overdue_key) != nullptr;
}

// (Re)starts the request's deadline: `after` from now it is cancelled. The
// timer holds the request's cancellable, never the request.
void arm_deadline(Request &request, std::chrono::milliseconds after)
{
    GSource *source = g_timeout_source_new(
        static_cast<guint>(std::clamp<std::int64_t>(after.count(), 0, G_MAXUINT)));
    g_source_set_callback(source, on_deadline, g_object_ref(G_OBJECT(request.cancellable)),
                          g_object_unref);
    g_source_attach(source, g_main_context_get_thread_default());
    request.set_deadline(source);
}

// A transfer's deadline for `bytes`: whole seconds at the floor rate.
std::chrono::milliseconds transfer_deadline(const HttpClient::Deadlines &deadlines,
                                            std::uint64_t bytes)
{
    const std::uint64_t seconds = bytes / std::max<std::uint64_t>(deadlines.transfer_floor_rate, 1);
    return deadlines.transfer_base +
           std::chrono::seconds(std::min<std::uint64_t>(seconds, G_MAXUINT));
}

// Reports the end of a request (once), unless the client is gone.
void finish(std::unique_ptr<Request> request, HttpResponse response)
{
    const auto alive = request->alive.lock();
    if (!(alive && *alive))
        return;
    if (g_cancellable_is_cancelled(request->cancellable)) {
        if (overdue(*request)) {
            // TRANSLATORS: a server kept sending (or reading) a photo, an
            // emoticon or a file past the time it may take.
            response.error = _("The server took too long to send its answer.");
        } else {
            response.cancelled = true;
            if (response.error.empty())
                response.error = _("Cancelled.");
        }
    }
    const HttpClient::Callback done = std::move(request->done);
    request.reset();  // off the client's table, its file closed
    util::guard("HTTP done", [&] { done(std::move(response)); });
}

// Ends a request that failed once its hop was sent: with the headers that
// came, and no file left behind.
void fail(std::unique_ptr<Request> request, std::string why)
{
    if (request->file != nullptr) {
        g_output_stream_close(G_OUTPUT_STREAM(request->file), nullptr, nullptr);
        g_unlink(request->path.c_str());
    }
    HttpResponse response;
    fill_headers(response, request->message);
    response.error = std::move(why);
    finish(std::move(request), std::move(response));
}

// The same for a failed I/O step; takes `error`.
void fail(std::unique_ptr<Request> request, GError *error)
{
    std::string why = transport_error(error);
    g_error_free(error);
    fail(std::move(request), std::move(why));
}

void report_progress(Request &request, std::uint64_t done)
{
    const auto alive = request.alive.lock();
    if (alive && *alive && request.progress)
        request.progress(done, request.total);
}

void on_wrote_body_data(SoupMessage *, guint chunk, gpointer data)
{
    util::guard("HTTP upload progress", [&] {
        auto *request = static_cast<Request *>(data);
        request->sent += chunk;
        report_progress(*request, request->sent);
    });
}

// The upload is sent: its answer has the answer's deadline.
void on_wrote_body(SoupMessage *, gpointer data)
{
    util::guard("HTTP upload sent", [&] {
        auto *request = static_cast<Request *>(data);
        arm_deadline(*request, request->deadlines.answer);
    });
}

void on_sent(GObject *source, GAsyncResult *result, gpointer data);

// Sends the request's current hop.
void send(std::unique_ptr<Request> request)
{
    Request &r = *request;
    const char *host = g_uri_get_host(r.uri.get());
    pinned_tls_database_pin(soup_session_get_tls_database(r.session), host != nullptr ? host : "",
                            host != nullptr ? accepted_sha1(host) : "");
    r.set_message(new_message(r.method, r.uri.get(), r.bearer));
    if (r.upload != nullptr) {
        // libsoup closes the stream it sends; a 307 or 308 sends the body
        // again, so each hop sends a wrapper that leaves the caller's open.
        GError *error = nullptr;
        if (r.redirects > 0 &&
            !g_seekable_seek(G_SEEKABLE(r.upload), 0, G_SEEK_SET, nullptr, &error)) {
            fail(std::move(request), error);
            return;
        }
        GInputStream *hop_body = g_buffered_input_stream_new_sized(r.upload, chunk_size);
        g_filter_input_stream_set_close_base_stream(G_FILTER_INPUT_STREAM(hop_body), FALSE);
        soup_message_set_request_body(r.message, r.content_type.c_str(), hop_body,
                                      static_cast<gssize>(r.total));
        g_object_unref(hop_body);  // the message holds it
        r.sent = 0;
        arm_deadline(r, transfer_deadline(r.deadlines, r.total));
        g_signal_connect(r.message, "wrote-body-data", G_CALLBACK(on_wrote_body_data), &r);
        g_signal_connect(r.message, "wrote-body", G_CALLBACK(on_wrote_body), &r);
    }
    soup_session_send_async(r.session, r.message, G_PRIORITY_DEFAULT, r.cancellable, on_sent,
                            request.release());
}

// Redirects are followed here, as each message has SOUP_MESSAGE_NO_REDIRECT:
// libsoup 3 before 3.6.5 (unless patched, as Debian 12's is) sends the
// Authorization header on to whatever host a redirect names, and the
// bearer token is good for the whole account (§13).
void follow(std::unique_ptr<Request> request, unsigned status, const char *location)
{
    Request &r = *request;
    UriPtr next = http_uri(r.uri.get(), location);
    if (next == nullptr) {
        finish(std::move(request), refused(_("Invalid address.")));
        return;
    }
    if (r.redirects == max_redirects) {
        finish(std::move(request), refused(_("The server redirected too many times.")));
        return;
    }
    if (is_https(r.uri.get()) && !is_https(next.get())) {
        finish(std::move(request),
               refused(_("The server redirected to an insecure (http) address.")));
        return;
    }
    if (!same_origin(r.origin.get(), next.get())) {
        if (r.kind == Kind::upload || r.kind == Kind::send) {
            finish(std::move(request),
                   refused(_("The server redirected the upload to another server; it was not "
                             "followed.")));
            return;
        }
        r.bearer.clear();
    }
    // RFC 9110 §15.4: a POST's 301, 302 and 303 are followed with a GET, a
    // PUT's 303; the others repeat the request, body and all.
    const bool post = std::strcmp(r.method, SOUP_METHOD_POST) == 0;
    if (r.upload != nullptr &&
        (status == SOUP_STATUS_SEE_OTHER || (post && status != SOUP_STATUS_TEMPORARY_REDIRECT &&
                                             status != SOUP_STATUS_PERMANENT_REDIRECT))) {
        r.method = SOUP_METHOD_GET;
        g_clear_object(&r.upload);
    }
    r.uri = std::move(next);
    ++r.redirects;
    send(std::move(request));
}

void read_next(std::unique_ptr<Request> request);

// The final answer: its body into memory, or into the file for a
// download's 200, no further than its limit.
void read_answer(std::unique_ptr<Request> request)
{
    Request &r = *request;
    const bool to_file =
        r.kind == Kind::download && soup_message_get_status(r.message) == SOUP_STATUS_OK;
    if (r.kind == Kind::upload || (r.kind == Kind::download && !to_file)) {
        r.limit = max_answer_bytes;
        r.cut = true;
    }
    const goffset length =
        soup_message_headers_get_content_length(soup_message_get_response_headers(r.message));
    if (!r.cut && length > 0 && static_cast<std::uint64_t>(length) > r.limit) {
        fail(std::move(request), to_file ? _("The file is larger than expected.")
                                         : _("The server sent more data than expected."));
        return;
    }
    if (to_file) {
        r.total = length > 0 ? static_cast<std::uint64_t>(length) : 0;
        GError *error = nullptr;
        GFile *file = g_file_new_for_path(r.path.c_str());
        r.file = g_file_replace(file, nullptr, FALSE, G_FILE_CREATE_PRIVATE, nullptr, &error);
        g_object_unref(file);
        if (r.file == nullptr) {
            fail(std::move(request), error);
            return;
        }
    }
    read_next(std::move(request));
}

void on_sent(GObject *source, GAsyncResult *result, gpointer data)
{
    std::unique_ptr<Request> request(static_cast<Request *>(data));
    util::guard("HTTP answer", [&] {
        GError *error = nullptr;
        GInputStream *body = soup_session_send_finish(SOUP_SESSION(source), result, &error);
        if (body == nullptr) {
            fail(std::move(request), error);
            return;
        }
        const unsigned status = soup_message_get_status(request->message);
        const char *location = soup_message_headers_get_one(
            soup_message_get_response_headers(request->message), "Location");
        if (location != nullptr &&
            (status == SOUP_STATUS_MOVED_PERMANENTLY || status == SOUP_STATUS_FOUND ||
             status == SOUP_STATUS_SEE_OTHER || status == SOUP_STATUS_TEMPORARY_REDIRECT ||
             status == SOUP_STATUS_PERMANENT_REDIRECT)) {
            g_object_unref(body);  // unread: libsoup closes the connection if it must
            follow(std::move(request), status, location);
            return;
        }
        request->body = body;
        read_answer(std::move(request));
    });
}

// The answer in full, or cut at its limit.
void complete(std::unique_ptr<Request> request)
{
    Request &r = *request;
    GError *error = nullptr;
    if (r.file != nullptr && !g_output_stream_close(G_OUTPUT_STREAM(r.file), nullptr, &error)) {
        fail(std::move(request), error);
        return;
    }
    HttpResponse response;
    fill_headers(response, r.message);
    response.body = std::move(r.data);
    finish(std::move(request), std::move(response));
}

void on_read(GObject *source, GAsyncResult *result, gpointer data)
{
    std::unique_ptr<Request> request(static_cast<Request *>(data));
    util::guard("HTTP body", [&] {
        Request &r = *request;
        GError *error = nullptr;
        BytesPtr bytes(g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), result, &error));
        if (bytes == nullptr) {
            fail(std::move(request), error);
            return;
        }
        gsize size = 0;
        const auto *chunk = static_cast<const char *>(g_bytes_get_data(bytes.get(), &size));
        if (size == 0) {  // the end
            complete(std::move(request));
            return;
        }
        r.received += size;
        if (r.received > r.limit) {
            fail(std::move(request), _("The server sent more data than expected."));
            return;
        }
        if (r.file != nullptr) {
            // Chunks are small; a blocking write to a local file is fine here.
            if (!g_output_stream_write_all(G_OUTPUT_STREAM(r.file), chunk, size, nullptr, nullptr,
                                           &error)) {
                fail(std::move(request), error);
                return;
            }
            report_progress(r, r.received);
        } else {
            r.data.append(chunk, size);
        }
        if (r.cut && r.received == r.limit)
            complete(std::move(request));
        else
            read_next(std::move(request));
    });
}

void read_next(std::unique_ptr<Request> request)
{
    Request &r = *request;
    // One byte past a limit that refuses tells "too much" from "exactly
    // the limit"; so nothing beyond limit + 1 is ever held.
    const std::uint64_t room = r.limit - r.received + (r.cut ? 0 : 1);
    g_input_stream_read_bytes_async(r.body, std::min<std::uint64_t>(chunk_size, room),
                                    G_PRIORITY_DEFAULT, r.cancellable, on_read, request.release());
}

}  // namespace

struct HttpClient::Impl {
    SoupSession *session = nullptr;
    // Requests in flight check this before calling back: the client may be
    // gone by the time libsoup reports the cancellation.
    std::shared_ptr<bool> alive = std::make_shared<bool>(true);
    // Each request's own cancellable, by id, while it runs.
    RequestTable requests;
    RequestId next_id = 1;
    Deadlines deadlines;

    ~Impl()
    {
        *alive = false;
        for (auto &[id, cancellable] : requests)
            g_cancellable_cancel(cancellable);
        if (session != nullptr)
            return_session(session);
    }

    // A request for `url`, on the table; nullptr, `done` told, when `url` is
    // not an http or https address.
    std::unique_ptr<Request> request(Kind kind, const std::string &url, const std::string &bearer,
                                     Callback done)
    {
        UriPtr uri = http_uri(nullptr, url.c_str());
        if (uri == nullptr) {
            done(refused(_("Invalid address.")));
            return nullptr;
        }
        return std::make_unique<Request>(kind, session, requests, alive, next_id++, deadlines,
                                         std::move(uri), bearer, std::move(done));
    }

    // POST or PUT `body` (taken), as HttpClient::post describes.
    RequestId upload(const char *method, const std::string &url, const std::string &bearer,
                     const std::string &content_type, GInputStream *body, std::uint64_t length,
                     Progress progress, Callback done)
    {
        auto r = request(Kind::upload, url, bearer, std::move(done));
        if (r == nullptr) {
            g_object_unref(body);
            return 0;
        }
        r->method = method;
        r->upload = body;
        r->content_type = content_type;
        r->total = length;
        r->progress = std::move(progress);
        const RequestId id = r->id;
        send(std::move(r));  // its deadlines: see send() and on_wrote_body()
        return id;
    }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpClient> HttpClient::create(PurpleAccount *account, std::string &error)
{
    auto impl = std::make_unique<Impl>();
    impl->session =
        borrow_session(purple_account_get_username(account), proxy_uri(account), new_session);
    if (impl->session == nullptr) {
        error =
            _("HTTP features (avatars, emoticons, files) are unavailable: another plugin in "
              "this program uses an incompatible version of libsoup.");
        return nullptr;
    }
    return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

void HttpClient::get(const std::string &url, const std::string &bearer, std::size_t max_bytes,
                     Callback done)
{
    auto request = impl_->request(Kind::get, url, bearer, std::move(done));
    if (request == nullptr)
        return;
    request->limit = max_bytes;
    arm_deadline(*request, request->deadlines.answer);
    send(std::move(request));
}

HttpClient::RequestId HttpClient::post(const std::string &url, const std::string &bearer,
                                       const std::string &content_type, GInputStream *body,
                                       std::uint64_t length, Progress progress, Callback done)
{
    return impl_->upload(SOUP_METHOD_POST, url, bearer, content_type, body, length,
                         std::move(progress), std::move(done));
}

void HttpClient::submit(const char *method, const std::string &url, const std::string &bearer,
                        const std::string &content_type, const std::string &body, Callback done)
{
    auto request = impl_->request(Kind::send, url, bearer, std::move(done));
    if (request == nullptr)
        return;
    request->method = method;  // a literal: kept as it is
    // The stream has its own copy: `body` may go before the request does.
    request->upload = g_memory_input_stream_new_from_data(g_memdup2(body.data(), body.size()),
                                                          static_cast<gssize>(body.size()), g_free);
    request->content_type = content_type;
    request->total = body.size();
    request->limit = max_answer_bytes;
    send(std::move(request));  // its deadlines: see send() and on_wrote_body()
}

HttpClient::RequestId HttpClient::download(const std::string &url, const std::string &bearer,
                                           const std::string &path, std::uint64_t max_bytes,
                                           Progress progress, Callback done)
{
    auto request = impl_->request(Kind::download, url, bearer, std::move(done));
    if (request == nullptr)
        return 0;
    request->limit = max_bytes;
    request->path = path;
    request->progress = std::move(progress);
    arm_deadline(*request, transfer_deadline(request->deadlines, max_bytes));
    const RequestId id = request->id;
    send(std::move(request));
    return id;
}

void HttpClient::cancel(RequestId id)
{
    const auto it = impl_->requests.find(id);
    if (it != impl_->requests.end())
        g_cancellable_cancel(it->second);
}

void HttpClient::set_deadlines(const Deadlines &deadlines)
{
    impl_->deadlines = deadlines;
}

}  // namespace hipchat::net
