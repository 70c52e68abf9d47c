#include "tls.hpp"

#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <ctime>
#include <memory>

namespace hipchat::emulator {

namespace {

struct Key {
    gnutls_x509_privkey_t key = nullptr;
    ~Key()
    {
        if (key)
            gnutls_x509_privkey_deinit(key);
    }
};
struct Cert {
    gnutls_x509_crt_t crt = nullptr;
    ~Cert()
    {
        if (crt)
            gnutls_x509_crt_deinit(crt);
    }
};

std::string pem_of(gnutls_x509_crt_t crt)
{
    gnutls_datum_t out{};
    if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &out) < 0)
        return {};
    std::string pem(reinterpret_cast<char *>(out.data), out.size);
    gnutls_free(out.data);
    return pem;
}

std::string pem_of(gnutls_x509_privkey_t key)
{
    gnutls_datum_t out{};
    if (gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &out) < 0)
        return {};
    std::string pem(reinterpret_cast<char *>(out.data), out.size);
    gnutls_free(out.data);
    return pem;
}

bool make_certificate(Cert &cert, Key &key, const char *common_name, bool is_ca, int serial)
{
    if (gnutls_x509_privkey_init(&key.key) < 0 ||
        gnutls_x509_privkey_generate(key.key, GNUTLS_PK_ECDSA,
                                     GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) < 0 ||
        gnutls_x509_crt_init(&cert.crt) < 0)
        return false;
    const time_t now = time(nullptr);
    const unsigned char serial_bytes[] = {static_cast<unsigned char>(serial)};
    gnutls_x509_crt_set_version(cert.crt, 3);
    gnutls_x509_crt_set_serial(cert.crt, serial_bytes, sizeof serial_bytes);
    gnutls_x509_crt_set_activation_time(cert.crt, now - 3600);
    gnutls_x509_crt_set_expiration_time(cert.crt, now + 7 * 24 * 3600);
    gnutls_x509_crt_set_dn_by_oid(cert.crt, GNUTLS_OID_X520_COMMON_NAME, 0, common_name,
                                  strlen(common_name));
    gnutls_x509_crt_set_key(cert.crt, key.key);
    gnutls_x509_crt_set_basic_constraints(cert.crt, is_ca ? 1 : 0, -1);
    gnutls_x509_crt_set_key_usage(cert.crt, is_ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
                                                  : GNUTLS_KEY_DIGITAL_SIGNATURE);
    return true;
}

}  // namespace

TlsMaterial::TlsMaterial(TlsMaterial &&other) noexcept
    : server(other.server), ca_pem(std::move(other.ca_pem)), ca_file(std::move(other.ca_file))
{
    other.server = nullptr;
}

TlsMaterial &TlsMaterial::operator=(TlsMaterial &&other) noexcept
{
    if (this != &other) {
        if (server != nullptr)
            g_object_unref(server);
        server = other.server;
        other.server = nullptr;
        ca_pem = std::move(other.ca_pem);
        ca_file = std::move(other.ca_file);
    }
    return *this;
}

TlsMaterial::~TlsMaterial()
{
    if (server != nullptr)
        g_object_unref(server);
}

std::optional<TlsMaterial> generate_tls_material(const std::vector<std::string> &hostnames,
                                                 const std::string &out_dir, std::string &error)
{
    Cert ca, leaf;
    Key ca_key, leaf_key;
    if (!make_certificate(ca, ca_key, "HipChat emulator throwaway CA", true, 1) ||
        !make_certificate(leaf, leaf_key,
                          hostnames.empty() ? "localhost" : hostnames.front().c_str(), false, 2)) {
        error = "cannot generate keys";
        return std::nullopt;
    }
    gnutls_x509_crt_set_key_purpose_oid(leaf.crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
    for (const auto &name : hostnames) {
        GInetAddress *ip = g_inet_address_new_from_string(name.c_str());
        if (ip != nullptr) {
            gnutls_x509_crt_set_subject_alt_name(
                leaf.crt, GNUTLS_SAN_IPADDRESS, g_inet_address_to_bytes(ip),
                g_inet_address_get_native_size(ip), GNUTLS_FSAN_APPEND);
            g_object_unref(ip);
        } else {
            gnutls_x509_crt_set_subject_alt_name(leaf.crt, GNUTLS_SAN_DNSNAME, name.c_str(),
                                                 name.size(), GNUTLS_FSAN_APPEND);
        }
    }
    if (gnutls_x509_crt_sign2(ca.crt, ca.crt, ca_key.key, GNUTLS_DIG_SHA256, 0) < 0 ||
        gnutls_x509_crt_sign2(leaf.crt, ca.crt, ca_key.key, GNUTLS_DIG_SHA256, 0) < 0) {
        error = "cannot sign certificates";
        return std::nullopt;
    }

    TlsMaterial material;
    material.ca_pem = pem_of(ca.crt);
    const std::string leaf_pem = pem_of(leaf.crt);
    const std::string key_pem = pem_of(leaf_key.key);
    material.ca_file = out_dir + "/ca.pem";
    if (g_mkdir_with_parents(out_dir.c_str(), 0700) != 0 ||
        !g_file_set_contents(material.ca_file.c_str(), material.ca_pem.c_str(), -1, nullptr) ||
        !g_file_set_contents((out_dir + "/server.pem").c_str(), leaf_pem.c_str(), -1, nullptr) ||
        !g_file_set_contents((out_dir + "/server-key.pem").c_str(), key_pem.c_str(), -1, nullptr)) {
        error = "cannot write TLS files to " + out_dir;
        return std::nullopt;
    }
    const std::string chain = leaf_pem + material.ca_pem + key_pem;
    GError *gerror = nullptr;
    material.server = g_tls_certificate_new_from_pem(chain.c_str(), -1, &gerror);
    if (material.server == nullptr) {
        error = gerror != nullptr ? gerror->message : "bad certificate";
        g_clear_error(&gerror);
        return std::nullopt;
    }
    return material;
}

}  // namespace hipchat::emulator
