#include "xmpp/identity.hpp"

#include <account.h>
#include <connection.h>

#include "core/text.hpp"

namespace hipchat::xmpp {

namespace {

Identity &identity(Session &session)
{
    return session.state<Identity>();
}

}  // namespace

std::string own_jid(Session &session)
{
    const Identity &self = identity(session);
    if (!self.jid.empty())
        return self.jid;
    if (const char *name = purple_connection_get_display_name(session.connection()))
        return name;
    return purple_account_get_username(session.account());
}

std::string own_bare_jid(Session &session)
{
    const Identity &self = identity(session);
    if (!self.bare_jid.empty())
        return self.bare_jid;
    return core::ascii_lower(core::bare_jid(own_jid(session)));
}

const core::ServiceHosts &service_hosts(Session &session)
{
    return identity(session).hosts;
}

bool on_hipchat(Session &session)
{
    return !identity(session).hosts.chat_host.empty();
}

std::string muc_host(Session &session)
{
    const Identity &self = identity(session);
    if (!self.hosts.muc_host.empty())
        return core::ascii_lower(self.hosts.muc_host);
    const std::string jid = own_bare_jid(session);
    const auto at = jid.find('@');
    return "conf." + (at == std::string::npos ? jid : jid.substr(at + 1));
}

bool is_room_jid(Session &session, const std::string &jid)
{
    const std::string bare = core::ascii_lower(core::bare_jid(jid));
    const auto at = bare.find('@');
    return at != std::string::npos && at > 0 && bare.substr(at + 1) == muc_host(session);
}

const std::string &api_token(Session &session)
{
    return identity(session).api_token;
}

}  // namespace hipchat::xmpp
