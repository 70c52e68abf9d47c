#include "stream.hpp"

#include "core/namespaces.hpp"
#include "core/xml-escape.hpp"
#include "org.hpp"
#include "auth.hpp"
#include "server.hpp"
#include "stanza.hpp"

#include <algorithm>
#include <cstring>

namespace hipchat::emulator {

namespace {

// Our side's <stream:stream> (RFC 6120 §4.7), from the chat host.
std::string stream_header(const std::string &chat_host)
{
    return "<?xml version='1.0'?><stream:stream" + xmlns(ns::client) + " xmlns:stream='" +
           ns::streams + "' from='" + core::xml_escape(chat_host) + "' id='" + random_hex(8) +
           "' version='1.0'>";
}

}  // namespace

Connection::Connection(XmppServer &server, GSocketConnection *socket, std::uint64_t id,
                       bool direct_tls)
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

Connection::~Connection()
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

std::string Connection::refusal(const std::string &chat_host)
{
    return stream_header(chat_host) + "<stream:error><resource-constraint" +
           xmlns(ns::stream_errors) + "/></stream:error></stream:stream>";
}

void Connection::send(const std::string &text)
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

void Connection::close(const std::string &stream_error)
{
    if (closed_)
        return;
    if (!stream_error.empty() && !header_sent_)
        // RFC 6120 §4.9.1.1: an error before our stream header still opens a stream.
        send_header();
    if (!stream_error.empty())
        send("<stream:error><" + stream_error + xmlns(ns::stream_errors) + "/></stream:error>");
    send("</stream:stream>");
    flush_outbox();
    if (closed_)
        return;  // the peer was gone: abort() did the rest
    closed_ = true;
    ended();
    g_cancellable_cancel(cancellable_);
    schedule_removal();
}

void Connection::authenticate(User &user)
{
    user_ = &user;
    server_.record_transcript(id_, user.email, "");
}

bool Connection::go_live(std::string full_jid)
{
    // RFC 6120 §7.7.2.2: a new session of a full JID in use ends the older
    // one with a conflict; HipChat's web client took a conflict for "signed
    // in elsewhere" and did not reconnect (connection_manager.js 649-651)
    // [INFERRED server behaviour].
    if (Connection *older = server_.find_session(full_jid); older != nullptr && older != this)
        older->close("conflict");
    // HipChat allowed ten clients of a user at once; the next one was told
    // with a policy-violation stream error while connecting (the web
    // client's lib/spi.js onStrophePolicyViolation 79-84: "Fired when
    // Strophe hits the 10 concurrent client max and session limit is
    // reached"; connection_manager.js 652-654 stops reconnecting on it).
    if (user_ != nullptr &&
        server_.sessions_of(*user_).size() >= server_.config().max_sessions_per_user) {
        close("policy-violation");
        return false;
    }
    jid_ = std::move(full_jid);
    stage_ = LoginStage::live;
    return true;
}

void Connection::set_presence(bool available, std::string stanza)
{
    available_ = available;
    presence_ = std::move(stanza);
}

// Removal from the main loop, by id: idempotent, and harmless when an
// earlier path already removed us.
void Connection::schedule_removal()
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

void Connection::write_now(const std::string &text)
{
    GOutputStream *out = g_io_stream_get_output_stream(stream_);
    if (!g_output_stream_write_all(out, text.data(), text.size(), nullptr, nullptr, nullptr))
        abort();
}

// The peer is gone while we were writing, perhaps inside a loop over the
// sessions: stop now, but leave the removal to the main loop.
void Connection::abort()
{
    if (closed_)
        return;
    outbox_.clear();
    closed_ = true;
    ended();
    g_cancellable_cancel(cancellable_);
    schedule_removal();
}

// However the connection ended: out of its rooms, and offline to the others.
void Connection::ended()
{
    server_.session_ended(*this);
}

void Connection::schedule_outbox()
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
            while (!self->outbox_.empty() && self->outbox_.front().first <= now && !self->closed_) {
                const std::string text = std::move(self->outbox_.front().second);
                self->outbox_.pop_front();
                self->write_now(text);
            }
            self->schedule_outbox();
            return G_SOURCE_REMOVE;
        },
        this);
}

void Connection::flush_outbox()
{
    while (!outbox_.empty() && !closed_) {
        const std::string text = std::move(outbox_.front().second);
        outbox_.pop_front();
        write_now(text);
    }
    outbox_.clear();
}

// --- Reading and parsing ----------------------------------------------------

void Connection::new_parser()
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
void Connection::mark_boundary()
{
    boundary_ = static_cast<std::size_t>(xmlByteConsumed(parser_));
}

void Connection::read_more()
{
    if (closed_)
        return;
    g_input_stream_read_async(g_io_stream_get_input_stream(stream_), buffer_, sizeof buffer_,
                              G_PRIORITY_DEFAULT, cancellable_, on_read, this);
}

void Connection::on_read(GObject *source, GAsyncResult *result, gpointer data)
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

void Connection::closed_by_peer()
{
    if (closed_)
        return;
    closed_ = true;
    ended();
    server_.remove(this);
}

void Connection::received(const char *data, std::size_t size)
{
    last_activity_ = g_get_monotonic_time();
    server_.record_transcript(id_, user_ != nullptr ? user_->email : "", std::string(data, size));
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

void Connection::on_start(void *ctx, const xmlChar *localname, const xmlChar *, const xmlChar *uri,
                          int, const xmlChar **, int nb_attributes, int, const xmlChar **attributes)
{
    auto *self = static_cast<Connection *>(ctx);
    if (self->depth_++ == 0) {
        self->stream_opened();
        if (!self->closed_)
            self->mark_boundary();
        return;
    }
    core::Element element;
    element.name = reinterpret_cast<const char *>(localname);
    element.xmlns = uri != nullptr ? reinterpret_cast<const char *>(uri) : "";
    for (int i = 0; i < nb_attributes; ++i) {
        const auto **a = attributes + i * 5;  // localname, prefix, URI, value, end
        element.attributes.emplace_back(reinterpret_cast<const char *>(a[0]),
                                        std::string(reinterpret_cast<const char *>(a[3]),
                                                    reinterpret_cast<const char *>(a[4])));
    }
    self->stack_.push_back(std::move(element));
}

void Connection::on_end(void *ctx, const xmlChar *, const xmlChar *, const xmlChar *)
{
    auto *self = static_cast<Connection *>(ctx);
    if (--self->depth_ == 0) {
        self->close();
        return;
    }
    core::Element element = std::move(self->stack_.back());
    self->stack_.pop_back();
    if (!self->stack_.empty()) {
        self->stack_.back().children.push_back(std::move(element));
        return;
    }
    if (!self->closed_) {
        self->mark_boundary();
        self->handle(element);
    }
}

void Connection::on_characters(void *ctx, const xmlChar *text, int length)
{
    auto *self = static_cast<Connection *>(ctx);
    if (!self->stack_.empty())
        self->stack_.back().text.append(reinterpret_cast<const char *>(text), length);
    else if (self->depth_ == 1 && !self->closed_)
        self->mark_boundary();  // whitespace between stanzas is a keepalive (§4.3)
}

// --- Stream and TLS -----------------------------------------------------------

void Connection::send_header()
{
    header_sent_ = true;
    send(stream_header(server_.org().hosts.chat_host));
}

void Connection::stream_opened()
{
    send_header();
    if (!tls_ && server_.config().offer_starttls)
        send("<stream:features><starttls" + xmlns(ns::tls) +
             "><required/></starttls></stream:features>");
    else
        offer_login_features(*this);
}

void Connection::handle(const core::Element &stanza)
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
    server_.dispatch(*this, stanza);
}

void Connection::begin_tls()
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

void Connection::on_handshake(GObject *source, GAsyncResult *result, gpointer data)
{
    GError *error = nullptr;
    const gboolean ok = g_tls_connection_handshake_finish(G_TLS_CONNECTION(source), result, &error);
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

}  // namespace hipchat::emulator
