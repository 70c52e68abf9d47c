// The HTTP client's certificate check, as libpurple's own for its XMPP
// connection: a certificate the user accepted for a host (libpurple's
// "tls_peers" pool) is that host's, whatever the system's authorities say;
// any other is checked against them. The authorities are loaded only when a
// host without an accepted certificate is reached, once per process, as
// libpurple loads its own: a server with a certificate the user accepted
// costs no second CA database (GnuTLS's copy of the system's 140-odd
// certificates, about 10 MiB and 0.2 s of CPU).
#pragma once

#include <gio/gio.h>

#include <string>

namespace hipchat::net {

// A new database (the caller's reference) that knows no accepted
// certificate yet.
GTlsDatabase *pinned_tls_database_new();

// The certificate the user accepted for `host`, by the SHA-1 of its DER
// ("" for none: the host is checked against the authorities). Called on the
// main loop before each request to `host`; glib-networking verifies in its
// handshake thread, where libpurple's certificate code must not run.
void pinned_tls_database_pin(GTlsDatabase *database, const std::string &host,
                             const std::string &sha1);

}  // namespace hipchat::net
