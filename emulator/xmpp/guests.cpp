#include "guests.hpp"

#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/xml-escape.hpp"
#include "server.hpp"
#include "stanza.hpp"
#include "stream.hpp"

#include <algorithm>

namespace hipchat::emulator {

namespace {

using core::xml_escape;

std::vector<Guest> &guests_in(XmppServer &server, const Room &room)
{
    return server.guests[room.id];
}

// 'a guest' -> 'aguestGuest' (user.js 119): the name without white space.
std::string mention_name_of(const std::string &name)
{
    std::string mention;
    for (const char c : name)
        if (!g_ascii_isspace(c))
            mention += c;
    return mention + "Guest";
}

// The guest's presence in `room` to `to`: joining (the captured shape,
// user.js 116-124), or leaving with `status`.
std::string guest_presence(XmppServer &server, const Room &room, const Guest &guest,
                           const std::string &to, const std::string *leaving_status)
{
    const std::string from = server.org().room_jid(room) + "/" + guest.name;
    std::string out = "<presence";
    if (leaving_status != nullptr)
        out += " type='unavailable'";
    out += " from='" + xml_escape(from) + "' to='" + xml_escape(to) + "'><x" + xmlns(ns::muc_user) +
           ">";
    if (leaving_status != nullptr)
        return out + "<item affiliation='member' role='none' jid='" +
               xml_escape(guest_jid(server, guest)) + "'/></x><status>" +
               xml_escape(*leaving_status) + "</status></presence>";
    return out + "<item mention_name='" + xml_escape(guest.mention_name) +
           "' affiliation='member' jid='" + xml_escape(guest_jid(server, guest)) +
           "' role='visitor'/></x></presence>";
}

void tell_occupants(XmppServer &server, const Room &room, const Guest &guest,
                    const std::string *leaving_status)
{
    for (const auto &o : std::vector<Occupant>(server.occupants(room)))
        o.session->send(guest_presence(server, room, guest, o.session->jid(), leaving_status));
}

bool name_taken(XmppServer &server, const Room &room, const std::string &name)
{
    const auto &occupants = server.occupants(room);
    const auto &guests = guests_in(server, room);
    return std::any_of(occupants.begin(), occupants.end(),
                       [&](const Occupant &o) { return o.nick == name; }) ||
           std::any_of(guests.begin(), guests.end(),
                       [&](const Guest &g) { return g.name == name; });
}

}  // namespace

std::string guest_jid(XmppServer &server, const Guest &guest)
{
    const Organisation &org = server.org();
    return std::to_string(org.group_id) + "_" + std::to_string(guest.id) + "@" +
           org.hosts.chat_host + "/web";
}

const Guest *admit_guest(XmppServer &server, Room &room, const std::string &name)
{
    const std::string nick(core::trim(name));
    if (room.guest_url.empty() || room.archived || nick.empty() || name_taken(server, room, nick))
        return nullptr;
    auto &guests = guests_in(server, room);
    guests.push_back(Guest{server.next_guest_id++, nick, mention_name_of(nick)});
    tell_occupants(server, room, guests.back(), nullptr);
    return &guests.back();
}

const Guest *find_guest(XmppServer &server, const Room &room, const std::string &jid)
{
    const std::string bare = core::bare_jid(jid);
    for (const Guest &g : guests_in(server, room))
        if (core::bare_jid(guest_jid(server, g)) == bare)
            return &g;
    return nullptr;
}

bool guest_leaves(XmppServer &server, Room &room, const std::string &jid, const std::string &status)
{
    const Guest *guest = find_guest(server, room, jid);
    if (guest == nullptr)
        return false;
    const Guest gone = *guest;
    std::erase_if(guests_in(server, room), [&](const Guest &g) { return g.id == gone.id; });
    tell_occupants(server, room, gone, &status);
    return true;
}

void guests_turned_away(XmppServer &server, Room &room)
{
    const std::string not_allowed = "hc-not-allowed";
    for (const Guest &guest : std::vector<Guest>(guests_in(server, room)))
        guest_leaves(server, room, guest_jid(server, guest), not_allowed);
}

void send_guests(Connection &session, const Room &room)
{
    XmppServer &server = session.server();
    for (const Guest &guest : guests_in(server, room))
        session.send(guest_presence(server, room, guest, session.jid(), nullptr));
}

}  // namespace hipchat::emulator
