#include "xmpp-server.hpp"

#include "core/auth.hpp"
#include "core/element-xml.hpp"
#include "core/element.hpp"
#include "core/files.hpp"
#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"
#include "core/xml-escape.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <deque>

namespace hipchat::emulator {

namespace {

using core::xml_escape;

// ` xmlns='NS'`, for the stanzas we write.
std::string xmlns(const char *uri)
{
    return std::string(" xmlns='") + uri + "'";
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

// Our side's <stream:stream> (RFC 6120 §4.7), from the chat host.
std::string stream_header(const std::string &chat_host)
{
    return "<?xml version='1.0'?><stream:stream" + xmlns(ns::client) + " xmlns:stream='" +
           ns::streams + "' from='" + xml_escape(chat_host) + "' id='" + random_hex(8) +
           "' version='1.0'>";
}

std::string new_mid()
{
    const std::string h = random_hex(16);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20, 12);
}

std::string ts_text(double ts)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", ts);
    return buf;
}

// §9 `before`: "YYYY-MM-DDTHH:MM:SSZ 068233" (the official client) or a plain
// XEP-0082 instant; returns a Unix time, or a negative value when unreadable.
double parse_before(std::string_view text)
{
    const auto space = text.find(' ');
    const auto instant = core::parse_xmpp_stamp(text.substr(0, space));
    if (!instant)
        return -1;
    double result = static_cast<double>(*instant);
    if (space != std::string_view::npos)
        result += g_ascii_strtod(std::string(text.substr(space + 1)).c_str(), nullptr) / 1e6;
    return result;
}

// §8.4: an HTML notification's XHTML-IM copy. The HTML need not be XML
// (`<br>`), so it goes through libxml2's HTML parser and comes out as XML;
// empty when nothing is left.
std::string xhtml_of(const std::string &html)
{
    const std::string page = "<html><body>" + html + "</body></html>";
    htmlDocPtr doc = htmlReadMemory(page.data(), static_cast<int>(page.size()), nullptr, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    xmlNodePtr body = nullptr;
    if (doc != nullptr && xmlDocGetRootElement(doc) != nullptr)
        for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n != nullptr; n = n->next)
            if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST "body") == 0)
                body = n;
    std::string out;
    if (body != nullptr) {
        xmlBufferPtr buffer = xmlBufferCreate();
        xmlSaveCtxtPtr save = xmlSaveToBuffer(buffer, "UTF-8", XML_SAVE_AS_XML | XML_SAVE_NO_DECL);
        for (xmlNodePtr n = body->children; n != nullptr; n = n->next)
            xmlSaveTree(save, n);
        xmlSaveClose(save);
        out.assign(reinterpret_cast<const char *>(xmlBufferContent(buffer)),
                   static_cast<std::size_t>(xmlBufferLength(buffer)));
        xmlBufferFree(buffer);
    }
    if (doc != nullptr)
        xmlFreeDoc(doc);
    return out;
}


}  // namespace

class Connection {
public:
    // `direct_tls`: the §4.1 legacy port, TLS before any XML.
    Connection(XmppServer &server, GSocketConnection *socket, std::uint64_t id, bool direct_tls)
        : server_(server),
          id_(id),
          socket_(G_SOCKET_CONNECTION(g_object_ref(socket))),
          cancellable_(g_cancellable_new())
    {
        stream_ = G_IO_STREAM(g_object_ref(socket_));
        last_activity_ = g_get_monotonic_time();
        new_parser();
        if (direct_tls)
            begin_tls();
        else
            read_more();
    }

    ~Connection()
    {
        if (outbox_timer_ != 0)
            g_source_remove(outbox_timer_);
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
        const int delay = server_.faults.delay_ms;
        if (delay > 0 || !outbox_.empty()) {
            // Fault "delay_ms": hold the bytes, in order (docs/emulator.md).
            outbox_.push_back({g_get_monotonic_time() + gint64{delay} * 1000, text});
            schedule_outbox();
            return;
        }
        write_now(text);
    }

    // Closes the stream politely and schedules our removal.
    void close(const std::string &stream_error = {})
    {
        if (closed_)
            return;
        if (!stream_error.empty() && !header_sent_)
            // RFC 6120 §4.9.1.1: an error before our stream header still opens a stream.
            send_header();
        if (!stream_error.empty())
            send("<stream:error><" + stream_error +
                 xmlns(ns::stream_errors) + "/></stream:error>");
        send("</stream:stream>");
        flush_outbox();
        if (closed_)
            return;  // the peer was gone: abort() did the rest
        closed_ = true;
        server_.leave_rooms(this);
        went_offline();
        g_cancellable_cancel(cancellable_);
        schedule_removal();
    }

    // Closes at once, without a word (fault "now").
    void drop() { abort(); }

    // Presence broadcast from another session (§10).
    void deliver(const std::string &stanza) { send(stanza); }

private:
    // Removal from the main loop, by id: idempotent, and harmless when an
    // earlier path already removed us.
    void schedule_removal()
    {
        struct Ticket {
            XmppServer *server;
            std::uint64_t id;
        };
        g_idle_add_full(
            G_PRIORITY_DEFAULT_IDLE,
            [](gpointer data) -> gboolean {
                auto *ticket = static_cast<Ticket *>(data);
                ticket->server->remove_id(ticket->id);
                return G_SOURCE_REMOVE;
            },
            new Ticket{&server_, id_}, [](gpointer data) { delete static_cast<Ticket *>(data); });
    }

    void write_now(const std::string &text)
    {
        GOutputStream *out = g_io_stream_get_output_stream(stream_);
        if (!g_output_stream_write_all(out, text.data(), text.size(), nullptr, nullptr, nullptr))
            abort();
    }

    // The peer is gone while we were writing, perhaps inside a loop over the
    // sessions: stop now, but leave the removal to the main loop.
    void abort()
    {
        if (closed_)
            return;
        outbox_.clear();
        closed_ = true;
        server_.leave_rooms(this);
        went_offline();
        g_cancellable_cancel(cancellable_);
        schedule_removal();
    }

    void schedule_outbox()
    {
        if (outbox_timer_ != 0 || outbox_.empty())
            return;
        const gint64 wait = std::max<gint64>(0, outbox_.front().first - g_get_monotonic_time());
        outbox_timer_ = g_timeout_add(
            static_cast<guint>(wait / 1000),
            [](gpointer data) -> gboolean {
                auto *self = static_cast<Connection *>(data);
                self->outbox_timer_ = 0;
                const gint64 now = g_get_monotonic_time();
                while (!self->outbox_.empty() && self->outbox_.front().first <= now &&
                       !self->closed_) {
                    const std::string text = std::move(self->outbox_.front().second);
                    self->outbox_.pop_front();
                    self->write_now(text);
                }
                self->schedule_outbox();
                return G_SOURCE_REMOVE;
            },
            this);
    }

    void flush_outbox()
    {
        while (!outbox_.empty() && !closed_) {
            const std::string text = std::move(outbox_.front().second);
            outbox_.pop_front();
            write_now(text);
        }
        outbox_.clear();
    }

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
        fed_ = 0;
        boundary_ = 0;
        header_sent_ = false;  // a new parser is a new stream, on both sides
    }

    // Where the parser is in this stream's bytes: the stanza bound counts from
    // the last point between stanzas.
    void mark_boundary() { boundary_ = static_cast<std::size_t>(xmlByteConsumed(parser_)); }

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
        server_.leave_rooms(this);
        went_offline();
        server_.remove(this);
    }

    void received(const char *data, std::size_t size)
    {
        last_activity_ = g_get_monotonic_time();
        const std::string text(data, size);
        server_.record_transcript(id_, user_ != nullptr ? user_->email : "", text);
        fed_ += size;
        if (xmlParseChunk(parser_, data, static_cast<int>(size), 0) != 0 && !closed_) {
            close("not-well-formed");  // RFC 6120 §4.9.3.13
            return;
        }
        if (closed_)
            return;
        // Everything since the last point between stanzas, parsed or still
        // buffered, is one stanza (or its start tag): bounded (RFC 6120
        // §4.9.3.14 names the size limit as a policy-violation).
        if (fed_ - boundary_ > server_.config().max_stanza_bytes) {
            close("policy-violation");
            return;
        }
        if (start_tls_) {
            start_tls_ = false;
            flush_outbox();  // <proceed/> goes out in clear, before the handshake
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
        core::Element node;
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
            if (!self->closed_)
                self->mark_boundary();
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
        core::Element node = std::move(self->stack_.back());
        self->stack_.pop_back();
        if (!self->stack_.empty()) {
            self->stack_.back().children.push_back(std::move(node));
            return;
        }
        if (!self->closed_) {
            self->mark_boundary();
            self->handle(node);
        }
    }

    static void on_characters(void *ctx, const xmlChar *text, int length)
    {
        auto *self = static_cast<Connection *>(ctx);
        if (!self->stack_.empty())
            self->stack_.back().text.append(reinterpret_cast<const char *>(text), length);
        else if (self->depth_ == 1 && !self->closed_)
            self->mark_boundary();  // whitespace between stanzas is a keepalive (§4.3)
    }

    // --- Stream ---------------------------------------------------------------

    void send_header()
    {
        header_sent_ = true;
        send(stream_header(server_.org().hosts.chat_host));
    }

public:
    // The whole answer to a connection past --max-connections (RFC 6120
    // §4.9.3.16 resource-constraint), before reading anything.
    static std::string refusal(const std::string &chat_host)
    {
        return stream_header(chat_host) + "<stream:error><resource-constraint" +
               xmlns(ns::stream_errors) + "/></stream:error></stream:stream>";
    }

private:
    void stream_opened(const core::Element &)
    {
        send_header();
        const auto &config = server_.config();
        if (!tls_ && config.offer_starttls) {
            send(
                "<stream:features><starttls" + xmlns(ns::tls) + "><required/>"
                "</starttls></stream:features>");
            return;
        }
        if (sasl_restart_) {
            // After SASL PLAIN: the standard bind and session (§5.3).
            send(
                "<stream:features><bind" + xmlns(ns::bind) + "/>"
                "<session" + xmlns(ns::session) + "/></stream:features>");
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
            "<stream:features><auth" + xmlns(ns::iq_auth_feature) + "/>";
        if (config.offer_hipchat_auth)
            features += "<auth" + xmlns(ns::hipchat) + "/>";
        features +=
            "<mechanisms" + xmlns(ns::sasl) + "><mechanism>PLAIN</mechanism>"
            "<mechanism>X-HIPCHAT-OAUTH2</mechanism></mechanisms>";
        if (config.offer_hipchat_auth && config.offer_restart_logic)
            features += "<authrestartlogic" + xmlns(ns::hipchat) + "/>";
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

    void handle(const core::Element &stanza)
    {
        if (stanza.name == "starttls" && stanza.xmlns == ns::tls && !tls_) {
            send("<proceed" + xmlns(ns::tls) + "/>");
            start_tls_ = true;
            return;
        }
        if (!tls_ && server_.config().offer_starttls) {
            close("policy-violation");  // STARTTLS is required (§4.1)
            return;
        }
        if (!live_ && !sasl_restart_) {
            if (stanza.name == "auth" && (stanza.xmlns == ns::hipchat || stanza.xmlns == ns::sasl))
                authenticate(stanza);
            else if (stanza.name == "iq" && stanza.child("query", ns::iq_auth) != nullptr)
                iq_auth(stanza);
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

    User *find_login(const std::string &login)
    {
        auto &org = server_.org();
        User *user = org.find_user_by_email(login);
        if (user == nullptr) {
            // A Jabber ID or its node also names the user ([INFERRED] §5.1).
            const std::string jid = login.find('@') == std::string::npos
                                        ? login + "@" + org.hosts.chat_host
                                        : core::bare_jid(login);
            user = org.find_user_by_jid(jid);
        }
        return user != nullptr && !user->departed ? user : nullptr;  // §6.3: left the team
    }

    void fail(const char *condition)
    {
        send(std::string("<failure" + xmlns(ns::sasl) + "><") + condition +
             "/></failure>");
        close();
    }

    void authenticate(const core::Element &auth)
    {
        if (server_.faults.drop_after == "auth") {
            close();
            return;
        }
        const auto fields = core::auth_payload_fields(auth.text);
        User *user = nullptr;
        std::string resource;
        bool hipchat = auth.xmlns == ns::hipchat;
        if (hipchat && auth.attribute("mechanism") == "oauth2") {
            // §5.2: \0token\0resource
            if (fields.size() != 3 || !fields[0].empty())
                return fail("malformed-request");
            user = server_.org().find_user_by_token(fields[1]);
            if (user != nullptr && user->departed)
                user = nullptr;
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
            if (auth.attribute("mechanism") != "PLAIN")
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
        server_.record_transcript(id_, user->email, "");
        if (!hipchat) {
            send("<success" + xmlns(ns::sasl) + "/>");
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
            server_.faults.success_without_jid ? "" : " jid='" + xml_escape(jid_) + "'";
        std::string success = "<success" + xmlns(ns::sasl) + jid_attribute +
                              " api_host='" + xml_escape(hosts.api_host) + "' chat_host='" +
                              xml_escape(hosts.chat_host) + "' muc_host='" + xml_escape(hosts.muc_host) +
                              "' web_host='" + xml_escape(hosts.web_host) + "'";
        if (auth.attribute("oauth2_token") == "true") {
            // §5.1: mint a token the REST API accepts.
            const std::string token = random_hex(20);
            user->tokens.push_back(token);
            success += " oauth2_token='" + token + "'";
        }
        send(success + "/>");
        live_ = true;
        if (auth.attribute("restart_stream") == "true" && server_.config().offer_restart_logic)
            restart_ = true;
        if (server_.faults.drop_after == "success")
            close();
    }

    // §5.4: legacy iq-auth (XEP-0078), advertised in §4.2's features.
    void iq_auth(const core::Element &iq)
    {
        const core::Element &query = *iq.child("query", ns::iq_auth);
        if (iq.attribute("type") == "get") {
            reply(iq, "<query" + xmlns(ns::iq_auth) + "><username/><password/><resource/></query>");
            return;
        }
        if (iq.attribute("type") != "set")
            return;
        const core::Element *username = query.child("username");
        const core::Element *password = query.child("password");
        const core::Element *resource = query.child("resource");
        if (username == nullptr || password == nullptr || resource == nullptr ||
            resource->text.empty()) {
            reply_error(iq, "modify", "not-acceptable");  // XEP-0078 §3.1 (406)
            return;
        }
        User *user = find_login(username->text);
        if (user == nullptr || user->password != password->text) {
            reply_error(iq, "auth", "not-authorized");  // XEP-0078 §3.1 (401)
            return;
        }
        user_ = user;
        server_.record_transcript(id_, user->email, "");
        jid_ = server_.org().user_jid(*user) + "/" + resource->text;
        live_ = true;
        reply(iq, "");
    }

    // --- IQ -------------------------------------------------------------------

    void reply(const core::Element &iq, const std::string &payload)
    {
        std::string out = "<iq type='result' id='" + xml_escape(iq.attribute("id")) + "'";
        if (iq.has_attribute("to"))
            out += " from='" + xml_escape(iq.attribute("to")) + "'";
        if (!jid_.empty())
            out += " to='" + xml_escape(jid_) + "'";
        send(out + (payload.empty() ? "/>" : ">" + payload + "</iq>"));
    }

    void reply_error(const core::Element &iq, const char *type, const char *condition)
    {
        std::string out = "<iq type='error' id='" + xml_escape(iq.attribute("id")) + "'";
        if (iq.has_attribute("to"))
            out += " from='" + xml_escape(iq.attribute("to")) + "'";
        if (!jid_.empty())
            out += " to='" + xml_escape(jid_) + "'";
        send(out + "><error type='" + type + "'><" + condition + xmlns(ns::stanzas) +
             "/></error></iq>");
    }

    std::string roster_item(const User &u) const { return roster_item_xml(server_.org(), u); }

public:
    static std::string roster_item_xml(const Organisation &org, const User &u)
    {
        std::string item = "<item jid='" + xml_escape(org.user_jid(u)) + "' name='" + xml_escape(u.name) +
                           "' mention_name='" + xml_escape(u.mention_name) + "' email='" +
                           xml_escape(u.email) + "' id='" + std::to_string(u.id) + "' version='" +
                           std::to_string(u.id * 2654435761u % 100000000) + "' subscription='both'";
        if (!u.photo.empty())
            item +=
                " photo_url='https://" + xml_escape(org.hosts.api_host) + "/" + xml_escape(u.photo) + "'";
        if (!u.mobile.empty())
            item += " mobile='" + xml_escape(u.mobile) + "'";
        return item + "/>";
    }

private:
    std::string room_x(const Room &r) const { return room_x_xml(server_, r); }

public:
    // The HipChat room fields of §7.1/§7.2 (x in disco, startup autoJoin).
    static std::string room_x_xml(XmppServer &server, const Room &r, bool with_name = true)
    {
        const auto &org = server.org();
        const User *owner = server.org().find_user_by_id(r.owner);
        std::string x = "<x" + xmlns(ns::muc_room) + "><id>" +
                        std::to_string(r.id) + "</id>";
        if (with_name)
            x += "<name>" + xml_escape(r.name) + "</name>";
        x += "<topic>" + xml_escape(r.topic) + "</topic><privacy>" + xml_escape(r.privacy) +
             "</privacy><owner>" + (owner != nullptr ? xml_escape(org.user_jid(*owner)) : "") +
             "</owner><num_participants>" + std::to_string(server.participants(r)) +
             "</num_participants>";
        x += r.guest_url.empty() ? "<guest_url/>" : "<guest_url>" + xml_escape(r.guest_url) + "</guest_url>";
        x += "<version>" + xml_escape(r.version) + "</version><last_active>" +
             std::to_string(r.last_active) + "</last_active>";
        if (r.archived)
            x += "<is_archived/>";
        return x + "</x>";
    }

    // Public rooms, and private ones the user owns or belongs to ([INFERRED] §7.1).
    static bool may_see(const Room &r, const User &u)
    {
        return r.privacy != "private" || r.owner == u.id ||
               std::find(r.members.begin(), r.members.end(), u.id) != r.members.end();
    }

    // A groupchat message from the history, as on join backlog and §9 results:
    // <delay stamp from_jid>, mid, ts and no id (§8.2, §8.3).
    static std::string history_message(XmppServer &server, const Room &room,
                                       const HistoryMessage &m, const std::string &to)
    {
        const std::string room_jid = server.org().room_jid(room);
        std::string out = "<message type='groupchat' from='" + xml_escape(room_jid + "/" + m.from_name) +
                          "' to='" + xml_escape(to) + "' mid='" + xml_escape(m.mid) + "' ts='" +
                          ts_text(m.ts) + "'";
        if (!m.from_jid.empty())
            out += " from_jid='" + xml_escape(m.from_jid) + "'";
        out += "><body>" + xml_escape(m.body) + "</body>" + notification_payload(m);
        out += "<delay" + xmlns(ns::delay) + " stamp='" + core::format_xmpp_stamp(static_cast<std::int64_t>(m.ts)) + "' from_jid='" +
               xml_escape(m.from_jid.empty() ? room_jid : m.from_jid) + "' from='" + xml_escape(room_jid) +
               "'/></message>";
        return out;
    }

    // §8.4: the HipChat x of an integration notification (with its card and
    // sender when it has them) and, for HTML, the XHTML-IM body; nothing for
    // an ordinary message.
    static std::string notification_payload(const HistoryMessage &m)
    {
        if (m.notification_type.empty())
            return {};
        const std::string format = m.message_format.empty() ? "html" : m.message_format;
        std::string out = "<x" + xmlns(ns::muc_room) + "><type>" +
                          xml_escape(m.notification_type) + "</type><notify>" + (m.notify ? "1" : "0") +
                          "</notify><color>" + xml_escape(m.color.empty() ? "yellow" : m.color) +
                          "</color><message_format>" + xml_escape(format) + "</message_format>";
        if (!m.card.empty())
            out += "<card>" + xml_escape(m.card) + "</card>";
        if (!m.sender_type.empty())
            out += "<notification_sender type='" + xml_escape(m.sender_type) + "' id='" +
                   xml_escape(m.sender_id) + "'/>";
        out += "</x>";
        if (format == "html")
            if (const std::string xhtml = xhtml_of(m.body); !xhtml.empty())
                out +=
                    "<html" + xmlns(ns::xhtml_im) + "><body" + xmlns(ns::xhtml) + ">" +
                    xhtml + "</body></html>";
        return out;
    }

private:
    std::string startup() const
    {
        auto &org = server_.org();
        const User &u = *user_;
        std::string q = "<query" + xmlns(ns::startup) + "><user_id>" +
                        std::to_string(u.id) + "</user_id><name>" + xml_escape(u.name) +
                        "</name><mention_name>" + xml_escape(u.mention_name) +
                        "</mention_name><email>" + xml_escape(u.email) + "</email><title>" +
                        xml_escape(u.title) + "</title>";
        if (!u.photo.empty())
            q += "<photo_small>https://" + xml_escape(org.hosts.api_host) + "/" + xml_escape(u.photo) +
                 "</photo_small><photo_large>https://" + xml_escape(org.hosts.api_host) + "/" +
                 xml_escape(u.photo) + "</photo_large>";
        q += std::string("<is_admin>") + (u.is_admin ? "1" : "0") +
             "</is_admin><is_guest>0</is_guest>" + "<group_id>" + std::to_string(org.group_id) +
             "</group_id><group_name>" + xml_escape(org.group_name) +
             "</group_name><group_uri_domain>" + xml_escape(org.group_uri_domain) +
             "</group_uri_domain>";
        const std::string token = u.tokens.empty() ? random_hex(16) : u.tokens.front();
        q += "<token expiration='" + std::to_string(g_get_real_time() / 1000000 + 3600) +
             "' ttl='3600'>" + xml_escape(token) + "</token><preferences><autoJoin>";
        for (const auto &jid : u.auto_join) {
            if (Room *room = org.find_room_by_jid(jid))
                q += "<item jid='" + xml_escape(jid) + "' name='" + xml_escape(room->name) + "'>" +
                     room_x(*room) + "</item>";
            else
                q += "<item jid='" + xml_escape(jid) + "'/>";
        }
        return q + "</autoJoin></preferences></query>";
    }

    std::string profile(const User &u) const
    {
        auto &org = server_.org();
        char offset[16];
        std::snprintf(offset, sizeof offset, "%.1f", u.utc_offset);
        std::string q = "<query" + xmlns(ns::profile) + "><email>" +
                        xml_escape(u.email) + "</email><name>" + xml_escape(u.name) +
                        "</name><mention_name>" + xml_escape(u.mention_name) + "</mention_name>";
        if (!u.photo.empty())
            q += "<photo_large>https://" + xml_escape(org.hosts.api_host) + "/" + xml_escape(u.photo) +
                 "</photo_large>";
        return q + "<timezone utc_offset='" + offset + "'>" + xml_escape(u.timezone) +
               "</timezone><title>" + xml_escape(u.title) + "</title></query>";
    }

    // §7.1: rooms we may see, archived ones only on include_archived='true'
    // (ignore_archived='true' is the web client's way of saying no); XEP-0059
    // pages with <set> on all but the last page, <after> a room JID or name;
    // with --disco-page-size 0 no paging at all.
    std::string room_list(const core::Element &query)
    {
        auto &org = server_.org();
        const bool archived =
            query.attribute("include_archived") == "true" && query.attribute("ignore_archived") != "true";
        std::vector<const Room *> visible;
        for (const auto &r : org.rooms)
            if (may_see(r, *user_) && (archived || !r.archived))
                visible.push_back(&r);
        const std::size_t page_size = server_.config().disco_page_size;
        std::size_t start = 0, max = page_size > 0 ? page_size : visible.size();
        if (const core::Element *set =
                page_size > 0 ? query.child("set", ns::rsm) : nullptr) {
            if (const core::Element *m = set->child("max"))
                max = static_cast<std::size_t>(std::clamp(std::atoi(m->text.c_str()), 1, 1000));
            if (const core::Element *after = set->child("after")) {
                for (std::size_t i = 0; i < visible.size(); ++i)
                    if (org.room_jid(*visible[i]) == after->text || visible[i]->name == after->text)
                        start = i + 1;
            }
        }
        std::string q = "<query" + xmlns(ns::disco_items) + ">";
        const std::size_t end = std::min(visible.size(), start + max);
        for (std::size_t i = start; i < end; ++i)
            q += "<item jid='" + xml_escape(org.room_jid(*visible[i])) + "' name='" +
                 xml_escape(visible[i]->name) + "'>" + room_x_xml(server_, *visible[i]) + "</item>";
        if (end < visible.size())
            q += "<set" + xmlns(ns::rsm) + "><first index='" +
                 std::to_string(start) + "'>" + xml_escape(org.room_jid(*visible[start])) +
                 "</first><last>" + xml_escape(org.room_jid(*visible[end - 1])) + "</last><count>" +
                 std::to_string(visible.size()) + "</count></set>";
        return q + "</query>";
    }

    std::string emoticons() const
    {
        const auto &org = server_.org();
        return emoticons_query(org, org.emoticons);
    }

public:
    // §12.1: the emoticons query with `items`, under the current ver.
    static std::string emoticons_query(const Organisation &org, const std::vector<Emoticon> &items)
    {
        std::string q = "<query" + xmlns(ns::emoticons) + " ver='" +
                        xml_escape(org.emoticons_ver) + "'><path_prefix>https://" +
                        xml_escape(org.hosts.api_host) + "/emoticons</path_prefix>";
        for (const auto &e : items)
            q += "<item><id>" + std::to_string(e.id) + "</id><path>" + xml_escape(e.path) +
                 "</path><shortcut>" + xml_escape(e.shortcut) + "</shortcut><w>" +
                 std::to_string(e.width) + "</w><h>" + std::to_string(e.height) + "</h><type>" +
                 xml_escape(e.type) + "</type></item>";
        return q + "</query>";
    }

private:
    std::string entity_hash(const std::string &ns) const
    {
        const auto &org = server_.org();
        std::string all;
        if (ns == ns::users_hash)
            for (const auto &u : org.users)
                all += std::to_string(u.id) + ":" + u.name + ":" + u.mention_name + ";";
        else
            for (const auto &r : org.rooms)
                all += std::to_string(r.id) + ":" + r.name + ":" + r.topic + ";";
        gchar *md5 = g_compute_checksum_for_string(G_CHECKSUM_MD5, all.c_str(), -1);
        std::string out = md5;
        g_free(md5);
        return out;
    }

    // §9: the page as ordinary messages, oldest first, then the empty result.
    void history(const core::Element &iq, const core::Element &query)
    {
        auto &org = server_.org();
        const std::string to = core::bare_jid(iq.attribute("to"));
        const int max_attr = query.has_attribute("maxstanzas") ? std::atoi(std::string(query.attribute("maxstanzas")).c_str()) : 50;
        const std::size_t max = static_cast<std::size_t>(std::clamp(max_attr, 0, 1000));
        double before = 1e18;
        if (query.has_attribute("before")) {
            before = parse_before(query.attribute("before"));
            if (before < 0) {
                reply_error(iq, "modify", "bad-request");
                return;
            }
        }
        if (Room *room = org.find_room_by_jid(to)) {
            if (!may_see(*room, *user_)) {
                reply_error(iq, "auth", "forbidden");
                return;
            }
            std::vector<const HistoryMessage *> page;
            for (const auto &m : room->history)
                if (m.ts < before)
                    page.push_back(&m);
            for (std::size_t i = page.size() - std::min(max, page.size()); i < page.size(); ++i)
                deliver(history_message(server_, *room, *page[i], jid_));
            reply(iq, "");
            return;
        }
        User *other = org.find_user_by_jid(to);
        if (other == nullptr) {
            reply_error(iq, "cancel", "item-not-found");
            return;
        }
        std::vector<const HistoryMessage *> page;
        for (const auto &h : org.private_history)
            if ((h.a == user_->id && h.b == other->id) || (h.a == other->id && h.b == user_->id))
                for (const auto &m : h.messages)
                    if (m.ts < before)
                        page.push_back(&m);
        for (std::size_t i = page.size() - std::min(max, page.size()); i < page.size(); ++i) {
            const HistoryMessage &m = *page[i];
            deliver("<message type='chat' from='" + xml_escape(m.from_jid) + "' to='" + xml_escape(jid_) +
                    "' mid='" + xml_escape(m.mid) + "' ts='" + ts_text(m.ts) + "'><body>" +
                    xml_escape(m.body) + "</body><delay" + xmlns(ns::delay) + " stamp='" +
                    core::format_xmpp_stamp(static_cast<std::int64_t>(m.ts)) + "' from_jid='" + xml_escape(m.from_jid) + "'/></message>");
        }
        reply(iq, "");
    }

    void handle_iq(const core::Element &iq)
    {
        const std::string type(iq.attribute("type"));
        const std::string to(iq.attribute("to"));
        auto &org = server_.org();

        // Addressed to another client's full JID: route it (e.g. caps queries).
        if (to.find('/') != std::string::npos && core::bare_jid(to).find('@') != std::string::npos &&
            core::bare_jid(to) != core::bare_jid(org.hosts.muc_host)) {
            if (Connection *target = server_.find_session(to)) {
                core::Element routed = iq;
                routed.attributes.erase(
                    std::remove_if(routed.attributes.begin(), routed.attributes.end(),
                                   [](const auto &a) { return a.first == "from"; }),
                    routed.attributes.end());
                routed.attributes.emplace_back("from", jid_);
                target->deliver(core::to_xml(routed, ns::client));
            } else if (type == "get" || type == "set") {
                reply_error(iq, "cancel", "service-unavailable");
            }
            return;
        }
        if (type != "get" && type != "set")
            return;  // results and errors for the server: nothing to do
        if (live_) {
            ++iqs_after_login_;
            const std::string &drop = server_.faults.drop_after;
            if ((drop == "iq" && iqs_after_login_ == 1) ||
                (drop.rfind("iq:", 0) == 0 &&
                 std::atoi(drop.c_str() + 3) == iqs_after_login_)) {
                close();
                return;
            }
        }

        if (sasl_restart_ && !live_) {
            if (const core::Element *bind = iq.child("bind", ns::bind); bind != nullptr && type == "set") {
                const core::Element *resource = bind->child("resource");
                const std::string wanted =
                    resource != nullptr && !resource->text.empty() ? resource->text : random_hex(4);
                jid_ = org.user_jid(*user_) + "/" + wanted;
                reply(iq, "<bind" + xmlns(ns::bind) + "><jid>" + xml_escape(jid_) +
                              "</jid></bind>");
                live_ = true;
                return;
            }
            reply_error(iq, "auth", "not-authorized");
            return;
        }

        const core::Element *query = iq.children.empty() ? nullptr : &iq.children.front();
        const std::string ns = query != nullptr ? query->xmlns : "";
        const std::string name = query != nullptr ? query->name : "";
        const bool to_server = to.empty() || to == org.hosts.chat_host || core::bare_jid(to) == core::bare_jid(jid_);

        const Faults &faults = server_.faults;
        if (!faults.ignore_iq.empty() && ns == faults.ignore_iq)
            return;  // fault ignore_iq: silence, as a server that lost the request
        if (!faults.reply_iq.xmlns.empty() && ns == faults.reply_iq.xmlns) {
            reply(iq, faults.reply_iq.payload);
        } else if (!faults.error_iq.empty() && ns == faults.error_iq) {
            reply_error(iq, "wait", "internal-server-error");
        } else if (name == "session" && ns == ns::session) {
            reply(iq, "");
        } else if (ns == ns::roster && type == "get") {
            // §6.3: the whole team, self included, no groups.
            std::string items;
            for (const auto &u : org.users)
                if (!u.departed)
                    items += roster_item(u);
            reply(iq, "<query" + xmlns(ns::roster) + ">" + items + "</query>");
        } else if (ns == ns::startup && type == "get") {
            reply(iq, startup());
        } else if (ns == ns::profile && type == "get") {
            const User *target = to.empty() ? user_ : org.find_user_by_jid(to);
            if (target == nullptr)
                reply_error(iq, "cancel", "item-not-found");
            else
                reply(iq, profile(*target));
        } else if (name == "vCard" && ns == ns::vcard && type == "get") {
            const User *target =
                to.empty() || core::bare_jid(to) == core::bare_jid(jid_) ? user_ : org.find_user_by_jid(to);
            if (target == nullptr) {
                reply_error(iq, "cancel", "item-not-found");
                return;
            }
            reply(iq, "<vCard" + xmlns(ns::vcard) + "><FN>" + xml_escape(target->name) + "</FN><NICKNAME>" +
                          xml_escape(target->mention_name) + "</NICKNAME><EMAIL><USERID>" +
                          xml_escape(target->email) + "</USERID></EMAIL><TITLE>" +
                          xml_escape(target->title) + "</TITLE></vCard>");
        } else if (type == "get" && core::bare_jid(to) == org.hosts.muc_host &&
                   ns == ns::disco_items) {
            reply(iq, room_list(*query));
        } else if (type == "get" && core::bare_jid(to) == org.hosts.muc_host &&
                   ns == ns::disco_info) {
            // The conference service (XEP-0045 §6.1), so XMPP clients find it from the
            // server's disco#items (§7.1).
            reply(iq,
                  "<query" + xmlns(ns::disco_info) + ">"
                  "<identity category='conference' type='text' name='Rooms'/>"
                  "<feature var='http://jabber.org/protocol/muc'/></query>");
        } else if (Room *room = org.find_room_by_jid(core::bare_jid(to));
                   room != nullptr && type == "get" &&
                   ns == ns::disco_info) {
            // §7.2
            if (!may_see(*room, *user_)) {
                reply_error(iq, "cancel", "item-not-found");
                return;
            }
            std::string q = "<query" + xmlns(ns::disco_info) + ">"
                            "<identity category='conference' type='text' name='" +
                            xml_escape(room->name) +
                            "'/><feature var='http://jabber.org/protocol/muc'/>";
            if (room->privacy == "private")
                q += "<feature var='muc_membersonly'/>";
            reply(iq, q + room_x_xml(server_, *room, false) + "</query>");
        } else if (ns == ns::emoticons && type == "get") {
            // §12.1: an empty result when the client's ver is current.
            if (query->attribute("ver") == org.emoticons_ver)
                reply(iq, "");
            else
                reply(iq, emoticons());
        } else if ((ns == ns::users_hash ||
                    ns == ns::rooms_hash) &&
                   type == "get") {
            // §6.3 entity versioning: any stable string will do.
            reply(iq, "<query" + xmlns(ns.c_str()) + ">" + entity_hash(ns) + "</query>");
        } else if (ns == ns::presence ||
                   ns == ns::device) {
            // §10.5 presence filter and §10.3 device registration: accepted, not acted on.
            reply(iq, "");
        } else if (Room *room = org.find_room_by_jid(core::bare_jid(to));
                   room != nullptr && type == "set" &&
                   (ns == ns::hipchat || ns == ns::muc_owner)) {
            room_admin(iq, *room);
        } else if (ns == ns::history && type == "get") {
            history(iq, *query);
        } else if (ns == ns::disco_info && type == "get" && to_server) {
            reply(iq,
                  "<query" + xmlns(ns::disco_info) + ">"
                  "<identity category='server' type='im' name='HipChat'/>"
                  "<feature var='http://jabber.org/protocol/disco#info'/>"
                  "<feature var='http://jabber.org/protocol/disco#items'/>"
                  "<feature var='http://jabber.org/protocol/muc'/>"
                  "<feature var='urn:xmpp:ping'/>"
                  "<feature var='http://jabber.org/protocol/chatstates'/></query>");
        } else if (ns == ns::disco_items && type == "get" && to_server) {
            reply(iq, "<query" + xmlns(ns::disco_items) + "><item jid='" +
                          xml_escape(org.hosts.muc_host) + "'/></query>");
        } else if (name == "ping" && ns == ns::ping) {
            reply(iq, "");
        } else if (ns == ns::auth_token) {
            // §5.7: a token on get; revoked (nothing to return) on delete.
            if (type == "get")
                reply(iq, "<query" + xmlns(ns::auth_token) + "><token expiration='" +
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

    void handle_presence(const core::Element &presence)
    {
        if (presence.has_attribute("to")) {
            handle_room_presence(presence);
            return;
        }
        const std::string type(presence.attribute("type"));
        if (!type.empty() && type != "unavailable")
            return;  // subscriptions: the roster is server-managed (§6.3)
        core::Element broadcast = presence;
        broadcast.attributes.emplace_back("from", jid_);
        const bool first = !available_;
        available_ = type.empty();
        presence_ = core::to_xml(broadcast, ns::client);
        // §10: to the whole team, and echoed to us (§10.4).
        for (Connection *other : server_.live_sessions())
            other->deliver(presence_);
        if (first && available_) {
            for (Connection *other : server_.live_sessions())
                if (other != this && other->available())
                    deliver(other->presence());
            for (const auto &simulated : server_.simulated_presences())
                deliver(simulated);
            // §16 item 8: 1:1 messages stored while we were offline.
            auto stored = server_.offline.find(user_->id);
            if (stored != server_.offline.end()) {
                const auto messages = std::move(stored->second);
                server_.offline.erase(stored);
                for (const auto &message : messages)
                    deliver(message);
            }
        }
    }

    // --- Rooms (§7) -------------------------------------------------------------

    // §7.4 [INFERRED shape]: a presence error from the room JID the client used.
    void room_presence_error(const std::string &from, const char *type, const char *code,
                             const char *condition, const std::string &text)
    {
        send("<presence type='error' from='" + xml_escape(from) + "' to='" + xml_escape(jid_) +
             "'><x" + xmlns(ns::muc) + "/><error type='" + type + "' code='" +
             code + "'><" + condition + xmlns(ns::stanzas) + "/><text" +
             xmlns(ns::stanzas) + ">" + xml_escape(text) + "</text></error></presence>");
    }

    // The presence of occupant `o` as seen by `to` (§7.4: never anonymous).
    std::string occupant_presence(const Room &room, const Occupant &o, const std::string &to,
                                  bool self) const
    {
        const User *u = o.session->user();
        const std::string affiliation = u != nullptr && u->id == room.owner ? "owner" : "member";
        std::string out = "<presence from='" + xml_escape(server_.org().room_jid(room) + "/" + o.nick) +
                          "' to='" + xml_escape(to) + "'>" + o.presence +
                          "<x" + xmlns(ns::muc_user) + "><item affiliation='" +
                          affiliation + "' role='participant' jid='" + xml_escape(o.session->jid()) +
                          "'/>";
        if (!self)
            return out + "</x></presence>";
        out += "<status code='110'/></x><x" + xmlns(ns::muc_room) + "><name>" +
               xml_escape(room.name) + "</name><privacy>" + xml_escape(room.privacy) + "</privacy>" +
               (room.topic.empty() ? "<topic/>" : "<topic>" + xml_escape(room.topic) + "</topic>") +
               "<rostersize>" + std::to_string(server_.participants(room)) +
               "</rostersize></x><x" + xmlns(ns::muc_permissions) + ">"
               "<permission>room:invite_user</permission><permission>update_own_user</permission>"
               "</x></presence>";
        return out;
    }

    static std::string presence_children(const core::Element &presence)
    {
        std::string out;
        for (const auto &c : presence.children)
            if ((c.name == "show" || c.name == "status") && c.xmlns == ns::client)
                out += core::to_xml(c, ns::client);
            else if (c.name == "query" && c.xmlns == ns::last_activity)  // idle, §10.2
                out += core::to_xml(c);
        return out;
    }

    // §7.4: joining a room JID that does not exist with a muc#room x creates
    // it (owner: us), announced with a room push (§7.3). nullptr otherwise.
    Room *create_room(const core::Element &presence, const std::string &to)
    {
        auto &org = server_.org();
        const core::Element *x = presence.child("x", ns::muc_room);
        const std::string node = core::bare_jid(to).substr(0, core::bare_jid(to).find('@'));
        const std::string prefix = std::to_string(org.group_id) + "_";
        if (x == nullptr || core::bare_jid(to).substr(core::bare_jid(to).find('@') + 1) != org.hosts.muc_host ||
            node.rfind(prefix, 0) != 0 || node.size() == prefix.size())
            return nullptr;
        Room room;
        room.slug = node.substr(prefix.size());
        const core::Element *name = x->child("name");
        room.name = name != nullptr && !name->text.empty() ? name->text : room.slug;
        if (const core::Element *topic = x->child("topic"))
            room.topic = topic->text.substr(0, 250);
        if (const core::Element *privacy = x->child("privacy"); privacy != nullptr && privacy->text == "private")
            room.privacy = "private";
        room.owner = user_->id;
        room.members = {user_->id};
        for (const auto &r : org.rooms)
            room.id = std::max(room.id, r.id);
        room.id += 1;
        room.last_active = g_get_real_time() / G_USEC_PER_SEC;
        room.version = random_hex(4);
        org.rooms.push_back(std::move(room));
        server_.push_room(org.rooms.back(), false);
        return &org.rooms.back();
    }

    // §7.7: room administration, by the owner or a team admin [INFERRED].
    void room_admin(const core::Element &iq, Room &room)
    {
        auto &org = server_.org();
        const core::Element &query = iq.children.front();
        if (room.owner != user_->id && !user_->is_admin) {
            reply_error(iq, "auth", "forbidden");
            return;
        }
        const std::string room_jid = org.room_jid(room);
        // §8.9: a bodyless groupchat info message from the user who changed it.
        auto info = [&](const std::string &x) {
            for (const auto &o : std::vector<Occupant>(server_.occupants(room)))
                o.session->deliver("<message type='groupchat' from='" +
                                   xml_escape(room_jid + "/" + server_.room_nick(*user_)) + "' to='" +
                                   xml_escape(o.session->jid()) + "' mid='" + new_mid() + "' ts='" +
                                   ts_text(g_get_real_time() / 1e6) +
                                   "'><x" + xmlns(ns::muc_room) + ">" + x +
                                   "</x></message>");
        };
        if (query.xmlns == ns::muc_owner && query.child("destroy")) {
            reply(iq, "");
            for (const auto &o : std::vector<Occupant>(server_.occupants(room)))
                o.session->leave_room(room);
            server_.push_room(room, true);
            const std::uint64_t id = room.id;
            org.rooms.erase(std::remove_if(org.rooms.begin(), org.rooms.end(),
                                           [id](const Room &r) { return r.id == id; }),
                            org.rooms.end());
            return;
        }
        if (const core::Element *rename = query.child("rename"); rename != nullptr && !rename->text.empty()) {
            room.name = rename->text;  // the JID does not change
        } else if (const core::Element *privacy = query.child("privacy");
                   privacy != nullptr && (privacy->text == "public" || privacy->text == "private")) {
            room.privacy = privacy->text;
        } else if (const core::Element *guest = query.child("guest_access")) {
            room.guest_url = guest->text == "1" ? "https://" + org.hosts.web_host + "/g" + random_hex(5) : "";
            info(room.guest_url.empty() ? "<guest_url/>" : "<guest_url>" + xml_escape(room.guest_url) + "</guest_url>");
        } else if (const core::Element *item = query.child("item");
                   item != nullptr && item->attribute("affiliation") == "none") {
            // §7.5: removed from a private room: 307 with us as the actor.
            User *removed = org.find_user_by_jid(item->attribute("jid"));
            if (removed == nullptr) {
                reply_error(iq, "cancel", "item-not-found");
                return;
            }
            room.members.erase(std::remove(room.members.begin(), room.members.end(), removed->id),
                               room.members.end());
            reply(iq, "");
            for (const auto &o : std::vector<Occupant>(server_.occupants(room)))
                if (o.session->user() == removed)
                    o.session->kicked(room, *user_);
            return;
        } else {
            reply_error(iq, "modify", "bad-request");
            return;
        }
        room.version = random_hex(4);
        reply(iq, "");
        server_.push_room(room, false);
    }

public:
    // §7.5: removed from `room` by `actor`.
    void kicked(const Room &room, const User &actor)
    {
        auto &occupants = server_.occupants(room);
        auto mine = std::find_if(occupants.begin(), occupants.end(),
                                 [this](const Occupant &o) { return o.session == this; });
        if (mine == occupants.end())
            return;
        const std::string from = server_.org().room_jid(room) + "/" + mine->nick;
        occupants.erase(mine);
        for (const auto &o : std::vector<Occupant>(occupants))
            o.session->deliver("<presence type='unavailable' from='" + xml_escape(from) + "' to='" +
                               xml_escape(o.session->jid()) +
                               "'><x" + xmlns(ns::muc_user) + "><item "
                               "affiliation='none' role='none' jid='" +
                               xml_escape(jid_) + "'/><status code='307'/></x></presence>");
        send("<presence type='unavailable' from='" + xml_escape(from) + "' to='" + xml_escape(jid_) +
             "'><x" + xmlns(ns::muc_user) + "><item affiliation='none' "
             "role='none'><actor jid='" +
             xml_escape(server_.org().user_jid(actor)) +
             "'/></item><status code='307'/><status code='110'/></x></presence>");
    }

private:
    void handle_room_presence(const core::Element &presence)
    {
        auto &org = server_.org();
        const std::string to(presence.attribute("to"));
        const auto slash = to.find('/');
        const std::string nick = slash == std::string::npos ? "" : to.substr(slash + 1);
        const std::string domain = core::bare_jid(to).substr(core::bare_jid(to).find('@') + 1);
        if (domain != org.hosts.muc_host)
            return;  // directed presence to people: the roster is the team (§6.3), nothing to do
        Room *room = org.find_room_by_jid(core::bare_jid(to));
        const std::string type(presence.attribute("type"));
        if (room == nullptr && type.empty())
            room = create_room(presence, to);
        if (room == nullptr) {
            if (type.empty())
                room_presence_error(to, "cancel", "404", "item-not-found", "No such room.");
            return;
        }
        auto &occupants = server_.occupants(*room);
        auto mine = std::find_if(occupants.begin(), occupants.end(),
                                 [this](const Occupant &o) { return o.session == this; });
        if (type == "unavailable") {
            if (mine != occupants.end())
                leave_room(*room);
            return;
        }
        if (!type.empty())
            return;
        if (mine != occupants.end()) {
            // A presence change inside the room (§10.6) to every occupant.
            mine->presence = presence_children(presence);
            const Occupant me = *mine;
            for (const auto &o : std::vector<Occupant>(occupants))
                o.session->deliver(occupant_presence(*room, me, o.session->jid(), o.session == this));
            return;
        }
        if (nick != server_.room_nick(*user_)) {
            // §1, §7.4: the full name, or under --nick-rule mention-name the
            // mention name; the same error either way.
            room_presence_error(to, "cancel", "406", "not-acceptable",
                                server_.config().nick_rule == NickRule::mention_name
                                    ? "You must use your mention name as your nickname."
                                    : "You must use your full name as your nickname.");
            return;
        }
        if (!may_see(*room, *user_) || room->archived) {
            // §7.4 [INFERRED]: forbidden for private rooms you are not in, and archived ones.
            room_presence_error(to, "auth", "403", "forbidden",
                                "You are not allowed to join this room.");
            return;
        }
        // XEP-0045 order: the others, then ourselves (110), then history, then the subject.
        Occupant me{this, nick, presence_children(presence)};
        for (const auto &o : std::vector<Occupant>(occupants))
            deliver(occupant_presence(*room, o, jid_, false));
        for (const auto &o : std::vector<Occupant>(occupants))
            o.session->deliver(occupant_presence(*room, me, o.session->jid(), false));
        occupants.push_back(me);
        deliver(occupant_presence(*room, me, jid_, true));

        // History on join: <history maxstanzas>, none for resource 'bot' (§7.4, DANE); when
        // absent the count is [UNKNOWN]: the official client's page of 50 (§9).
        std::size_t wanted = 50;
        const core::Element *x = presence.child("x", ns::muc);
        if (const core::Element *history = x != nullptr ? x->child("history") : nullptr;
            history != nullptr && history->has_attribute("maxstanzas"))
            wanted = static_cast<std::size_t>(std::max(0, std::atoi(std::string(history->attribute("maxstanzas")).c_str())));
        if (jid_.size() > 4 && jid_.compare(jid_.size() - 4, 4, "/bot") == 0)
            wanted = 0;
        const auto &h = room->history;
        for (std::size_t i = h.size() - std::min(wanted, h.size()); i < h.size(); ++i)
            deliver(history_message(server_, *room, h[i], jid_));
        // The topic as a standard MUC subject (§7.4: clients handle both).
        deliver("<message type='groupchat' from='" + xml_escape(org.room_jid(*room)) + "' to='" +
                xml_escape(jid_) + "'><subject>" + xml_escape(room->topic) + "</subject></message>");
        if (server_.on_join)
            server_.on_join(*room, *user_);
    }

public:
    // §7.5: we leave (or our connection went away); tell the others and, when
    // still connected, ourselves (status 110, role none).
    void leave_room(const Room &room)
    {
        auto &occupants = server_.occupants(room);
        auto mine = std::find_if(occupants.begin(), occupants.end(),
                                 [this](const Occupant &o) { return o.session == this; });
        if (mine == occupants.end())
            return;
        const std::string from = server_.org().room_jid(room) + "/" + mine->nick;
        occupants.erase(mine);
        for (const auto &o : std::vector<Occupant>(occupants))
            o.session->deliver("<presence type='unavailable' from='" + xml_escape(from) + "' to='" +
                               xml_escape(o.session->jid()) +
                               "'><x" + xmlns(ns::muc_user) + "><item "
                               "affiliation='member' role='none' jid='" +
                               xml_escape(jid_) + "'/></x></presence>");
        if (!closed_)
            send("<presence type='unavailable' from='" + xml_escape(from) + "' to='" + xml_escape(jid_) +
                 "'><x" + xmlns(ns::muc_user) + "><item affiliation='member' "
                 "role='none'/><status code='110'/></x></presence>");
    }

private:
    void went_offline()
    {
        if (!available_ || jid_.empty())
            return;
        available_ = false;
        std::string unavailable = "<presence type='unavailable' from='" + xml_escape(jid_) + "'>";
        if (user_ != nullptr && !user_->mobile.empty())
            unavailable += "<mobile>" + xml_escape(user_->mobile) + "</mobile>";  // §10.3
        unavailable += "</presence>";
        for (Connection *other : server_.live_sessions())
            if (other != this)
                other->deliver(unavailable);
    }

    void message_error(const core::Element &message, const std::string &from, const char *type,
                       const char *code, const char *condition, const std::string &text)
    {
        std::string out = "<message type='error' from='" + xml_escape(from) + "' to='" + xml_escape(jid_) + "'";
        if (message.has_attribute("id"))
            out += " id='" + xml_escape(message.attribute("id")) + "'";
        out += ">";
        if (const core::Element *body = message.child("body"))
            out += core::to_xml(*body, ns::client);
        out += std::string("<error type='") + type + "'" +
               (code[0] != '\0' ? std::string(" code='") + code + "'" : std::string()) + "><" +
               condition + xmlns(ns::stanzas) + "/>";
        if (!text.empty())
            out += "<text" + xmlns(ns::stanzas) + ">" + xml_escape(text) + "</text>";
        send(out + "</error></message>");
    }

    void handle_groupchat(const core::Element &message, Room &room)
    {
        auto &occupants = server_.occupants(room);
        const bool joined = std::any_of(occupants.begin(), occupants.end(),
                                        [this](const Occupant &o) { return o.session == this; });
        if (!joined) {
            // §7.9, as HipChat Server sends it.
            message_error(message, server_.org().room_jid(room), "auth", "403", "forbidden",
                          "You must be in this room to send a message.");
            return;
        }
        if (const core::Element *subject = message.child("subject")) {
            // §7.6: a new topic (at most 250 characters) from room/Setter Name to everyone.
            room.topic = subject->text.substr(0, 250);
            const std::string from = server_.org().room_jid(room) + "/" + server_.room_nick(*user_);
            for (const auto &o : std::vector<Occupant>(occupants))
                o.session->deliver("<message type='groupchat' from='" + xml_escape(from) + "' to='" +
                                   xml_escape(o.session->jid()) + "'><subject>" + xml_escape(room.topic) +
                                   "</subject></message>");
        }
        if (const core::Element *body = message.child("body"); body != nullptr && !body->text.empty())
        {
            HistoryMessage m;
            m.from_jid = server_.org().user_jid(*user_);
            m.from_name = server_.room_nick(*user_);
            m.body = body->text;
            server_.post_to_room(room, std::move(m), message.attribute("id"));
        }
    }

    // §7.8: a mediated invite, passed on with the room's x. Inviting someone
    // to a private room makes them a member [INFERRED].
    void handle_invite(Room &room, const core::Element &invite)
    {
        auto &org = server_.org();
        User *invitee = org.find_user_by_jid(invite.attribute("to"));
        if (invitee == nullptr || !may_see(room, *user_))
            return;
        if (room.privacy == "private" &&
            std::find(room.members.begin(), room.members.end(), invitee->id) == room.members.end())
            room.members.push_back(invitee->id);
        const core::Element *reason = invite.child("reason");
        for (Connection *session : server_.sessions_of(*invitee))
            session->deliver("<message from='" + xml_escape(org.room_jid(room)) + "' to='" +
                             xml_escape(session->jid()) +
                             "'><x" + xmlns(ns::muc_user) + "><invite from='" +
                             xml_escape(org.user_jid(*user_)) + "'>" +
                             (reason != nullptr ? "<reason>" + xml_escape(reason->text) + "</reason>" : "") +
                             "</invite></x>" + room_x_xml(server_, room) + "</message>");
    }

    void handle_message(const core::Element &message)
    {
        auto &org = server_.org();
        const std::string to(message.attribute("to"));
        if (Room *room = org.find_room_by_jid(core::bare_jid(to))) {
            const core::Element *user_x = message.child("x", ns::muc_user);
            if (const core::Element *invite = user_x != nullptr ? user_x->child("invite") : nullptr)
                handle_invite(*room, *invite);
            else if (message.attribute("type") == "groupchat")
                handle_groupchat(message, *room);
            else if (message.child("body") != nullptr)
                // Private messages inside rooms are not HipChat's (§7): refuse them.
                message_error(message, to, "cancel", "", "service-unavailable", "");
            return;
        }
        User *target = org.find_user_by_jid(to);
        if (target == nullptr || message.attribute("type") == "groupchat") {
            message_error(message, to, "cancel", "", "service-unavailable", "");
            return;
        }
        // §8.1: delivered with mid and ts; <echo/> reflects to the sender's sessions.
        core::Element out = message;
        out.attributes.erase(std::remove_if(out.attributes.begin(), out.attributes.end(),
                                            [](const auto &a) { return a.first == "from"; }),
                             out.attributes.end());
        const std::string mid = new_mid();
        const double ts = g_get_real_time() / 1e6;
        out.attributes.emplace_back("from", jid_);
        out.attributes.emplace_back("mid", mid);
        out.attributes.emplace_back("ts", ts_text(ts));
        const std::string stanza = core::to_xml(out, ns::client);
        const core::Element *body = message.child("body");
        if (body != nullptr && !body->text.empty())
            server_.record_private(*user_, *target, mid, ts, body->text);
        const auto sessions = server_.sessions_of(*target);
        for (Connection *session : sessions)
            session->deliver(stanza);
        if (sessions.empty() && body != nullptr && !body->text.empty())
            server_.store_offline(*user_, *target, mid, ts, body->text);
        const core::Element *x = message.child("x", ns::hipchat);
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
    std::vector<core::Element> stack_;
    std::size_t fed_ = 0;       // bytes given to this parser (this stream)
    std::size_t boundary_ = 0;  // offset of the last point between stanzas
    bool header_sent_ = false;  // our <stream:stream> for this stream
    gint64 last_activity_ = 0;

    bool tls_ = false, start_tls_ = false, restart_ = false;
    bool sasl_restart_ = false;  // authenticated by SASL, waiting for bind
    bool live_ = false;          // authenticated and bound
    bool closed_ = false;
    User *user_ = nullptr;
    std::string jid_;
    bool available_ = false;
    std::string presence_;
    std::deque<std::pair<gint64, std::string>> outbox_;  // fault delay_ms: (due, bytes)
    guint outbox_timer_ = 0;
    int iqs_after_login_ = 0;
};

XmppServer::XmppServer(Organisation &org, GTlsCertificate *certificate, XmppConfig config)
    : org_(org), certificate_(certificate), config_(config)
{
    if (config_.nick_rule != NickRule::mention_name)
        return;
    // The history's senders are room nicks too: under the mention-name rule,
    // the people's mention names (integration labels stay).
    std::map<std::string, const User *> by_jid;
    for (const auto &u : org_.users)
        by_jid[org_.user_jid(u)] = &u;
    for (auto &room : org_.rooms)
        for (auto &m : room.history)
            if (const auto it = by_jid.find(m.from_jid); it != by_jid.end())
                m.from_name = it->second->mention_name;
}

XmppServer::~XmppServer()
{
    if (idle_timer_ != 0)
        g_source_remove(idle_timer_);
    for (GSocketService *service : {service_, tls_service_})
        if (service != nullptr) {
            g_socket_service_stop(service);
            g_object_unref(service);
        }
    connections_.clear();
}

GSocketService *XmppServer::start_service(const std::string &address, guint16 port, guint16 &bound,
                                          GCallback handler, std::string &error)
{
    GInetAddress *inet = g_inet_address_new_from_string(address.c_str());
    if (inet == nullptr) {
        error = "not an IP address: " + address;
        return nullptr;
    }
    GSocketService *service = g_socket_service_new();
    GSocketAddress *socket_address = g_inet_socket_address_new(inet, port);
    GSocketAddress *effective = nullptr;
    GError *gerror = nullptr;
    const bool ok = g_socket_listener_add_address(G_SOCKET_LISTENER(service), socket_address,
                                                  G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                  nullptr, &effective, &gerror);
    g_object_unref(socket_address);
    g_object_unref(inet);
    if (!ok) {
        error = gerror->message;
        g_error_free(gerror);
        g_object_unref(service);
        return nullptr;
    }
    bound = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(effective));
    g_object_unref(effective);
    g_signal_connect(service, "incoming", handler, this);
    g_socket_service_start(service);
    return service;
}

bool XmppServer::listen(const std::string &address, guint16 port, std::string &error)
{
    service_ = start_service(address, port, port_, G_CALLBACK(on_incoming), error);
    if (service_ == nullptr)
        return false;
    idle_timer_ = g_timeout_add(250, on_idle_check, this);
    return true;
}

bool XmppServer::listen_direct_tls(const std::string &address, guint16 port, std::string &error)
{
    tls_service_ =
        start_service(address, port, direct_tls_port_, G_CALLBACK(on_incoming_tls), error);
    return tls_service_ != nullptr;
}

bool XmppServer::accept(GSocketConnection *socket, bool direct_tls)
{
    if (connections_.size() >= config_.max_connections) {
        // Past the bound: a stream error rather than a silent close, so a client
        // can tell; on the direct TLS port, where it would have to be encrypted,
        // only the close.
        const std::string refusal = Connection::refusal(org_.hosts.chat_host);
        if (!direct_tls)
            g_output_stream_write_all(g_io_stream_get_output_stream(G_IO_STREAM(socket)),
                                      refusal.data(), refusal.size(), nullptr, nullptr, nullptr);
        g_io_stream_close(G_IO_STREAM(socket), nullptr, nullptr);
        return true;
    }
    connections_.push_back(
        std::make_unique<Connection>(*this, socket, next_connection_id_++, direct_tls));
    return true;
}

gboolean XmppServer::on_incoming(GSocketService *, GSocketConnection *socket, GObject *,
                                 gpointer data)
{
    return static_cast<XmppServer *>(data)->accept(socket, false);
}

gboolean XmppServer::on_incoming_tls(GSocketService *, GSocketConnection *socket, GObject *,
                                     gpointer data)
{
    return static_cast<XmppServer *>(data)->accept(socket, true);
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

void XmppServer::remove_id(std::uint64_t id)
{
    auto it = std::find_if(connections_.begin(), connections_.end(),
                           [&](const auto &c) { return c->id() == id; });
    if (it != connections_.end())
        connections_.erase(it);
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
        presence = "<presence type='unavailable' from='" + xml_escape(from) + "'>";
        if (!user->mobile.empty())
            presence += "<mobile>" + xml_escape(user->mobile) + "</mobile>";  // §10.3
        presence += "</presence>";
        simulated_presences_.erase(from);
    } else {
        // §10.1: "chat" is HipChat's Available.
        presence = "<presence from='" + xml_escape(from) + "'><show>" +
                   xml_escape(show.empty() ? "chat" : show) + "</show>";
        if (!status.empty())
            presence += "<status>" + xml_escape(status) + "</status>";
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
    const std::string mid = new_mid();
    const double ts = g_get_real_time() / 1e6;
    const std::string message = "<message type='chat' from='" + xml_escape(org_.user_jid(*from)) +
                                "/emulator' to='" + xml_escape(org_.user_jid(*to)) + "' mid='" + mid +
                                "' ts='" + ts_text(ts) + "'><body>" + xml_escape(body) +
                                "</body><active" + xmlns(ns::chat_states) + "/>"
                                "</message>";
    record_private(*from, *to, mid, ts, body);
    const auto sessions = sessions_of(*to);
    for (Connection *c : sessions)
        c->deliver(message);
    if (sessions.empty())
        store_offline(*from, *to, mid, ts, body);
    return true;
}

void XmppServer::push_roster(const User &user, bool removed)
{
    const std::string item =
        removed ? "<item jid='" + xml_escape(org_.user_jid(user)) + "' subscription='remove'/>"
                : Connection::roster_item_xml(org_, user);
    // §6.3: the push's ver is a timestamp (ver='2016-04-27T20:16:36Z').
    const std::string ver = core::format_xmpp_stamp(g_get_real_time() / G_USEC_PER_SEC);
    for (Connection *c : live_sessions())
        c->deliver("<iq type='set' id='push" + random_hex(4) + "' to='" + xml_escape(c->jid()) +
                   "'><query" + xmlns(ns::roster) + " ver='" + ver + "'>" + item + "</query></iq>");
}

void XmppServer::leave_rooms(Connection *session)
{
    // Only the rooms the session is in: a large organisation has thousands.
    std::vector<std::uint64_t> ids;
    for (const auto &[id, list] : occupants_)
        if (std::any_of(list.begin(), list.end(),
                        [session](const Occupant &o) { return o.session == session; }))
            ids.push_back(id);
    for (const auto id : ids)
        for (const auto &room : org_.rooms)
            if (room.id == id)
                session->leave_room(room);
}

void XmppServer::push_room(const Room &room, bool deleted)
{
    std::string fields = Connection::room_x_xml(*this, room);
    const std::string open = "<x" + xmlns(ns::muc_room) + ">";
    fields = fields.substr(open.size(), fields.size() - open.size() - 4);  // without <x>...</x>
    for (Connection *c : live_sessions()) {
        if (c->user() == nullptr || (!deleted && !Connection::may_see(room, *c->user())))
            continue;
        c->deliver("<iq type='set' id='room" + random_hex(4) + "' to='" + xml_escape(c->jid()) +
                   "'><query" + xmlns(ns::muc_room) + "><item jid='" +
                   xml_escape(org_.room_jid(room)) + "' name='" + xml_escape(room.name) + "'" +
                   (deleted ? " status='deleted'" : "") + ">" + fields + "</item></query></iq>");
    }
}

int XmppServer::participants(const Room &room)
{
    std::vector<const User *> users;
    const auto it = occupants_.find(room.id);
    if (it == occupants_.end())
        return 0;
    for (const auto &o : it->second)
        if (std::find(users.begin(), users.end(), o.session->user()) == users.end())
            users.push_back(o.session->user());
    return static_cast<int>(users.size());
}

void XmppServer::post_to_room(Room &room, HistoryMessage m, std::string_view sender_id,
                              const std::string &extra)
{
    // §8.2: to every occupant including the sender, with the sender's id, a
    // new mid, ts and from_jid.
    m.mid = new_mid();
    m.ts = g_get_real_time() / 1e6;
    room.history.push_back(m);
    room.last_active = static_cast<std::int64_t>(m.ts);
    const std::string from = org_.room_jid(room) + "/" + m.from_name;
    // The payload once, not per occupant (HTML is parsed for XHTML-IM).
    const std::string payload = Connection::notification_payload(m) + extra;
    for (const auto &o : std::vector<Occupant>(occupants_[room.id])) {
        std::string out = "<message type='groupchat' from='" + xml_escape(from) + "' to='" +
                          xml_escape(o.session->jid()) + "'";
        if (!sender_id.empty())
            out += " id='" + xml_escape(sender_id) + "'";
        out += " mid='" + m.mid + "' ts='" + ts_text(m.ts) + "'";
        if (!m.from_jid.empty())
            out += " from_jid='" + xml_escape(m.from_jid) + "'";
        o.session->deliver(out + "><body>" + xml_escape(m.body) + "</body>" + payload + "</message>");
    }
}

void XmppServer::post_to_user(const User &from, const User &to, const std::string &body,
                              const std::string &extra, bool to_sender_too)
{
    const std::string mid = new_mid();
    const double ts = g_get_real_time() / 1e6;
    const std::string message = "<message type='chat' from='" + xml_escape(org_.user_jid(from)) +
                                "' to='" + xml_escape(org_.user_jid(to)) + "' mid='" + mid + "' ts='" +
                                ts_text(ts) + "'><body>" + xml_escape(body) + "</body>" + extra +
                                "</message>";
    record_private(from, to, mid, ts, body);
    const auto sessions = sessions_of(to);
    for (Connection *c : sessions)
        c->deliver(message);
    if (sessions.empty())
        store_offline(from, to, mid, ts, body);
    if (to_sender_too && from.id != to.id)
        for (Connection *c : sessions_of(from))
            c->deliver(message);
}

bool XmppServer::simulate_room_message(const std::string &from_jid, const std::string &room_jid,
                                       const std::string &body)
{
    User *from = org_.find_user_by_jid(from_jid);
    Room *room = org_.find_room_by_jid(room_jid);
    if (from == nullptr || room == nullptr)
        return false;
    HistoryMessage m;
    m.from_jid = org_.user_jid(*from);
    m.from_name = room_nick(*from);
    m.body = body;
    post_to_room(*room, std::move(m), "");
    return true;
}

void XmppServer::push_emoticons(const std::vector<Emoticon> &changed)
{
    // §12.1 [OFFICIAL-CLIENT]: the web client merges a push's items into its
    // cached list ("pushes should not be saved as the entire list"), so a push
    // carries only what changed. The new ver and the path_prefix ride along
    // [INFERRED], so a client can cache by ver and build the image URLs.
    const std::string query = Connection::emoticons_query(org_, changed);
    for (Connection *c : live_sessions())
        c->deliver("<iq type='set' id='emoticons" + random_hex(4) + "' to='" + xml_escape(c->jid()) +
                   "'>" + query + "</iq>");
}

void XmppServer::set_archived(Room &room, bool archived, const User &by)
{
    room.archived = archived;
    room.version = random_hex(4);
    // §8.9: the bodyless info message, from the person who changed it; the
    // occupants stay (what HipChat did with them is [UNKNOWN]), newcomers are
    // refused (§7.4).
    const std::string from = org_.room_jid(room) + "/" + room_nick(by);
    for (const auto &o : std::vector<Occupant>(occupants(room)))
        o.session->deliver("<message type='groupchat' from='" + xml_escape(from) + "' to='" +
                           xml_escape(o.session->jid()) + "' mid='" + new_mid() + "' ts='" +
                           ts_text(g_get_real_time() / 1e6) +
                           "'><x" + xmlns(ns::muc_room) + "><is_archived>" +
                           (archived ? "1" : "0") + "</is_archived></x></message>");
    push_room(room, false);  // §7.3: with <is_archived/> while archived
}

std::size_t XmppServer::send_verbatim(const std::string &jid, const std::string &xml)
{
    std::vector<Connection *> targets;
    if (jid.find('/') != std::string::npos) {
        if (Connection *session = find_session(jid))
            targets.push_back(session);
    } else if (const User *user = org_.find_user_by_jid(jid)) {
        targets = sessions_of(*user);
    }
    for (Connection *session : targets)
        session->deliver(xml);
    return targets.size();
}

void XmppServer::drop_all()
{
    for (Connection *c : [this] {
             std::vector<Connection *> all;
             for (auto &c : connections_)
                 all.push_back(c.get());
             return all;
         }())
        c->drop();
}

void XmppServer::record_private(const User &from, const User &to, const std::string &mid,
                                double ts, const std::string &body)
{
    const std::uint64_t a = std::min(from.id, to.id), b = std::max(from.id, to.id);
    auto it = std::find_if(org_.private_history.begin(), org_.private_history.end(),
                           [&](const PrivateHistory &h) { return h.a == a && h.b == b; });
    if (it == org_.private_history.end()) {
        org_.private_history.push_back(PrivateHistory{a, b, {}});
        it = org_.private_history.end() - 1;
    }
    HistoryMessage m;
    m.mid = mid;
    m.ts = ts;
    m.from_jid = org_.user_jid(from);
    m.from_name = from.name;
    m.body = body;
    it->messages.push_back(std::move(m));
}

void XmppServer::store_offline(const User &from, const User &to, const std::string &mid,
                               double ts, const std::string &body)
{
    // §8.3: offline messages come with <delay stamp from_jid>.
    const std::string from_jid = org_.user_jid(from);
    offline[to.id].push_back("<message type='chat' from='" + xml_escape(from_jid) + "' to='" +
                             xml_escape(org_.user_jid(to)) + "' mid='" + mid + "' ts='" + ts_text(ts) +
                             "'><body>" + xml_escape(body) + "</body><delay" + xmlns(ns::delay) + " "
                             "stamp='" + core::format_xmpp_stamp(static_cast<std::int64_t>(ts)) + "' from_jid='" + xml_escape(from_jid) +
                             "'/></message>");
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
        const auto slash = c->jid().find('/');
        out += std::string(first ? "" : ",") + "{\"user\":" + core::json_string(c->user()->email) +
               ",\"resource\":" +
               core::json_string(slash == std::string::npos ? "" : c->jid().substr(slash + 1)) +
               ",\"jid\":" + core::json_string(c->jid()) +
               ",\"available\":" + (c->available() ? "true" : "false") + "}";
        first = false;
    }
    return out + "]}";
}

std::string XmppServer::transcript_json(const std::string &user) const
{
    std::string out = "{\"connections\":[";
    bool first = true;
    for (const auto &[id, t] : transcripts_) {
        if (!user.empty() && t.who != user)
            continue;
        out += std::string(first ? "" : ",") + "{\"id\":" + std::to_string(id) +
               ",\"user\":" + core::json_string(t.who) + ",\"received\":" + core::json_string(t.text) + "}";
        first = false;
    }
    return out + "]}";
}

}  // namespace hipchat::emulator
