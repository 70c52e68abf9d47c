#include "presence.hpp"

#include "core/element-xml.hpp"
#include "core/namespaces.hpp"
#include "core/xml-escape.hpp"
#include "messages.hpp"
#include "room-occupants.hpp"
#include "server.hpp"
#include "stream.hpp"

namespace hipchat::emulator {

namespace {

using core::xml_escape;

// Unavailable from `from`, with the phone `user` has, if any (§10.3).
std::string unavailable_presence(const std::string &from, const User *user)
{
    std::string out = "<presence type='unavailable' from='" + xml_escape(from) + "'>";
    if (user != nullptr && !user->mobile.empty())
        out += "<mobile>" + xml_escape(user->mobile) + "</mobile>";
    return out + "</presence>";
}

// A newcomer's first available presence: the others' presences, then the
// 1:1 messages kept while the user was offline.
void welcome(Connection &session)
{
    XmppServer &server = session.server();
    for (Connection *other : server.live_sessions())
        if (other != &session && other->available())
            session.send(other->presence());
    for (const auto &[jid, presence] : server.simulated_presences)
        session.send(presence);
    deliver_offline(session);
}

}  // namespace

void handle_presence(Connection &session, const core::Element &presence)
{
    if (presence.has_attribute("to")) {
        handle_room_presence(session, presence);
        return;
    }
    const std::string_view type = presence.attribute("type");
    if (!type.empty() && type != "unavailable")
        return;  // subscriptions: the roster is server-managed (§6.3)
    core::Element broadcast = presence;
    broadcast.attributes.emplace_back("from", session.jid());
    const bool first = !session.available();
    session.set_presence(type.empty(), core::to_xml(broadcast, ns::client));
    // §10: to the whole team, and echoed to us (§10.4).
    for (Connection *other : session.server().live_sessions())
        other->send(session.presence());
    if (first && session.available())
        welcome(session);
}

void went_offline(Connection &session)
{
    if (!session.available() || session.jid().empty())
        return;
    const std::string unavailable = unavailable_presence(session.jid(), session.user());
    session.set_presence(false, unavailable);
    for (Connection *other : session.server().live_sessions())
        if (other != &session)
            other->send(unavailable);
}

bool simulate_presence(XmppServer &server, const std::string &user_jid, const std::string &show,
                       const std::string &status)
{
    const User *user = server.org().find_user_by_jid(user_jid);
    if (user == nullptr)
        return false;
    const std::string from = server.org().user_jid(*user) + "/emulator";
    std::string presence;
    if (show == "unavailable") {
        presence = unavailable_presence(from, user);
        server.simulated_presences.erase(from);
    } else {
        // §10.1: "chat" is HipChat's Available.
        presence = "<presence from='" + xml_escape(from) + "'><show>" +
                   xml_escape(show.empty() ? "chat" : show) + "</show>";
        if (!status.empty())
            presence += "<status>" + xml_escape(status) + "</status>";
        presence += "</presence>";
        server.simulated_presences[from] = presence;
    }
    for (Connection *session : server.live_sessions())
        session->send(presence);
    return true;
}

}  // namespace hipchat::emulator
