// An account's libsoup session outlives the connection that made it, for a
// while: a reconnect's HTTP requests (the read state at every login, §19.4)
// then go over the HTTPS connection the last one left open, instead of a new
// TLS connection, which costs glib-networking 2.74 a fresh parse of the
// system's certificate authorities whatever database the session has (about
// 47 M instructions and 12 ms; docs/PERFORMANCE.md, "reconnect").
//
// A session holds nothing of the account's but the proxy it goes through:
// the bearer token goes with each request, and its certificate check reads
// libpurple's accepted certificates before each request. So it is kept by
// account and proxy, and a changed proxy gets a new one.
#pragma once

#include <libsoup/soup.h>

#include <string>

namespace hipchat::net {

// How long a session nobody uses is kept: libsoup closes an idle connection
// after 60 s anyway, so past that there is nothing left to reuse.
constexpr unsigned kept_session_seconds = 60;

// The session for `account_name` through `proxy` (a proxy URI, "direct://"
// for none, "" for the environment's): the one kept since the account's
// last connection when it has the same proxy, else a new one made by
// `make`. The caller's reference: give it back with return_session().
// nullptr when `make` fails (libsoup 2 is loaded).
SoupSession *borrow_session(const std::string &account_name, const std::string &proxy,
                            SoupSession *(*make)(const std::string &proxy));

// Drops the reference borrow_session() gave; once nobody uses the session,
// it is kept for kept_session_seconds, then released.
void return_session(SoupSession *session);

// Forgets every session now (the plugin is unloading); one still borrowed
// lives until its borrower returns it.
void release_kept_sessions();

}  // namespace hipchat::net
