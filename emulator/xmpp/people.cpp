#include "people.hpp"

#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"
#include "core/xml-escape.hpp"
#include "iq.hpp"
#include "rooms.hpp"
#include "server.hpp"
#include "stanza.hpp"
#include "stream.hpp"

#include <cstdio>

namespace hipchat::emulator {

using core::xml_escape;

// Where the API host serves `user`'s photo (REST's /avatars/…).
std::string photo_url(const Organisation &org, const User &user)
{
    return user.photo.empty() ? "" : "https://" + org.hosts.api_host + "/" + user.photo;
}

std::string user_version(const User &u)
{
    return std::to_string(u.id * 2654435761u % 100000000);
}

namespace {

std::string roster_item(const Organisation &org, const User &u)
{
    std::string item = "<item jid='" + xml_escape(org.user_jid(u)) + "' name='" +
                       xml_escape(u.name) + "' mention_name='" + xml_escape(u.mention_name) +
                       "' email='" + xml_escape(u.email) + "' id='" + std::to_string(u.id) +
                       "' version='" + user_version(u) + "' subscription='both'";
    if (!u.photo.empty())
        item += " photo_url='" + xml_escape(photo_url(org, u)) + "'";
    if (!u.mobile.empty())
        item += " mobile='" + xml_escape(u.mobile) + "'";
    return item + "/>";
}

// §6.2's autoJoin: the rooms (with their x) and people the user keeps open.
std::string auto_join(XmppServer &server, const User &u)
{
    std::string items = "<autoJoin>";
    for (const auto &jid : u.auto_join) {
        if (Room *room = server.org().find_room_by_jid(jid))
            items += "<item jid='" + xml_escape(jid) + "' name='" + xml_escape(room->name) + "'>" +
                     room_x(server, *room) + "</item>";
        else
            items += "<item jid='" + xml_escape(jid) + "'/>";
    }
    return items + "</autoJoin>";
}

// §19.6: the user's other preferences beside autoJoin, one element each, its
// text the value (roomNotificationOverrides as JSON text: the web client
// reads it "sometimes an object, sometimes a json string", and XML element
// names cannot be room JIDs) [INFERRED shape]. Keys that are no XML name are
// left out.
std::string other_preferences(const User &u)
{
    std::string prefs;
    for (const auto &[key, value] : u.preferences) {
        if (key.empty() || !g_ascii_isalpha(key.front()) ||
            key.find_first_not_of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
                std::string::npos)
            continue;
        prefs += "<" + key + ">" + xml_escape(value) + "</" + key + ">";
    }
    return prefs;
}

// Whom a profile or vCard IQ asks about: the session's user without a `to`
// or at their own bare JID, else the person at `to`; nullptr for nobody.
const User *addressed_user(Connection &session, const core::Element &iq)
{
    const std::string to(iq.attribute("to"));
    if (to.empty() || core::bare_jid(to) == core::bare_jid(session.jid()))
        return session.user();
    return session.server().org().find_user_by_jid(to);
}

}  // namespace

void roster_iq(Connection &session, const core::Element &iq, const core::Element &)
{
    // §6.3: the whole team, self included, no groups.
    const Organisation &org = session.server().org();
    std::string items;
    for (const auto &u : org.users)
        if (!u.departed)
            items += roster_item(org, u);
    reply(session, iq, "<query" + xmlns(ns::roster) + ">" + items + "</query>");
}

void startup_iq(Connection &session, const core::Element &iq, const core::Element &)
{
    const Organisation &org = session.server().org();
    const User &u = *session.user();
    std::string q = "<query" + xmlns(ns::startup) + "><user_id>" + std::to_string(u.id) +
                    "</user_id><name>" + xml_escape(u.name) + "</name><mention_name>" +
                    xml_escape(u.mention_name) + "</mention_name><email>" + xml_escape(u.email) +
                    "</email><title>" + xml_escape(u.title) + "</title>";
    if (!u.photo.empty())
        q += "<photo_small>" + xml_escape(photo_url(org, u)) + "</photo_small><photo_large>" +
             xml_escape(photo_url(org, u)) + "</photo_large>";
    q += std::string("<is_admin>") + (u.is_admin ? "1" : "0") +
         "</is_admin><is_guest>0</is_guest><group_id>" + std::to_string(org.group_id) +
         "</group_id><group_name>" + xml_escape(org.group_name) +
         "</group_name><group_uri_domain>" + xml_escape(org.group_uri_domain) +
         "</group_uri_domain>";
    const std::string token = u.tokens.empty() ? random_hex(16) : u.tokens.front();
    q += "<token expiration='" + std::to_string(g_get_real_time() / G_USEC_PER_SEC + 3600) +
         "' ttl='3600'>" + xml_escape(token) + "</token><preferences>" +
         auto_join(session.server(), u) + other_preferences(u) + "</preferences>";
    reply(session, iq, q + "</query>");
}

void profile_iq(Connection &session, const core::Element &iq, const core::Element &)
{
    const User *u = addressed_user(session, iq);
    if (u == nullptr) {
        reply_error(session, iq, "cancel", "item-not-found");
        return;
    }
    char offset[16];
    std::snprintf(offset, sizeof offset, "%.1f", u->utc_offset);
    std::string q = "<query" + xmlns(ns::profile) + "><email>" + xml_escape(u->email) +
                    "</email><name>" + xml_escape(u->name) + "</name><mention_name>" +
                    xml_escape(u->mention_name) + "</mention_name>";
    if (!u->photo.empty())
        q += "<photo_large>" + xml_escape(photo_url(session.server().org(), *u)) + "</photo_large>";
    reply(session, iq,
          q + "<timezone utc_offset='" + offset + "'>" + xml_escape(u->timezone) +
              "</timezone><title>" + xml_escape(u->title) + "</title></query>");
}

void vcard_iq(Connection &session, const core::Element &iq, const core::Element &)
{
    const User *u = addressed_user(session, iq);
    if (u == nullptr) {
        reply_error(session, iq, "cancel", "item-not-found");
        return;
    }
    reply(session, iq,
          "<vCard" + xmlns(ns::vcard) + "><FN>" + xml_escape(u->name) + "</FN><NICKNAME>" +
              xml_escape(u->mention_name) + "</NICKNAME><EMAIL><USERID>" + xml_escape(u->email) +
              "</USERID></EMAIL><TITLE>" + xml_escape(u->title) + "</TITLE></vCard>");
}

void entity_hash_iq(Connection &session, const core::Element &iq, const core::Element &query)
{
    // §6.3 entity versioning: any stable string will do.
    const Organisation &org = session.server().org();
    std::string all;
    if (query.xmlns == ns::users_hash)
        for (const auto &u : org.users)
            all += std::to_string(u.id) + ":" + u.name + ":" + u.mention_name + ";";
    else
        for (const auto &r : org.rooms)
            all += std::to_string(r.id) + ":" + r.name + ":" + r.topic + ";";
    gchar *md5 = g_compute_checksum_for_string(G_CHECKSUM_MD5, all.c_str(), -1);
    reply(session, iq, "<query" + xmlns(query.xmlns.c_str()) + ">" + md5 + "</query>");
    g_free(md5);
}

void push_roster(XmppServer &server, const User &user, bool removed)
{
    const Organisation &org = server.org();
    const std::string item =
        removed ? "<item jid='" + xml_escape(org.user_jid(user)) + "' subscription='remove'/>"
                : roster_item(org, user);
    // §6.3: the push's ver is a timestamp (ver='2016-04-27T20:16:36Z').
    const std::string query = "<query" + xmlns(ns::roster) + " ver='" +
                              core::format_xmpp_stamp(g_get_real_time() / G_USEC_PER_SEC) + "'>" +
                              item + "</query>";
    for (Connection *session : server.live_sessions())
        push(*session, "push", query);
}

}  // namespace hipchat::emulator
