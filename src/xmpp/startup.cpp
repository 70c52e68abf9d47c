#include "xmpp/startup.hpp"

#include <debug.h>
#include <xmlnode.h>

#include <optional>
#include <utility>
#include <vector>

#include "core/namespaces.hpp"
#include "core/people.hpp"
#include "core/text.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/levels.hpp"
#include "xmpp/people.hpp"
#include "xmpp/read-state.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/router.hpp"
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

struct StartupState {
    bool requested = false;
    bool signed_on = false;
    // The auto-join list, when startup answered before sign-on.
    std::optional<std::vector<core::AutoJoinItem>> auto_join;
};

StartupState &startup_state(Session &session)
{
    return session.state<StartupState>();
}

// With the read state known, the auto-joined rooms and chats show what the
// user has not read (unread.hpp).
void join_when_read_state_known(Session &session, std::vector<core::AutoJoinItem> items)
{
    when_read_state_known(session, [items = std::move(items)](Session &known) {
        join_auto_join_list(known, items);
        announce_unread(known, items);
    });
}

void request_startup(Session &session)
{
    if (std::exchange(startup_state(session).requested, true))
        return;
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
        if (startup_state(s).signed_on)
            join_when_read_state_known(s, std::move(startup->auto_join));
        else
            startup_state(s).auto_join = std::move(startup->auto_join);
    });
}

// The module asks for the roster as the session starts: startup goes first.
// The server answers in order, so the team's name (the buddy list group of
// everyone, §6.2) is known when the roster arrives, and 10,000 people are
// not moved into it one by one afterwards, each move a redraw of the group
// in Pidgin.
void before_roster_request(Session &session, xmlnode *iq)
{
    if (g_strcmp0(xmlnode_get_attrib(iq, "type"), "get") == 0 &&
        xmlnode_get_child_with_namespace(iq, "query", ns::roster) != nullptr)
        request_startup(session);
}

}  // namespace

void start_after_sign_on(Session &session)
{
    StartupState &state = startup_state(session);
    state.signed_on = true;
    request_startup(session);
    if (state.auto_join) {
        auto items = std::move(*state.auto_join);
        state.auto_join.reset();
        join_when_read_state_known(session, std::move(items));
    }
}

void register_startup_routes()
{
    add_outgoing("iq", before_roster_request);
}

}  // namespace hipchat::xmpp
