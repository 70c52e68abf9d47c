#include "rooms.hpp"

#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/xml-escape.hpp"
#include "guests.hpp"
#include "iq.hpp"
#include "messages.hpp"
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
// guest access. Nothing set when `query` changes none.
RoomChange requested_change(const core::Element &query)
{
    RoomChange change;
    const core::Element *privacy = query.child("privacy");
    if (const core::Element *rename = query.child("rename");
        rename != nullptr && !rename->text.empty())
        change.name = rename->text;
    else if (privacy != nullptr && (privacy->text == "public" || privacy->text == "private"))
        change.privacy = privacy->text;
    else if (const core::Element *guest = query.child("guest_access"))
        change.guest_access = guest->text == "1";
    return change;
}

bool changes_something(const RoomChange &c)
{
    return c.name || c.privacy || c.topic || c.guest_access || c.archived || c.owner;
}

// Owners and team admins administer a room [INFERRED: the official client
// offers its administration to them only, user_utils.js is_admin].
bool may_administer(const Room &room, const User &user)
{
    return room.owner == user.id || user.is_admin;
}

// The refusals over XMPP are [INFERRED]: the official client does not offer
// these actions at all (groupchat_room_dropdown.js: nothing but restoring an
// archived room; rename_room_form.js and create_room_form.js check names
// before they ask), so what the server answered there is unknown. The texts
// are REST's for the same rules where it said them (hipchatter's tests
// against api.hipchat.com), else the official client's words.
Refusal refusal(const char *condition, std::string text)
{
    if (std::string_view(condition) == "forbidden")
        return {"auth", "403", condition, 403, std::move(text)};
    if (std::string_view(condition) == "conflict")
        return {"cancel", "409", condition, 400, std::move(text)};
    if (std::string_view(condition) == "not-allowed")
        return {"cancel", "405", condition, 403, std::move(text)};
    return {"modify", "400", condition, 400, std::move(text)};
}

constexpr const char *archived_text = "This room is archived.";

void send_refusal(Connection &session, const core::Element &iq, const Refusal &r)
{
    reply_error(session, iq, r.type, r.condition, r.text);
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

// §7.7: room administration, by the owner or a team admin.
void room_admin_iq(Connection &session, const core::Element &iq, const core::Element &query)
{
    Room &room = addressed_room(session, iq);
    const User &user = *session.user();
    const bool destroy = query.xmlns == ns::muc_owner && query.child("destroy") != nullptr;
    const core::Element *item = query.child("item");
    const bool remove = item != nullptr && item->attribute("affiliation") == "none";
    const RoomChange change = requested_change(query);
    if (!destroy && !remove && !changes_something(change)) {
        reply_error(session, iq, "modify", "bad-request");
        return;
    }
    // (With no change asked, only who asks and whether the room is archived.)
    if (const auto refused = check_change(session.server().org(), room, user, change)) {
        send_refusal(session, iq, *refused);
        return;
    }
    if (destroy) {
        reply(session, iq, "");
        destroy_room(session.server(), room);
    } else if (changes_something(change)) {
        reply(session, iq, "");
        apply_change(session.server(), room, user, change);
    } else if (const User *removed =
                   session.server().org().find_user_by_jid(item->attribute("jid"))) {
        reply(session, iq, "");
        remove_member(session.server(), room, *removed, user);
    } else {
        reply_error(session, iq, "cancel", "item-not-found");
    }
}

// The nick rule (§1, §7.4) and the name rules apply before anything is
// created; a refusal is a presence error from the room JID [INFERRED, as
// the nick's].
Room *create_room(Connection &session, const core::Element &presence, const std::string &to)
{
    XmppServer &server = session.server();
    const Organisation &org = server.org();
    const core::Element *x = presence.child("x", ns::muc_room);
    const std::string bare = core::bare_jid(to);
    const std::string node = bare.substr(0, bare.find('@'));
    const std::string prefix = std::to_string(org.group_id) + "_";
    if (x == nullptr)
        return nullptr;
    if (node.rfind(prefix, 0) != 0 || node.size() == prefix.size()) {
        // Not <group>_<slug> (§3) [INFERRED refusal].
        room_presence_error(session, to, "modify", "400", "jid-malformed",
                            "A new room's address is <group>_<name>.");
        return nullptr;
    }
    const core::Element *name = x->child("name");
    Room room;
    room.slug = node.substr(prefix.size());
    room.name = name != nullptr && !name->text.empty() ? name->text : room.slug;
    if (core::jid_resource(to) != server.room_nick(*session.user())) {
        wrong_nick(session, to);
        return nullptr;
    }
    if (const auto problem = room_name_problem(org, room.name, nullptr)) {
        room_presence_error(session, to, problem->type, problem->code, problem->condition,
                            problem->text);
        return nullptr;
    }
    if (const core::Element *topic = x->child("topic"))
        room.topic = topic->text.substr(0, 250);
    if (const core::Element *privacy = x->child("privacy");
        privacy != nullptr && privacy->text == "private")
        room.privacy = "private";
    return &add_room(server, std::move(room), *session.user());
}

// A room's name: 1 to 50 characters (REST-DOCS create_room; the official
// client's limit), and no other room's: REST said "Another room exists with
// that name." (hipchatter's tests against api.hipchat.com); compared
// case-insensitively, as the official client compares [INFERRED].
std::optional<Refusal> room_name_problem(const Organisation &org, const std::string &name,
                                         const Room *renamed)
{
    if (name.empty() || !g_utf8_validate(name.c_str(), -1, nullptr) ||
        g_utf8_strlen(name.c_str(), -1) > 50)
        return refusal("bad-request", "Room name must be between 1 and 50 characters");
    const std::string folded = core::casefold(name);
    for (const auto &r : org.rooms)
        if (&r != renamed && core::casefold(r.name) == folded)
            return refusal("conflict", "Another room exists with that name.");
    return std::nullopt;
}

std::optional<Refusal> check_change(Organisation &org, const Room &room, const User &by,
                                    const RoomChange &change)
{
    if (!may_administer(room, by))
        return refusal("forbidden", "You must be the room owner or a group admin to do this");
    if (room.archived && change.archived != false)
        return refusal("not-allowed", archived_text);
    if (change.name && *change.name != room.name)
        if (auto problem = room_name_problem(org, *change.name, &room))
            return problem;
    if (change.privacy && *change.privacy != "public" && *change.privacy != "private")
        return refusal("bad-request", "The privacy is public or private.");
    if (change.owner && org.find_user_by_id(*change.owner) == nullptr)
        return refusal("bad-request", "The new owner is not a member of the group");
    return std::nullopt;
}

void apply_change(XmppServer &server, Room &room, const User &by, const RoomChange &change)
{
    if (change.name)
        room.name = *change.name;  // the JID stays (§3)
    if (change.privacy)
        room.privacy = *change.privacy;
    if (change.owner)
        room.owner = *change.owner;
    if (change.topic && *change.topic != room.topic)
        change_topic(server, room, by, *change.topic);
    if (change.guest_access && *change.guest_access != !room.guest_url.empty())
        set_guest_access(server, room, *change.guest_access, by);
    if (change.archived && *change.archived != room.archived) {
        // §8.9: the bodyless message, from the person who changed it; the
        // occupants stay (what HipChat did with them is [UNKNOWN]),
        // newcomers are refused (§7.4).
        room.archived = *change.archived;
        info_message(server, room, by,
                     std::string("<is_archived>") + (room.archived ? "1" : "0") + "</is_archived>");
    }
    room.version = random_hex(4);
    push_room(server, room, false);  // §7.3: with <is_archived/> while archived
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
    RoomChange change;
    change.archived = archived;
    apply_change(server, room, by, change);
}

// Who may invite is the official client's rule (chat_header_store.js
// invite_users): anyone into a public room, the owner and admins into a
// private one; nobody into an archived one [INFERRED refusals, as
// check_change's, sent back with the invite, XEP-0045 §7.8.2].
void handle_invite(Connection &session, Room &room, const core::Element &message,
                   const core::Element &invite)
{
    XmppServer &server = session.server();
    const User &inviter = *session.user();
    const User *invitee = server.org().find_user_by_jid(invite.attribute("to"));
    if (!may_see(room, inviter))
        return;
    std::optional<Refusal> refused;
    if (invitee == nullptr)
        refused = Refusal{"cancel", "404", "item-not-found", 404, "No such person."};
    else if (room.archived)
        refused = refusal("not-allowed", archived_text);
    else if (room.privacy == "private" && !may_administer(room, inviter))
        refused = refusal("forbidden",
                          "Only the room's owner and admins can invite people to a private room.");
    if (refused) {
        message_error(session, message, server.org().room_jid(room), refused->type, refused->code,
                      refused->condition, refused->text);
        return;
    }
    const core::Element *reason = invite.child("reason");
    invite_to_room(server, room, inviter, *invitee, reason != nullptr ? reason->text : "",
                   reason != nullptr);
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
