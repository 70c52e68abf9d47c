#include "xmpp/startup.hpp"

#include <debug.h>
#include <xmlnode.h>

#include <optional>

#include "core/namespaces.hpp"
#include "core/people.hpp"
#include "core/text.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/levels.hpp"
#include "xmpp/people.hpp"
#include "xmpp/read-state.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/unread.hpp"

namespace hipchat::xmpp {

namespace {

// §6.1: the profile IQ to our own JID also gives our names.
void request_own_profile(Session &session)
{
    xmlnode *query = xmlnode_new("query");
    xmlnode_set_namespace(query, ns::profile);
    send_iq(session, "get", own_bare_jid(session), query, [](Session &s, const IqReply &reply) {
        const auto profile =
            reply.ok && reply.payload() ? core::parse_profile(*reply.payload()) : std::nullopt;
        if (!profile || profile->name.empty())
            purple_debug_error("hipchat", "Neither startup nor profile told us our name (%s)\n",
                               reply.error.c_str());
        else
            adopt_own_names(s, profile->name, profile->mention_name);
        settle_names(s);
    });
}

}  // namespace

void request_startup(Session &session)
{
    xmlnode *query = xmlnode_new("query");
    xmlnode_set_namespace(query, ns::startup);
    xmlnode_set_attrib(query, "send_auto_join_user_presences", "false");
    send_iq(session, "get", "", query, [](Session &s, const IqReply &reply) {
        auto startup =
            reply.ok && reply.payload() ? core::parse_startup(*reply.payload()) : std::nullopt;
        if (!startup) {
            purple_debug_warning("hipchat", "Startup failed (%s); asking for our profile\n",
                                 reply.error.c_str());
            adopt_notification_prefs(s, nullptr);  // HipChat's defaults, and this client's own
            request_own_profile(s);
            return;
        }
        s.keep_secret_out_of_logs(startup->token);
        adopt_own_names(s, startup->name, startup->mention_name);
        adopt_team(s, startup->group_name, startup->group_id);
        settle_names(s);
        adopt_notification_prefs(s, &*startup);
        // With the read state known, the auto-joined rooms and chats show
        // what the user has not read (unread.hpp).
        when_read_state_known(s, [items = std::move(startup->auto_join)](Session &known) {
            join_auto_join_list(known, items);
            announce_unread(known, items);
        });
    });
}

}  // namespace hipchat::xmpp
