#include "xmpp/integrations.hpp"

#include <debug.h>

#include "core/namespaces.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/router.hpp"

namespace hipchat::xmpp {

namespace {

Outcome integration_push_route(Session &session, Incoming &in)
{
    purple_debug_info("hipchat", "Integration push (%s) acknowledged: nothing to show\n",
                      xmlnode_get_namespace(in.payload));
    reply_result(session, in.node);
    return Outcome::taken;
}

}  // namespace

void register_integration_routes()
{
    add_route({"iq", ns::integrations, "set", Precedence::pushes, Trust::server, "integration push",
               integration_push_route});
    add_route({"iq", ns::integrations_ui, "set", Precedence::pushes, Trust::server, "glance push",
               integration_push_route});
}

}  // namespace hipchat::xmpp
