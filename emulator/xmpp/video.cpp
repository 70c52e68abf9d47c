#include "video.hpp"

#include "core/calls.hpp"
#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/xml-escape.hpp"
#include "messages.hpp"
#include "server.hpp"
#include "stanza.hpp"
#include "stream.hpp"

namespace hipchat::emulator {

using core::xml_escape;

void answer_call(Connection &caller, const core::Element &message, const User &callee)
{
    const auto call = core::parse_call(message);
    if (!call || call->action != core::CallAction::invite || !message.has_attribute("id"))
        return;
    XmppServer &server = caller.server();
    const bool reachable = !server.sessions_of(callee).empty();
    const std::string answer =
        reachable ? "<trying/>" : "<decline><reason>offline</reason></decline>";
    caller.send("<message type='chat' from='" + xml_escape(server.org().user_jid(callee)) +
                "' to='" + xml_escape(caller.jid()) + "' id='" +
                xml_escape(message.attribute("id")) + "'><x" +
                xmlns(call->enso ? ns::enso : ns::addlive) + ">" + answer + "</x></message>");
}

bool simulate_call(XmppServer &server, const std::string &from_jid, const std::string &to_jid,
                   const std::string &action, const std::string &url, const std::string &reason)
{
    Organisation &org = server.org();
    const User *from = org.find_user_by_jid(from_jid);
    const User *to = org.find_user_by_jid(to_jid);
    if (from == nullptr || to == nullptr)
        return false;
    if (action == "call") {
        const std::string join =
            !url.empty()
                ? url
                : core::conference_url(org.hosts.web_host, org.group_id, core::conference_suffix());
        post_to_user(
            server, *from, *to, core::call_invite_body(core::browser_call_url(join)),
            "<x" + xmlns(ns::enso) + "><call><url>" + xml_escape(join) + "</url></call></x>",
            false);
        return true;
    }
    std::string signal;
    if (action == "decline")
        signal = "<decline><reason>" + xml_escape(reason) + "</reason></decline>";
    else if (action == "accept" || action == "hangup")
        signal = "<" + action + "/>";
    else
        return false;
    const std::string stanza = "<message type='chat' from='" +
                               xml_escape(org.user_jid(*from) + "/emulator") + "' to='" +
                               xml_escape(org.user_jid(*to)) + "' id='" + random_hex(4) + "'><x" +
                               xmlns(ns::enso) + ">" + signal + "</x></message>";
    for (Connection *session : server.sessions_of(*to))
        session->send(stanza);
    return true;
}

}  // namespace hipchat::emulator
