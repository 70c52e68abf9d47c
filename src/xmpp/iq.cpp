#include "xmpp/iq.hpp"

#include <debug.h>
#include <signals.h>

#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "xmpp/jabber-api.hpp"
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
    if (!expected.empty())
        return sender == expected || core::bare_jid(sender) == core::bare_jid(expected);
    // A query to our server: the reply comes from nobody, our bare JID or the
    // chat host.
    return sender.empty() || core::bare_jid(sender) == core::bare_jid(session.jid) || sender == session.hosts.chat_host;
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

void on_receiving_xmlnode(PurpleConnection *gc, xmlnode **packet, gpointer)
{
    util::guard("IQ (receiving)", [&] {
        Session *session = Session::find(gc);
        if (session == nullptr || packet == nullptr || *packet == nullptr ||
            g_strcmp0((*packet)->name, "iq") != 0)
            return;
        const char *id = xmlnode_get_attrib(*packet, "id");
        const char *type = xmlnode_get_attrib(*packet, "type");
        if (id == nullptr || !g_str_has_prefix(id, id_prefix) ||
            (g_strcmp0(type, "result") != 0 && g_strcmp0(type, "error") != 0))
            return;
        const auto it = session->pending_iqs.find(id);
        if (it == session->pending_iqs.end())
            return;
        if (!from_expected(*session, it->second.to, xmlnode_get_attrib(*packet, "from"))) {
            purple_debug_warning("hipchat", "Ignoring a reply to %s from an unexpected sender\n",
                                 id);
            return;  // the module will answer or drop it as unknown
        }
        IqReply reply;
        reply.ok = g_strcmp0(type, "result") == 0;
        reply.stanza = to_element(*packet);
        if (!reply.ok) {
            auto error = core::parse_stanza_error(reply.stanza);
            reply.error = !error.condition.empty() ? std::move(error.condition)
                                                   : "undefined-condition";
            reply.error_text = std::move(error.text);
        }
        finish(*session, id, std::move(reply));
        // Freed after the callback: freed before, a big reply's many small
        // blocks made the callback's first large allocation consolidate them
        // all (docs/PERFORMANCE.md, room list).
        xmlnode_free(*packet);
        *packet = nullptr;
    });
}

}  // namespace

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
    auto *js =
        static_cast<JabberStream *>(purple_connection_get_protocol_data(session.connection()));
    jabber_send(js, iq.get());
}

void reply_result(Session &session, xmlnode *iq)
{
    XmlnodePtr result(xmlnode_new("iq"));
    xmlnode_set_attrib(result.get(), "type", "result");
    if (const char *id = xmlnode_get_attrib(iq, "id"))
        xmlnode_set_attrib(result.get(), "id", id);
    if (const char *from = xmlnode_get_attrib(iq, "from"))
        xmlnode_set_attrib(result.get(), "to", from);
    jabber_send(static_cast<JabberStream *>(purple_connection_get_protocol_data(session.connection())),
                result.get());
}

void connect_iq_signals(PurplePlugin *plugin)
{
    purple_signal_connect(plugin, "jabber-receiving-xmlnode", plugin,
                          PURPLE_CALLBACK(on_receiving_xmlnode), nullptr);
}

}  // namespace hipchat::xmpp
