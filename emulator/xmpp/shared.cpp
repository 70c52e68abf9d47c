#include "shared.hpp"

#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"
#include "core/xml-escape.hpp"
#include "iq.hpp"
#include "rooms.hpp"
#include "stanza.hpp"
#include "stream.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <optional>

namespace hipchat::emulator {

namespace {

using core::xml_escape;

// What a files or links query asks for: the chat, and which of its items.
struct Listing {
    std::string chat;  // a room's JID or chat_key()
    const Room *room = nullptr;
    const User *other = nullptr;
    std::size_t limit = 50;  // the web client's default (chat_plugin.js)
    std::int64_t before = INT64_MAX, after = INT64_MIN;
};

// The query's chat and bounds; nullopt after answering an error: a room the
// user may not see (forbidden), no such chat (item-not-found), an unreadable
// date (bad-request). The errors' shapes are [INFERRED].
std::optional<Listing> listing(Connection &session, const core::Element &iq,
                               const core::Element &query)
{
    Organisation &org = session.server().org();
    const std::string to = core::bare_jid(iq.attribute("to"));
    Listing l;
    if (const Room *room = org.find_room_by_jid(to)) {
        if (!may_see(*room, *session.user())) {
            reply_error(session, iq, "auth", "forbidden");
            return std::nullopt;
        }
        l.room = room;
        l.chat = org.room_jid(*room);
    } else if (const User *other = org.find_user_by_jid(to)) {
        l.other = other;
        l.chat = chat_key(org.user_jid(*session.user()), org.user_jid(*other));
    } else {
        reply_error(session, iq, "cancel", "item-not-found");
        return std::nullopt;
    }
    if (query.has_attribute("limit"))
        l.limit = static_cast<std::size_t>(
            std::clamp(std::atoi(std::string(query.attribute("limit")).c_str()), 1, 1000));
    for (auto [name, bound] : {std::pair{"before", &l.before}, std::pair{"after", &l.after}}) {
        if (!query.has_attribute(name))
            continue;
        const auto stamp = core::parse_xmpp_stamp(query.attribute(name));
        if (!stamp) {
            reply_error(session, iq, "modify", "bad-request");
            return std::nullopt;
        }
        *bound = *stamp;
    }
    return l;
}

// The http(s) addresses in `text`, as the web client finds links in a
// message (up to white space or markup).
std::vector<std::string> urls_in(std::string_view text)
{
    std::vector<std::string> urls;
    std::size_t at = 0;
    while ((at = text.find("http", at)) != std::string_view::npos) {
        const std::string_view rest = text.substr(at);
        if (!rest.starts_with("http://") && !rest.starts_with("https://")) {
            at += 4;
            continue;
        }
        const std::size_t end = rest.find_first_of(" \t\r\n<>\"'");
        urls.emplace_back(rest.substr(0, end));
        at += urls.back().size();
    }
    return urls;
}

// A link item's id: a number, as the web client reads it (parseInt), the
// same for the same message and address ([INFERRED]: HipChat's were row ids).
std::uint32_t link_id(const std::string &mid, const std::string &url)
{
    std::uint32_t hash = 2166136261u;  // FNV-1a
    for (const char c : mid + "\n" + url)
        hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    return hash & 0x7fffffff;
}

struct Link {
    std::string url, mid;
    std::int64_t date = 0;
    std::uint64_t user_id = 0;
};

// The chat's links, oldest first. Not in system notifications (the web
// client collects none there: message_processor.js addLinks), nor the
// addresses of files shared here (the files IQ lists those) [INFERRED].
std::vector<Link> links_of(Connection &session, const Listing &l)
{
    Organisation &org = session.server().org();
    const std::vector<HistoryMessage> *messages = l.room != nullptr ? &l.room->history : nullptr;
    for (const auto &h : org.private_history)
        if (l.other != nullptr &&
            std::minmax(h.a, h.b) == std::minmax(session.user()->id, l.other->id))
            messages = &h.messages;
    std::vector<Link> links;
    if (messages == nullptr)
        return links;
    const std::string files = "https://" + org.hosts.api_host + "/v2/file/";
    for (const auto &m : *messages) {
        if (m.notification_type == "system")
            continue;
        const User *sender = m.from_jid.empty() ? nullptr : org.find_user_by_jid(m.from_jid);
        for (auto &url : urls_in(m.body))
            if (!url.starts_with(files))
                links.push_back({std::move(url), m.mid, static_cast<std::int64_t>(m.ts),
                                 sender != nullptr ? sender->id : 0});
    }
    return links;
}

// The last `limit` of `items` (oldest first) within the bounds, newest first.
template <typename Item>
std::vector<const Item *> newest(const std::vector<Item> &items, const Listing &l,
                                 const std::function<bool(const Item &)> &in_chat,
                                 std::int64_t Item::*date)
{
    std::vector<const Item *> out;
    for (auto it = items.rbegin(); it != items.rend() && out.size() < l.limit; ++it)
        if (in_chat(*it) && (*it).*date < l.before && (*it).*date > l.after)
            out.push_back(&*it);
    return out;
}

}  // namespace

std::string chat_key(const std::string &a_jid, const std::string &b_jid)
{
    return std::min(a_jid, b_jid) + " " + std::max(a_jid, b_jid);
}

void record_shared_file(XmppServer &server, const Room *room, const User *person,
                        SharedFileRecord file)
{
    const Organisation &org = server.org();
    const User *from = server.org().find_user_by_id(file.user_id);
    if (room != nullptr)
        file.chat = org.room_jid(*room);
    else if (person != nullptr && from != nullptr)
        file.chat = chat_key(org.user_jid(*from), org.user_jid(*person));
    else
        return;
    server.shared_files.push_back(std::move(file));
}

std::string authenticated_file_xml(const Organisation &org, const SharedFileRecord &file,
                                   bool with_xmlns)
{
    return "<authenticated_file" + (with_xmlns ? xmlns(ns::file) : std::string()) + "><id>" +
           xml_escape(file.id) + "</id><desc>" + xml_escape(file.description) + "</desc><date>" +
           core::format_xmpp_stamp(file.date) + "</date><name>" + xml_escape(file.name) +
           "</name><size>" + std::to_string(file.size) + "</size><group_id>" +
           std::to_string(org.group_id) + "</group_id><user_id>" + std::to_string(file.user_id) +
           "</user_id><auth_scheme>bearer</auth_scheme></authenticated_file>";
}

void files_iq(Connection &session, const core::Element &iq, const core::Element &query)
{
    const auto l = listing(session, iq, query);
    if (!l)
        return;
    XmppServer &server = session.server();
    std::string out = "<query" + xmlns(ns::files) + ">";
    // The emulator's files are all authenticated ones (§8.8): listed so,
    // whatever auth_scheme the query names.
    for (const SharedFileRecord *file : newest<SharedFileRecord>(
             server.shared_files, *l, [&](const SharedFileRecord &f) { return f.chat == l->chat; },
             &SharedFileRecord::date))
        out += authenticated_file_xml(server.org(), *file, false);
    reply(session, iq, out + "</query>");
}

void links_iq(Connection &session, const core::Element &iq, const core::Element &query)
{
    const auto l = listing(session, iq, query);
    if (!l)
        return;
    const Organisation &org = session.server().org();
    const std::vector<Link> links = links_of(session, *l);
    std::string out = "<query" + xmlns(ns::links) + ">";
    for (const Link *link : newest<Link>(
             links, *l, [](const Link &) { return true; }, &Link::date))
        out += "<item><id>" + std::to_string(link_id(link->mid, link->url)) + "</id><group_id>" +
               std::to_string(org.group_id) + "</group_id><user_id>" +
               std::to_string(link->user_id) + "</user_id><url>" + xml_escape(link->url) +
               "</url><date>" + core::format_xmpp_stamp(link->date) + "</date></item>";
    reply(session, iq, out + "</query>");
}

}  // namespace hipchat::emulator
