#include "net/http-client.hpp"

#include <certificate.h>
#include <debug.h>
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <proxy.h>

#include <glib/gstdio.h>

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
// pool, by host name). The SHA-1 of the one for `url`'s host, or "": read
// when the request is made, on the main loop, because glib-networking may
// ask whether to accept a certificate from its handshake thread, and
// libpurple's certificate code (NSS) must not run there.
std::string accepted_sha1(const std::string &url)
{
    GUri *uri = g_uri_parse(url.c_str(), G_URI_FLAGS_NONE, nullptr);
    const char *host = uri != nullptr ? g_uri_get_host(uri) : nullptr;
    PurpleCertificatePool *pool = purple_certificate_find_pool("x509", "tls_peers");
    std::string sha1;
    if (host != nullptr && pool != nullptr && purple_certificate_pool_contains(pool, host)) {
        if (PurpleCertificate *known = purple_certificate_pool_retrieve(pool, host)) {
            if (GByteArray *digest = purple_certificate_get_fingerprint_sha1(known)) {
                sha1.assign(reinterpret_cast<const char *>(digest->data), digest->len);
                g_byte_array_free(digest, TRUE);
            }
            purple_certificate_destroy(known);
        }
    }
    if (uri != nullptr)
        g_uri_unref(uri);
    return sha1;
}

constexpr const char *accepted_key = "hipchat-accepted-sha1";

// When GIO cannot verify a certificate, accept it only if it is exactly the
// one the user accepted for this host in libpurple.
gboolean accepted_in_libpurple(SoupMessage *message, GTlsCertificate *peer, GTlsCertificateFlags,
                               gpointer)
{
    return util::guard(
        "accept-certificate",
        [&]() -> gboolean {
            const auto *known =
                static_cast<const std::string *>(g_object_get_data(G_OBJECT(message), accepted_key));
            if (known == nullptr || known->empty())
                return FALSE;
            GByteArray *der = nullptr;
            g_object_get(peer, "certificate", &der, nullptr);
            if (der == nullptr)
                return FALSE;
            guint8 digest[20];
            gsize length = sizeof digest;
            GChecksum *checksum = g_checksum_new(G_CHECKSUM_SHA1);
            g_checksum_update(checksum, der->data, der->len);
            g_checksum_get_digest(checksum, digest, &length);
            g_checksum_free(checksum);
            g_byte_array_unref(der);
            return known->size() == length && memcmp(known->data(), digest, length) == 0 ? TRUE
                                                                                      : FALSE;
        },
        FALSE);
}

// A stalled server (no byte either way for this long) fails the request
// instead of holding it, and the feature waiting on it, forever; a transfer
// that keeps moving never times out.
constexpr guint io_timeout_seconds = 30;

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

SoupMessage *new_message(const char *method, const std::string &url, const std::string &bearer)
{
    SoupMessage *message = soup_message_new(method, url.c_str());
    if (message == nullptr)
        return nullptr;
    if (!bearer.empty()) {
        const std::string value = "Bearer " + bearer;
        soup_message_headers_replace(soup_message_get_request_headers(message), "Authorization",
                                     value.c_str());
    }
    g_object_set_data_full(G_OBJECT(message), accepted_key, new std::string(accepted_sha1(url)),
                           [](gpointer data) { delete static_cast<std::string *>(data); });
    g_signal_connect(message, "accept-certificate", G_CALLBACK(accepted_in_libpurple), nullptr);
    return message;
}

}  // namespace

struct HttpClient::Impl {
    SoupSession *session = nullptr;
    GCancellable *cancellable = g_cancellable_new();
    // Requests in flight check this before calling back: the client may be
    // gone by the time libsoup reports the cancellation.
    std::shared_ptr<bool> alive = std::make_shared<bool>(true);
    // Each transfer's own cancellable, by id, while it runs.
    std::map<RequestId, GCancellable *> transfers;  // (TransferTable)
    RequestId next_id = 1;

    ~Impl()
    {
        *alive = false;
        g_cancellable_cancel(cancellable);
        for (auto &[id, transfer] : transfers)
            g_cancellable_cancel(transfer);
        g_object_unref(cancellable);
        if (session != nullptr)
            g_object_unref(session);
    }
};

namespace {

struct Request {
    std::weak_ptr<bool> alive;
    SoupMessage *message;
    std::size_t max_bytes;
    HttpClient::Callback done;
};

void on_response(GObject *source, GAsyncResult *result, gpointer data)
{
    std::unique_ptr<Request> request(static_cast<Request *>(data));
    GError *error = nullptr;
    GBytes *bytes = soup_session_send_and_read_finish(SOUP_SESSION(source), result, &error);
    const auto alive = request->alive.lock();
    if (alive && *alive) {
        util::guard("HTTP response", [&] {
            HttpResponse response;
            response.status = soup_message_get_status(request->message);
            if (error != nullptr) {
                response.status = 0;
                response.error = transport_error(error);
            } else {
                const char *type = soup_message_headers_get_content_type(
                    soup_message_get_response_headers(request->message), nullptr);
                response.content_type = type != nullptr ? type : "";
                gsize size = 0;
                const auto *body = static_cast<const char *>(g_bytes_get_data(bytes, &size));
                if (size > request->max_bytes)
                    response.error = _("The server sent more data than expected.");
                else if (body != nullptr)
                    response.body.assign(body, size);
            }
            request->done(std::move(response));
        });
    }
    if (bytes != nullptr)
        g_bytes_unref(bytes);
    g_clear_error(&error);
    g_object_unref(request->message);
}

}  // namespace

// --- Transfers (files) -------------------------------------------------------

namespace {

constexpr std::size_t max_post_response = 64 * 1024;
constexpr gsize chunk_size = 64 * 1024;

using TransferTable = std::map<HttpClient::RequestId, GCancellable *>;

struct Transfer {
    Transfer(TransferTable &table_, std::weak_ptr<bool> alive_, HttpClient::RequestId id_,
             SoupMessage *message_, HttpClient::Progress progress_, HttpClient::Callback done_)
        : table(&table_),
          alive(std::move(alive_)),
          id(id_),
          message(message_),
          cancellable(g_cancellable_new()),
          progress(std::move(progress_)),
          done(std::move(done_))
    {
        (*table)[id] = cancellable;
    }
    Transfer(const Transfer &) = delete;
    Transfer &operator=(const Transfer &) = delete;

    TransferTable *table;  // the client's; valid while `alive` holds
    std::weak_ptr<bool> alive;
    HttpClient::RequestId id;
    SoupMessage *message;
    GCancellable *cancellable;
    HttpClient::Progress progress;
    HttpClient::Callback done;
    std::uint64_t total = 0, moved = 0, max_bytes = 0;
    // Downloads.
    std::string path;
    GFileOutputStream *file = nullptr;
    GInputStream *body = nullptr;

    ~Transfer()
    {
        if (file != nullptr)
            g_object_unref(file);
        if (body != nullptr)
            g_object_unref(body);
        g_object_unref(message);
        g_object_unref(cancellable);
    }
};

void fill_headers(HttpResponse &response, SoupMessage *message)
{
    response.status = soup_message_get_status(message);
    SoupMessageHeaders *headers = soup_message_get_response_headers(message);
    const char *type = soup_message_headers_get_content_type(headers, nullptr);
    response.content_type = type != nullptr ? type : "";
    const char *reset = soup_message_headers_get_one(headers, "X-Ratelimit-Reset");
    response.ratelimit_reset = reset != nullptr ? reset : "";
}

// Reports the end of a transfer (once) unless the client is gone.
void finish(std::unique_ptr<Transfer> transfer, HttpResponse response)
{
    const auto alive = transfer->alive.lock();
    if (!(alive && *alive))
        return;
    transfer->table->erase(transfer->id);
    if (g_cancellable_is_cancelled(transfer->cancellable)) {
        response.cancelled = true;
        if (response.error.empty())
            response.error = _("Cancelled.");
    }
    util::guard("HTTP transfer done", [&] { transfer->done(std::move(response)); });
}

void report_progress(Transfer &transfer)
{
    const auto alive = transfer.alive.lock();
    if (alive && *alive && transfer.progress)
        util::guard("HTTP progress", [&] { transfer.progress(transfer.moved, transfer.total); });
}

void on_wrote_body_data(SoupMessage *, guint chunk, gpointer data)
{
    auto *transfer = static_cast<Transfer *>(data);
    transfer->moved += chunk;
    report_progress(*transfer);
}

void on_posted(GObject *source, GAsyncResult *result, gpointer data)
{
    std::unique_ptr<Transfer> transfer(static_cast<Transfer *>(data));
    g_signal_handlers_disconnect_by_data(transfer->message, transfer.get());
    GError *error = nullptr;
    GBytes *bytes = soup_session_send_and_read_finish(SOUP_SESSION(source), result, &error);
    HttpResponse response;
    if (error != nullptr) {
        response.error = transport_error(error);
    } else {
        fill_headers(response, transfer->message);
        gsize size = 0;
        const auto *body = static_cast<const char *>(g_bytes_get_data(bytes, &size));
        if (body != nullptr)
            response.body.assign(body, std::min<gsize>(size, max_post_response));
    }
    if (bytes != nullptr)
        g_bytes_unref(bytes);
    g_clear_error(&error);
    finish(std::move(transfer), std::move(response));
}

void fail_download(std::unique_ptr<Transfer> transfer, std::string message)
{
    if (transfer->file != nullptr) {
        g_output_stream_close(G_OUTPUT_STREAM(transfer->file), nullptr, nullptr);
        g_unlink(transfer->path.c_str());
    }
    HttpResponse response;
    fill_headers(response, transfer->message);
    response.error = std::move(message);
    finish(std::move(transfer), std::move(response));
}

// The same for a failed I/O step; takes `error`.
void fail_download(std::unique_ptr<Transfer> transfer, GError *error)
{
    std::string message = transport_error(error);
    g_error_free(error);
    fail_download(std::move(transfer), std::move(message));
}

void read_next(std::unique_ptr<Transfer> transfer);

void on_read(GObject *source, GAsyncResult *result, gpointer data)
{
    std::unique_ptr<Transfer> transfer(static_cast<Transfer *>(data));
    GError *error = nullptr;
    GBytes *bytes = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), result, &error);
    if (error != nullptr) {
        fail_download(std::move(transfer), error);
        return;
    }
    gsize size = 0;
    const void *chunk = g_bytes_get_data(bytes, &size);
    if (size == 0) {  // the end
        g_bytes_unref(bytes);
        GError *close_error = nullptr;
        if (!g_output_stream_close(G_OUTPUT_STREAM(transfer->file), nullptr, &close_error)) {
            fail_download(std::move(transfer), close_error);
            return;
        }
        HttpResponse response;
        fill_headers(response, transfer->message);
        finish(std::move(transfer), std::move(response));
        return;
    }
    transfer->moved += size;
    if (transfer->moved > transfer->max_bytes) {
        g_bytes_unref(bytes);
        fail_download(std::move(transfer), _("The server sent more data than expected."));
        return;
    }
    // Chunks are small; a blocking write to a local file is fine here.
    GError *write_error = nullptr;
    const bool written = g_output_stream_write_all(G_OUTPUT_STREAM(transfer->file), chunk, size,
                                                   nullptr, nullptr, &write_error);
    g_bytes_unref(bytes);
    if (!written) {
        fail_download(std::move(transfer), write_error);
        return;
    }
    report_progress(*transfer);
    read_next(std::move(transfer));
}

void read_next(std::unique_ptr<Transfer> transfer)
{
    GInputStream *body = transfer->body;
    GCancellable *cancellable = transfer->cancellable;
    g_input_stream_read_bytes_async(body, chunk_size, G_PRIORITY_DEFAULT, cancellable, on_read,
                                    transfer.release());
}

// A refused download's body: whatever arrived of it (the status says enough
// when nothing did).
void on_error_body(GObject *source, GAsyncResult *result, gpointer data)
{
    std::unique_ptr<Transfer> transfer(static_cast<Transfer *>(data));
    GBytes *bytes = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), result, nullptr);
    HttpResponse response;
    fill_headers(response, transfer->message);
    if (bytes != nullptr) {
        gsize size = 0;
        const auto *text = static_cast<const char *>(g_bytes_get_data(bytes, &size));
        if (text != nullptr)
            response.body.assign(text, size);
        g_bytes_unref(bytes);
    }
    finish(std::move(transfer), std::move(response));
}

void on_download_started(GObject *source, GAsyncResult *result, gpointer data)
{
    std::unique_ptr<Transfer> transfer(static_cast<Transfer *>(data));
    GError *error = nullptr;
    transfer->body = soup_session_send_finish(SOUP_SESSION(source), result, &error);
    if (error != nullptr) {
        fail_download(std::move(transfer), error);
        return;
    }
    const unsigned status = soup_message_get_status(transfer->message);
    if (status != 200) {
        // The error's body (HipChat's JSON, §13) rather than a file; read
        // without blocking, as a server may stall it.
        GInputStream *body = transfer->body;
        GCancellable *cancellable = transfer->cancellable;
        g_input_stream_read_bytes_async(body, max_post_response, G_PRIORITY_DEFAULT, cancellable,
                                        on_error_body, transfer.release());
        return;
    }
    const goffset length =
        soup_message_headers_get_content_length(soup_message_get_response_headers(transfer->message));
    if (length > 0 && static_cast<std::uint64_t>(length) > transfer->max_bytes) {
        fail_download(std::move(transfer), _("The file is larger than expected."));
        return;
    }
    transfer->total = length > 0 ? static_cast<std::uint64_t>(length) : 0;
    GFile *file = g_file_new_for_path(transfer->path.c_str());
    transfer->file = g_file_replace(file, nullptr, FALSE, G_FILE_CREATE_PRIVATE, nullptr, &error);
    g_object_unref(file);
    if (transfer->file == nullptr) {
        std::string message = transport_error(error);
        g_error_free(error);
        HttpResponse response;
        response.error = message;
        finish(std::move(transfer), std::move(response));
        return;
    }
    read_next(std::move(transfer));
}

}  // namespace

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpClient> HttpClient::create(PurpleAccount *account, std::string &error)
{
    auto impl = std::make_unique<Impl>();
    impl->session = soup_session_new();
    if (impl->session == nullptr) {
        error =
            _("HTTP features (avatars, emoticons, files) are unavailable: another plugin in "
              "this program uses an incompatible version of libsoup.");
        return nullptr;
    }
    soup_session_set_user_agent(impl->session, "purple-hipchat");
    soup_session_set_timeout(impl->session, io_timeout_seconds);
    const std::string proxy = proxy_uri(account);
    if (!proxy.empty()) {
        GProxyResolver *resolver = g_simple_proxy_resolver_new(proxy.c_str(), nullptr);
        soup_session_set_proxy_resolver(impl->session, resolver);
        g_object_unref(resolver);
    }
    return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

void HttpClient::get(const std::string &url, const std::string &bearer, std::size_t max_bytes,
                     Callback done)
{
    SoupMessage *message = new_message(SOUP_METHOD_GET, url, bearer);
    if (message == nullptr) {
        HttpResponse response;
        response.error = _("Invalid address.");
        done(std::move(response));
        return;
    }
    auto *request = new Request{impl_->alive, message, max_bytes, std::move(done)};
    soup_session_send_and_read_async(impl_->session, message, G_PRIORITY_DEFAULT,
                                     impl_->cancellable, on_response, request);
}


HttpClient::RequestId HttpClient::post(const std::string &url, const std::string &bearer,
                                       const std::string &content_type, GInputStream *body,
                                       std::uint64_t length, Progress progress, Callback done)
{
    SoupMessage *message = new_message(SOUP_METHOD_POST, url, bearer);
    if (message == nullptr) {
        g_object_unref(body);
        HttpResponse response;
        response.error = _("Invalid address.");
        done(std::move(response));
        return 0;
    }
    soup_message_set_request_body(message, content_type.c_str(), body,
                                  static_cast<gssize>(length));
    g_object_unref(body);  // the message holds it now
    const RequestId id = impl_->next_id++;
    auto *transfer = new Transfer(impl_->transfers, impl_->alive, id, message, std::move(progress),
                                  std::move(done));
    transfer->total = length;
    g_signal_connect(message, "wrote-body-data", G_CALLBACK(on_wrote_body_data), transfer);
    soup_session_send_and_read_async(impl_->session, message, G_PRIORITY_DEFAULT,
                                     transfer->cancellable, on_posted, transfer);
    return id;
}

HttpClient::RequestId HttpClient::download(const std::string &url, const std::string &bearer,
                                           const std::string &path, std::uint64_t max_bytes,
                                           Progress progress, Callback done)
{
    SoupMessage *message = new_message(SOUP_METHOD_GET, url, bearer);
    if (message == nullptr) {
        HttpResponse response;
        response.error = _("Invalid address.");
        done(std::move(response));
        return 0;
    }
    const RequestId id = impl_->next_id++;
    auto *transfer = new Transfer(impl_->transfers, impl_->alive, id, message, std::move(progress),
                                  std::move(done));
    transfer->max_bytes = max_bytes;
    transfer->path = path;
    soup_session_send_async(impl_->session, message, G_PRIORITY_DEFAULT, transfer->cancellable,
                            on_download_started, transfer);
    return id;
}

void HttpClient::cancel(RequestId id)
{
    const auto it = impl_->transfers.find(id);
    if (it != impl_->transfers.end())
        g_cancellable_cancel(it->second);
}

}  // namespace hipchat::net
