// The HTTP client's certificate check, as libpurple's own for its XMPP
// connection: a certificate the user accepted for a host (libpurple's
// "tls_peers" pool) is that host's, whatever the system's authorities say;
// any other is checked against them. A server with a certificate the user
// accepted is not checked against the authorities at all (for a self-signed
// chain, that check against GnuTLS's copy of the system's 140-odd
// certificates cost 155 M instructions a session; docs/PERFORMANCE.md).
// glib-networking 2.74 still parses the authorities as each TLS connection
// starts, whatever its database: kept-sessions.hpp makes that rarer.
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
