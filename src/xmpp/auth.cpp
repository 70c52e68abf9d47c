#include "core/namespaces.hpp"
#include "xmpp/auth.hpp"

#include <account.h>
#include <debug.h>
#include <signals.h>
#include <xmlnode.h>

#include <memory>

#include "core/auth.hpp"
#include "util/c-guard.hpp"
#include "util/debug-redaction.hpp"
#include "util/i18n.hpp"
#include "xmpp/jabber-api.hpp"
#include "xmpp/session.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

JabberStream *stream_of(Session &session)
{
    return static_cast<JabberStream *>(purple_connection_get_protocol_data(session.connection()));
}

// Consumes the packet the module was about to process.
void consume(xmlnode **packet)
{
    xmlnode_free(*packet);
    *packet = nullptr;
}

// <stream:features><bind/></stream:features>: makes the module send its bind
// IQ, which we then answer ourselves (HipChat has no resource bind, §5.5).
void offer_bind(Session &session)
{
    session.stage = LoginStage::binding;
    XmlnodePtr features(xmlnode_new("features"));
    xmlnode_set_namespace(features.get(), ns::streams);
    xmlnode_set_namespace(xmlnode_new_child(features.get(), "bind"), ns::bind);
    xmlnode *packet = features.release();
    jabber_process_packet(stream_of(session), &packet);
    if (packet != nullptr)
        xmlnode_free(packet);
}

void send_auth(Session &session, bool restart_offered)
{
    PurpleConnection *gc = session.connection();
    PurpleAccount *account = purple_connection_get_account(gc);
    const std::string &resource = session.resource;

    std::string payload;
    std::string element = "<auth xmlns='http://hipchat.com'";
    if (session.method == AuthMethod::token) {
        // §5.2; like the official client in OAuth mode, restart the stream
        // when the server offers it (authrestartlogic).
        payload = core::token_auth_payload(session.oauth_token, resource);
        element += " mechanism='oauth2'";
        if (restart_offered) {
            element += " restart_stream='true'";
            session.restart_requested = true;
        }
    } else {
        // §5.1: ask for an OAuth token for REST on the way.
        const char *password = purple_connection_get_password(gc);
        payload = core::password_auth_payload(purple_account_get_username(account),
                                              password != nullptr ? password : "", resource);
        element += " oauth2_token='true'";
    }
    element += ">";
    element += payload;
    element += "</auth>";

    session.stage = LoginStage::authenticating;
    jabber_stream_set_state(stream_of(session), JABBER_STREAM_AUTHENTICATING);
    // The module prints what it sends and only knows to hide SASL auth:
    // silence the debug log for this one send.
    util::with_debug_muted([&] { jabber_send_raw(stream_of(session), element.c_str(), -1); });
    purple_debug_info("hipchat", "Sent HipChat auth (%s, credentials not logged)\n",
                      session.method == AuthMethod::token ? "API token" : "password");
    core::wipe(payload);
    core::wipe(element);
}

// Post-TLS features: authenticate the HipChat way when offered.
void on_features(Session &session, xmlnode **packet)
{
    if (session.stage == LoginStage::restarting) {
        // After a requested restart the server lists no bind; HipChat needs
        // none (§5.5). Never let the module start SASL again.
        consume(packet);
        offer_bind(session);
        return;
    }
    if (session.stage != LoginStage::connecting)
        return;
    // Before STARTTLS the module negotiates TLS, or refuses to go on without
    // it (connection_security=require_tls): credentials never leave in clear.
    if (!jabber_stream_is_ssl(stream_of(session)))
        return;
    xmlnode *auth = xmlnode_get_child_with_namespace(*packet, "auth", ns::hipchat);
    if (auth == nullptr) {
        // HipChat Server in SASL mode, or a plain XMPP server: the module does
        // SASL PLAIN, restart and bind itself (§5.3).
        session.stage = LoginStage::standard;
        purple_debug_info("hipchat", "No HipChat auth offered; using standard SASL\n");
        return;
    }
    const bool restart_offered =
        xmlnode_get_child_with_namespace(*packet, "authrestartlogic", ns::hipchat) != nullptr;
    consume(packet);
    send_auth(session, restart_offered);
}

void on_success(Session &session, xmlnode **packet)
{
    XmlnodePtr owned(*packet);
    *packet = nullptr;
    const core::Element element = to_element(owned.get());
    owned.reset();

    // The token is a secret whatever else the reply says: registered for
    // redaction first, before anything below could print it (§5.5).
    session.keep_secret_out_of_logs(std::string(element.attribute("oauth2_token")));

    const auto success = core::parse_auth_success(element);
    if (!success) {
        purple_debug_warning("hipchat", "<success> without a usable JID (%s)\n",
                             element.has_attribute("jid") ? "malformed" : "missing");
        purple_connection_error_reason(
            session.connection(), PURPLE_CONNECTION_ERROR_OTHER_ERROR,
            _("HipChat accepted the login but did not say which account it belongs to "
              "(no JID in its reply)."));
        return;
    }
    session.jid = success->jid;
    // A host missing or unusable in the reply is empty: its users fall back
    // to their defaults (e.g. rooms.cpp's muc_host()).
    session.hosts = success->hosts;
    if (session.method == AuthMethod::password && !success->oauth2_token.empty())
        session.oauth_token = success->oauth2_token;
    if (!session.hosts.chat_host.empty())
        session.stream_host = session.hosts.chat_host;
    purple_debug_info("hipchat", "Logged in as %s (api %s, muc %s)\n", session.jid.c_str(),
                      session.hosts.api_host.c_str(), session.hosts.muc_host.c_str());

    jabber_stream_set_state(stream_of(session), JABBER_STREAM_POST_AUTH);
    if (session.restart_requested) {
        // The module reopens the stream (fresh parser, new header), which it
        // must not do inside its own parser callback: a main-loop turn later.
        session.stage = LoginStage::restarting;
        session.defer(0, [](Session &s) {
            jabber_stream_set_state(stream_of(s), JABBER_STREAM_INITIALIZING);
        });
        return;
    }
    offer_bind(session);
}

void on_failure(Session &session, xmlnode **packet)
{
    XmlnodePtr owned(*packet);
    *packet = nullptr;
    const core::AuthFailure failure = core::parse_auth_failure(to_element(owned.get()));
    owned.reset();

    session.stage = LoginStage::done;
    if (failure.condition == "not-authorized") {
        purple_connection_error_reason(
            session.connection(), PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED,
            session.method == AuthMethod::token
                ? _("HipChat did not accept the API token. Check the token in the account's "
                    "settings (it needs the View Group scope).")
                : _("Incorrect e-mail address or password."));
        return;
    }
    const std::string &condition = failure.condition;
    // TRANSLATORS: %s is an XMPP error condition such as "malformed-request".
    char *message = g_strdup_printf(_("HipChat refused the login (%s)."),
                                    condition.empty() ? _("no reason given") : condition.c_str());
    purple_connection_error_reason(session.connection(),
                                   PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED, message);
    g_free(message);
}

void on_receiving_xmlnode(PurpleConnection *gc, xmlnode **packet, gpointer)
{
    util::guard("jabber-receiving-xmlnode", [&] {
        Session *session = Session::find(gc);
        if (session == nullptr || packet == nullptr || *packet == nullptr)
            return;
        if (is(*packet, "features", ns::streams)) {
            on_features(*session, packet);
        } else if (session->stage == LoginStage::authenticating) {
            if (is(*packet, "success", ns::sasl))
                on_success(*session, packet);
            else if (is(*packet, "failure", ns::sasl))
                on_failure(*session, packet);
        }
    });
}

// The module's bind and session IQs after HipChat auth: answered locally, one
// main-loop turn later, because the module registers its reply callback only
// after the send returns.
void answer_locally(Session &session, const char *id, const char *child, const char *xmlns)
{
    session.drop_next_text = true;
    session.defer(0, [id = std::string(id), child = std::string(child),
                      xmlns = std::string(xmlns)](Session &s) {
        XmlnodePtr result(xmlnode_new("iq"));
        xmlnode_set_attrib(result.get(), "type", "result");
        xmlnode_set_attrib(result.get(), "id", id.c_str());
        if (child == "bind") {
            xmlnode *bind = xmlnode_new_child(result.get(), "bind");
            xmlnode_set_namespace(bind, xmlns.c_str());
            xmlnode_insert_data(xmlnode_new_child(bind, "jid"), s.jid.c_str(), -1);
        }
        purple_debug_info("hipchat", "Answered the module's %s IQ locally (HipChat has none)\n",
                          child.c_str());
        xmlnode *packet = result.release();
        jabber_process_packet(stream_of(s), &packet);
        if (packet != nullptr)
            xmlnode_free(packet);
    });
}

void on_sending_xmlnode(PurpleConnection *gc, xmlnode **packet, gpointer)
{
    util::guard("jabber-sending-xmlnode", [&] {
        Session *session = Session::find(gc);
        if (session == nullptr || packet == nullptr || *packet == nullptr ||
            g_strcmp0((*packet)->name, "iq") != 0 ||
            g_strcmp0(xmlnode_get_attrib(*packet, "type"), "set") != 0)
            return;
        xmlnode *bind = xmlnode_get_child_with_namespace(*packet, "bind", ns::bind);
        if (session->stage == LoginStage::standard) {
            // SASL + bind with a Jabber ID username: the module binds the
            // username's resource, which an e-mail-style username never has;
            // ask for the configured one (§3).
            if (bind != nullptr && xmlnode_get_child(bind, "resource") == nullptr &&
                !session->resource.empty())
                xmlnode_insert_data(xmlnode_new_child(bind, "resource"), session->resource.c_str(),
                                    -1);
            return;
        }
        const char *id = xmlnode_get_attrib(*packet, "id");
        if (session->stage != LoginStage::binding || id == nullptr)
            return;
        if (bind != nullptr) {
            answer_locally(*session, id, "bind", ns::bind);
        } else if (xmlnode_get_child_with_namespace(*packet, "session", ns::session) != nullptr) {
            answer_locally(*session, id, "session", ns::session);
            session->stage = LoginStage::done;
        }
    });
}

void on_sending_text(PurpleConnection *gc, char **text, gpointer)
{
    util::guard("jabber-sending-text", [&] {
        Session *session = Session::find(gc);
        if (session == nullptr || text == nullptr || *text == nullptr)
            return;
        session->last_sent = g_get_monotonic_time();
        if (session->drop_next_text) {
            // The bind/session IQ flagged above; setting NULL drops it cleanly.
            session->drop_next_text = false;
            *text = nullptr;
            return;
        }
        // Stream headers are sent with length -1, so a replacement is safe.
        if (session->stream_host.empty())
            return;
        if (auto header = core::readdress_stream_header(*text, session->stream_host)) {
            session->stream_header = std::move(*header);
            *text = session->stream_header.data();
        }
    });
}

}  // namespace

void connect_auth_signals(PurplePlugin *plugin)
{
    purple_signal_connect(plugin, "jabber-receiving-xmlnode", plugin,
                          PURPLE_CALLBACK(on_receiving_xmlnode), nullptr);
    // Below the module's own sender (priority 9999), so we see stanzas first.
    purple_signal_connect(plugin, "jabber-sending-xmlnode", plugin,
                          PURPLE_CALLBACK(on_sending_xmlnode), nullptr);
    purple_signal_connect(plugin, "jabber-sending-text", plugin, PURPLE_CALLBACK(on_sending_text),
                          nullptr);
}

}  // namespace hipchat::xmpp
