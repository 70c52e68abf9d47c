#include "net/http-client.hpp"

#include <certificate.h>
#include <debug.h>
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <proxy.h>

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
// pool, by host name). When GIO cannot verify a certificate, accept it only
// if it is exactly the one the user accepted for this host.
gboolean accepted_in_libpurple(SoupMessage *message, GTlsCertificate *peer, GTlsCertificateFlags,
                               gpointer)
{
    return util::guard(
        "accept-certificate",
        [&]() -> gboolean {
            GUri *uri = soup_message_get_uri(message);
            const char *host = uri != nullptr ? g_uri_get_host(uri) : nullptr;
            PurpleCertificatePool *pool = purple_certificate_find_pool("x509", "tls_peers");
            if (host == nullptr || pool == nullptr || !purple_certificate_pool_contains(pool, host))
                return FALSE;
            PurpleCertificate *known = purple_certificate_pool_retrieve(pool, host);
            if (known == nullptr)
                return FALSE;
            GByteArray *known_sha1 = purple_certificate_get_fingerprint_sha1(known);
            purple_certificate_destroy(known);

            GByteArray *der = nullptr;
            g_object_get(peer, "certificate", &der, nullptr);
            bool same = false;
            if (der != nullptr && known_sha1 != nullptr) {
                guint8 digest[20];
                gsize length = sizeof digest;
                GChecksum *checksum = g_checksum_new(G_CHECKSUM_SHA1);
                g_checksum_update(checksum, der->data, der->len);
                g_checksum_get_digest(checksum, digest, &length);
                g_checksum_free(checksum);
                same = known_sha1->len == length && memcmp(known_sha1->data, digest, length) == 0;
            }
            if (der != nullptr)
                g_byte_array_unref(der);
            if (known_sha1 != nullptr)
                g_byte_array_free(known_sha1, TRUE);
            return same ? TRUE : FALSE;
        },
        FALSE);
}

}  // namespace

struct HttpClient::Impl {
    SoupSession *session = nullptr;
    GCancellable *cancellable = g_cancellable_new();
    // Requests in flight check this before calling back: the client may be
    // gone by the time libsoup reports the cancellation.
    std::shared_ptr<bool> alive = std::make_shared<bool>(true);

    ~Impl()
    {
        *alive = false;
        g_cancellable_cancel(cancellable);
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
                response.error = error->message;
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
    SoupMessage *message = soup_message_new(SOUP_METHOD_GET, url.c_str());
    if (message == nullptr) {
        HttpResponse response;
        response.error = _("Invalid address.");
        done(std::move(response));
        return;
    }
    if (!bearer.empty()) {
        const std::string value = "Bearer " + bearer;
        soup_message_headers_replace(soup_message_get_request_headers(message), "Authorization",
                                     value.c_str());
    }
    g_signal_connect(message, "accept-certificate", G_CALLBACK(accepted_in_libpurple), nullptr);
    auto *request = new Request{impl_->alive, message, max_bytes, std::move(done)};
    soup_session_send_and_read_async(impl_->session, message, G_PRIORITY_DEFAULT,
                                     impl_->cancellable, on_response, request);
}

}  // namespace hipchat::net
