// HipChat emulator: one client's connection (RFC 6120, protocol reference
// §4): the socket and its TLS (STARTTLS or the §4.1 direct port), libxml2's
// push parser cut into stanzas, the stanza bound, the outbox the delay_ms
// fault holds bytes in, and what the features know about the session on it.
// Every stanza goes to XmppServer::dispatch; the features answer with send().
#pragma once

#include <gio/gio.h>
#include <libxml/parser.h>

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "core/element.hpp"

namespace hipchat::emulator {

class XmppServer;
struct User;

// How far the login got (§5): before it, only the auth is served; SASL PLAIN
// binds a resource after its stream restart (§5.3); live sessions are served.
enum class LoginStage { unauthenticated, awaiting_bind, live };

class Connection {
public:
    // `direct_tls`: the §4.1 legacy port, TLS before any XML.
    Connection(XmppServer &server, GSocketConnection *socket, std::uint64_t id, bool direct_tls);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    XmppServer &server() const { return server_; }
    std::uint64_t id() const { return id_; }
    gint64 last_activity() const { return last_activity_; }

    // Writes `text`, through the outbox while the delay_ms fault holds bytes
    // (in order); nothing once closed.
    void send(const std::string &text);
    // Closes the stream politely (with a stream error, when given) and
    // schedules our removal.
    void close(const std::string &stream_error = {});
    // Closes at once, without a word (fault "now").
    void drop() { abort(); }

    // The session. Authenticated as `user` (auth.cpp): the transcript is
    // filed under their e-mail from now on.
    void authenticate(User &user);
    // SASL PLAIN succeeded: a resource is bound after the restart (§5.3).
    void await_bind() { stage_ = LoginStage::awaiting_bind; }
    // Logged in as `full_jid`: stanzas are served from now on. False when
    // the user has as many sessions as HipChat allowed: the connection is
    // then closed with a policy-violation stream error, and the caller must
    // say nothing more (no <success>, no bind result).
    bool go_live(std::string full_jid);
    // A new stream on both sides once the bytes being read are handled
    // (after <success>, §4.2, §5.3).
    void restart_stream() { restart_ = true; }
    LoginStage stage() const { return stage_; }
    bool live() const { return stage_ == LoginStage::live && !closed_; }
    User *user() const { return user_; }
    const std::string &jid() const { return jid_; }  // "" until known
    // IQs handled since login, this one included (the fault drop_after iq:N).
    int count_iq() { return ++iqs_after_login_; }

    // Presence (§10): whether the session is available, and the presence
    // it last broadcast.
    bool available() const { return available_; }
    const std::string &presence() const { return presence_; }
    void set_presence(bool available, std::string stanza);

    // The whole answer to a connection past --max-connections (RFC 6120
    // §4.9.3.16 resource-constraint), before reading anything.
    static std::string refusal(const std::string &chat_host);

private:
    void schedule_removal();
    void write_now(const std::string &text);
    void abort();
    void ended();
    void schedule_outbox();
    void flush_outbox();
    void new_parser();
    void mark_boundary();
    void read_more();
    static void on_read(GObject *source, GAsyncResult *result, gpointer data);
    void closed_by_peer();
    void received(const char *data, std::size_t size);
    static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                         const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                         int nb_attributes, int nb_defaulted, const xmlChar **attributes);
    static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                       const xmlChar *uri);
    static void on_characters(void *ctx, const xmlChar *text, int length);
    void send_header();
    void stream_opened();
    void handle(const core::Element &stanza);
    void begin_tls();
    static void on_handshake(GObject *source, GAsyncResult *result, gpointer data);

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
    bool closed_ = false;
    std::deque<std::pair<gint64, std::string>> outbox_;  // fault delay_ms: (due, bytes)
    guint outbox_timer_ = 0;

    LoginStage stage_ = LoginStage::unauthenticated;
    User *user_ = nullptr;
    std::string jid_;
    int iqs_after_login_ = 0;
    bool available_ = false;
    std::string presence_;
};

}  // namespace hipchat::emulator
