#include "history.hpp"

#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"
#include "core/xml-escape.hpp"
#include "iq.hpp"
#include "messages.hpp"
#include "rooms.hpp"
#include "server.hpp"
#include "stanza.hpp"
#include "stream.hpp"

#include <algorithm>
#include <cstdlib>

namespace hipchat::emulator {

namespace {

using core::xml_escape;

// §9 `before`: "YYYY-MM-DDTHH:MM:SSZ 068233" (the official client) or a plain
// XEP-0082 instant; returns a Unix time, or a negative value when unreadable.
double parse_before(std::string_view text)
{
    const auto space = text.find(' ');
    const auto instant = core::parse_xmpp_stamp(text.substr(0, space));
    if (!instant)
        return -1;
    double result = static_cast<double>(*instant);
    if (space != std::string_view::npos)
        result += g_ascii_strtod(std::string(text.substr(space + 1)).c_str(), nullptr) / 1e6;
    return result;
}

// A groupchat message from the history, as on join backlog and §9 results:
// <delay stamp from_jid>, mid, ts and no id (§8.2, §8.3). No XEP-0203 `from`
// on the delay: HipChat sent `from_jid` instead (§8.3, the web client's
// captured stanzas in core/models/file.js), and bitlbee's HipChat support,
// written against the real server, reads a delay's `from` first and the
// `from_jid` only without one (conference.c, jabber_chat_pkt_message): with
// `from` set to the room, as it once was here, it could not tell who wrote
// the backlog.
std::string history_message(XmppServer &server, const Room &room, const HistoryMessage &m,
                            const std::string &to)
{
    const std::string room_jid = server.org().room_jid(room);
    std::string out = "<message type='groupchat' from='" +
                      xml_escape(room_jid + "/" + m.from_name) + "' to='" + xml_escape(to) +
                      "' mid='" + xml_escape(m.mid) + "' ts='" + ts_text(m.ts) + "'";
    if (!m.from_jid.empty())
        out += " from_jid='" + xml_escape(m.from_jid) + "'";
    // A topic change of the past is a delayed <subject> (the web client
    // drops those, message_processor.js 128-130) [INFERRED: with no body].
    out += m.topic_change ? "><subject>" + xml_escape(m.body) + "</subject>"
                          : "><body>" + xml_escape(m.body) + "</body>" + notification_payload(m) +
                                m.file_payload;
    out += "<delay" + xmlns(ns::delay) + " stamp='" +
           core::format_xmpp_stamp(static_cast<std::int64_t>(m.ts)) + "' from_jid='" +
           xml_escape(m.from_jid.empty() ? room_jid : m.from_jid) + "'/></message>";
    return out;
}

// Where the last `max` of `count` messages begin.
std::size_t last(std::size_t count, std::size_t max)
{
    return count - std::min(max, count);
}

// A §9 page of `messages` (oldest first): the last `max` before `before`,
// then, under --history-overlap, the first few at or after it, which the
// client already shows (XmppConfig::history_overlap).
std::vector<const HistoryMessage *> page_of(const std::vector<const HistoryMessage *> &messages,
                                            std::size_t max, double before, std::size_t overlap)
{
    std::vector<const HistoryMessage *> earlier, page;
    for (const HistoryMessage *m : messages)
        if (m->ts < before)
            earlier.push_back(m);
    page.assign(earlier.begin() + static_cast<std::ptrdiff_t>(last(earlier.size(), max)),
                earlier.end());
    for (std::size_t i = earlier.size(); i < messages.size() && i < earlier.size() + overlap; ++i)
        page.push_back(messages[i]);
    return page;
}

void room_history(Connection &session, const core::Element &iq, const Room &room, std::size_t max,
                  double before)
{
    if (!may_see(room, *session.user())) {
        reply_error(session, iq, "auth", "forbidden");
        return;
    }
    std::vector<const HistoryMessage *> all;
    for (const auto &m : room.history)
        all.push_back(&m);
    for (const HistoryMessage *m :
         page_of(all, max, before, session.server().config().history_overlap))
        session.send(history_message(session.server(), room, *m, session.jid()));
    reply(session, iq, "");
}

void private_history(Connection &session, const core::Element &iq, const User &other,
                     std::size_t max, double before)
{
    const User &self = *session.user();
    XmppServer &server = session.server();
    std::vector<const HistoryMessage *> all;
    for (const auto &h : server.org().private_history)
        if ((h.a == self.id && h.b == other.id) || (h.a == other.id && h.b == self.id))
            for (const auto &m : h.messages)
                all.push_back(&m);
    // The user's own messages come from the partner, as they did live (OwnCopies).
    const std::string partner = server.config().own_copies == OwnCopies::from_partner
                                    ? server.org().user_jid(other)
                                    : std::string();
    for (const HistoryMessage *m : page_of(all, max, before, server.config().history_overlap))
        session.send(
            delayed_chat(*m, session.jid(),
                         m->from_jid == server.org().user_jid(self) ? partner : std::string()));
    reply(session, iq, "");
}

}  // namespace

void history_iq(Connection &session, const core::Element &iq, const core::Element &query)
{
    Organisation &org = session.server().org();
    const std::string to = core::bare_jid(iq.attribute("to"));
    const int max_attribute = query.has_attribute("maxstanzas")
                                  ? std::atoi(std::string(query.attribute("maxstanzas")).c_str())
                                  : 50;
    const std::size_t max = static_cast<std::size_t>(std::clamp(max_attribute, 0, 1000));
    double before = 1e18;
    if (query.has_attribute("before")) {
        before = parse_before(query.attribute("before"));
        if (before < 0) {
            reply_error(session, iq, "modify", "bad-request");
            return;
        }
    }
    if (const Room *room = org.find_room_by_jid(to))
        room_history(session, iq, *room, max, before);
    else if (const User *other = org.find_user_by_jid(to))
        private_history(session, iq, *other, max, before);
    else
        reply_error(session, iq, "cancel", "item-not-found");
}

void send_join_backlog(Connection &session, const Room &room, const core::Element &presence)
{
    // History on join: <history maxstanzas>, none for resource 'bot' (§7.4, DANE); when
    // absent the count is [UNKNOWN]: the official client's page of 50 (§9).
    std::size_t wanted = 50;
    const core::Element *x = presence.child("x", ns::muc);
    if (const core::Element *history = x != nullptr ? x->child("history") : nullptr;
        history != nullptr && history->has_attribute("maxstanzas"))
        wanted = static_cast<std::size_t>(
            std::max(0, std::atoi(std::string(history->attribute("maxstanzas")).c_str())));
    if (session.jid().ends_with("/bot"))
        wanted = 0;
    const auto &h = room.history;
    for (std::size_t i = last(h.size(), wanted); i < h.size(); ++i)
        session.send(history_message(session.server(), room, h[i], session.jid()));
}

}  // namespace hipchat::emulator
