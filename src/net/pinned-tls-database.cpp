#include "net/pinned-tls-database.hpp"

#include <cstring>
#include <map>

namespace hipchat::net {

namespace {

struct PinnedTlsDatabase {
    GTlsDatabase parent;
    // Accepted certificates by host, written on the main loop, read in
    // glib-networking's handshake threads.
    GMutex lock;
    std::map<std::string, std::string> *sha1_by_host;
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
    g_mutex_lock(&self->lock);
    const auto found = self->sha1_by_host->find(host);
    const std::string accepted = found != self->sha1_by_host->end() ? found->second : "";
    g_mutex_unlock(&self->lock);
    return !accepted.empty() && sha1_of(chain) == accepted;
}

GTlsCertificateFlags verify_chain(GTlsDatabase *database, GTlsCertificate *chain,
                                  const gchar *purpose, GSocketConnectable *identity,
                                  GTlsInteraction *interaction, GTlsDatabaseVerifyFlags flags,
                                  GCancellable *cancellable, GError **error)
{
    if (is_accepted(pinned(database), host_of(identity), chain))
        return GTlsCertificateFlags(0);
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
    g_mutex_init(&self->lock);
    self->sha1_by_host = new std::map<std::string, std::string>();
}

void finalize(GObject *object)
{
    auto *self = pinned(G_TLS_DATABASE(object));
    delete self->sha1_by_host;
    g_mutex_clear(&self->lock);
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
    PinnedTlsDatabase *self = pinned(database);
    g_mutex_lock(&self->lock);
    if (sha1.empty())
        self->sha1_by_host->erase(host);
    else
        (*self->sha1_by_host)[host] = sha1;
    g_mutex_unlock(&self->lock);
}

}  // namespace hipchat::net
