// HipChat emulator: the XMPP features whose code has not yet moved to a file
// of its own in emulator/xmpp/, where their interfaces already are (one
// header each). It empties one feature at a time.
#include "core/element-xml.hpp"
#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/xml-escape.hpp"
#include "xmpp/history.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/room-occupants.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/server.hpp"
#include "xmpp/stanza.hpp"
#include "xmpp/stream.hpp"

#include <algorithm>
#include <cstdlib>

// --- rooms (emulator/xmpp/rooms.hpp) --------------------------------------------------

namespace hipchat::emulator {

namespace {

using core::xml_escape;

std::string guest_url_field(const Room &r)
{
    return r.guest_url.empty() ? "<guest_url/>"
                               : "<guest_url>" + xml_escape(r.guest_url) + "</guest_url>";
}

// What room_x holds, without the <x> around it (a room push's item).
std::string room_fields(XmppServer &server, const Room &r, bool with_name)
{
    const Organisation &org = server.org();
    const User *owner = server.org().find_user_by_id(r.owner);
    std::string x = "<id>" + std::to_string(r.id) + "</id>";
    if (with_name)
        x += "<name>" + xml_escape(r.name) + "</name>";
    x += "<topic>" + xml_escape(r.topic) + "</topic><privacy>" + xml_escape(r.privacy) +
         "</privacy><owner>" + (owner != nullptr ? xml_escape(org.user_jid(*owner)) : "") +
         "</owner><num_participants>" + std::to_string(participants(server, r)) +
         "</num_participants>" + guest_url_field(r) + "<version>" + xml_escape(r.version) +
         "</version><last_active>" + std::to_string(r.last_active) + "</last_active>";
    if (r.archived)
        x += "<is_archived/>";
    return x;
}

// §8.9: a bodyless groupchat message with the room's x around `fields`, to
// every occupant, from `by`, who changed the room.
void info_message(XmppServer &server, const Room &room, const User &by, const std::string &fields)
{
    const std::string from = server.org().room_jid(room) + "/" + server.room_nick(by);
    for (const auto &o : std::vector<Occupant>(server.occupants(room)))
        o.session->send("<message type='groupchat' from='" + xml_escape(from) + "' to='" +
                        xml_escape(o.session->jid()) + "' mid='" + new_mid() + "' ts='" +
                        ts_text(now_ts()) + "'><x" + xmlns(ns::muc_room) + ">" + fields +
                        "</x></message>");
}

// The room of an IQ the table routed as addressed to a room.
Room &addressed_room(Connection &session, const core::Element &iq)
{
    return *session.server().org().find_room_by_jid(core::bare_jid(iq.attribute("to")));
}

// §7.7, muc#owner <destroy/>: everyone out, then the room is gone.
void destroy_room(Connection &session, const core::Element &iq, Room &room)
{
    XmppServer &server = session.server();
    reply(session, iq, "");
    for (const auto &o : std::vector<Occupant>(server.occupants(room)))
        leave_room(*o.session, room);
    push_room(server, room, true);
    const std::uint64_t id = room.id;
    std::erase_if(server.org().rooms, [id](const Room &r) { return r.id == id; });
}

// §7.5: `item`'s person removed from a private room; their sessions in it get
// a 307 with the session's user as the actor.
void remove_member(Connection &session, const core::Element &iq, Room &room,
                   const core::Element &item)
{
    const User *removed = session.server().org().find_user_by_jid(item.attribute("jid"));
    if (removed == nullptr) {
        reply_error(session, iq, "cancel", "item-not-found");
        return;
    }
    std::erase(room.members, removed->id);
    reply(session, iq, "");
    for (const auto &o : std::vector<Occupant>(session.server().occupants(room)))
        if (o.session->user() == removed)
            kick(*o.session, room, *session.user());
}

// §7.7's settings: a new name (the JID does not change), the privacy, or
// guest access (with its §8.9 message). False when `query` changes none.
bool change_setting(Connection &session, Room &room, const core::Element &query)
{
    const core::Element *privacy = query.child("privacy");
    if (const core::Element *rename = query.child("rename");
        rename != nullptr && !rename->text.empty()) {
        room.name = rename->text;
    } else if (privacy != nullptr && (privacy->text == "public" || privacy->text == "private")) {
        room.privacy = privacy->text;
    } else if (const core::Element *guest = query.child("guest_access")) {
        const Hosts &hosts = session.server().org().hosts;
        room.guest_url =
            guest->text == "1" ? "https://" + hosts.web_host + "/g" + random_hex(5) : "";
        info_message(session.server(), room, *session.user(), guest_url_field(room));
    } else {
        return false;
    }
    return true;
}

}  // namespace

std::string room_x(XmppServer &server, const Room &room, bool with_name)
{
    return "<x" + xmlns(ns::muc_room) + ">" + room_fields(server, room, with_name) + "</x>";
}

bool may_see(const Room &r, const User &u)
{
    return r.privacy != "private" || r.owner == u.id ||
           std::find(r.members.begin(), r.members.end(), u.id) != r.members.end();
}

// §7.1: rooms we may see, archived ones only on include_archived='true'
// (ignore_archived='true' is the web client's way of saying no); XEP-0059
// pages with <set> on all but the last page, <after> a room JID or name;
// with --disco-page-size 0 no paging at all.
void room_list_iq(Connection &session, const core::Element &iq, const core::Element &query)
{
    XmppServer &server = session.server();
    const Organisation &org = server.org();
    const bool archived = query.attribute("include_archived") == "true" &&
                          query.attribute("ignore_archived") != "true";
    std::vector<const Room *> visible;
    for (const auto &r : org.rooms)
        if (may_see(r, *session.user()) && (archived || !r.archived))
            visible.push_back(&r);
    const std::size_t page_size = server.config().disco_page_size;
    std::size_t start = 0, max = page_size > 0 ? page_size : visible.size();
    if (const core::Element *set = page_size > 0 ? query.child("set", ns::rsm) : nullptr) {
        if (const core::Element *m = set->child("max"))
            max = static_cast<std::size_t>(std::clamp(std::atoi(m->text.c_str()), 1, 1000));
        if (const core::Element *after = set->child("after")) {
            for (std::size_t i = 0; i < visible.size(); ++i)
                if (org.room_jid(*visible[i]) == after->text || visible[i]->name == after->text)
                    start = i + 1;
        }
    }
    std::string q = "<query" + xmlns(ns::disco_items) + ">";
    const std::size_t end = std::min(visible.size(), start + max);
    for (std::size_t i = start; i < end; ++i)
        q += "<item jid='" + xml_escape(org.room_jid(*visible[i])) + "' name='" +
             xml_escape(visible[i]->name) + "'>" + room_x(server, *visible[i]) + "</item>";
    if (end < visible.size())
        q += "<set" + xmlns(ns::rsm) + "><first index='" + std::to_string(start) + "'>" +
             xml_escape(org.room_jid(*visible[start])) + "</first><last>" +
             xml_escape(org.room_jid(*visible[end - 1])) + "</last><count>" +
             std::to_string(visible.size()) + "</count></set>";
    reply(session, iq, q + "</query>");
}

// The conference service (XEP-0045 §6.1), so XMPP clients find it from the
// server's disco#items (§7.1).
void muc_service_info_iq(Connection &session, const core::Element &iq, const core::Element &)
{
    reply(session, iq,
          "<query" + xmlns(ns::disco_info) +
              "><identity category='conference' type='text' name='Rooms'/><feature var='" +
              ns::muc + "'/></query>");
}

// §7.2
void room_info_iq(Connection &session, const core::Element &iq, const core::Element &)
{
    const Room &room = addressed_room(session, iq);
    if (!may_see(room, *session.user())) {
        reply_error(session, iq, "cancel", "item-not-found");
        return;
    }
    std::string q = "<query" + xmlns(ns::disco_info) +
                    "><identity category='conference' type='text' name='" + xml_escape(room.name) +
                    "'/><feature var='" + ns::muc + "'/>";
    if (room.privacy == "private")
        q += "<feature var='muc_membersonly'/>";
    reply(session, iq, q + room_x(session.server(), room, false) + "</query>");
}

// §7.7: room administration, by the owner or a team admin [INFERRED].
void room_admin_iq(Connection &session, const core::Element &iq, const core::Element &query)
{
    Room &room = addressed_room(session, iq);
    const User &user = *session.user();
    if (room.owner != user.id && !user.is_admin) {
        reply_error(session, iq, "auth", "forbidden");
        return;
    }
    if (query.xmlns == ns::muc_owner && query.child("destroy") != nullptr) {
        destroy_room(session, iq, room);
        return;
    }
    if (change_setting(session, room, query)) {
        room.version = random_hex(4);
        reply(session, iq, "");
        push_room(session.server(), room, false);
        return;
    }
    if (const core::Element *item = query.child("item");
        item != nullptr && item->attribute("affiliation") == "none") {
        remove_member(session, iq, room, *item);
        return;
    }
    reply_error(session, iq, "modify", "bad-request");
}

Room *create_room(Connection &session, const core::Element &presence, const std::string &to)
{
    Organisation &org = session.server().org();
    const core::Element *x = presence.child("x", ns::muc_room);
    const std::string bare = core::bare_jid(to);
    const std::string node = bare.substr(0, bare.find('@'));
    const std::string prefix = std::to_string(org.group_id) + "_";
    if (x == nullptr || bare.substr(bare.find('@') + 1) != org.hosts.muc_host ||
        node.rfind(prefix, 0) != 0 || node.size() == prefix.size())
        return nullptr;
    Room room;
    room.slug = node.substr(prefix.size());
    const core::Element *name = x->child("name");
    room.name = name != nullptr && !name->text.empty() ? name->text : room.slug;
    if (const core::Element *topic = x->child("topic"))
        room.topic = topic->text.substr(0, 250);
    if (const core::Element *privacy = x->child("privacy");
        privacy != nullptr && privacy->text == "private")
        room.privacy = "private";
    room.owner = session.user()->id;
    room.members = {session.user()->id};
    for (const auto &r : org.rooms)
        room.id = std::max(room.id, r.id);
    room.id += 1;
    room.last_active = g_get_real_time() / G_USEC_PER_SEC;
    room.version = random_hex(4);
    org.rooms.push_back(std::move(room));
    push_room(session.server(), org.rooms.back(), false);
    return &org.rooms.back();
}

void push_room(XmppServer &server, const Room &room, bool deleted)
{
    const std::string query = "<query" + xmlns(ns::muc_room) + "><item jid='" +
                              xml_escape(server.org().room_jid(room)) + "' name='" +
                              xml_escape(room.name) + "'" + (deleted ? " status='deleted'" : "") +
                              ">" + room_fields(server, room, true) + "</item></query>";
    for (Connection *session : server.live_sessions()) {
        if (session->user() == nullptr || (!deleted && !may_see(room, *session->user())))
            continue;
        push(*session, "room", query);
    }
}

void set_archived(XmppServer &server, Room &room, bool archived, const User &by)
{
    room.archived = archived;
    room.version = random_hex(4);
    // §8.9: the bodyless info message, from the person who changed it; the
    // occupants stay (what HipChat did with them is [UNKNOWN]), newcomers are
    // refused (§7.4).
    info_message(server, room, by,
                 std::string("<is_archived>") + (archived ? "1" : "0") + "</is_archived>");
    push_room(server, room, false);  // §7.3: with <is_archived/> while archived
}

// Inviting someone to a private room makes them a member [INFERRED].
void handle_invite(Connection &session, Room &room, const core::Element &invite)
{
    XmppServer &server = session.server();
    const Organisation &org = server.org();
    const User *invitee = server.org().find_user_by_jid(invite.attribute("to"));
    if (invitee == nullptr || !may_see(room, *session.user()))
        return;
    if (room.privacy == "private" &&
        std::find(room.members.begin(), room.members.end(), invitee->id) == room.members.end())
        room.members.push_back(invitee->id);
    const core::Element *reason = invite.child("reason");
    const std::string invitation =
        "<x" + xmlns(ns::muc_user) + "><invite from='" + xml_escape(org.user_jid(*session.user())) +
        "'>" + (reason != nullptr ? "<reason>" + xml_escape(reason->text) + "</reason>" : "") +
        "</invite></x>" + room_x(server, room);
    for (Connection *other : server.sessions_of(*invitee))
        other->send("<message from='" + xml_escape(org.room_jid(room)) + "' to='" +
                    xml_escape(other->jid()) + "'>" + invitation + "</message>");
}

}  // namespace hipchat::emulator

// --- room-occupants (emulator/xmpp/room-occupants.hpp) --------------------------------

namespace hipchat::emulator {

namespace {

using core::xml_escape;

std::vector<Occupant>::iterator find_occupant(std::vector<Occupant> &occupants,
                                              const Connection &session)
{
    return std::find_if(occupants.begin(), occupants.end(),
                        [&session](const Occupant &o) { return o.session == &session; });
}

// §7.4 [INFERRED shape]: a presence error from the room JID the client used.
void room_presence_error(Connection &session, const std::string &from, const char *type,
                         const char *code, const char *condition, const std::string &text)
{
    session.send("<presence type='error' from='" + xml_escape(from) + "' to='" +
                 xml_escape(session.jid()) + "'><x" + xmlns(ns::muc) + "/><error type='" + type +
                 "' code='" + code + "'><" + condition + xmlns(ns::stanzas) + "/><text" +
                 xmlns(ns::stanzas) + ">" + xml_escape(text) + "</text></error></presence>");
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

// §7.5: the session out of the room. The others see it go (role none; 307
// when `actor` removed it) and so does the session, while still connected
// (110).
void remove_occupant(Connection &session, const Room &room, const User *actor)
{
    XmppServer &server = session.server();
    auto &occupants = server.occupants(room);
    const auto mine = find_occupant(occupants, session);
    if (mine == occupants.end())
        return;
    const std::string from = server.org().room_jid(room) + "/" + mine->nick;
    occupants.erase(mine);
    const std::string affiliation = actor != nullptr ? "none" : "member";
    const std::string removed = actor != nullptr ? "<status code='307'/>" : "";
    for (const auto &o : std::vector<Occupant>(occupants))
        o.session->send("<presence type='unavailable' from='" + xml_escape(from) + "' to='" +
                        xml_escape(o.session->jid()) + "'><x" + xmlns(ns::muc_user) +
                        "><item affiliation='" + affiliation + "' role='none' jid='" +
                        xml_escape(session.jid()) + "'/>" + removed + "</x></presence>");
    const std::string item = actor != nullptr
                                 ? "<item affiliation='none' role='none'><actor jid='" +
                                       xml_escape(server.org().user_jid(*actor)) + "'/></item>"
                                 : "<item affiliation='member' role='none'/>";
    session.send("<presence type='unavailable' from='" + xml_escape(from) + "' to='" +
                 xml_escape(session.jid()) + "'><x" + xmlns(ns::muc_user) + ">" + item + removed +
                 "<status code='110'/></x></presence>");
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
        // §1, §7.4: the full name, or under --nick-rule mention-name the
        // mention name; the same error either way.
        room_presence_error(session, to, "cancel", "406", "not-acceptable",
                            server.config().nick_rule == NickRule::mention_name
                                ? "You must use your mention name as your nickname."
                                : "You must use your full name as your nickname.");
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
    if (room == nullptr && type.empty())
        room = create_room(session, presence, to);
    if (room == nullptr) {
        if (type.empty())
            room_presence_error(session, to, "cancel", "404", "item-not-found", "No such room.");
        return;
    }
    auto &occupants = server.occupants(*room);
    const auto mine = find_occupant(occupants, session);
    if (type == "unavailable") {
        if (mine != occupants.end())
            leave_room(session, *room);
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

int participants(XmppServer &server, const Room &room)
{
    const auto it = server.occupancy.find(room.id);
    if (it == server.occupancy.end())
        return 0;
    std::vector<const User *> users;
    for (const auto &o : it->second)
        if (std::find(users.begin(), users.end(), o.session->user()) == users.end())
            users.push_back(o.session->user());
    return static_cast<int>(users.size());
}

void leave_room(Connection &session, const Room &room)
{
    remove_occupant(session, room, nullptr);
}

void kick(Connection &session, const Room &room, const User &actor)
{
    remove_occupant(session, room, &actor);
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
                leave_room(session, room);
}

void change_topic(Connection &session, Room &room, const std::string &topic)
{
    XmppServer &server = session.server();
    room.topic = topic.substr(0, 250);
    const std::string from = server.org().room_jid(room) + "/" + server.room_nick(*session.user());
    for (const auto &o : std::vector<Occupant>(server.occupants(room)))
        o.session->send("<message type='groupchat' from='" + xml_escape(from) + "' to='" +
                        xml_escape(o.session->jid()) + "'><subject>" + xml_escape(room.topic) +
                        "</subject></message>");
}

}  // namespace hipchat::emulator
