#include "xmpp-server.hpp"

#include "core/xml-escape.hpp"

#include <libxml/parser.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace hipchat::emulator {

namespace {

constexpr const char *ns_streams = "http://etherx.jabber.org/streams";
constexpr const char *ns_tls = "urn:ietf:params:xml:ns:xmpp-tls";
constexpr const char *ns_sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
constexpr const char *ns_bind = "urn:ietf:params:xml:ns:xmpp-bind";
constexpr const char *ns_session = "urn:ietf:params:xml:ns:xmpp-session";
constexpr const char *ns_stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";
constexpr const char *ns_hipchat = "http://hipchat.com";

// The core's escaping, for everything we write into stanzas.
std::string escape(const std::string &text)
{
    return core::xml_escape(text);
}

std::string json_string(const std::string &text)
{
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::string bare(const std::string &jid)
{
    return jid.substr(0, jid.find('/'));
}

std::string random_hex(int bytes)
{
    std::string out;
    for (int i = 0; i < bytes; ++i) {
        char buf[3];
        std::snprintf(buf, sizeof buf, "%02x", g_random_int_range(0, 256));
        out += buf;
    }
    return out;
}

std::string new_mid()
{
    const std::string h = random_hex(16);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20, 12);
}

std::string now_ts()
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", g_get_real_time() / 1e6);
    return buf;
}

// One stanza as parsed from a client.
struct Node {
    std::string name, xmlns;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<Node> children;
    std::string text;

    std::string attr(const std::string &key) const
    {
        for (const auto &[k, v] : attributes)
            if (k == key)
                return v;
        return {};
    }
    bool has_attr(const std::string &key) const
    {
        return std::any_of(attributes.begin(), attributes.end(),
                           [&](const auto &a) { return a.first == key; });
    }
    const Node *child(const std::string &child_name, const std::string &child_ns = {}) const
    {
        for (const auto &c : children)
            if (c.name == child_name && (child_ns.empty() || c.xmlns == child_ns))
                return &c;
        return nullptr;
    }
    // Serialised again, for routing stanzas between clients.
    std::string xml(bool with_ns = true) const
    {
        std::string out = "<" + name;
        if (with_ns && !xmlns.empty())
            out += " xmlns='" + escape(xmlns) + "'";
        for (const auto &[k, v] : attributes)
            out += " " + k + "='" + escape(v) + "'";
        if (children.empty() && text.empty())
            return out + "/>";
        out += ">" + escape(text);
        for (const auto &c : children)
            out += c.xml(c.xmlns != xmlns);
        return out + "</" + name + ">";
    }
};

}  // namespace

class Connection {
public:
    Connection(XmppServer &server, GSocketConnection *socket, std::uint64_t id)
        : server_(server),
          id_(id),
          socket_(G_SOCKET_CONNECTION(g_object_ref(socket))),
          cancellable_(g_cancellable_new())
    {
        stream_ = G_IO_STREAM(g_object_ref(socket_));
        last_activity_ = g_get_monotonic_time();
        new_parser();
        read_more();
    }

    ~Connection()
    {
        g_cancellable_cancel(cancellable_);
        g_object_unref(cancellable_);
        if (parser_ != nullptr)
            xmlFreeParserCtxt(parser_);
        // Close the socket itself: a TLS close would wait for the peer's
        // close_notify, and a stuck or slow client must not hang the server.
        g_socket_close(g_socket_connection_get_socket(socket_), nullptr);
        g_object_unref(stream_);
        g_object_unref(socket_);
    }

    std::uint64_t id() const { return id_; }
    bool live() const { return live_ && !closed_; }
    User *user() const { return user_; }
    const std::string &jid() const { return jid_; }
    bool available() const { return available_; }
    const std::string &presence() const { return presence_; }
    gint64 last_activity() const { return last_activity_; }

    void send(const std::string &text)
    {
        if (closed_)
            return;
        GOutputStream *out = g_io_stream_get_output_stream(stream_);
        if (!g_output_stream_write_all(out, text.data(), text.size(), nullptr, nullptr, nullptr))
            close();
    }

    // Closes the stream politely and schedules our removal.
    void close(const std::string &stream_error = {})
    {
        if (closed_)
            return;
        if (!stream_error.empty())
            send("<stream:error><" + stream_error +
                 " xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
        send("</stream:stream>");
        closed_ = true;
        went_offline();
        g_cancellable_cancel(cancellable_);
        g_idle_add(
            [](gpointer data) -> gboolean {
                auto *self = static_cast<Connection *>(data);
                self->server_.remove(self);
                return G_SOURCE_REMOVE;
            },
            this);
    }

    // Presence broadcast from another session (§10).
    void deliver(const std::string &stanza) { send(stanza); }

private:
    // --- Reading and parsing ------------------------------------------------

    void new_parser()
    {
        if (parser_ != nullptr)
            xmlFreeParserCtxt(parser_);
        xmlSAXHandler sax;
        std::memset(&sax, 0, sizeof sax);
        sax.initialized = XML_SAX2_MAGIC;
        sax.startElementNs = on_start;
        sax.endElementNs = on_end;
        sax.characters = on_characters;
        sax.serror = [](void *, xmlErrorPtr) {};  // reported through xmlParseChunk's result
        parser_ = xmlCreatePushParserCtxt(&sax, this, nullptr, 0, nullptr);
        xmlCtxtUseOptions(parser_, XML_PARSE_NONET | XML_PARSE_NOENT * 0);
        depth_ = 0;
        stack_.clear();
    }

    void read_more()
    {
        if (closed_)
            return;
        g_input_stream_read_async(g_io_stream_get_input_stream(stream_), buffer_, sizeof buffer_,
                                  G_PRIORITY_DEFAULT, cancellable_, on_read, this);
    }

    static void on_read(GObject *source, GAsyncResult *result, gpointer data)
    {
        GError *error = nullptr;
        const gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), result, &error);
        if (n < 0 && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
            g_error_free(error);
            return;  // we are closing; `data` may be gone
        }
        g_clear_error(&error);
        auto *self = static_cast<Connection *>(data);
        if (n <= 0) {
            self->closed_by_peer();
            return;
        }
        self->received(self->buffer_, static_cast<std::size_t>(n));
    }

    void closed_by_peer()
    {
        if (closed_)
            return;
        closed_ = true;
        went_offline();
        server_.remove(this);
    }

    void received(const char *data, std::size_t size)
    {
        last_activity_ = g_get_monotonic_time();
        const std::string text(data, size);
        server_.record_transcript(id_, user_ != nullptr ? user_->email : "", text);
        stanza_bytes_ += size;
        if (stanza_bytes_ > server_.config().max_stanza_bytes) {
            close("policy-violation");
            return;
        }
        if (xmlParseChunk(parser_, data, static_cast<int>(size), 0) != 0 && !closed_) {
            close("not-well-formed");
            return;
        }
        if (closed_)
            return;
        if (start_tls_) {
            start_tls_ = false;
            begin_tls();
            return;
        }
        if (restart_) {
            restart_ = false;
            new_parser();
        }
        read_more();
    }

    static void on_start(void *ctx, const xmlChar *localname, const xmlChar *, const xmlChar *uri,
                         int, const xmlChar **, int nb_attributes, int, const xmlChar **attributes)
    {
        auto *self = static_cast<Connection *>(ctx);
        Node node;
        node.name = reinterpret_cast<const char *>(localname);
        node.xmlns = uri != nullptr ? reinterpret_cast<const char *>(uri) : "";
        for (int i = 0; i < nb_attributes; ++i) {
            const auto **a = attributes + i * 5;
            node.attributes.emplace_back(reinterpret_cast<const char *>(a[0]),
                                         std::string(reinterpret_cast<const char *>(a[3]),
                                                     reinterpret_cast<const char *>(a[4])));
        }
        if (self->depth_++ == 0) {
            self->stream_opened(node);
            return;
        }
        self->stack_.push_back(std::move(node));
    }

    static void on_end(void *ctx, const xmlChar *, const xmlChar *, const xmlChar *)
    {
        auto *self = static_cast<Connection *>(ctx);
        if (--self->depth_ == 0) {
            self->close();
            return;
        }
        Node node = std::move(self->stack_.back());
        self->stack_.pop_back();
        if (!self->stack_.empty()) {
            self->stack_.back().children.push_back(std::move(node));
            return;
        }
        self->stanza_bytes_ = 0;
        if (!self->closed_)
            self->handle(node);
    }

    static void on_characters(void *ctx, const xmlChar *text, int length)
    {
        auto *self = static_cast<Connection *>(ctx);
        if (!self->stack_.empty())  // whitespace between stanzas is a keepalive (§4.3)
            self->stack_.back().text.append(reinterpret_cast<const char *>(text), length);
    }

    // --- Stream ---------------------------------------------------------------

    void stream_opened(const Node &)
    {
        const auto &hosts = server_.org().hosts;
        send(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            "xmlns:stream='http://etherx.jabber.org/streams' from='" +
            escape(hosts.chat_host) + "' id='" + random_hex(8) + "' version='1.0'>");
        const auto &config = server_.config();
        if (!tls_ && config.offer_starttls) {
            send(
                "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
                "</starttls></stream:features>");
            return;
        }
        if (sasl_restart_) {
            // After SASL PLAIN: the standard bind and session (§5.3).
            send(
                "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
                "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></stream:features>");
            return;
        }
        if (live_) {
            // After restart_stream='true': features without bind; the session
            // is live (§5.5).
            send("<stream:features/>");
            return;
        }
        // §4.2, after TLS (compression omitted: libpurple does not use it).
        std::string features =
            "<stream:features><auth xmlns='http://jabber.org/features/iq-auth'/>";
        if (config.offer_hipchat_auth)
            features += "<auth xmlns='http://hipchat.com'/>";
        features +=
            "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>"
            "<mechanism>X-HIPCHAT-OAUTH2</mechanism></mechanisms>";
        if (config.offer_hipchat_auth && config.offer_restart_logic)
            features += "<authrestartlogic xmlns='http://hipchat.com'/>";
        send(features + "</stream:features>");
        if (server_.faults.drop_after == "features")
            close();
    }

    void begin_tls()
    {
        GError *error = nullptr;
        GIOStream *tls = g_tls_server_connection_new(stream_, server_.certificate(), &error);
        if (tls == nullptr) {
            g_printerr("emulator: TLS: %s\n", error->message);
            g_error_free(error);
            close();
            return;
        }
        g_object_unref(stream_);
        stream_ = tls;
        g_tls_connection_handshake_async(G_TLS_CONNECTION(tls), G_PRIORITY_DEFAULT, cancellable_,
                                         on_handshake, this);
    }

    static void on_handshake(GObject *source, GAsyncResult *result, gpointer data)
    {
        GError *error = nullptr;
        const gboolean ok =
            g_tls_connection_handshake_finish(G_TLS_CONNECTION(source), result, &error);
        if (!ok && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
            g_error_free(error);
            return;
        }
        auto *self = static_cast<Connection *>(data);
        if (!ok) {
            g_printerr("emulator: TLS handshake failed: %s\n", error->message);
            g_error_free(error);
            self->closed_by_peer();
            return;
        }
        self->tls_ = true;
        self->new_parser();
        self->read_more();
    }

    // --- Stanzas --------------------------------------------------------------

    void handle(const Node &stanza)
    {
        if (stanza.name == "starttls" && stanza.xmlns == ns_tls && !tls_) {
            send("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            start_tls_ = true;
            return;
        }
        if (!tls_ && server_.config().offer_starttls) {
            close("policy-violation");  // STARTTLS is required (§4.1)
            return;
        }
        if (!live_ && !sasl_restart_) {
            if (stanza.name == "auth" && (stanza.xmlns == ns_hipchat || stanza.xmlns == ns_sasl))
                authenticate(stanza);
            else if (stanza.name != "r")
                close("not-authorized");
            return;
        }
        if (stanza.name == "iq")
            handle_iq(stanza);
        else if (stanza.name == "presence" && live_)
            handle_presence(stanza);
        else if (stanza.name == "message" && live_)
            handle_message(stanza);
        // Anything else (a stray <r/>, §4.3) is tolerated and ignored.
    }

    std::vector<std::string> decode_fields(const std::string &base64) const
    {
        gsize length = 0;
        guchar *bytes = g_base64_decode(base64.c_str(), &length);
        std::string plain(reinterpret_cast<char *>(bytes), length);
        g_free(bytes);
        std::vector<std::string> fields;
        std::size_t start = 0;
        while (true) {
            const auto nul = plain.find('\0', start);
            fields.push_back(plain.substr(start, nul == std::string::npos ? nul : nul - start));
            if (nul == std::string::npos)
                break;
            start = nul + 1;
        }
        return fields;
    }

    User *find_login(const std::string &login)
    {
        auto &org = server_.org();
        if (User *user = org.find_user_by_email(login))
            return user;
        // A Jabber ID or its node also names the user ([INFERRED] §5.1).
        const std::string jid =
            login.find('@') == std::string::npos ? login + "@" + org.hosts.chat_host : bare(login);
        return org.find_user_by_jid(jid);
    }

    void fail(const char *condition)
    {
        send(std::string("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><") + condition +
             "/></failure>");
        close();
    }

    void authenticate(const Node &auth)
    {
        if (server_.faults.drop_after == "auth") {
            close();
            return;
        }
        const auto fields = decode_fields(auth.text);
        User *user = nullptr;
        std::string resource;
        bool hipchat = auth.xmlns == ns_hipchat;
        if (hipchat && auth.attr("mechanism") == "oauth2") {
            // §5.2: \0token\0resource
            if (fields.size() != 3 || !fields[0].empty())
                return fail("malformed-request");
            user = server_.org().find_user_by_token(fields[1]);
            resource = fields[2];
        } else if (hipchat) {
            // §5.1: \0login\0password\0resource
            if (fields.size() != 4 || !fields[0].empty())
                return fail("malformed-request");
            user = find_login(fields[1]);
            if (user != nullptr && user->password != fields[2])
                user = nullptr;
            resource = fields[3];
        } else {
            // §5.3: SASL PLAIN with the JID node
            if (auth.attr("mechanism") != "PLAIN")
                return fail("invalid-mechanism");
            if (fields.size() != 3)
                return fail("malformed-request");
            user = find_login(fields[1]);
            if (user != nullptr && user->password != fields[2])
                user = nullptr;
        }
        if (!server_.faults.fail_auth_with.empty())
            return fail(server_.faults.fail_auth_with.c_str());
        if (user == nullptr)
            return fail("not-authorized");

        user_ = user;
        if (!hipchat) {
            send("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
            sasl_restart_ = true;
            restart_ = true;
            return;
        }
        if (resource.empty())
            resource = "none";
        jid_ = server_.org().user_jid(*user) + "/" + resource;
        const auto &hosts = server_.org().hosts;
        // A fault for tests can leave the jid out (§5.5: clients must cope).
        const std::string jid_attribute =
            server_.faults.success_without_jid ? "" : " jid='" + escape(jid_) + "'";
        std::string success = "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'" + jid_attribute +
                              " api_host='" + escape(hosts.api_host) + "' chat_host='" +
                              escape(hosts.chat_host) + "' muc_host='" + escape(hosts.muc_host) +
                              "' web_host='" + escape(hosts.web_host) + "'";
        if (auth.attr("oauth2_token") == "true") {
            // §5.1: mint a token the REST API accepts.
            const std::string token = random_hex(20);
            user->tokens.push_back(token);
            success += " oauth2_token='" + token + "'";
        }
        send(success + "/>");
        live_ = true;
        if (auth.attr("restart_stream") == "true" && server_.config().offer_restart_logic)
            restart_ = true;
        if (server_.faults.drop_after == "success")
            close();
    }

    // --- IQ -------------------------------------------------------------------

    void reply(const Node &iq, const std::string &payload)
    {
        std::string out = "<iq type='result' id='" + escape(iq.attr("id")) + "'";
        if (iq.has_attr("to"))
            out += " from='" + escape(iq.attr("to")) + "'";
        if (!jid_.empty())
            out += " to='" + escape(jid_) + "'";
        send(out + (payload.empty() ? "/>" : ">" + payload + "</iq>"));
    }

    void reply_error(const Node &iq, const char *type, const char *condition)
    {
        std::string out = "<iq type='error' id='" + escape(iq.attr("id")) + "'";
        if (iq.has_attr("to"))
            out += " from='" + escape(iq.attr("to")) + "'";
        if (!jid_.empty())
            out += " to='" + escape(jid_) + "'";
        send(out + "><error type='" + type + "'><" + condition + " xmlns='" + ns_stanzas +
             "'/></error></iq>");
    }

    std::string roster_item(const User &u) const { return roster_item_xml(server_.org(), u); }

public:
    static std::string roster_item_xml(const Organisation &org, const User &u)
    {
        std::string item = "<item jid='" + escape(org.user_jid(u)) + "' name='" + escape(u.name) +
                           "' mention_name='" + escape(u.mention_name) + "' email='" +
                           escape(u.email) + "' id='" + std::to_string(u.id) + "' version='" +
                           std::to_string(u.id * 2654435761u % 100000000) + "' subscription='both'";
        if (!u.photo.empty())
            item +=
                " photo_url='https://" + escape(org.hosts.api_host) + "/" + escape(u.photo) + "'";
        if (!u.mobile.empty())
            item += " mobile='" + escape(u.mobile) + "'";
        return item + "/>";
    }

private:
    std::string room_x(const Room &r) const
    {
        const auto &org = server_.org();
        const User *owner = server_.org().find_user_by_id(r.owner);
        return "<x xmlns='http://hipchat.com/protocol/muc#room'><id>" + std::to_string(r.id) +
               "</id><name>" + escape(r.name) + "</name><topic>" + escape(r.topic) +
               "</topic><privacy>" + escape(r.privacy) + "</privacy><owner>" +
               (owner != nullptr ? escape(org.user_jid(*owner)) : "") +
               "</owner><num_participants>0</num_participants></x>";
    }

    std::string startup() const
    {
        auto &org = server_.org();
        const User &u = *user_;
        std::string q = "<query xmlns='http://hipchat.com/protocol/startup'><user_id>" +
                        std::to_string(u.id) + "</user_id><name>" + escape(u.name) +
                        "</name><mention_name>" + escape(u.mention_name) +
                        "</mention_name><email>" + escape(u.email) + "</email><title>" +
                        escape(u.title) + "</title>";
        if (!u.photo.empty())
            q += "<photo_small>https://" + escape(org.hosts.api_host) + "/" + escape(u.photo) +
                 "</photo_small><photo_large>https://" + escape(org.hosts.api_host) + "/" +
                 escape(u.photo) + "</photo_large>";
        q += std::string("<is_admin>") + (u.is_admin ? "1" : "0") +
             "</is_admin><is_guest>0</is_guest>" + "<group_id>" + std::to_string(org.group_id) +
             "</group_id><group_name>" + escape(org.group_name) +
             "</group_name><group_uri_domain>" + escape(org.group_uri_domain) +
             "</group_uri_domain>";
        const std::string token = u.tokens.empty() ? random_hex(16) : u.tokens.front();
        q += "<token expiration='" + std::to_string(g_get_real_time() / 1000000 + 3600) +
             "' ttl='3600'>" + escape(token) + "</token><preferences><autoJoin>";
        for (const auto &jid : u.auto_join) {
            if (Room *room = org.find_room_by_jid(jid))
                q += "<item jid='" + escape(jid) + "' name='" + escape(room->name) + "'>" +
                     room_x(*room) + "</item>";
            else
                q += "<item jid='" + escape(jid) + "'/>";
        }
        return q + "</autoJoin></preferences></query>";
    }

    std::string profile(const User &u) const
    {
        auto &org = server_.org();
        char offset[16];
        std::snprintf(offset, sizeof offset, "%.1f", u.utc_offset);
        std::string q = "<query xmlns='http://hipchat.com/protocol/profile'><email>" +
                        escape(u.email) + "</email><name>" + escape(u.name) +
                        "</name><mention_name>" + escape(u.mention_name) + "</mention_name>";
        if (!u.photo.empty())
            q += "<photo_large>https://" + escape(org.hosts.api_host) + "/" + escape(u.photo) +
                 "</photo_large>";
        return q + "<timezone utc_offset='" + offset + "'>" + escape(u.timezone) +
               "</timezone><title>" + escape(u.title) + "</title></query>";
    }

    void handle_iq(const Node &iq)
    {
        const std::string type = iq.attr("type");
        const std::string to = iq.attr("to");
        auto &org = server_.org();

        // Addressed to another client's full JID: route it (e.g. caps queries).
        if (to.find('/') != std::string::npos && bare(to).find('@') != std::string::npos &&
            bare(to) != bare(org.hosts.muc_host)) {
            if (Connection *target = server_.find_session(to)) {
                Node routed = iq;
                routed.attributes.erase(
                    std::remove_if(routed.attributes.begin(), routed.attributes.end(),
                                   [](const auto &a) { return a.first == "from"; }),
                    routed.attributes.end());
                routed.attributes.emplace_back("from", jid_);
                target->deliver(routed.xml(false));
            } else if (type == "get" || type == "set") {
                reply_error(iq, "cancel", "service-unavailable");
            }
            return;
        }
        if (type != "get" && type != "set")
            return;  // results and errors for the server: nothing to do
        if (server_.faults.drop_after == "iq" && live_) {
            close();
            return;
        }

        if (sasl_restart_ && !live_) {
            if (const Node *bind = iq.child("bind", ns_bind); bind != nullptr && type == "set") {
                const Node *resource = bind->child("resource");
                const std::string wanted =
                    resource != nullptr && !resource->text.empty() ? resource->text : random_hex(4);
                jid_ = org.user_jid(*user_) + "/" + wanted;
                reply(iq, "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>" + escape(jid_) +
                              "</jid></bind>");
                live_ = true;
                return;
            }
            reply_error(iq, "auth", "not-authorized");
            return;
        }

        const Node *query = iq.children.empty() ? nullptr : &iq.children.front();
        const std::string ns = query != nullptr ? query->xmlns : "";
        const std::string name = query != nullptr ? query->name : "";
        const bool to_server = to.empty() || to == org.hosts.chat_host || bare(to) == bare(jid_);

        if (!server_.faults.error_iq.empty() && ns == server_.faults.error_iq) {
            reply_error(iq, "wait", "internal-server-error");
        } else if (name == "session" && ns == ns_session) {
            reply(iq, "");
        } else if (ns == "jabber:iq:roster" && type == "get") {
            // §6.3: the whole team, self included, no groups.
            std::string items;
            for (const auto &u : org.users)
                items += roster_item(u);
            reply(iq, "<query xmlns='jabber:iq:roster'>" + items + "</query>");
        } else if (ns == "http://hipchat.com/protocol/startup" && type == "get") {
            reply(iq, startup());
        } else if (ns == "http://hipchat.com/protocol/profile" && type == "get") {
            const User *target = to.empty() ? user_ : org.find_user_by_jid(to);
            if (target == nullptr)
                reply_error(iq, "cancel", "item-not-found");
            else
                reply(iq, profile(*target));
        } else if (name == "vCard" && ns == "vcard-temp" && type == "get") {
            const User *target =
                to.empty() || bare(to) == bare(jid_) ? user_ : org.find_user_by_jid(to);
            if (target == nullptr) {
                reply_error(iq, "cancel", "item-not-found");
                return;
            }
            reply(iq, "<vCard xmlns='vcard-temp'><FN>" + escape(target->name) + "</FN><NICKNAME>" +
                          escape(target->mention_name) + "</NICKNAME><EMAIL><USERID>" +
                          escape(target->email) + "</USERID></EMAIL><TITLE>" +
                          escape(target->title) + "</TITLE></vCard>");
        } else if (ns == "http://jabber.org/protocol/disco#info" && type == "get" && to_server) {
            reply(iq,
                  "<query xmlns='http://jabber.org/protocol/disco#info'>"
                  "<identity category='server' type='im' name='HipChat'/>"
                  "<feature var='http://jabber.org/protocol/disco#info'/>"
                  "<feature var='http://jabber.org/protocol/disco#items'/>"
                  "<feature var='http://jabber.org/protocol/muc'/>"
                  "<feature var='urn:xmpp:ping'/>"
                  "<feature var='http://jabber.org/protocol/chatstates'/></query>");
        } else if (ns == "http://jabber.org/protocol/disco#items" && type == "get" && to_server) {
            reply(iq, "<query xmlns='http://jabber.org/protocol/disco#items'><item jid='" +
                          escape(org.hosts.muc_host) + "'/></query>");
        } else if (name == "ping" && ns == "urn:xmpp:ping") {
            reply(iq, "");
        } else if (ns == "http://hipchat.com/protocol/auth") {
            // §5.7: a token on get; revoked (nothing to return) on delete.
            if (type == "get")
                reply(iq, "<query xmlns='http://hipchat.com/protocol/auth'><token expiration='" +
                              std::to_string(g_get_real_time() / 1000000 + 3600) + "' ttl='3600'>" +
                              random_hex(16) + "</token></query>");
            else
                reply(iq, "");
        } else {
            // Never silence: the client may be waiting on the reply.
            reply_error(iq, "cancel", "service-unavailable");
        }
    }

    // --- Presence and messages ------------------------------------------------

    void handle_presence(const Node &presence)
    {
        if (presence.has_attr("to"))
            return;  // directed presence (rooms): not served by this emulator yet
        const std::string type = presence.attr("type");
        if (!type.empty() && type != "unavailable")
            return;  // subscriptions: the roster is server-managed (§6.3)
        Node broadcast = presence;
        broadcast.attributes.emplace_back("from", jid_);
        const bool first = !available_;
        available_ = type.empty();
        presence_ = broadcast.xml(false);
        // §10: to the whole team, and echoed to us (§10.4).
        for (Connection *other : server_.live_sessions())
            other->deliver(presence_);
        if (first && available_) {
            for (Connection *other : server_.live_sessions())
                if (other != this && other->available())
                    deliver(other->presence());
            for (const auto &simulated : server_.simulated_presences())
                deliver(simulated);
        }
    }

    void went_offline()
    {
        if (!available_ || jid_.empty())
            return;
        available_ = false;
        std::string unavailable = "<presence type='unavailable' from='" + escape(jid_) + "'>";
        if (user_ != nullptr && !user_->mobile.empty())
            unavailable += "<mobile>" + escape(user_->mobile) + "</mobile>";  // §10.3
        unavailable += "</presence>";
        for (Connection *other : server_.live_sessions())
            if (other != this)
                other->deliver(unavailable);
    }

    void handle_message(const Node &message)
    {
        auto &org = server_.org();
        User *target = org.find_user_by_jid(message.attr("to"));
        if (target == nullptr || message.attr("type") == "groupchat") {
            std::string out = "<message type='error' from='" + escape(message.attr("to")) + "'";
            if (message.has_attr("id"))
                out += " id='" + escape(message.attr("id")) + "'";
            send(out + "><error type='cancel'><service-unavailable xmlns='" + ns_stanzas +
                 "'/></error></message>");
            return;
        }
        // §8.1: delivered with mid and ts; <echo/> reflects to the sender's sessions.
        Node out = message;
        out.attributes.erase(std::remove_if(out.attributes.begin(), out.attributes.end(),
                                            [](const auto &a) { return a.first == "from"; }),
                             out.attributes.end());
        out.attributes.emplace_back("from", jid_);
        out.attributes.emplace_back("mid", new_mid());
        out.attributes.emplace_back("ts", now_ts());
        const std::string stanza = out.xml(false);
        for (Connection *session : server_.sessions_of(*target))
            session->deliver(stanza);
        const Node *x = message.child("x", ns_hipchat);
        if (x != nullptr && x->child("echo") != nullptr)
            for (Connection *session : server_.sessions_of(*user_))
                session->deliver(stanza);
    }

    XmppServer &server_;
    const std::uint64_t id_;
    GSocketConnection *socket_;
    GIOStream *stream_ = nullptr;
    GCancellable *cancellable_;
    char buffer_[16384];
    xmlParserCtxtPtr parser_ = nullptr;
    int depth_ = 0;
    std::vector<Node> stack_;
    std::size_t stanza_bytes_ = 0;
    gint64 last_activity_ = 0;

    bool tls_ = false, start_tls_ = false, restart_ = false;
    bool sasl_restart_ = false;  // authenticated by SASL, waiting for bind
    bool live_ = false;          // authenticated and bound
    bool closed_ = false;
    User *user_ = nullptr;
    std::string jid_;
    bool available_ = false;
    std::string presence_;
};

XmppServer::XmppServer(Organisation &org, GTlsCertificate *certificate, XmppConfig config)
    : org_(org), certificate_(certificate), config_(config)
{
}

XmppServer::~XmppServer()
{
    if (idle_timer_ != 0)
        g_source_remove(idle_timer_);
    if (service_ != nullptr) {
        g_socket_service_stop(service_);
        g_object_unref(service_);
    }
    connections_.clear();
}

bool XmppServer::listen(const std::string &address, guint16 port, std::string &error)
{
    service_ = g_socket_service_new();
    GInetAddress *inet = g_inet_address_new_from_string(address.c_str());
    if (inet == nullptr) {
        error = "not an IP address: " + address;
        return false;
    }
    GSocketAddress *socket_address = g_inet_socket_address_new(inet, port);
    GSocketAddress *effective = nullptr;
    GError *gerror = nullptr;
    const bool ok = g_socket_listener_add_address(G_SOCKET_LISTENER(service_), socket_address,
                                                  G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                  nullptr, &effective, &gerror);
    g_object_unref(socket_address);
    g_object_unref(inet);
    if (!ok) {
        error = gerror->message;
        g_error_free(gerror);
        return false;
    }
    port_ = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(effective));
    g_object_unref(effective);
    g_signal_connect(service_, "incoming", G_CALLBACK(on_incoming), this);
    g_socket_service_start(service_);
    idle_timer_ = g_timeout_add(250, on_idle_check, this);
    return true;
}

gboolean XmppServer::on_incoming(GSocketService *, GSocketConnection *socket, GObject *,
                                 gpointer data)
{
    auto *self = static_cast<XmppServer *>(data);
    if (self->connections_.size() >= self->config_.max_connections)
        return FALSE;  // GIO closes it
    self->connections_.push_back(
        std::make_unique<Connection>(*self, socket, self->next_connection_id_++));
    return TRUE;
}

gboolean XmppServer::on_idle_check(gpointer data)
{
    auto *self = static_cast<XmppServer *>(data);
    const gint64 limit = gint64{self->config_.idle_timeout_seconds} * G_USEC_PER_SEC;
    const gint64 now = g_get_monotonic_time();
    for (auto &connection : self->connections_)
        if (now - connection->last_activity() > limit)
            connection->close("connection-timeout");
    return G_SOURCE_CONTINUE;
}

void XmppServer::remove(Connection *connection)
{
    auto it = std::find_if(connections_.begin(), connections_.end(),
                           [&](const auto &c) { return c.get() == connection; });
    if (it != connections_.end())
        connections_.erase(it);
}

std::vector<Connection *> XmppServer::live_sessions()
{
    std::vector<Connection *> result;
    for (auto &c : connections_)
        if (c->live() && !c->jid().empty())
            result.push_back(c.get());
    return result;
}

std::vector<Connection *> XmppServer::sessions_of(const User &user)
{
    std::vector<Connection *> result;
    for (Connection *c : live_sessions())
        if (c->user() == &user)
            result.push_back(c);
    return result;
}

Connection *XmppServer::find_session(const std::string &full_jid)
{
    for (Connection *c : live_sessions())
        if (c->jid() == full_jid)
            return c;
    return nullptr;
}

void XmppServer::disconnect_all()
{
    for (auto &c : connections_)
        c->close("system-shutdown");
}

void XmppServer::record_transcript(std::uint64_t connection_id, const std::string &who,
                                   const std::string &text)
{
    auto &entry = transcripts_[connection_id];
    if (!who.empty())
        entry.who = who;
    entry.text += text;
}

bool XmppServer::simulate_presence(const std::string &user_jid, const std::string &show,
                                   const std::string &status)
{
    User *user = org_.find_user_by_jid(user_jid);
    if (user == nullptr)
        return false;
    const std::string from = org_.user_jid(*user) + "/emulator";
    std::string presence;
    if (show == "unavailable") {
        presence = "<presence type='unavailable' from='" + escape(from) + "'>";
        if (!user->mobile.empty())
            presence += "<mobile>" + escape(user->mobile) + "</mobile>";  // §10.3
        presence += "</presence>";
        simulated_presences_.erase(from);
    } else {
        // §10.1: "chat" is HipChat's Available.
        presence = "<presence from='" + escape(from) + "'><show>" +
                   escape(show.empty() ? "chat" : show) + "</show>";
        if (!status.empty())
            presence += "<status>" + escape(status) + "</status>";
        presence += "</presence>";
        simulated_presences_[from] = presence;
    }
    for (Connection *c : live_sessions())
        c->deliver(presence);
    return true;
}

bool XmppServer::simulate_message(const std::string &from_jid, const std::string &to_jid,
                                  const std::string &body)
{
    User *from = org_.find_user_by_jid(from_jid);
    User *to = org_.find_user_by_jid(to_jid);
    if (from == nullptr || to == nullptr)
        return false;
    // §8.1: a chat message with mid and ts.
    const std::string message = "<message type='chat' from='" + escape(org_.user_jid(*from)) +
                                "/emulator' to='" + escape(org_.user_jid(*to)) + "' mid='" +
                                new_mid() + "' ts='" + now_ts() + "'><body>" + escape(body) +
                                "</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
                                "</message>";
    for (Connection *c : sessions_of(*to))
        c->deliver(message);
    return true;
}

void XmppServer::push_roster(const User &user, bool removed)
{
    const std::string item =
        removed ? "<item jid='" + escape(org_.user_jid(user)) + "' subscription='remove'/>"
                : Connection::roster_item_xml(org_, user);
    for (Connection *c : live_sessions())
        c->deliver("<iq type='set' id='push" + random_hex(4) + "' to='" + escape(c->jid()) +
                   "'><query xmlns='jabber:iq:roster' ver='" + random_hex(4) + "'>" + item +
                   "</query></iq>");
}

std::vector<std::string> XmppServer::simulated_presences() const
{
    std::vector<std::string> result;
    for (const auto &[jid, presence] : simulated_presences_)
        result.push_back(presence);
    return result;
}

std::string XmppServer::status_json() const
{
    std::string out = "{\"sessions\":[";
    bool first = true;
    for (const auto &c : connections_) {
        if (!c->live() || c->jid().empty())
            continue;
        out += std::string(first ? "" : ",") + "{\"user\":" + json_string(c->user()->email) +
               ",\"jid\":" + json_string(c->jid()) +
               ",\"available\":" + (c->available() ? "true" : "false") + "}";
        first = false;
    }
    return out + "]}";
}

std::string XmppServer::transcript_json() const
{
    std::string out = "{\"connections\":[";
    bool first = true;
    for (const auto &[id, t] : transcripts_) {
        out += std::string(first ? "" : ",") + "{\"id\":" + std::to_string(id) +
               ",\"user\":" + json_string(t.who) + ",\"received\":" + json_string(t.text) + "}";
        first = false;
    }
    return out + "]}";
}

}  // namespace hipchat::emulator
