// Who we are on this connection, and where HipChat's services are: what the
// login established (xmpp/auth.cpp writes it), read by every feature and by
// the front door (router.hpp) to tell our server and our own account from
// everyone else.
#pragma once

#include <string>

#include "core/auth.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// Session::state<Identity>(): set by the login, from <success> (§5.5).
struct Identity {
    std::string jid;       // our full JID; "" on a standard SASL login (the module's)
    std::string bare_jid;  // lowercased
    core::ServiceHosts hosts;
    std::string api_token;  // REST bearer token (oauth2_token, or the personal token)

    Identity() = default;
    Identity(const Identity &) = delete;
    Identity &operator=(const Identity &) = delete;
    ~Identity() { core::wipe(api_token); }
};

// Our JID: the full one from <success>, else the module's (the display name
// once connected), else the account's username.
std::string own_jid(Session &session);
std::string own_bare_jid(Session &session);  // lowercased
// The hosts <success> named (§5.5); empty ones where it named none.
const core::ServiceHosts &service_hosts(Session &session);
// The server spoke HipChat's auth and named its hosts: not a plain XMPP
// server (a Jabber-ID account, §5.3).
bool on_hipchat(Session &session);
// The MUC host from <success>, or conf.<our domain> where HipChat told us
// none (SASL logins, §5.3); lowercased.
std::string muc_host(Session &session);
// A room's JID (node@the MUC host), not a person's.
bool is_room_jid(Session &session, const std::string &jid);
// The REST bearer token ("" when HipChat gave none).
const std::string &api_token(Session &session);

}  // namespace hipchat::xmpp
