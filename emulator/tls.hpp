// HipChat emulator: throwaway TLS material made at start-up (never committed
// keys): a CA and a server certificate signed by it, for STARTTLS and HTTPS.
#pragma once

#include <gio/gio.h>

#include <optional>
#include <string>
#include <vector>

namespace hipchat::emulator {

struct TlsMaterial {
    GTlsCertificate *server = nullptr;  // owned: certificate + private key, chain includes the CA
    std::string ca_pem;                 // the CA certificate, PEM
    std::string ca_file;  // where ca_pem was written (out_dir/ca.pem), for clients to trust

    TlsMaterial() = default;
    TlsMaterial(const TlsMaterial &) = delete;
    TlsMaterial &operator=(const TlsMaterial &) = delete;
    TlsMaterial(TlsMaterial &&other) noexcept;
    TlsMaterial &operator=(TlsMaterial &&other) noexcept;
    ~TlsMaterial();
};

// Generate a CA and a server certificate valid for `hostnames` (DNS names and
// IP addresses, e.g. "localhost", "127.0.0.1", "chat.hipchat.com") and write
// ca.pem (and server.pem/server-key.pem) into out_dir. Returns nullopt with
// `error` set on failure.
std::optional<TlsMaterial> generate_tls_material(const std::vector<std::string> &hostnames,
                                                 const std::string &out_dir, std::string &error);

}  // namespace hipchat::emulator
