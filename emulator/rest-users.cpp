#include "rest-users.hpp"

#include "json-body.hpp"
#include "xmpp/messages.hpp"
#include "xmpp/people.hpp"
#include "xmpp/server.hpp"
#include "xmpp/stream.hpp"

#include <algorithm>

namespace hipchat::emulator {

namespace {

// A person's presence as REST shows it: null when offline (developer.atlassian
// .com's title-expansion example), else online with their show (§10.1;
// "chat" when available) [INFERRED shape].
std::string presence_json(XmppServer &server, const User &user)
{
    for (Connection *session : server.sessions_of(user)) {
        if (!session->available())
            continue;
        const std::string &stanza = session->presence();
        const auto open = stanza.find("<show>"), close = stanza.find("</show>");
        const std::string show = open != std::string::npos && close > open
                                     ? stanza.substr(open + 6, close - open - 6)
                                     : "chat";
        return JsonObjectText().boolean("is_online", true).text("show", show).done();
    }
    return "null";
}

std::string emoticon_url(const Organisation &org, const Emoticon &e)
{
    return "https://" + org.hosts.api_host + "/emoticons/" + e.path;  // §12.1's path_prefix + path
}

std::string emoticon_item(const Organisation &org, const Emoticon &e)
{
    return JsonObjectText()
        .number("id", static_cast<std::int64_t>(e.id))
        .raw("links", links_json(api_url(org, "emoticon/" + std::to_string(e.id))))
        .text("shortcut", e.shortcut)
        .text("url", emoticon_url(org, e))
        .done();
}

// The scopes a personal token may have (§13; names and descriptions as
// developer.atlassian.com's scope table lists them).
std::string scopes_json()
{
    static const char *const scopes[][3] = {
        {"admin_group", "Administer Group", "Perform group administrative tasks"},
        {"admin_room", "Administer Room", "Perform room administrative tasks"},
        {"manage_rooms", "Manage Rooms", "Create, update, and remove rooms"},
        {"send_message", "Send Message", "Send private one-on-one messages"},
        {"send_notification", "Send Notification", "Send room notifications"},
        {"view_group", "View Group", "View users, rooms, and other group information"},
        {"view_messages", "View Messages",
         "View messages from chat rooms and private chats you have access to"},
        {"view_room", "View Room", "View room information and participants, but not history"},
    };
    JsonObjectText out;
    for (const auto &s : scopes)
        out.raw(
            s[0],
            JsonObjectText().text("description", s[2]).text("id", s[0]).text("name", s[1]).done());
    return out.done();
}

}  // namespace

// REST-DOCS get_all_users: start-index, max-results (100, at most 1000),
// include-guests, include-deleted (both false); hipchatter reads id and name.
void rest_list_users(ApiCall &call)
{
    const bool guests = call.bool_param("include-guests", false);
    const bool deleted = call.bool_param("include-deleted", false);
    Page page(call);
    for (const auto &u : call.org.users)
        if ((!u.departed || deleted) && (!u.is_guest || guests) && page.offer())
            page.add(user_ref_json(call.org, u));
    api_json(call.message, page.json(api_url(call.org, "user")));
}

// REST-DOCS view_user (hipchatter reads title and name; the fields as
// developer.atlassian.com's title-expansion example shows a person).
void rest_get_user(ApiCall &call)
{
    const User *u = person_or_404(call, call.keys[0]);
    if (u == nullptr)
        return;
    const Organisation &org = call.org;
    JsonObjectText out;
    out.text("email", u->email)
        .raw("group",
             JsonObjectText()
                 .number("id", static_cast<std::int64_t>(org.group_id))
                 .raw("links", links_json(api_url(org, "group/" + std::to_string(org.group_id))))
                 .text("name", org.group_name)
                 .done())
        .number("id", static_cast<std::int64_t>(u->id))
        .boolean("is_deleted", u->departed)
        .boolean("is_group_admin", u->is_admin)
        .boolean("is_guest", u->is_guest)
        .raw("links", links_json(api_url(org, "user/" + std::to_string(u->id))))
        .text("mention_name", u->mention_name)
        .text("name", u->name);
    if (u->photo.empty())
        out.null("photo_url");
    else
        out.text("photo_url", photo_url(org, *u));
    api_json(call.message, out.raw("presence", presence_json(*call.xmpp, *u))
                               .text("timezone", u->timezone)
                               .text("title", u->title)
                               .text("version", user_version(*u))
                               .text("xmpp_jid", org.user_jid(*u))
                               .done());
}

// REST-DOCS private_message_user: `message`, 1 to 10,000 characters; 204
// (hipchatter's tests); delivered as a 1:1 message from the token's owner
// (§8.1), kept for the recipient when offline (§8.3) and in the 1:1 history
// (§9). Whether the sender's own sessions saw it too is [UNKNOWN]: not here.
void rest_send_private_message(ApiCall &call)
{
    const User *to = person_or_404(call, call.keys[0]);
    if (to == nullptr)
        return;
    const std::string body = call.body();
    JsonParser *parser = json_parser_new();
    const std::string text = text_member(parse_object(parser, body.data(), body.size()), "message");
    g_object_unref(parser);
    if (text.empty() || g_utf8_strlen(text.c_str(), -1) > 10000) {
        api_error(call.message, 400, "Bad Request", "message must be 1 to 10000 characters");
        return;
    }
    post_to_user(*call.xmpp, call.user, *to, text, "", false);
    api_no_content(call.message);
}

// REST-DOCS get_all_emoticons: start-index, max-results (100, at most 1000),
// type (global, group or all); hipchatter reads id, url, links, shortcut.
void rest_list_emoticons(ApiCall &call)
{
    const std::string type = call.param("type", "all");
    Page page(call);
    for (const auto &e : call.org.emoticons)
        if ((type == "all" || e.type == type) && page.offer())
            page.add(emoticon_item(call.org, e));
    api_json(call.message, page.json(api_url(call.org, "emoticon")));
}

// REST-DOCS get_emoticon: by id or shortcut (hipchatter's tests use both).
void rest_get_emoticon(ApiCall &call)
{
    const std::string &key = call.keys[0];
    for (const auto &e : call.org.emoticons)
        if (std::to_string(e.id) == key || e.shortcut == key) {
            api_json(
                call.message,
                JsonObjectText()
                    .null("audio_path")
                    .null("creator")
                    .number("height", e.height)
                    .number("id", static_cast<std::int64_t>(e.id))
                    .raw("links", links_json(api_url(call.org, "emoticon/" + std::to_string(e.id))))
                    .text("shortcut", e.shortcut)
                    .text("type", e.type)
                    .text("url", emoticon_url(call.org, e))
                    .number("width", e.width)
                    .done());
            return;
        }
    api_error(call.message, 404, "Not Found", "Emoticon not found");
}

// REST-DOCS get_capabilities: HipChat's own descriptor. What add-ons read
// from it: capabilities.hipchatApiProvider.url (with its trailing '/') and
// capabilities.oauth2Provider's two URLs (developer.atlassian.com, "API
// access tokens"); the rest of the descriptor in the add-on descriptor's
// shape (key, name, description, vendor, links) [INFERRED values].
void rest_capabilities(SoupServerMessage *message, const Organisation &org)
{
    const std::string api = "https://" + org.hosts.api_host + "/v2/";
    const std::string web = "https://" + org.hosts.web_host;
    const std::string capabilities =
        JsonObjectText()
            .raw("hipchatApiProvider",
                 JsonObjectText().raw("availableScopes", scopes_json()).text("url", api).done())
            .raw("oauth2Provider", JsonObjectText()
                                       .text("authorizationUrl", web + "/users/authorize")
                                       .text("tokenUrl", api + "oauth/token")
                                       .done())
            .done();
    api_json(
        message,
        JsonObjectText()
            .raw("capabilities", capabilities)
            .text("description", "Group chat and IM built for teams")
            .text("key", "hipchat")
            .raw("links", links_json(api + "capabilities",
                                     {{"api", api.substr(0, api.size() - 1)}, {"homepage", web}}))
            .text("name", "HipChat")
            .raw("vendor", JsonObjectText()
                               .text("name", "Atlassian")
                               .text("url", "https://www.atlassian.com")
                               .done())
            .done());
}

}  // namespace hipchat::emulator
