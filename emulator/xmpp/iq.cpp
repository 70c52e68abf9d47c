#include "iq.hpp"

#include "core/element-xml.hpp"
#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/xml-escape.hpp"
#include "auth.hpp"
#include "emoticons.hpp"
#include "history.hpp"
#include "people.hpp"
#include "rooms.hpp"
#include "server.hpp"
#include "shared.hpp"
#include "stanza.hpp"
#include "stream.hpp"

#include <cstdlib>

namespace hipchat::emulator {

namespace {

using core::xml_escape;

enum class IqType { get, set, get_or_set };

// Whom an IQ is addressed to, as the table tells them apart.
enum class Addressee {
    anyone,       // whatever `to` says: the handler reads it (profiles, history, ...)
    server,       // the server itself: no `to`, the chat host or the user's own bare JID
    muc_service,  // the MUC host (§7.1)
    room,         // a room's JID
};

struct IqRoute {
    const char *xmlns;  // the payload's namespace
    const char *name;   // the payload's element name; nullptr: any
    IqType type;
    Addressee to;
    IqHandler handle;
};

// An empty result: accepted (and, for the §10.5 presence filter and §10.3
// device registration, not acted on).
void accept_iq(Connection &session, const core::Element &iq, const core::Element &)
{
    reply(session, iq, "");
}

// §16.6: the server's identity and features.
void server_info_iq(Connection &session, const core::Element &iq, const core::Element &)
{
    reply(session, iq,
          "<query" + xmlns(ns::disco_info) +
              "><identity category='server' type='im' name='HipChat'/>"
              "<feature var='" +
              ns::disco_info + "'/><feature var='" + ns::disco_items + "'/><feature var='" +
              ns::muc + "'/><feature var='" + ns::ping + "'/><feature var='" + ns::chat_states +
              "'/></query>");
}

// The server's items: the MUC service, where XMPP clients find rooms (§7.1).
void server_items_iq(Connection &session, const core::Element &iq, const core::Element &)
{
    reply(session, iq,
          "<query" + xmlns(ns::disco_items) + "><item jid='" +
              xml_escape(session.server().org().hosts.muc_host) + "'/></query>");
}

// Every IQ get and set the server answers. The first match wins; one
// namespace's addressees do not overlap, except the MUC service and the
// server when they are one host: the MUC service comes first.
const IqRoute routes[] = {
    // Login (auth.cpp): the session IQ after bind (§5.3), tokens (§5.7; set revokes).
    {ns::session, "session", IqType::get_or_set, Addressee::anyone, accept_iq},
    {ns::auth_token, nullptr, IqType::get, Addressee::anyone, token_iq},
    {ns::auth_token, nullptr, IqType::set, Addressee::anyone, accept_iq},
    // People (people.cpp, §6).
    {ns::roster, nullptr, IqType::get, Addressee::anyone, roster_iq},
    {ns::startup, nullptr, IqType::get, Addressee::anyone, startup_iq},
    {ns::profile, nullptr, IqType::get, Addressee::anyone, profile_iq},
    {ns::vcard, "vCard", IqType::get, Addressee::anyone, vcard_iq},
    {ns::users_hash, nullptr, IqType::get, Addressee::anyone, entity_hash_iq},
    {ns::rooms_hash, nullptr, IqType::get, Addressee::anyone, entity_hash_iq},
    // Rooms (rooms.cpp, §7).
    {ns::disco_items, nullptr, IqType::get, Addressee::muc_service, room_list_iq},
    {ns::disco_info, nullptr, IqType::get, Addressee::muc_service, muc_service_info_iq},
    {ns::disco_info, nullptr, IqType::get, Addressee::room, room_info_iq},
    {ns::hipchat, nullptr, IqType::set, Addressee::room, room_admin_iq},
    {ns::muc_owner, nullptr, IqType::set, Addressee::room, room_admin_iq},
    // History (history.cpp, §9) and emoticons (emoticons.cpp, §12.1).
    {ns::history, nullptr, IqType::get, Addressee::anyone, history_iq},
    // What a chat shares (shared.cpp, §8.8, §8.5).
    {ns::files, nullptr, IqType::get, Addressee::anyone, files_iq},
    {ns::links, nullptr, IqType::get, Addressee::anyone, links_iq},
    {ns::emoticons, nullptr, IqType::get, Addressee::anyone, emoticons_iq},
    // The presence filter (§10.5) and device registration (§10.3).
    {ns::presence, nullptr, IqType::get_or_set, Addressee::anyone, accept_iq},
    {ns::device, nullptr, IqType::get_or_set, Addressee::anyone, accept_iq},
    // The server itself.
    {ns::disco_info, nullptr, IqType::get, Addressee::server, server_info_iq},
    {ns::disco_items, nullptr, IqType::get, Addressee::server, server_items_iq},
    {ns::ping, "ping", IqType::get_or_set, Addressee::anyone, accept_iq},
};

bool addressed(Connection &session, const std::string &to, Addressee addressee)
{
    const Hosts &hosts = session.server().org().hosts;
    switch (addressee) {
    case Addressee::anyone:
        return true;
    case Addressee::server:
        return to.empty() || to == hosts.chat_host ||
               core::bare_jid(to) == core::bare_jid(session.jid());
    case Addressee::muc_service:
        return core::bare_jid(to) == hosts.muc_host;
    case Addressee::room:
        return session.server().org().find_room_by_jid(core::bare_jid(to)) != nullptr;
    }
    return false;
}

const IqRoute *find_route(Connection &session, const core::Element &iq, const core::Element &query)
{
    const std::string_view type = iq.attribute("type");
    const std::string to(iq.attribute("to"));
    for (const IqRoute &route : routes) {
        if (query.xmlns == route.xmlns && (route.name == nullptr || query.name == route.name) &&
            (route.type == IqType::get_or_set ||
             type == (route.type == IqType::get ? "get" : "set")) &&
            addressed(session, to, route.to))
            return &route;
    }
    return nullptr;
}

// An IQ to another client's full JID (a person's, not a room occupant's) is
// passed on from the sender's JID (caps queries); with nobody there, gets
// and sets are answered service-unavailable. False for IQs to the server.
bool route_to_client(Connection &session, const core::Element &iq)
{
    const std::string to(iq.attribute("to"));
    const std::string bare = core::bare_jid(to);
    if (to.find('/') == std::string::npos || bare.find('@') == std::string::npos ||
        bare == session.server().org().hosts.muc_host)
        return false;
    const std::string_view type = iq.attribute("type");
    if (Connection *target = session.server().find_session(to))
        target->send(core::to_xml(readdressed(iq, session.jid()), ns::client));
    else if (type == "get" || type == "set")
        reply_error(session, iq, "cancel", "service-unavailable");
    return true;
}

// The fault step (docs/emulator.md), before any handler: drop_after iq and
// iq:N close the connection, unanswered; ignore_iq answers nothing, reply_iq
// its text, error_iq internal-server-error and unsupported_iq
// service-unavailable to IQs whose payload has their namespace. True when a
// fault took the IQ.
bool fault_taken(Connection &session, const core::Element &iq)
{
    const Faults &faults = session.server().faults;
    const int number = session.count_iq();
    const std::string &drop = faults.drop_after;
    if ((drop == "iq" && number == 1) ||
        (drop.rfind("iq:", 0) == 0 && std::atoi(drop.c_str() + 3) == number)) {
        session.close();
        return true;
    }
    // A string, not a view: the conditional gives a temporary.
    const std::string payload_ns = iq.children.empty() ? "" : iq.children.front().xmlns;
    if (!faults.ignore_iq.empty() && payload_ns == faults.ignore_iq)
        return true;  // silence, as a server that lost the request
    if (!faults.reply_iq.xmlns.empty() && payload_ns == faults.reply_iq.xmlns) {
        reply(session, iq, faults.reply_iq.payload);
        return true;
    }
    if (!faults.error_iq.empty() && payload_ns == faults.error_iq) {
        reply_error(session, iq, "wait", "internal-server-error");
        return true;
    }
    if (!faults.unsupported_iq.empty() && payload_ns == faults.unsupported_iq) {
        reply_error(session, iq, "cancel", "service-unavailable");
        return true;
    }
    return false;
}

// The start of an answer to `iq`: its id, from whom it was addressed to, to
// the session.
std::string answer(Connection &session, const core::Element &iq, const char *type)
{
    std::string out =
        std::string("<iq type='") + type + "' id='" + xml_escape(iq.attribute("id")) + "'";
    if (iq.has_attribute("to"))
        out += " from='" + xml_escape(iq.attribute("to")) + "'";
    if (!session.jid().empty())
        out += " to='" + xml_escape(session.jid()) + "'";
    return out;
}

}  // namespace

void dispatch_iq(Connection &session, const core::Element &iq)
{
    if (route_to_client(session, iq))
        return;
    const std::string_view type = iq.attribute("type");
    if (type != "get" && type != "set")
        return;  // results and errors for the server: nothing to do
    if (session.stage() == LoginStage::awaiting_bind) {
        bind_resource(session, iq);
        return;
    }
    if (fault_taken(session, iq))
        return;
    const core::Element *query = iq.children.empty() ? nullptr : &iq.children.front();
    if (const IqRoute *route = query != nullptr ? find_route(session, iq, *query) : nullptr) {
        route->handle(session, iq, *query);
        return;
    }
    // Never silence: the client may be waiting on the reply.
    reply_error(session, iq, "cancel", "service-unavailable");
}

void reply(Connection &session, const core::Element &iq, const std::string &payload)
{
    session.send(answer(session, iq, "result") +
                 (payload.empty() ? "/>" : ">" + payload + "</iq>"));
}

void reply_error(Connection &session, const core::Element &iq, const char *type,
                 const char *condition, const std::string &text)
{
    session.send(answer(session, iq, "error") + "><error type='" + type + "'><" + condition +
                 xmlns(ns::stanzas) + "/>" +
                 (text.empty()
                      ? std::string()
                      : "<text" + xmlns(ns::stanzas) + ">" + xml_escape(text) + "</text>") +
                 "</error></iq>");
}

void push(Connection &session, const char *id_prefix, const std::string &payload)
{
    session.send("<iq type='set' id='" + std::string(id_prefix) + random_hex(4) + "' to='" +
                 xml_escape(session.jid()) + "'>" + payload + "</iq>");
}

}  // namespace hipchat::emulator
