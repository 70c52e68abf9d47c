// The HipChat auth exchange on top of the jabber module (protocol reference
// §5, jabber-bridge notes): when the post-TLS features offer
// <auth xmlns='http://hipchat.com'/>, we authenticate instead of the module's
// SASL, keep what <success> says, and bring the module to "connected"
// without a resource bind (answering its bind and session IQs locally). When
// the feature is absent the module does SASL PLAIN and bind.
//
// What the login established (who we are, where HipChat's services are, the
// REST token) is in xmpp/identity.hpp.
#pragma once

#include <string>

#include "xmpp/session.hpp"

namespace hipchat::xmpp {

enum class AuthMethod { password, token };

enum class LoginStage {
    connecting,      // before the post-TLS features
    authenticating,  // our <auth> sent, waiting for <success>/<failure>
    restarting,      // success with restart_stream: waiting for the new features
    binding,         // bind/session being answered locally
    standard,        // the module does SASL and bind itself (no HipChat auth offered)
    done,
};

// The login's state (Session::state<LoginState>()).
struct LoginState {
    LoginStage stage = LoginStage::connecting;
    AuthMethod method = AuthMethod::password;
    std::string resource;            // sent in the auth payload (§5.1)
    std::string stream_host;         // the stream header's 'to'
    std::string stream_header;       // the rewritten header, alive while the module sends it
    bool restart_requested = false;  // we sent restart_stream='true'
    bool drop_next_text = false;     // its text must not reach the server
};

// Before the module's login: how we will authenticate. An empty `token`
// means the password.
void prepare_login(Session &session, const std::string &resource, const std::string &token,
                   const std::string &stream_host);

// The login's routes (features, success, failure) and its outgoing hook
// (the module's bind and session IQs); the stream header rewrite on
// jabber-sending-text.
void register_auth_routes();
void connect_auth_text_signal(PurplePlugin *plugin);

}  // namespace hipchat::xmpp
