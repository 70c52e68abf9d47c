// The front door: every element the server sends comes in here, once.
//
// The jabber module offers each top-level element to `jabber-receiving-xmlnode`
// before it processes it. The router is the only handler connected to that
// signal: it guards, finds the session, classifies the sender once, and
// offers the element to the routes features registered, in the order of
// their precedence, until one takes it (the element is then freed and the
// module never sees it). A route that passes may have changed the element
// for the module (presence rewrites, the roster's team group).
//
// Trust is decided here, not in each feature: a route marked Trust::server
// (pushes: roster, rooms, emoticons, any HipChat `set`) is offered only
// elements from our server (no 'from', the chat host, the MUC host) or from
// our own account; anything else is left to the module with a debug line.
// Answers are matched to our own requests by their features (iq.cpp by id
// and sender, the roster's result by the module's request id).
//
// The whole table, in order, is in docs/ARCHITECTURE.md ("The front door").
#pragma once

#include <plugin.h>
#include <xmlnode.h>

#include <string>

#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// Who sent an element, as far as its 'from' tells.
enum class Sender {
    server,       // no 'from', our server's domain or its MUC host itself
    own_account,  // our own bare JID, any resource
    room,         // a room on the MUC host (the room itself or an occupant)
    person,       // anyone else with a node
    unknown,      // another domain without a node, or no plausible JID
};

// One incoming element as the router saw it.
struct Incoming {
    xmlnode *node;          // the element; the module's unless a route takes it
    const char *type;       // its 'type' attribute, or nullptr
    std::string from;       // its 'from' as sent, "" when absent
    std::string from_bare;  // 'from' without the resource, lowercased
    Sender sender;
    xmlnode *payload;  // an IQ's first child element, else nullptr
};

enum class Outcome {
    pass,   // not ours, or changed for the module: the next route and the module see it
    taken,  // handled: the router frees it
};

using RouteHandler = Outcome (*)(Session &, Incoming &);

enum class Trust {
    anyone,  // data about the sender itself (messages, presences) or a checked answer
    server,  // only from our server or our own account: pushes
};

// The order routes are offered an element in: lower first, the table's
// order within one precedence. Each feature registers under the
// precedence that says why it must come before the next.
enum class Precedence {
    login,        // stream features, <success>, <failure> (auth)
    replies,      // answers to our own IQs, by id (iq)
    pushes,       // roster, room and emoticon pushes (people, rooms, emoticons)
    history,      // a history page's messages, before they pass for live ones (history)
    room_events,  // join results, room errors and invites, before messages (rooms)
    presence,     // HipChat's presence meanings, rewritten for the module (presence)
    messages,     // what people say (messages)
};

struct Route {
    const char *element;  // "iq", "message", "presence", or a stream element's name
    // For an IQ its payload's namespace, for other elements their own;
    // nullptr: any.
    const char *xmlns;
    const char *type;  // nullptr: any type (or none)
    Precedence precedence;
    Trust trust;
    const char *name;  // for debug lines: "roster push", …
    RouteHandler handler;
};

// Adds a route to the table (at plugin load, from each feature's
// register_routes).
void add_route(const Route &route);

// Every outgoing element passes these, in the order added, before the
// module's own sender writes it (jabber-sending-xmlnode); they may change
// it, never drop it.
using OutgoingHandler = void (*)(Session &, xmlnode *element);
void add_outgoing(const char *element, OutgoingHandler handler);

// Connects the front door (and the outgoing one) to the module's signals on
// our plugin; disconnected with the plugin's handle. Clears the tables at
// unload.
void connect_router(PurplePlugin *plugin);
void clear_routes();

// How `from` classifies for this session (exposed for tests and features
// that look at addresses inside payloads).
Sender classify_sender(Session &session, const std::string &from_bare);

}  // namespace hipchat::xmpp
