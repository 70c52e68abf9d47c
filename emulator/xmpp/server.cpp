#include "server.hpp"

#include "core/files.hpp"
#include "core/text.hpp"
#include "auth.hpp"
#include "iq.hpp"
#include "messages.hpp"
#include "presence.hpp"
#include "room-occupants.hpp"
#include "stream.hpp"

#include <algorithm>

namespace hipchat::emulator {

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

// --- Listening ------------------------------------------------------------------

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

// --- Sessions -----------------------------------------------------------------

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
        session->send(xml);
    return targets.size();
}

void XmppServer::disconnect_all()
{
    for (auto &c : connections_)
        c->close("system-shutdown");
}

void XmppServer::drop_all()
{
    std::vector<Connection *> all;
    for (auto &c : connections_)
        all.push_back(c.get());
    for (Connection *c : all)
        c->drop();
}

void XmppServer::record_transcript(std::uint64_t connection_id, const std::string &who,
                                   const std::string &text)
{
    auto &entry = transcripts_[connection_id];
    if (!who.empty())
        entry.who = who;
    entry.text += text;
}

std::string XmppServer::status_json() const
{
    std::string out = "{\"sessions\":[";
    bool first = true;
    for (const auto &c : connections_) {
        if (!c->live() || c->jid().empty())
            continue;
        out += std::string(first ? "" : ",") + "{\"user\":" + core::json_string(c->user()->email) +
               ",\"resource\":" + core::json_string(core::jid_resource(c->jid())) +
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
               ",\"user\":" + core::json_string(t.who) +
               ",\"received\":" + core::json_string(t.text) + "}";
        first = false;
    }
    return out + "]}";
}

// --- The front door -------------------------------------------------------------

void XmppServer::dispatch(Connection &session, const core::Element &stanza)
{
    if (session.stage() == LoginStage::unauthenticated) {
        handle_login(session, stanza);
        return;
    }
    const bool live = session.stage() == LoginStage::live;
    if (stanza.name == "iq")
        dispatch_iq(session, stanza);  // also the bind after SASL (§5.3)
    else if (stanza.name == "presence" && live)
        handle_presence(session, stanza);
    else if (stanza.name == "message" && live)
        handle_message(session, stanza);
    // Anything else (a stray <r/>, §4.3) is tolerated and ignored.
}

void XmppServer::session_ended(Connection &session)
{
    leave_all_rooms(session);
    went_offline(session);
}

}  // namespace hipchat::emulator
