#include "xmpp/router.hpp"

#include <debug.h>
#include <signals.h>

#include <algorithm>
#include <vector>

#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "xmpp/identity.hpp"

namespace hipchat::xmpp {

namespace {

std::vector<Route> &routes()
{
    static std::vector<Route> table;
    return table;
}

struct Outgoing {
    const char *element;
    OutgoingHandler handler;
};

std::vector<Outgoing> &outgoing()
{
    static std::vector<Outgoing> table;
    return table;
}

// The element's first child element (an IQ's payload), or nullptr.
xmlnode *first_element(xmlnode *node)
{
    for (xmlnode *child = node->child; child != nullptr; child = child->next) {
        if (child->type == XMLNODE_TYPE_TAG)
            return child;
    }
    return nullptr;
}

bool matches(const Route &route, const Incoming &in)
{
    if (g_strcmp0(route.element, in.node->name) != 0)
        return false;
    if (route.type != nullptr && g_strcmp0(route.type, in.type) != 0)
        return false;
    if (route.xmlns == nullptr)
        return true;
    xmlnode *scoped = in.payload != nullptr ? in.payload : in.node;
    if (g_strcmp0(in.node->name, "iq") == 0 && in.payload == nullptr)
        return false;
    return g_strcmp0(route.xmlns, xmlnode_get_namespace(scoped)) == 0;
}

bool trusted(const Route &route, const Incoming &in)
{
    return route.trust == Trust::anyone || in.sender == Sender::server ||
           in.sender == Sender::own_account;
}

const char *describe(Sender sender)
{
    switch (sender) {
    case Sender::server:
        return "the server";
    case Sender::own_account:
        return "our own account";
    case Sender::room:
        return "a room";
    case Sender::person:
        return "a person";
    case Sender::unknown:
        break;
    }
    return "an unknown sender";
}

void on_receiving_xmlnode(PurpleConnection *gc, xmlnode **packet, gpointer)
{
    util::guard("jabber-receiving-xmlnode", [&] {
        Session *session = Session::find(gc);
        if (session == nullptr || packet == nullptr || *packet == nullptr)
            return;
        xmlnode *node = *packet;
        const char *from = xmlnode_get_attrib(node, "from");
        Incoming in{node,
                    xmlnode_get_attrib(node, "type"),
                    from != nullptr ? from : "",
                    core::ascii_lower(core::bare_jid(from != nullptr ? from : "")),
                    Sender::unknown,
                    g_strcmp0(node->name, "iq") == 0 ? first_element(node) : nullptr};
        in.sender = classify_sender(*session, in.from_bare);
        for (const Route &route : routes()) {
            if (!matches(route, in))
                continue;
            if (!trusted(route, in)) {
                purple_debug_warning("hipchat",
                                     "Ignored a stanza (%s) from %s (%s): only our server may "
                                     "send it\n",
                                     route.name, describe(in.sender), in.from.c_str());
                continue;
            }
            if (route.handler(*session, in) == Outcome::taken) {
                xmlnode_free(*packet);
                *packet = nullptr;
                return;
            }
        }
    });
}

void on_sending_xmlnode(PurpleConnection *gc, xmlnode **packet, gpointer)
{
    util::guard("jabber-sending-xmlnode", [&] {
        Session *session = Session::find(gc);
        if (session == nullptr || packet == nullptr || *packet == nullptr)
            return;
        for (const Outgoing &hook : outgoing()) {
            if (g_strcmp0(hook.element, (*packet)->name) == 0)
                hook.handler(*session, *packet);
        }
    });
}

}  // namespace

Sender classify_sender(Session &session, const std::string &from_bare)
{
    if (from_bare.empty())
        return Sender::server;
    const std::string own = own_bare_jid(session);
    if (from_bare == own)
        return Sender::own_account;
    const auto at = from_bare.find('@');
    const std::string domain = at == std::string::npos ? from_bare : from_bare.substr(at + 1);
    const std::string own_domain = own.substr(own.find('@') + 1);
    const std::string room_host = muc_host(session);
    const std::string chat_host = core::ascii_lower(service_hosts(session).chat_host);
    if (at == std::string::npos) {
        const bool ours = domain == own_domain || domain == room_host ||
                          (!chat_host.empty() && domain == chat_host);
        return ours ? Sender::server : Sender::unknown;
    }
    if (at == 0)
        return Sender::unknown;
    return domain == room_host ? Sender::room : Sender::person;
}

void add_route(const Route &route)
{
    auto &table = routes();
    // After every route of the same or a lower precedence: the table's order
    // within one precedence is the order of registration.
    const auto position =
        std::upper_bound(table.begin(), table.end(), route.precedence,
                         [](Precedence p, const Route &r) { return p < r.precedence; });
    table.insert(position, route);
}

void add_outgoing(const char *element, OutgoingHandler handler)
{
    outgoing().push_back({element, handler});
}

void connect_router(PurplePlugin *plugin)
{
    purple_signal_connect(plugin, "jabber-receiving-xmlnode", plugin,
                          PURPLE_CALLBACK(on_receiving_xmlnode), nullptr);
    // Below the module's own sender (priority 9999), so we see stanzas first.
    purple_signal_connect(plugin, "jabber-sending-xmlnode", plugin,
                          PURPLE_CALLBACK(on_sending_xmlnode), nullptr);
}

void clear_routes()
{
    routes().clear();
    outgoing().clear();
}

}  // namespace hipchat::xmpp
