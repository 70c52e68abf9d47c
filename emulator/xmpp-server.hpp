// HipChat emulator: the XMPP side (protocol reference §4-§6, §10): STARTTLS,
// HipChat auth and SASL PLAIN, the roster and HipChat's IQs, presence and
// 1:1 messages between connected users. Single-threaded on the GLib main
// loop; libxml2 push-parses each client's stream.
#pragma once

#include <gio/gio.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "org.hpp"

namespace hipchat::emulator {

struct XmppConfig {
    bool offer_starttls = true;       // false: --no-starttls (a server without TLS)
    bool offer_hipchat_auth = true;   // false: HipChat Server in SASL mode (§5.3)
    bool offer_restart_logic = true;  // false: older servers without authrestartlogic (§4.2)
    int idle_timeout_seconds = 150;   // §4.3
    std::size_t max_stanza_bytes = 256 * 1024;
    std::size_t max_connections = 1000;
};

// Fault injection for tests (docs/emulator.md, control interface).
struct Faults {
    // Close the connection: "features" right after the post-TLS features,
    // "auth" when the auth arrives (unanswered), "success" right after it,
    // "iq" on the first IQ after login (unanswered).
    std::string drop_after;
    // Answer the HipChat auth with <failure><CONDITION/></failure>.
    std::string fail_auth_with;
    // A <success> without its jid attribute (§5.5: clients must cope).
    bool success_without_jid = false;
    // Answer IQs whose payload has this namespace with an internal-server-error.
    std::string error_iq;
};

class Connection;

class XmppServer {
public:
    XmppServer(Organisation &org, GTlsCertificate *certificate, XmppConfig config);
    ~XmppServer();
    XmppServer(const XmppServer &) = delete;
    XmppServer &operator=(const XmppServer &) = delete;

    bool listen(const std::string &address, guint16 port, std::string &error);
    guint16 port() const { return port_; }

    // Control interface.
    std::string status_json() const;
    std::string transcript_json() const;
    Faults faults;
    void disconnect_all();
    // A simulated session of `user` (resource "emulator"): its presence
    // (show "" = available, "unavailable" = offline) and a 1:1 message from
    // it. False when a JID is unknown.
    bool simulate_presence(const std::string &user_jid, const std::string &show,
                           const std::string &status);
    // A roster push (§6.3) to everyone connected: `user` added or changed
    // (kept in the organisation), or removed (subscription='remove').
    void push_roster(const User &user, bool removed);
    bool simulate_message(const std::string &from_jid, const std::string &to_jid,
                          const std::string &body);

    // Used by connections.
    Organisation &org() { return org_; }
    const XmppConfig &config() const { return config_; }
    GTlsCertificate *certificate() const { return certificate_; }
    std::vector<Connection *> sessions_of(const User &user);
    std::vector<Connection *> live_sessions();
    Connection *find_session(const std::string &full_jid);
    std::vector<std::string> simulated_presences() const;
    void remove(Connection *connection);
    void record_transcript(std::uint64_t connection_id, const std::string &who,
                           const std::string &text);

private:
    static gboolean on_incoming(GSocketService *service, GSocketConnection *socket, GObject *source,
                                gpointer data);
    static gboolean on_idle_check(gpointer data);

    Organisation &org_;
    GTlsCertificate *certificate_;
    XmppConfig config_;
    GSocketService *service_ = nullptr;
    guint16 port_ = 0;
    guint idle_timer_ = 0;
    std::uint64_t next_connection_id_ = 1;
    std::vector<std::unique_ptr<Connection>> connections_;
    struct Transcript {
        std::string who;
        std::string text;
    };
    std::map<std::uint64_t, Transcript> transcripts_;
    std::map<std::string, std::string> simulated_presences_;  // full JID -> <presence/>
};

}  // namespace hipchat::emulator
