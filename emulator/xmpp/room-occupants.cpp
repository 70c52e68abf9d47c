#include "room-occupants.hpp"

#include "core/element-xml.hpp"
#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/xml-escape.hpp"
#include "guests.hpp"
#include "history.hpp"
#include "rooms.hpp"
#include "server.hpp"
#include "stanza.hpp"
#include "stream.hpp"

#include <algorithm>

namespace hipchat::emulator {

namespace {

using core::xml_escape;

std::vector<Occupant>::iterator find_occupant(std::vector<Occupant> &occupants,
                                              const Connection &session)
{
    return std::find_if(occupants.begin(), occupants.end(),
                        [&session](const Occupant &o) { return o.session == &session; });
}

// The presence of occupant `o` as seen by `to` (§7.4: never anonymous); to
// the occupant itself (`self`), with the room's details and permissions.
std::string occupant_presence(XmppServer &server, const Room &room, const Occupant &o,
                              const std::string &to, bool self)
{
    const User *u = o.session->user();
    const std::string affiliation = u != nullptr && u->id == room.owner ? "owner" : "member";
    std::string out = "<presence from='" + xml_escape(server.org().room_jid(room) + "/" + o.nick) +
                      "' to='" + xml_escape(to) + "'>" + o.presence + "<x" + xmlns(ns::muc_user) +
                      "><item affiliation='" + affiliation + "' role='participant' jid='" +
                      xml_escape(o.session->jid()) + "'/>";
    if (!self)
        return out + "</x></presence>";
    out += "<status code='110'/></x><x" + xmlns(ns::muc_room) + "><name>" + xml_escape(room.name) +
           "</name><privacy>" + xml_escape(room.privacy) + "</privacy>" +
           (room.topic.empty() ? "<topic/>" : "<topic>" + xml_escape(room.topic) + "</topic>") +
           "<rostersize>" + std::to_string(participants(server, room)) + "</rostersize></x><x" +
           xmlns(ns::muc_permissions) +
           "><permission>room:invite_user</permission><permission>update_own_user</permission>"
           "</x></presence>";
    return out;
}

// What of a room presence the others see (§10.6): show, status and idle.
std::string presence_children(const core::Element &presence)
{
    std::string out;
    for (const auto &c : presence.children)
        if ((c.name == "show" || c.name == "status") && c.xmlns == ns::client)
            out += core::to_xml(c, ns::client);
        else if (c.name == "query" && c.xmlns == ns::last_activity)  // idle, §10.2
            out += core::to_xml(c);
    return out;
}

// How sessions leave a room (§7.5, §19.7).
enum class Departure {
    disconnected,  // the connection ended: that session only
    left,          // the user closed the room: on every device
    removed,       // someone removed the user: every session
};

// The unavailable presence from room/`nick` to `to`, around `x` (the muc#user
// payload) and `status` (a <status/> element or nothing).
std::string unavailable(const std::string &from, const std::string &to, const std::string &x,
                        const std::string &status)
{
    return "<presence type='unavailable' from='" + xml_escape(from) + "' to='" + xml_escape(to) +
           "'><x" + xmlns(ns::muc_user) + ">" + x + "</x>" + status + "</presence>";
}

// What the others see when `user` leaves (§7.5, §19.7). A leave carries a
// <status>, the one the client sent or an empty one: the web client takes
// an unavailable room presence *without* one for a member record, not a
// leave (presence_processor.js 115-119 against 143-152) [INFERRED text].
// A removal names its actor and is a 307, the removed person's bare JID on
// the item, which the web client compares (presence_processor.js 121-137).
void tell_others(XmppServer &server, const Room &room, const Occupant &leaving, Departure how,
                 const User *actor, const std::string &status)
{
    const std::string from = server.org().room_jid(room) + "/" + leaving.nick;
    const User &user = *leaving.session->user();
    const std::string bare = server.org().user_jid(user);
    const std::string affiliation = user.id == room.owner ? "owner" : "member";
    const std::string x = how == Departure::removed
                              ? "<item affiliation='none' role='none' jid='" + xml_escape(bare) +
                                    "'><actor jid='" + xml_escape(server.org().user_jid(*actor)) +
                                    "'/></item><status code='307'/>"
                              : "<item affiliation='" + affiliation + "' role='none' jid='" +
                                    xml_escape(leaving.session->jid()) + "'/>";
    const std::string status_element = how == Departure::removed ? ""
                                       : status.empty()
                                           ? "<status/>"
                                           : "<status>" + xml_escape(status) + "</status>";
    for (const auto &o : std::vector<Occupant>(server.occupants(room)))
        o.session->send(unavailable(from, o.session->jid(), x, status_element));
}

// What one of the user's own sessions is told. The session that left gets
// its leave confirmed (110); on a removal every session hears who did it
// (307, the actor); when the user closed the room on one device, the others
// are told so: a 307 whose actor is the user (presence_processor.js 121-129,
// application_store.js handleCloseRoom; the bare JIDs compared as given).
void tell_own_session(XmppServer &server, const Room &room, const Occupant &o, Departure how,
                      const User *actor, bool closed_here)
{
    const std::string from = server.org().room_jid(room) + "/" + o.nick;
    const std::string bare = server.org().user_jid(*o.session->user());
    if (how == Departure::removed || (how == Departure::left && !closed_here)) {
        const std::string by = how == Departure::removed ? server.org().user_jid(*actor) : bare;
        o.session->send(unavailable(from, o.session->jid(),
                                    "<item affiliation='none' role='none' jid='" +
                                        xml_escape(bare) + "'><actor jid='" + xml_escape(by) +
                                        "'/></item><status code='307'/><status code='110'/>",
                                    ""));
        return;
    }
    o.session->send(unavailable(from, o.session->jid(),
                                "<item affiliation='member' role='none'/><status code='110'/>",
                                ""));
}

// `session`'s departure from the room: which of the user's sessions go,
// what each is told, and what the others see once the user is gone.
void depart(Connection &session, const Room &room, Departure how, const User *actor,
            const std::string &status)
{
    XmppServer &server = session.server();
    auto &occupants = server.occupants(room);
    const auto mine = find_occupant(occupants, session);
    if (mine == occupants.end())
        return;
    const Occupant leaving = *mine;
    std::vector<Occupant> going;
    for (const auto &o : occupants)
        if (o.session == &session ||
            (how != Departure::disconnected && o.session->user() == session.user()))
            going.push_back(o);
    std::erase_if(occupants, [&](const Occupant &o) {
        return std::any_of(going.begin(), going.end(),
                           [&](const Occupant &g) { return g.session == o.session; });
    });
    for (const auto &o : going)
        tell_own_session(server, room, o, how, actor, o.session == &session);
    // The others see the user go when their last session has (§7.4: one
    // nick per user, whatever the number of devices) [INFERRED].
    const bool still_there =
        std::any_of(occupants.begin(), occupants.end(),
                    [&](const Occupant &o) { return o.session->user() == session.user(); });
    if (!still_there)
        tell_others(server, room, leaving, how, actor, status);
}

// §7.4: a join, refused for a wrong nick, a room the user may not see or an
// archived one; else, in XEP-0045's order: the others, then ourselves (110),
// then the history, then the subject.
void join(Connection &session, Room &room, const core::Element &presence, const std::string &to)
{
    XmppServer &server = session.server();
    const User &user = *session.user();
    const std::string nick = core::jid_resource(to);
    if (nick != server.room_nick(user)) {
        wrong_nick(session, to);
        return;
    }
    if (!may_see(room, user) || room.archived) {
        // §7.4 [INFERRED]: forbidden for private rooms you are not in, and archived ones.
        room_presence_error(session, to, "auth", "403", "forbidden",
                            "You are not allowed to join this room.");
        return;
    }
    auto &occupants = server.occupants(room);
    const Occupant me{&session, nick, presence_children(presence)};
    for (const auto &o : std::vector<Occupant>(occupants))
        session.send(occupant_presence(server, room, o, session.jid(), false));
    send_guests(session, room);
    for (const auto &o : std::vector<Occupant>(occupants))
        o.session->send(occupant_presence(server, room, me, o.session->jid(), false));
    occupants.push_back(me);
    session.send(occupant_presence(server, room, me, session.jid(), true));
    send_join_backlog(session, room, presence);
    // The topic as a standard MUC subject (§7.4: clients handle both).
    session.send("<message type='groupchat' from='" + xml_escape(server.org().room_jid(room)) +
                 "' to='" + xml_escape(session.jid()) + "'><subject>" + xml_escape(room.topic) +
                 "</subject></message>");
    if (server.on_join)
        server.on_join(room, user);
}

}  // namespace

void room_presence_error(Connection &session, const std::string &from, const char *type,
                         const char *code, const char *condition, const std::string &text)
{
    session.send("<presence type='error' from='" + xml_escape(from) + "' to='" +
                 xml_escape(session.jid()) + "'><x" + xmlns(ns::muc) + "/><error type='" + type +
                 "' code='" + code + "'><" + condition + xmlns(ns::stanzas) + "/><text" +
                 xmlns(ns::stanzas) + ">" + xml_escape(text) + "</text></error></presence>");
}

// The full name, or under --nick-rule mention-name the mention name; the
// same error either way.
void wrong_nick(Connection &session, const std::string &to)
{
    room_presence_error(session, to, "cancel", "406", "not-acceptable",
                        session.server().config().nick_rule == NickRule::mention_name
                            ? "You must use your mention name as your nickname."
                            : "You must use your full name as your nickname.");
}

void handle_room_presence(Connection &session, const core::Element &presence)
{
    XmppServer &server = session.server();
    Organisation &org = server.org();
    const std::string to(presence.attribute("to"));
    const std::string bare = core::bare_jid(to);
    if (bare.substr(bare.find('@') + 1) != org.hosts.muc_host)
        return;  // directed presence to people: the roster is the team (§6.3), nothing to do
    Room *room = org.find_room_by_jid(bare);
    const std::string_view type = presence.attribute("type");
    if (room == nullptr && type.empty() && presence.child("x", ns::muc_room) != nullptr) {
        room = create_room(session, presence, to);
        if (room == nullptr)
            return;  // refused, and told so
    }
    if (room == nullptr) {
        if (type.empty())
            room_presence_error(session, to, "cancel", "404", "item-not-found", "No such room.");
        return;
    }
    auto &occupants = server.occupants(*room);
    const auto mine = find_occupant(occupants, session);
    if (type == "unavailable") {
        const core::Element *status = presence.child("status", ns::client);
        if (mine != occupants.end())
            depart(session, *room, Departure::left, nullptr, status != nullptr ? status->text : "");
        return;
    }
    if (!type.empty())
        return;
    if (mine == occupants.end()) {
        join(session, *room, presence, to);
        return;
    }
    // A presence change inside the room (§10.6) to every occupant.
    mine->presence = presence_children(presence);
    const Occupant me = *mine;
    for (const auto &o : std::vector<Occupant>(occupants))
        o.session->send(
            occupant_presence(server, *room, me, o.session->jid(), o.session == &session));
}

bool in_room(Connection &session, const Room &room)
{
    auto &occupants = session.server().occupants(room);
    return find_occupant(occupants, session) != occupants.end();
}

std::vector<const User *> participant_users(XmppServer &server, const Room &room)
{
    std::vector<const User *> users;
    // Not through occupants(): a large team's thousands of empty rooms stay out of the map.
    const auto it = server.occupancy.find(room.id);
    if (it != server.occupancy.end())
        for (const auto &o : it->second)
            if (std::find(users.begin(), users.end(), o.session->user()) == users.end())
                users.push_back(o.session->user());
    return users;
}

int participants(XmppServer &server, const Room &room)
{
    return static_cast<int>(participant_users(server, room).size());
}

void empty_room(XmppServer &server, const Room &room)
{
    for (const auto &o : std::vector<Occupant>(server.occupants(room)))
        depart(*o.session, room, Departure::disconnected, nullptr, "");
}

void remove_from_room(XmppServer &server, const Room &room, const User &removed, const User &actor)
{
    for (const auto &o : std::vector<Occupant>(server.occupants(room)))
        if (o.session->user() == &removed) {
            depart(*o.session, room, Departure::removed, &actor, "");
            return;  // every session of theirs went with it
        }
}

void leave_all_rooms(Connection &session)
{
    XmppServer &server = session.server();
    // Only the rooms the session is in: a large organisation has thousands.
    std::vector<std::uint64_t> ids;
    for (auto &[id, occupants] : server.occupancy)
        if (find_occupant(occupants, session) != occupants.end())
            ids.push_back(id);
    for (const auto id : ids)
        for (const auto &room : server.org().rooms)
            if (room.id == id)
                depart(session, room, Departure::disconnected, nullptr, "");
}

void change_topic(XmppServer &server, Room &room, const User &by, const std::string &topic)
{
    room.topic = topic.substr(0, 250);
    HistoryMessage change;
    change.mid = new_mid();
    change.ts = now_ts();
    change.from_jid = server.org().user_jid(by);
    change.from_name = server.room_nick(by);
    change.body = room.topic;
    change.topic_change = true;
    room.history.push_back(change);
    const std::string from = server.org().room_jid(room) + "/" + change.from_name;
    for (const auto &o : std::vector<Occupant>(server.occupants(room)))
        o.session->send("<message type='groupchat' from='" + xml_escape(from) + "' to='" +
                        xml_escape(o.session->jid()) + "'><subject>" + xml_escape(room.topic) +
                        "</subject></message>");
}

}  // namespace hipchat::emulator
