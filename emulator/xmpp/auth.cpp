#include "auth.hpp"

#include "core/auth.hpp"
#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/xml-escape.hpp"
#include "iq.hpp"
#include "server.hpp"
#include "stanza.hpp"
#include "stream.hpp"

namespace hipchat::emulator {

namespace {

using core::xml_escape;

// The user a login names: an e-mail, or a Jabber ID or its node ([INFERRED]
// §5.1); nobody for people who left the team (§6.3).
User *find_login(Organisation &org, const std::string &login)
{
    User *user = org.find_user_by_email(login);
    if (user == nullptr) {
        const std::string jid = login.find('@') == std::string::npos
                                    ? login + "@" + org.hosts.chat_host
                                    : core::bare_jid(login);
        user = org.find_user_by_jid(jid);
    }
    return user != nullptr && !user->departed ? user : nullptr;
}

void fail(Connection &session, const char *condition)
{
    session.send("<failure" + xmlns(ns::sasl) + "><" + condition + "/></failure>");
    session.close();
}

// Who an <auth> names, with the resource it asks for (HipChat's forms):
// `user` stays null for wrong credentials. Returns the failure condition of
// a malformed payload or an unknown mechanism, else nullptr.
const char *read_credentials(Organisation &org, const core::Element &auth, User *&user,
                             std::string &resource)
{
    const auto fields = core::auth_payload_fields(auth.text);
    if (auth.xmlns == ns::hipchat && auth.attribute("mechanism") == "oauth2") {
        // §5.2: \0token\0resource
        if (fields.size() != 3 || !fields[0].empty())
            return "malformed-request";
        user = org.find_user_by_token(fields[1]);
        if (user != nullptr && user->departed)
            user = nullptr;
        resource = fields[2];
        return nullptr;
    }
    if (auth.xmlns == ns::hipchat) {
        // §5.1: \0login\0password\0resource
        if (fields.size() != 4 || !fields[0].empty())
            return "malformed-request";
        resource = fields[3];
    } else if (auth.attribute("mechanism") != "PLAIN") {
        return "invalid-mechanism";
    } else if (fields.size() != 3) {
        // §5.3: SASL PLAIN with the JID node
        return "malformed-request";
    }
    user = find_login(org, fields[1]);
    if (user != nullptr && user->password != fields[2])
        user = nullptr;
    return nullptr;
}

// §5.5: HipChat's <success>, with the session's JID and the service hosts;
// the session is live from here.
void hipchat_success(Connection &session, User &user, const core::Element &auth,
                     const std::string &resource)
{
    XmppServer &server = session.server();
    const std::string jid =
        server.org().user_jid(user) + "/" + (resource.empty() ? "none" : resource);
    const auto &hosts = server.org().hosts;
    // A fault for tests can leave the jid out (§5.5: clients must cope).
    const std::string jid_attribute =
        server.faults.success_without_jid ? "" : " jid='" + xml_escape(jid) + "'";
    std::string success =
        "<success" + xmlns(ns::sasl) + jid_attribute + " api_host='" + xml_escape(hosts.api_host) +
        "' chat_host='" + xml_escape(hosts.chat_host) + "' muc_host='" +
        xml_escape(hosts.muc_host) + "' web_host='" + xml_escape(hosts.web_host) + "'";
    if (!session.go_live(jid))
        return;
    if (auth.attribute("oauth2_token") == "true") {
        // §5.1: mint a token the REST API accepts.
        const std::string token = random_hex(20);
        user.session_tokens.push_back(token);
        success += " oauth2_token='" + token + "'";
    }
    session.send(success + "/>");
    if (auth.attribute("restart_stream") == "true" && server.config().offer_restart_logic)
        session.restart_stream();
    if (server.faults.drop_after == "success")
        session.close();
}

void authenticate(Connection &session, const core::Element &auth)
{
    const Faults &faults = session.server().faults;
    if (faults.drop_after == "auth") {
        session.close();
        return;
    }
    User *user = nullptr;
    std::string resource;
    if (const char *refused = read_credentials(session.server().org(), auth, user, resource))
        return fail(session, refused);
    if (!faults.fail_auth_with.empty())
        return fail(session, faults.fail_auth_with.c_str());
    if (user == nullptr)
        return fail(session, "not-authorized");
    session.authenticate(*user);
    if (auth.xmlns == ns::hipchat) {
        hipchat_success(session, *user, auth, resource);
        return;
    }
    session.send("<success" + xmlns(ns::sasl) + "/>");
    session.await_bind();
    session.restart_stream();
}

// §5.4: legacy iq-auth (XEP-0078), advertised in §4.2's features.
void iq_auth(Connection &session, const core::Element &iq)
{
    const core::Element &query = *iq.child("query", ns::iq_auth);
    if (iq.attribute("type") == "get") {
        reply(session, iq,
              "<query" + xmlns(ns::iq_auth) + "><username/><password/><resource/></query>");
        return;
    }
    if (iq.attribute("type") != "set")
        return;
    const core::Element *username = query.child("username");
    const core::Element *password = query.child("password");
    const core::Element *resource = query.child("resource");
    if (username == nullptr || password == nullptr || resource == nullptr ||
        resource->text.empty()) {
        reply_error(session, iq, "modify", "not-acceptable");  // XEP-0078 §3.1 (406)
        return;
    }
    Organisation &org = session.server().org();
    User *user = find_login(org, username->text);
    if (user == nullptr || user->password != password->text) {
        reply_error(session, iq, "auth", "not-authorized");  // XEP-0078 §3.1 (401)
        return;
    }
    session.authenticate(*user);
    if (session.go_live(org.user_jid(*user) + "/" + resource->text))
        reply(session, iq, "");
}

}  // namespace

void offer_login_features(Connection &session)
{
    if (session.stage() == LoginStage::awaiting_bind) {
        // After SASL PLAIN: the standard bind and session (§5.3).
        session.send("<stream:features><bind" + xmlns(ns::bind) + "/><session" +
                     xmlns(ns::session) + "/></stream:features>");
        return;
    }
    if (session.stage() == LoginStage::live) {
        // After restart_stream='true': features without bind; the session
        // is live (§5.5).
        session.send("<stream:features/>");
        return;
    }
    // §4.2, after TLS (compression omitted: libpurple does not use it).
    const XmppConfig &config = session.server().config();
    std::string features = "<stream:features><auth" + xmlns(ns::iq_auth_feature) + "/>";
    if (config.offer_hipchat_auth)
        features += "<auth" + xmlns(ns::hipchat) + "/>";
    features += "<mechanisms" + xmlns(ns::sasl) +
                "><mechanism>PLAIN</mechanism><mechanism>X-HIPCHAT-OAUTH2</mechanism>"
                "</mechanisms>";
    if (config.offer_hipchat_auth && config.offer_restart_logic)
        features += "<authrestartlogic" + xmlns(ns::hipchat) + "/>";
    session.send(features + "</stream:features>");
    if (session.server().faults.drop_after == "features")
        session.close();
}

void handle_login(Connection &session, const core::Element &stanza)
{
    if (stanza.name == "auth" && (stanza.xmlns == ns::hipchat || stanza.xmlns == ns::sasl))
        authenticate(session, stanza);
    else if (stanza.name == "iq" && stanza.child("query", ns::iq_auth) != nullptr)
        iq_auth(session, stanza);
    else if (stanza.name != "r")
        session.close("not-authorized");
}

void bind_resource(Connection &session, const core::Element &iq)
{
    const core::Element *bind = iq.child("bind", ns::bind);
    if (bind == nullptr || iq.attribute("type") != "set") {
        reply_error(session, iq, "auth", "not-authorized");
        return;
    }
    const core::Element *resource = bind->child("resource");
    const std::string wanted =
        resource != nullptr && !resource->text.empty() ? resource->text : random_hex(4);
    if (!session.go_live(session.server().org().user_jid(*session.user()) + "/" + wanted))
        return;
    reply(session, iq,
          "<bind" + xmlns(ns::bind) + "><jid>" + xml_escape(session.jid()) + "</jid></bind>");
}

void token_iq(Connection &session, const core::Element &iq, const core::Element &)
{
    reply(session, iq,
          "<query" + xmlns(ns::auth_token) + "><token expiration='" +
              std::to_string(g_get_real_time() / G_USEC_PER_SEC + 3600) + "' ttl='3600'>" +
              random_hex(16) + "</token></query>");
}

}  // namespace hipchat::emulator
