#include "net/pinned-tls-database.hpp"

#include <map>
#include <mutex>
#include <new>

namespace hipchat::net {

namespace {

// Accepted certificates by host, written on the main loop, read in
// glib-networking's handshake threads.
struct Pins {
    std::mutex lock;
    std::map<std::string, std::string> sha1_by_host;
};

struct PinnedTlsDatabase {
    GTlsDatabase parent;
    Pins *pins;  // nullptr only if it could not be allocated: nothing pinned
};

struct PinnedTlsDatabaseClass {
    GTlsDatabaseClass parent_class;
};

GType pinned_tls_database_get_type();

G_DEFINE_TYPE(PinnedTlsDatabase, pinned_tls_database, G_TYPE_TLS_DATABASE)

PinnedTlsDatabase *pinned(GTlsDatabase *database)
{
    return G_TYPE_CHECK_INSTANCE_CAST(database, pinned_tls_database_get_type(), PinnedTlsDatabase);
}

// The system's authorities, loaded on first use (GIO keeps one per process).
GTlsDatabase *authorities()
{
    return g_tls_backend_get_default_database(g_tls_backend_get_default());
}

std::string host_of(GSocketConnectable *identity)
{
    if (identity != nullptr && G_IS_NETWORK_ADDRESS(identity))
        return g_network_address_get_hostname(G_NETWORK_ADDRESS(identity));
    if (identity != nullptr && G_IS_NETWORK_SERVICE(identity))
        return g_network_service_get_domain(G_NETWORK_SERVICE(identity));
    return "";
}

std::string sha1_of(GTlsCertificate *certificate)
{
    GByteArray *der = nullptr;
    g_object_get(certificate, "certificate", &der, nullptr);
    if (der == nullptr)
        return "";
    guint8 digest[20];
    gsize length = sizeof digest;
    GChecksum *checksum = g_checksum_new(G_CHECKSUM_SHA1);
    g_checksum_update(checksum, der->data, der->len);
    g_checksum_get_digest(checksum, digest, &length);
    g_checksum_free(checksum);
    g_byte_array_unref(der);
    return std::string(reinterpret_cast<const char *>(digest), length);
}

bool is_accepted(PinnedTlsDatabase *self, const std::string &host, GTlsCertificate *chain)
{
    if (self->pins == nullptr)
        return false;
    std::string accepted;
    {
        const std::lock_guard<std::mutex> held(self->pins->lock);
        const auto found = self->pins->sha1_by_host.find(host);
        if (found != self->pins->sha1_by_host.end())
            accepted = found->second;
    }
    return !accepted.empty() && sha1_of(chain) == accepted;
}

GTlsCertificateFlags verify_chain(GTlsDatabase *database, GTlsCertificate *chain,
                                  const gchar *purpose, GSocketConnectable *identity,
                                  GTlsInteraction *interaction, GTlsDatabaseVerifyFlags flags,
                                  GCancellable *cancellable, GError **error)
{
    // (Called from C, in a handshake thread: nothing may be thrown out of
    // it, nor logged through libpurple. Failing to compare fails closed.)
    try {
        if (is_accepted(pinned(database), host_of(identity), chain))
            return GTlsCertificateFlags(0);
    } catch (...) {
        return G_TLS_CERTIFICATE_GENERIC_ERROR;
    }
    GTlsDatabase *system = authorities();
    const GTlsCertificateFlags verdict =
        system != nullptr ? g_tls_database_verify_chain(system, chain, purpose, identity,
                                                        interaction, flags, cancellable, error)
                          : G_TLS_CERTIFICATE_UNKNOWN_CA;
    if (system != nullptr)
        g_object_unref(system);
    return verdict;
}

// Issuers for chains glib-networking builds: the authorities'.
GTlsCertificate *lookup_certificate_issuer(GTlsDatabase *, GTlsCertificate *certificate,
                                           GTlsInteraction *interaction,
                                           GTlsDatabaseLookupFlags flags, GCancellable *cancellable,
                                           GError **error)
{
    GTlsDatabase *system = authorities();
    if (system == nullptr)
        return nullptr;
    GTlsCertificate *issuer = g_tls_database_lookup_certificate_issuer(
        system, certificate, interaction, flags, cancellable, error);
    g_object_unref(system);
    return issuer;
}

void pinned_tls_database_init(PinnedTlsDatabase *self)
{
    self->pins = new (std::nothrow) Pins();  // (GObject's C code: nothing thrown through it)
}

void finalize(GObject *object)
{
    delete pinned(G_TLS_DATABASE(object))->pins;
    G_OBJECT_CLASS(pinned_tls_database_parent_class)->finalize(object);
}

void pinned_tls_database_class_init(PinnedTlsDatabaseClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = finalize;
    GTlsDatabaseClass *database = G_TLS_DATABASE_CLASS(klass);
    database->verify_chain = verify_chain;
    database->lookup_certificate_issuer = lookup_certificate_issuer;
}

}  // namespace

GTlsDatabase *pinned_tls_database_new()
{
    return G_TLS_DATABASE(g_object_new(pinned_tls_database_get_type(), nullptr));
}

void pinned_tls_database_pin(GTlsDatabase *database, const std::string &host,
                             const std::string &sha1)
{
    Pins *pins = pinned(database)->pins;
    if (pins == nullptr)
        return;
    const std::lock_guard<std::mutex> held(pins->lock);
    if (sha1.empty())
        pins->sha1_by_host.erase(host);
    else
        pins->sha1_by_host[host] = sha1;
}

}  // namespace hipchat::net
