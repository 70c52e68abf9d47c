#include "rooms.hpp"

#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/xml-escape.hpp"
#include "guests.hpp"
#include "iq.hpp"
#include "room-occupants.hpp"
#include "server.hpp"
#include "stanza.hpp"
#include "stream.hpp"

#include <algorithm>
#include <cstdlib>

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
        set_guest_access(session.server(), room, guest->text == "1", *session.user());
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
        reply(session, iq, "");
        destroy_room(session.server(), room);
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
        const User *removed = session.server().org().find_user_by_jid(item->attribute("jid"));
        if (removed == nullptr) {
            reply_error(session, iq, "cancel", "item-not-found");
            return;
        }
        reply(session, iq, "");
        remove_member(session.server(), room, *removed, user);
        return;
    }
    reply_error(session, iq, "modify", "bad-request");
}

Room *create_room(Connection &session, const core::Element &presence, const std::string &to)
{
    const Organisation &org = session.server().org();
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
    return &add_room(session.server(), std::move(room), *session.user());
}

Room &add_room(XmppServer &server, Room room, const User &owner)
{
    Organisation &org = server.org();
    room.owner = owner.id;
    room.members = {owner.id};
    for (const auto &r : org.rooms)
        room.id = std::max(room.id, r.id);
    room.id += 1;
    room.created = room.last_active = g_get_real_time() / G_USEC_PER_SEC;
    room.version = random_hex(4);
    org.rooms.push_back(std::move(room));
    push_room(server, org.rooms.back(), false);
    return org.rooms.back();
}

void destroy_room(XmppServer &server, Room &room)
{
    empty_room(server, room);
    push_room(server, room, true);
    const std::uint64_t id = room.id;
    std::erase_if(server.org().rooms, [id](const Room &r) { return r.id == id; });
}

void remove_member(XmppServer &server, Room &room, const User &removed, const User &actor)
{
    std::erase(room.members, removed.id);
    remove_from_room(server, room, removed, actor);
}

void set_guest_access(XmppServer &server, Room &room, bool on, const User &by)
{
    const Hosts &hosts = server.org().hosts;
    room.guest_url = on ? "https://" + hosts.web_host + "/g" + random_hex(5) : "";
    info_message(server, room, by, guest_url_field(room));
    if (!on)
        guests_turned_away(server, room);
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

void handle_invite(Connection &session, Room &room, const core::Element &invite)
{
    const User *invitee = session.server().org().find_user_by_jid(invite.attribute("to"));
    if (invitee == nullptr || !may_see(room, *session.user()))
        return;
    const core::Element *reason = invite.child("reason");
    invite_to_room(session.server(), room, *session.user(), *invitee,
                   reason != nullptr ? reason->text : "", reason != nullptr);
}

// Inviting someone to a private room makes them a member [INFERRED].
void invite_to_room(XmppServer &server, Room &room, const User &from, const User &invitee,
                    const std::string &reason, bool with_reason)
{
    const Organisation &org = server.org();
    if (room.privacy == "private" &&
        std::find(room.members.begin(), room.members.end(), invitee.id) == room.members.end())
        room.members.push_back(invitee.id);
    const std::string invitation =
        "<x" + xmlns(ns::muc_user) + "><invite from='" + xml_escape(org.user_jid(from)) + "'>" +
        (with_reason ? "<reason>" + xml_escape(reason) + "</reason>" : "") + "</invite></x>" +
        room_x(server, room);
    for (Connection *other : server.sessions_of(invitee))
        other->send("<message from='" + xml_escape(org.room_jid(room)) + "' to='" +
                    xml_escape(other->jid()) + "'>" + invitation + "</message>");
}

}  // namespace hipchat::emulator
