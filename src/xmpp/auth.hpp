// The HipChat auth exchange on top of the jabber module (protocol reference
// §5, jabber-bridge notes): when the post-TLS features offer
// <auth xmlns='http://hipchat.com'/>, we authenticate instead of the module's
// SASL, keep what <success> says on the session, and bring the module to
// "connected" without a resource bind (answering its bind and session IQs
// locally). When the feature is absent the module does SASL PLAIN and bind.
#pragma once

#include <plugin.h>

#include <string>

#include "xmpp/session.hpp"

namespace hipchat::xmpp {

struct LoginRequest {
    std::string resource;     // sent inside the HipChat auth payload
    std::string token;        // personal API token: mechanism='oauth2' instead of the password
    std::string stream_host;  // where the stream header is addressed before <success>;
                              // empty: leave the module's (the username's domain)
    RoomSettings rooms;
    MessageSettings messages;
    HistorySettings history;
};

// Connects our handlers to the jabber-* signals the module registered on our
// plugin (after attach_module). Disconnected with the plugin's handle.
void connect_auth_signals(PurplePlugin *plugin);

}  // namespace hipchat::xmpp
