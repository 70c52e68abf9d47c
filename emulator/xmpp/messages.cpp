#include "messages.hpp"

#include "core/element-xml.hpp"
#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"
#include "core/xml-escape.hpp"
#include "guests.hpp"
#include "edits.hpp"
#include "room-occupants.hpp"
#include "rooms.hpp"
#include "server.hpp"
#include "stanza.hpp"
#include "stream.hpp"
#include "video.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/xmlsave.h>

#include <algorithm>

namespace hipchat::emulator {

namespace {

using core::xml_escape;

// §8.4: an HTML notification's XHTML-IM copy. The HTML need not be XML
// (`<br>`), so it goes through libxml2's HTML parser and comes out as XML;
// empty when nothing is left.
std::string xhtml_of(const std::string &html)
{
    const std::string page = "<html><body>" + html + "</body></html>";
    htmlDocPtr doc = htmlReadMemory(page.data(), static_cast<int>(page.size()), nullptr, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    xmlNodePtr body = nullptr;
    if (doc != nullptr && xmlDocGetRootElement(doc) != nullptr)
        for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n != nullptr; n = n->next)
            if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST "body") == 0)
                body = n;
    std::string out;
    if (body != nullptr) {
        xmlBufferPtr buffer = xmlBufferCreate();
        xmlSaveCtxtPtr save = xmlSaveToBuffer(buffer, "UTF-8", XML_SAVE_AS_XML | XML_SAVE_NO_DECL);
        for (xmlNodePtr n = body->children; n != nullptr; n = n->next)
            xmlSaveTree(save, n);
        xmlSaveClose(save);
        out.assign(reinterpret_cast<const char *>(xmlBufferContent(buffer)),
                   static_cast<std::size_t>(xmlBufferLength(buffer)));
        xmlBufferFree(buffer);
    }
    if (doc != nullptr)
        xmlFreeDoc(doc);
    return out;
}

// 1:1 history (§9) of a message just sent, returned for the offline store.
HistoryMessage record_private(Organisation &org, const User &from, const User &to,
                              const std::string &mid, double ts, const std::string &body,
                              const std::string &file_payload = {})
{
    const std::uint64_t a = std::min(from.id, to.id), b = std::max(from.id, to.id);
    auto it = std::find_if(org.private_history.begin(), org.private_history.end(),
                           [&](const PrivateHistory &h) { return h.a == a && h.b == b; });
    if (it == org.private_history.end()) {
        org.private_history.push_back(PrivateHistory{a, b, {}});
        it = org.private_history.end() - 1;
    }
    HistoryMessage m;
    m.mid = mid;
    m.ts = ts;
    m.from_jid = org.user_jid(from);
    m.from_name = from.name;
    m.body = body;
    m.file_payload = file_payload;
    it->messages.push_back(m);
    return m;
}

// §8.3: kept for `to`, who has no session, with <delay stamp from_jid>.
void store_offline(XmppServer &server, const User &to, const HistoryMessage &m)
{
    server.offline[to.id].push_back(delayed_chat(m, server.org().user_jid(to)));
}

// §8.1: a chat message with mid and ts from `from_jid` (one of `from`'s
// JIDs) to `to`'s sessions, or kept for them; in the history either way.
void deliver_chat(XmppServer &server, const User &from, const std::string &from_jid, const User &to,
                  const std::string &body, const std::string &extra, bool to_sender_too)
{
    Organisation &org = server.org();
    const std::string mid = new_mid();
    const double ts = now_ts();
    const std::string message = "<message type='chat' from='" + xml_escape(from_jid) + "' to='" +
                                xml_escape(org.user_jid(to)) + "' mid='" + mid + "' ts='" +
                                ts_text(ts) + "'><body>" + xml_escape(body) + "</body>" + extra +
                                "</message>";
    const HistoryMessage m = record_private(org, from, to, mid, ts, body, extra);
    const auto sessions = server.sessions_of(to);
    for (Connection *session : sessions)
        session->send(message);
    if (sessions.empty())
        store_offline(server, to, m);
    if (to_sender_too && from.id != to.id)
        for (Connection *session : server.sessions_of(from))
            session->send(server.config().own_copies == OwnCopies::from_self
                              ? message
                              : delayed_chat(m, session->jid(), org.user_jid(to)));
}

void handle_groupchat(Connection &session, const core::Element &message, Room &room)
{
    XmppServer &server = session.server();
    if (!in_room(session, room)) {
        // §7.9, as HipChat Server sends it.
        message_error(session, message, server.org().room_jid(room), "auth", "403", "forbidden",
                      "You must be in this room to send a message.");
        return;
    }
    const EditOutcome edit = apply_edit(session, message, &room, nullptr);
    if (edit != EditOutcome::none) {
        if (edit == EditOutcome::applied)
            relay_room_edit(session, message, room);
        return;
    }
    if (const core::Element *subject = message.child("subject"))
        change_topic(server, room, *session.user(), subject->text);
    if (const core::Element *body = message.child("body"); body != nullptr && !body->text.empty()) {
        HistoryMessage m;
        m.from_jid = server.org().user_jid(*session.user());
        m.from_name = server.room_nick(*session.user());
        m.body = body->text;
        post_to_room(server, room, std::move(m), message.attribute("id"));
    }
}

// A 1:1 message of the user's, as their own session `to` gets it (OwnCopies):
// from the partner with the user in <delay from_jid>, or as it was sent.
std::string own_copy(XmppServer &server, const core::Element &sent, const User &partner,
                     const std::string &to)
{
    if (server.config().own_copies == OwnCopies::from_self)
        return core::to_xml(sent, ns::client);
    core::Element copy = readdressed(sent, server.org().user_jid(partner));
    std::erase_if(copy.attributes, [](const auto &a) { return a.first == "to"; });
    copy.attributes.emplace_back("to", to);
    const std::string ts(sent.attribute("ts"));
    core::Element delay;
    delay.name = "delay";
    delay.xmlns = ns::delay;
    delay.attributes = {
        {"stamp",
         core::format_xmpp_stamp(static_cast<std::int64_t>(g_ascii_strtod(ts.c_str(), nullptr)))},
        {"from_jid", core::bare_jid(sent.attribute("from"))}};
    copy.children.push_back(std::move(delay));
    return core::to_xml(copy, ns::client);
}

// §8.1: delivered with mid and ts. The sender's other sessions get it too
// (HipChat's "sent from another device", §19.8), and the sending one when it
// asked for an <echo/>.
void handle_chat(Connection &session, const core::Element &message, const User &target)
{
    XmppServer &server = session.server();
    const EditOutcome edit = apply_edit(session, message, nullptr, &target);
    if (edit == EditOutcome::refused)
        return;
    core::Element out = readdressed(message, session.jid());
    const std::string mid = new_mid();
    const double ts = now_ts();
    out.attributes.emplace_back("mid", mid);
    out.attributes.emplace_back("ts", ts_text(ts));
    const std::string stanza = core::to_xml(out, ns::client);
    const core::Element *body = message.child("body");
    // An edit changed the history (edits.cpp); it is relayed, not kept.
    const bool has_body = body != nullptr && !body->text.empty() && edit == EditOutcome::none;
    HistoryMessage m;
    if (has_body)
        m = record_private(server.org(), *session.user(), target, mid, ts, body->text);
    const auto sessions = server.sessions_of(target);
    for (Connection *other : sessions)
        other->send(stanza);
    if (sessions.empty() && has_body)
        store_offline(server, target, m);
    const core::Element *x = message.child("x", ns::hipchat);
    const bool echo = x != nullptr && x->child("echo") != nullptr;
    answer_call(session, message, target);
    if (session.user() == &target)
        return;  // a note to oneself has reached every session already
    for (Connection *own : server.sessions_of(*session.user()))
        if (own != &session || echo)
            own->send(own_copy(server, out, target, own->jid()));
}

}  // namespace

void message_error(Connection &session, const core::Element &message, const std::string &from,
                   const char *type, const char *code, const char *condition,
                   const std::string &text)
{
    std::string out = "<message type='error' from='" + xml_escape(from) + "' to='" +
                      xml_escape(session.jid()) + "'";
    if (message.has_attribute("id"))
        out += " id='" + xml_escape(message.attribute("id")) + "'";
    out += ">";
    if (const core::Element *body = message.child("body"))
        out += core::to_xml(*body, ns::client);
    if (const core::Element *x = message.child("x", ns::muc_user))  // an invite's
        out += core::to_xml(*x);
    out += std::string("<error type='") + type + "'" +
           (code[0] != '\0' ? std::string(" code='") + code + "'" : std::string()) + "><" +
           condition + xmlns(ns::stanzas) + "/>";
    if (!text.empty())
        out += "<text" + xmlns(ns::stanzas) + ">" + xml_escape(text) + "</text>";
    session.send(out + "</error></message>");
}

void handle_message(Connection &session, const core::Element &message)
{
    Organisation &org = session.server().org();
    const std::string to(message.attribute("to"));
    if (Room *room = org.find_room_by_jid(core::bare_jid(to))) {
        const core::Element *user_x = message.child("x", ns::muc_user);
        if (const core::Element *invite = user_x != nullptr ? user_x->child("invite") : nullptr)
            handle_invite(session, *room, message, *invite);
        else if (message.attribute("type") == "groupchat")
            handle_groupchat(session, message, *room);
        else if (message.child("body") != nullptr)
            // Private messages inside rooms are not HipChat's (§7): refuse them.
            message_error(session, message, to, "cancel", "", "service-unavailable", "");
        return;
    }
    const User *target = org.find_user_by_jid(to);
    if (target == nullptr || message.attribute("type") == "groupchat") {
        message_error(session, message, to, "cancel", "", "service-unavailable", "");
        return;
    }
    handle_chat(session, message, *target);
}

void post_to_room(XmppServer &server, Room &room, HistoryMessage m, std::string_view sender_id,
                  const std::string &extra)
{
    // §8.2: to every occupant including the sender, with the sender's id, a
    // new mid, ts and from_jid.
    m.mid = new_mid();
    m.ts = now_ts();
    m.file_payload = extra;
    room.history.push_back(m);
    room.last_active = static_cast<std::int64_t>(m.ts);
    broadcast_to_room(server, room, m, sender_id);
}

void broadcast_to_room(XmppServer &server, const Room &room, const HistoryMessage &m,
                       std::string_view sender_id)
{
    const std::string from = server.org().room_jid(room) + "/" + m.from_name;
    // The payload once, not per occupant (HTML is parsed for XHTML-IM).
    const std::string payload = notification_payload(m) + m.file_payload;
    for (const auto &o : std::vector<Occupant>(server.occupants(room))) {
        std::string out = "<message type='groupchat' from='" + xml_escape(from) + "' to='" +
                          xml_escape(o.session->jid()) + "'";
        if (!sender_id.empty())
            out += " id='" + xml_escape(sender_id) + "'";
        out += " mid='" + m.mid + "' ts='" + ts_text(m.ts) + "'";
        if (!m.from_jid.empty() && server.config().room_from_jid)
            out += " from_jid='" + xml_escape(m.from_jid) + "'";
        o.session->send(out + "><body>" + xml_escape(m.body) + "</body>" + payload + "</message>");
    }
}

void post_to_user(XmppServer &server, const User &from, const User &to, const std::string &body,
                  const std::string &extra, bool to_sender_too)
{
    deliver_chat(server, from, server.org().user_jid(from), to, body, extra, to_sender_too);
}

bool simulate_message(XmppServer &server, const std::string &from_jid, const std::string &to_jid,
                      const std::string &body, const std::string &extra)
{
    Organisation &org = server.org();
    const User *from = org.find_user_by_jid(from_jid);
    const User *to = org.find_user_by_jid(to_jid);
    if (from == nullptr || to == nullptr)
        return false;
    deliver_chat(server, *from, org.user_jid(*from) + "/emulator", *to, body,
                 extra + "<active" + xmlns(ns::chat_states) + "/>", false);
    return true;
}

bool simulate_room_message(XmppServer &server, const std::string &from_jid,
                           const std::string &room_jid, const std::string &body,
                           const std::string &extra)
{
    Organisation &org = server.org();
    const User *from = org.find_user_by_jid(from_jid);
    Room *room = org.find_room_by_jid(room_jid);
    // A guest speaks only in the room they are in, under the name they gave.
    const Guest *guest = room != nullptr ? find_guest(server, *room, from_jid) : nullptr;
    if ((from == nullptr && guest == nullptr) || room == nullptr)
        return false;
    HistoryMessage m;
    m.from_jid = from != nullptr ? org.user_jid(*from) : core::bare_jid(guest_jid(server, *guest));
    m.from_name = from != nullptr ? server.room_nick(*from) : guest->name;
    m.body = body;
    post_to_room(server, *room, std::move(m), "", extra);
    return true;
}

std::string link_metadata_payload(const std::vector<std::pair<std::string, std::string>> &fields)
{
    std::string attributes;
    bool typed = false;
    for (const auto &[name, value] : fields) {
        const bool xml_name =
            !name.empty() && !g_ascii_isdigit(name[0]) &&
            name.find_first_not_of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
                std::string::npos;
        if (!xml_name)
            return {};
        typed = typed || (name == "type" && !value.empty());
        attributes += " " + name + "='" + xml_escape(value) + "'";
    }
    if (!typed)
        return {};
    return "<x" + xmlns(ns::muc_room) + "><metadata" + attributes + "/></x>";
}

void deliver_offline(Connection &session)
{
    auto &offline = session.server().offline;
    auto stored = offline.find(session.user()->id);
    if (stored == offline.end())
        return;
    const auto messages = std::move(stored->second);
    offline.erase(stored);
    for (const auto &message : messages)
        session.send(message);
}

std::string delayed_chat(const HistoryMessage &m, const std::string &to, const std::string &from)
{
    return "<message type='chat' from='" + xml_escape(from.empty() ? m.from_jid : from) + "' to='" +
           xml_escape(to) + "' mid='" + xml_escape(m.mid) + "' ts='" + ts_text(m.ts) + "'><body>" +
           xml_escape(m.body) + "</body>" + m.file_payload + "<delay" + xmlns(ns::delay) +
           " stamp='" + core::format_xmpp_stamp(static_cast<std::int64_t>(m.ts)) + "' from_jid='" +
           xml_escape(m.from_jid) + "'/></message>";
}

std::string notification_payload(const HistoryMessage &m)
{
    if (m.notification_type.empty())
        return {};
    const std::string format = m.message_format.empty() ? "html" : m.message_format;
    std::string out = "<x" + xmlns(ns::muc_room) + "><type>" + xml_escape(m.notification_type) +
                      "</type><notify>" + (m.notify ? "1" : "0") + "</notify><color>" +
                      xml_escape(m.color.empty() ? "yellow" : m.color) +
                      "</color><message_format>" + xml_escape(format) + "</message_format>";
    if (!m.card.empty())
        out += "<card>" + xml_escape(m.card) + "</card>";
    if (!m.sender_type.empty())
        out += "<notification_sender type='" + xml_escape(m.sender_type) + "' id='" +
               xml_escape(m.sender_id) + "'/>";
    out += "</x>";
    if (format == "html")
        if (const std::string xhtml = xhtml_of(m.body); !xhtml.empty())
            out += "<html" + xmlns(ns::xhtml_im) + "><body" + xmlns(ns::xhtml) + ">" + xhtml +
                   "</body></html>";
    return out;
}

}  // namespace hipchat::emulator
