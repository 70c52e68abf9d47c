// Keepalive (protocol reference §4.3): HipChat drops connections that send
// nothing for 90-150 s and recommends a single space every 60 s. The module's
// own keepalive pings only after 30 s without *incoming* data, which a busy
// room suppresses while our side stays silent; so once signed on we send a
// space whenever nothing else went out for a whole interval.
#pragma once

#include <glib.h>

#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// Default interval; an account setting (not an option, so not shown to users)
// can shorten it for tests: `keepalive_interval`, in seconds.
inline constexpr int default_keepalive_seconds = 60;
inline constexpr const char *keepalive_setting = "keepalive_interval";

// Session::state<KeepaliveState>().
struct KeepaliveState {
    gint64 last_sent = 0;  // monotonic time of our last send
};

// Something went out just now (xmpp/auth.cpp sees every text sent).
void note_sent(Session &session);

// From sign-on until the session ends.
void start_keepalive(Session &session);

}  // namespace hipchat::xmpp
