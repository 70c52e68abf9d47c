// HipChat emulator: logging in (protocol reference §4.2, §5): the stream
// features after TLS, HipChat's auth (a password, §5.1, or an API token,
// §5.2), SASL PLAIN and its resource binding (§5.3), legacy iq-auth
// (XEP-0078, §5.4) and the auth token IQ (§5.7). The login-stage faults
// (drop_after features, auth and success; fail_auth_with,
// success_without_jid) act here.
#pragma once

#include "core/element.hpp"

namespace hipchat::emulator {

class Connection;

// The features of a stream after TLS: §4.2's (the auth mechanisms) before
// login, bind and session after SASL's restart, none after HipChat's restart.
void offer_login_features(Connection &session);

// A stanza before authentication: HipChat's or SASL's <auth>, or an iq-auth
// IQ; anything else but a stray <r/> closes the stream (not-authorized).
void handle_login(Connection &session, const core::Element &stanza);

// An IQ between SASL's restart and the bind: the resource bind (§5.3), or
// not-authorized for anything else.
void bind_resource(Connection &session, const core::Element &iq);

// §5.7: a fresh API token.
void token_iq(Connection &session, const core::Element &iq, const core::Element &query);

}  // namespace hipchat::emulator
