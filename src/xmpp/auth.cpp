#include "xmpp/auth.hpp"

#include <account.h>
#include <debug.h>
#include <signals.h>
#include <xmlnode.h>

#include <memory>

#include "core/auth.hpp"
#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "util/debug-redaction.hpp"
#include "util/i18n.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/jabber-api.hpp"
#include "xmpp/keepalive.hpp"
#include "xmpp/router.hpp"
#include "xmpp/session.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

LoginState &login(Session &session)
{
    return session.state<LoginState>();
}

// <stream:features><bind/></stream:features>: makes the module send its bind
// IQ, which we then answer ourselves (HipChat has no resource bind, §5.5).
void offer_bind(Session &session)
{
    login(session).stage = LoginStage::binding;
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
    LoginState &state = login(session);
    const std::string &resource = state.resource;

    std::string payload;
    std::string element = "<auth xmlns='http://hipchat.com'";
    if (state.method == AuthMethod::token) {
        // §5.2; like the official client in OAuth mode, restart the stream
        // when the server offers it (authrestartlogic).
        payload = core::token_auth_payload(api_token(session), resource);
        element += " mechanism='oauth2'";
        if (restart_offered) {
            element += " restart_stream='true'";
            state.restart_requested = true;
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

    state.stage = LoginStage::authenticating;
    jabber_stream_set_state(stream_of(session), JABBER_STREAM_AUTHENTICATING);
    // The module prints what it sends and only knows to hide SASL auth:
    // silence the debug log for this one send.
    util::with_debug_muted([&] { jabber_send_raw(stream_of(session), element.c_str(), -1); });
    purple_debug_info("hipchat", "Sent HipChat auth (%s, credentials not logged)\n",
                      state.method == AuthMethod::token ? "API token" : "password");
    core::wipe(payload);
    core::wipe(element);
}

// Post-TLS features: authenticate the HipChat way when offered.
Outcome on_features(Session &session, Incoming &in)
{
    LoginState &state = login(session);
    if (state.stage == LoginStage::restarting) {
        // After a requested restart the server lists no bind; HipChat needs
        // none (§5.5). Never let the module start SASL again.
        offer_bind(session);
        return Outcome::taken;
    }
    if (state.stage != LoginStage::connecting)
        return Outcome::pass;
    // Before STARTTLS the module negotiates TLS, or refuses to go on without
    // it (connection_security=require_tls): credentials never leave in clear.
    if (!jabber_stream_is_ssl(stream_of(session)))
        return Outcome::pass;
    xmlnode *auth = xmlnode_get_child_with_namespace(in.node, "auth", ns::hipchat);
    if (auth == nullptr) {
        // HipChat Server in SASL mode, or a plain XMPP server: the module does
        // SASL PLAIN, restart and bind itself (§5.3).
        state.stage = LoginStage::standard;
        purple_debug_info("hipchat", "No HipChat auth offered; using standard SASL\n");
        return Outcome::pass;
    }
    const bool restart_offered =
        xmlnode_get_child_with_namespace(in.node, "authrestartlogic", ns::hipchat) != nullptr;
    send_auth(session, restart_offered);
    return Outcome::taken;
}

Outcome on_success(Session &session, Incoming &in)
{
    LoginState &state = login(session);
    if (state.stage != LoginStage::authenticating)
        return Outcome::pass;
    const core::Element element = to_element(in.node);

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
        return Outcome::taken;
    }
    Identity &self = session.state<Identity>();
    self.jid = success->jid;
    self.bare_jid = core::ascii_lower(core::bare_jid(self.jid));
    // A host missing or unusable in the reply is empty: its users fall back
    // to their defaults (e.g. muc_host()).
    self.hosts = success->hosts;
    if (state.method == AuthMethod::password && !success->oauth2_token.empty())
        self.api_token = success->oauth2_token;
    if (!self.hosts.chat_host.empty())
        state.stream_host = self.hosts.chat_host;
    purple_debug_info("hipchat", "Logged in as %s (api %s, muc %s)\n", self.jid.c_str(),
                      self.hosts.api_host.c_str(), self.hosts.muc_host.c_str());

    jabber_stream_set_state(stream_of(session), JABBER_STREAM_POST_AUTH);
    if (state.restart_requested) {
        // The module reopens the stream (fresh parser, new header), which it
        // must not do inside its own parser callback: a main-loop turn later.
        state.stage = LoginStage::restarting;
        session.defer(0, [](Session &s) {
            jabber_stream_set_state(stream_of(s), JABBER_STREAM_INITIALIZING);
        });
        return Outcome::taken;
    }
    offer_bind(session);
    return Outcome::taken;
}

// policy-violation, on the auth or as a stream error: HipChat's limit of
// ten clients per user (the web client's lib/spi.js 79-84).
const char *too_many_sessions()
{
    return _(
        "HipChat refused this session: you are signed in on as many devices as HipChat "
        "allows (ten). Sign out of one of them, then connect again.");
}

Outcome on_failure(Session &session, Incoming &in)
{
    LoginState &state = login(session);
    if (state.stage != LoginStage::authenticating)
        return Outcome::pass;
    const core::AuthFailure failure = core::parse_auth_failure(to_element(in.node));

    state.stage = LoginStage::done;
    if (failure.condition == "not-authorized") {
        purple_connection_error_reason(
            session.connection(), PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED,
            state.method == AuthMethod::token
                ? _("HipChat did not accept the API token. Check the token in the account's "
                    "settings (it needs the View Group scope).")
                : _("Incorrect e-mail address or password."));
        return Outcome::taken;
    }
    const std::string &condition = failure.condition;
    if (condition == "policy-violation") {
        purple_connection_error_reason(session.connection(), PURPLE_CONNECTION_ERROR_OTHER_ERROR,
                                       too_many_sessions());
        return Outcome::taken;
    }
    // HipChat's own client gave up on these three and tried again later on
    // anything else (connection_manager.js 649-657): a refusal of this
    // account is final, a server's passing trouble is not.
    const bool final = condition == "conflict" || condition == "not-allowed" || condition.empty();
    char *message =
        final
            // TRANSLATORS: %s is an XMPP error condition such as "not-allowed".
            ? g_strdup_printf(_("HipChat refused the login (%s)."),
                              condition.empty() ? _("no reason given") : condition.c_str())
            // TRANSLATORS: %s is an XMPP error condition such as
            // "temporary-auth-failure"; libpurple connects again by itself.
            : g_strdup_printf(_("HipChat could not log you in just now (%s)."), condition.c_str());
    purple_connection_error_reason(session.connection(),
                                   final ? PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED
                                         : PURPLE_CONNECTION_ERROR_NETWORK_ERROR,
                                   message);
    g_free(message);
    return Outcome::taken;
}

// A stream error that means "do not come back as you are": the module
// takes every one but `conflict` for a network error and reconnects for
// ever. HipChat's own client stops on these (connection_manager.js
// 649-654): the account's access was withdrawn, the user has as many
// clients signed in as HipChat allows (ten, lib/spi.js 79-84; told while
// logging in), or the same resource signed in elsewhere.
Outcome on_stream_error(Session &session, Incoming &in)
{
    if (!on_hipchat(session) && login(session).stage != LoginStage::authenticating)
        return Outcome::pass;
    const auto error = core::parse_stream_error(to_element(in.node));
    std::string message;
    PurpleConnectionError reason = PURPLE_CONNECTION_ERROR_OTHER_ERROR;
    if (error.condition == "not-authorized") {
        reason = PURPLE_CONNECTION_ERROR_AUTHENTICATION_FAILED;
        message = _("HipChat ended the session: this login is no longer authorized.");
    } else if (error.condition == "policy-violation") {
        message = too_many_sessions();
    } else if (error.condition == "conflict") {
        // The module says only "Resource Conflict" (and, rightly, does not
        // come back: the other session would be thrown out in turn).
        reason = PURPLE_CONNECTION_ERROR_NAME_IN_USE;
        message =
            _("HipChat ended this session: you signed in elsewhere with the same resource. "
              "Give this account another Resource (Advanced settings) to stay signed in "
              "on both.");
    } else {
        return Outcome::pass;
    }
    if (!error.text.empty())
        message += " (" + error.text + ")";
    purple_connection_error_reason(session.connection(), reason, message.c_str());
    return Outcome::taken;
}

// The module's bind and session IQs after HipChat auth: answered locally, one
// main-loop turn later, because the module registers its reply callback only
// after the send returns.
void answer_locally(Session &session, const char *id, const char *child, const char *xmlns)
{
    login(session).drop_next_text = true;
    session.defer(0, [id = std::string(id), child = std::string(child),
                      xmlns = std::string(xmlns)](Session &s) {
        XmlnodePtr result(xmlnode_new("iq"));
        xmlnode_set_attrib(result.get(), "type", "result");
        xmlnode_set_attrib(result.get(), "id", id.c_str());
        if (child == "bind") {
            xmlnode *bind = xmlnode_new_child(result.get(), "bind");
            xmlnode_set_namespace(bind, xmlns.c_str());
            xmlnode_insert_data(xmlnode_new_child(bind, "jid"), own_jid(s).c_str(), -1);
        }
        purple_debug_info("hipchat", "Answered the module's %s IQ locally (HipChat has none)\n",
                          child.c_str());
        xmlnode *packet = result.release();
        jabber_process_packet(stream_of(s), &packet);
        if (packet != nullptr)
            xmlnode_free(packet);
    });
}

void on_sending_iq(Session &session, xmlnode *iq)
{
    if (g_strcmp0(xmlnode_get_attrib(iq, "type"), "set") != 0)
        return;
    LoginState &state = login(session);
    xmlnode *bind = xmlnode_get_child_with_namespace(iq, "bind", ns::bind);
    if (state.stage == LoginStage::standard) {
        // SASL + bind with a Jabber ID username: the module binds the
        // username's resource, which an e-mail-style username never has;
        // ask for the configured one (§3).
        if (bind != nullptr && xmlnode_get_child(bind, "resource") == nullptr &&
            !state.resource.empty())
            xmlnode_insert_data(xmlnode_new_child(bind, "resource"), state.resource.c_str(), -1);
        return;
    }
    const char *id = xmlnode_get_attrib(iq, "id");
    if (state.stage != LoginStage::binding || id == nullptr)
        return;
    if (bind != nullptr) {
        answer_locally(session, id, "bind", ns::bind);
    } else if (xmlnode_get_child_with_namespace(iq, "session", ns::session) != nullptr) {
        answer_locally(session, id, "session", ns::session);
        state.stage = LoginStage::done;
    }
}

void on_sending_text(PurpleConnection *gc, char **text, gpointer)
{
    util::guard("jabber-sending-text", [&] {
        Session *session = Session::find(gc);
        if (session == nullptr || text == nullptr || *text == nullptr)
            return;
        LoginState &state = login(*session);
        note_sent(*session);
        if (state.drop_next_text) {
            // The bind/session IQ flagged above; setting NULL drops it cleanly.
            state.drop_next_text = false;
            *text = nullptr;
            return;
        }
        // Stream headers are sent with length -1, so a replacement is safe.
        if (state.stream_host.empty())
            return;
        if (auto header = core::readdress_stream_header(*text, state.stream_host)) {
            state.stream_header = std::move(*header);
            *text = state.stream_header.data();
        }
    });
}

}  // namespace

void prepare_login(Session &session, const std::string &resource, const std::string &token,
                   const std::string &stream_host)
{
    LoginState &state = login(session);
    state.resource = resource;
    state.stream_host = stream_host;
    if (!token.empty()) {
        state.method = AuthMethod::token;
        session.state<Identity>().api_token = token;
    }
}

void register_auth_routes()
{
    add_route({"features", ns::streams, nullptr, Precedence::login, Trust::server,
               "stream features", on_features});
    add_route({"success", ns::sasl, nullptr, Precedence::login, Trust::server, "auth success",
               on_success});
    add_route({"failure", ns::sasl, nullptr, Precedence::login, Trust::server, "auth failure",
               on_failure});
    add_route({"error", ns::streams, nullptr, Precedence::login, Trust::server, "stream error",
               on_stream_error});
    add_outgoing("iq", on_sending_iq);
}

void connect_auth_text_signal(PurplePlugin *plugin)
{
    purple_signal_connect(plugin, "jabber-sending-text", plugin, PURPLE_CALLBACK(on_sending_text),
                          nullptr);
}

}  // namespace hipchat::xmpp
