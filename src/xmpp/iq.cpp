#include "xmpp/iq.hpp"

#include <debug.h>
#include <signals.h>

#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/jabber-api.hpp"
#include "xmpp/router.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

constexpr unsigned reply_timeout_ms = 60 * 1000;
// The module's own ids start with "purple"; ours can never collide.
constexpr const char *id_prefix = "hipchat-";

unsigned long long next_iq = 1;

bool from_expected(Session &session, const std::string &expected, const char *from)
{
    const std::string sender = from != nullptr ? from : "";
    const std::string own = own_bare_jid(session);
    // RFC 6120 §8.1.2.1: a server answering for our own account may leave
    // 'from' out.
    if (!expected.empty() && !(sender.empty() && core::ascii_lower(expected) == own))
        return sender == expected || core::bare_jid(sender) == core::bare_jid(expected);
    // A query to our server or our own account: the reply comes from nobody,
    // our bare JID or the chat host.
    return sender.empty() || core::ascii_lower(core::bare_jid(sender)) == own ||
           sender == service_hosts(session).chat_host;
}

void finish(Session &session, const std::string &id, IqReply reply)
{
    const auto it = session.pending_iqs.find(id);
    if (it == session.pending_iqs.end())
        return;
    IqCallback done = std::move(it->second.done);
    session.pending_iqs.erase(it);
    util::guard("IQ reply", [&] { done(session, reply); });
}

// An answer to one of our IQs (ids with our prefix).
Outcome on_reply(Session &session, Incoming &in)
{
    const char *id = xmlnode_get_attrib(in.node, "id");
    if (id == nullptr || !g_str_has_prefix(id, id_prefix))
        return Outcome::pass;
    const auto it = session.pending_iqs.find(id);
    if (it == session.pending_iqs.end())
        return Outcome::pass;
    if (!from_expected(session, it->second.to, xmlnode_get_attrib(in.node, "from"))) {
        purple_debug_warning("hipchat", "Ignoring a reply to %s from an unexpected sender\n", id);
        return Outcome::pass;  // the module will answer or drop it as unknown
    }
    IqReply reply;
    reply.ok = g_strcmp0(in.type, "result") == 0;
    reply.stanza = to_element(in.node);
    if (!reply.ok) {
        auto error = core::parse_stanza_error(reply.stanza);
        reply.error = !error.condition.empty() ? std::move(error.condition) : "undefined-condition";
        reply.error_text = std::move(error.text);
    }
    // The router frees the element after this: freed before the callback, a
    // big reply's many small blocks made the callback's first large
    // allocation consolidate them all (docs/PERFORMANCE.md, room list).
    finish(session, id, std::move(reply));
    return Outcome::taken;
}

}  // namespace

void send_stanza(Session &session, xmlnode *stanza)
{
    if (JabberStream *js = stream_of(session))
        jabber_send(js, stanza);
}

const core::Element *IqReply::payload() const
{
    return stanza.children.empty() ? nullptr : &stanza.children.front();
}

void send_iq(Session &session, const char *type, const std::string &to, xmlnode *payload,
             IqCallback done)
{
    XmlnodePtr iq(xmlnode_new("iq"));
    const std::string id = id_prefix + std::to_string(next_iq++);
    xmlnode_set_attrib(iq.get(), "type", type);
    xmlnode_set_attrib(iq.get(), "id", id.c_str());
    if (!to.empty())
        xmlnode_set_attrib(iq.get(), "to", to.c_str());
    xmlnode_insert_child(iq.get(), payload);

    session.pending_iqs[id] = Session::PendingIq{to, std::move(done)};
    session.defer(reply_timeout_ms, [id](Session &s) {
        IqReply reply;
        reply.error = "timeout";
        finish(s, id, std::move(reply));
    });
    send_stanza(session, iq.get());
}

void reply_result(Session &session, xmlnode *iq)
{
    XmlnodePtr result(xmlnode_new("iq"));
    xmlnode_set_attrib(result.get(), "type", "result");
    if (const char *id = xmlnode_get_attrib(iq, "id"))
        xmlnode_set_attrib(result.get(), "id", id);
    if (const char *from = xmlnode_get_attrib(iq, "from"))
        xmlnode_set_attrib(result.get(), "to", from);
    send_stanza(session, result.get());
}

void register_iq_routes()
{
    add_route(
        {"iq", nullptr, "result", Precedence::replies, Trust::anyone, "reply to our IQ", on_reply});
    add_route(
        {"iq", nullptr, "error", Precedence::replies, Trust::anyone, "reply to our IQ", on_reply});
}

}  // namespace hipchat::xmpp
