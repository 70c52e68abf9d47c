#include "xmpp/calls.hpp"

#include <server.h>

#include <ctime>

#include "core/calls.hpp"
#include "core/namespaces.hpp"
#include "core/rooms.hpp"
#include "core/text.hpp"
#include "util/i18n.hpp"
#include "xmpp/conversations.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/people.hpp"
#include "xmpp/router.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

unsigned long long next_call = 1;

std::string name_of(Session &session, const std::string &jid)
{
    const std::string name = full_name_of(session, jid);
    return name.empty() ? jid : name;
}

PurpleConversation *chat_with(Session &session, const std::string &jid)
{
    PurpleConversation *conv = session.find_conversation(PURPLE_CONV_TYPE_IM, jid);
    return conv != nullptr
               ? conv
               : purple_conversation_new(PURPLE_CONV_TYPE_IM, session.account(), jid.c_str());
}

// A call signal as hipchat.js sendVideoMessage writes it: <x> in the
// service's namespace around the action; no <echo/>.
XmlnodePtr call_message(const std::string &to, const char *action)
{
    XmlnodePtr message(xmlnode_new("message"));
    xmlnode_set_attrib(message.get(), "to", to.c_str());
    xmlnode_set_attrib(message.get(), "type", "chat");
    xmlnode_set_attrib(message.get(), "id",
                       ("hipchat-call-" + std::to_string(next_call++)).c_str());
    xmlnode *x = xmlnode_new_child(message.get(), "x");
    xmlnode_set_namespace(x, ns::enso);
    xmlnode_new_child(x, action);
    return message;
}

void decline_unsupported(Session &session, const std::string &caller)
{
    XmlnodePtr message = call_message(caller, "decline");
    xmlnode *decline = xmlnode_get_child(xmlnode_get_child(message.get(), "x"), "decline");
    xmlnode_insert_data(xmlnode_new_child(decline, "reason"), "unsupported", -1);
    send_stanza(session, message.get());
}

// An invite: as it happens, a call to join in the browser (declined for
// this client); kept while we were offline, a missed one.
void show_invite(Session &session, const std::string &caller, const core::CallSignal &call,
                 bool delayed)
{
    const std::string name = name_of(session, caller);
    const std::string url = core::browser_call_url(call.url);
    std::string text;
    if (delayed && !url.empty())
        // TRANSLATORS: video_call_strings.js's "Missed call from …", then where
        // to join; first %s the caller, second the address (keep the order).
        text = _("Missed call from %s. Join the video call in your browser: %s");
    else if (delayed)
        // TRANSLATORS: %s is the caller.
        text = _("Missed call from %s.");
    else if (!url.empty())
        // TRANSLATORS: first %s the caller, second the address (keep the order).
        text = _("%s is calling you. Join the video call in your browser: %s");
    else
        // TRANSLATORS: %s is the caller; an old kind of HipChat video call.
        text = _("%s is calling you with a kind of video call only HipChat's own apps can take.");
    text = core::fill_placeholders(text, {name, url});
    PurpleConversation *conv = chat_with(session, caller);
    if (delayed) {
        write_system_line(conv, text);
        return;
    }
    // As it happens it is an alert, as the official client rings.
    char *html = g_markup_escape_text(text.c_str(), -1);
    serv_got_im(session.connection(), caller.c_str(), html,
                static_cast<PurpleMessageFlags>(PURPLE_MESSAGE_SYSTEM | PURPLE_MESSAGE_NOTIFY),
                std::time(nullptr));
    g_free(html);
}

// Call signals from people (and from our own other devices, which are not
// shown). Only from a person: a room or the server sends none (§19.1).
Outcome call_route(Session &session, Incoming &in)
{
    if ((in.sender != Sender::person && in.sender != Sender::own_account) || !on_hipchat(session))
        return Outcome::pass;
    const auto call = core::parse_call(to_element(in.node));
    if (!call)
        return Outcome::pass;
    if (in.sender == Sender::own_account)
        return Outcome::taken;
    const bool delayed = xmlnode_get_child_with_namespace(in.node, "delay", ns::delay) != nullptr;
    if (call->action == core::CallAction::invite) {
        show_invite(session, in.from_bare, *call, delayed);
        if (!delayed && call->enso)
            decline_unsupported(session, in.from_bare);
    } else if (call->action == core::CallAction::decline) {
        write_system_line(chat_with(session, in.from_bare),
                          core::declined_text(call->reason, name_of(session, in.from_bare)));
    }
    return Outcome::taken;
}

}  // namespace

CallStarted start_call(PurpleConversation *conv)
{
    Session *session = Session::of(conv);
    if (session == nullptr)
        return {_("Not connected."), ""};
    const std::string who = core::ascii_lower(core::bare_jid(purple_conversation_get_name(conv)));
    const std::string &web_host = service_hosts(*session).web_host;
    if (!on_hipchat(*session) || web_host.empty())
        return {_("Video calls need HipChat's website, which this connection does not know."), ""};
    if (is_room_jid(*session, who) || who == own_bare_jid(*session))
        return {_("Video calls are for one person: use /call in a chat with them."), ""};
    std::uint64_t group = team_id(*session);
    if (group == 0)
        group = core::group_id_from_jid(own_bare_jid(*session));
    const std::string join = core::conference_url(web_host, group, core::conference_suffix());
    const std::string url = core::browser_call_url(join);
    XmlnodePtr message = call_message(who, "call");
    xmlnode *call = xmlnode_get_child(xmlnode_get_child(message.get(), "x"), "call");
    xmlnode_insert_data(xmlnode_new_child(call, "url"), join.c_str(), -1);
    xmlnode_insert_data(xmlnode_new_child(message.get(), "body"),
                        core::call_invite_body(url).c_str(), -1);
    send_stanza(*session, message.get());
    // TRANSLATORS: first %s the person called, second the address (keep the order).
    write_system_line(
        conv, core::fill_placeholders(_("Calling %s. Join the video call in your browser: %s"),
                                      {name_of(*session, who), url}));
    return {"", url};
}

void register_call_routes()
{
    add_route({"message", nullptr, nullptr, Precedence::messages, Trust::anyone, "call signal",
               call_route});
}

}  // namespace hipchat::xmpp
