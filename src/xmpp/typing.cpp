#include "xmpp/typing.hpp"

#include <server.h>

#include <set>
#include <string>

#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/jabber-api.hpp"
#include "xmpp/router.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

// app_config.js sent_composing_message_interval and
// composing_message_linger_timeout.
constexpr unsigned composing_again_seconds = 3;
constexpr int composing_shown_seconds = 6;

// Session::state<TypingState>(): the people we last told we are composing.
struct TypingState {
    std::set<std::string> composing;
};

void send_state(Session &session, const std::string &to, const char *state)
{
    XmlnodePtr message(xmlnode_new("message"));
    xmlnode_set_attrib(message.get(), "type", "chat");
    xmlnode_set_attrib(message.get(), "to", to.c_str());
    xmlnode *child = xmlnode_new_child(message.get(), state);
    xmlnode_set_namespace(child, ns::chat_states);
    send_stanza(session, message.get());
}

bool has_state(xmlnode *message, const char *state)
{
    return xmlnode_get_child_with_namespace(message, state, ns::chat_states) != nullptr;
}

// Bodyless 1:1 chat states. The official client never shows `gone` (it
// sends one whenever a chat is closed: "Bob has left the conversation" at
// every close would be noise), ignores `paused` and `inactive`, and our own
// states from another device (§19.8: filed under the partner, named by
// <delay from_jid>) are not the partner's typing (application_store.js
// handleChatStateMessage).
Outcome chat_state_route(Session &session, Incoming &in)
{
    if (in.sender != Sender::person && in.sender != Sender::own_account)
        return Outcome::pass;
    if (xmlnode_get_child(in.node, "body") != nullptr || !on_hipchat(session))
        return Outcome::pass;
    xmlnode *delay = xmlnode_get_child_with_namespace(in.node, "delay", ns::delay);
    const char *delay_from = delay != nullptr ? xmlnode_get_attrib(delay, "from_jid") : nullptr;
    const bool ours = delay_from != nullptr &&
                      core::ascii_lower(core::bare_jid(delay_from)) == own_bare_jid(session);
    const bool composing = has_state(in.node, "composing");
    const bool stopped = has_state(in.node, "active") || has_state(in.node, "gone");
    if (!composing && !stopped && !has_state(in.node, "paused") && !has_state(in.node, "inactive"))
        return Outcome::pass;
    if (ours)
        return Outcome::taken;
    if (composing)
        serv_got_typing(session.connection(), in.from_bare.c_str(), composing_shown_seconds,
                        PURPLE_TYPING);
    else if (stopped)
        serv_got_typing_stopped(session.connection(), in.from_bare.c_str());
    return Outcome::taken;
}

// A 1:1 message we send carries <active/> (the module adds it, as the
// official client does): no separate <active/> is due after it.
void note_sent_message(Session &session, xmlnode *message)
{
    if (g_strcmp0(xmlnode_get_attrib(message, "type"), "chat") != 0 ||
        xmlnode_get_child(message, "body") == nullptr)
        return;
    if (const char *to = xmlnode_get_attrib(message, "to"))
        session.state<TypingState>().composing.erase(core::ascii_lower(core::bare_jid(to)));
}

}  // namespace

unsigned int send_typing(PurpleConnection *gc, const char *who, PurpleTypingState state)
{
    return util::guard(
        "send_typing",
        [&]() -> unsigned int {
            Session *session = Session::find(gc);
            if (session == nullptr || who == nullptr)
                return 0;
            if (!on_hipchat(*session))  // a plain XMPP server: the module's XEP-0085
                return jabber_send_typing(gc, who, state);
            const std::string to = core::ascii_lower(core::bare_jid(who));
            // None in rooms (§19.3), private messages through a room included.
            if (is_room_jid(*session, to) || to == own_bare_jid(*session))
                return 0;
            auto &composing = session->state<TypingState>().composing;
            if (state == PURPLE_TYPING) {
                send_state(*session, to, "composing");
                composing.insert(to);
                return composing_again_seconds;
            }
            // Stopped for a while (libpurple's PURPLE_TYPED) or for good: the
            // web client's <active/>, once, and only after <composing/>.
            if (composing.erase(to) != 0)
                send_state(*session, to, "active");
            return 0;
        },
        0u);
}

void register_typing_routes()
{
    add_route({"message", nullptr, "chat", Precedence::messages, Trust::anyone, "chat state",
               chat_state_route});
    add_outgoing("message", note_sent_message);
}

}  // namespace hipchat::xmpp
