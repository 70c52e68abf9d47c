// HipChat emulator: the XMPP server (protocol reference §4-§12): the
// listening sockets (STARTTLS and the §4.1 direct-TLS port), the sessions,
// and the front door every stanza comes through: dispatch() hands it to the
// feature that serves it, one file each in this folder (auth, people, rooms,
// room occupants, history, messages, presence, emoticons), IQs through one
// table (iq.cpp). It also keeps the state the features share: who is in which
// room, the stored 1:1 messages, the simulated presences. Single-threaded on
// the GLib main loop.
#pragma once

#include <gio/gio.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/element.hpp"
#include "guests.hpp"
#include "org.hpp"

namespace hipchat::emulator {

// Which MUC nick a join must use (§1, §7.4): the full name, as the evidence
// says, or the mention name, as some community notes report (--nick-rule).
enum class NickRule { full_name, mention_name };

// How a user's own 1:1 messages reach their own sessions (the <echo/> the
// sender asked for, their other devices, their 1:1 history), §8.1, §19.8.
// HipChat's own clients expected them from the partner with the real sender
// in <delay from_jid> (the web client files a message under its `from` and
// names the sender by delay/@from_jid first: message_processor.js 113, 146,
// 684-691; chat_window_store.js filterMessages 1173 confirms a send by that
// echo; bitlbee's HipChat code took self-messages in that form); some
// servers passed them on as sent, from the sender (--own-copies self).
enum class OwnCopies { from_partner, from_self };

struct XmppConfig {
    bool offer_starttls = true;       // false: --no-starttls (a server without TLS)
    bool offer_hipchat_auth = true;   // false: HipChat Server in SASL mode (§5.3)
    bool offer_restart_logic = true;  // false: older servers without authrestartlogic (§4.2)
    // Live room messages name their sender in a from_jid attribute (§8.2);
    // false: --no-from-jid, older HipChat Server ("BTF") versions without it
    // (message_processor.js 698-699), the sender known by the nick alone.
    bool room_from_jid = true;
    int idle_timeout_seconds = 150;  // §4.3
    NickRule nick_rule = NickRule::full_name;
    OwnCopies own_copies = OwnCopies::from_partner;
    // History pages (§9) that also hold up to this many messages at or after
    // `before`, already on the client's screen: the web client de-duplicated
    // pages by mid (chat_window_store.js addNewMessages 196-201), so the real
    // server could send them [INFERRED]. 0: `before` is strictly earlier.
    std::size_t history_overlap = 0;
    // Bounds [UNKNOWN for HipChat]: a larger stanza is a policy-violation stream
    // error, a connection past the count a resource-constraint one (RFC 6120 §4.9.3).
    std::size_t max_stanza_bytes = 256 * 1024;
    std::size_t max_connections = 1000;
    // HipChat's bound (lib/spi.js 79-84): one more session of a user is a
    // policy-violation stream error (stream.cpp go_live).
    std::size_t max_sessions_per_user = 10;
    // Rooms per disco#items page when the client asks for none (§7.1,
    // XEP-0059); 0: no paging at all, every room in one result and <set>
    // ignored, as a server without RSM (what stock XMPP clients can follow).
    std::size_t disco_page_size = 100;
};

// Fault injection for tests (docs/emulator.md, control interface).
struct Faults {
    // Close the connection: "features" right after the post-TLS features,
    // "auth" when the auth arrives (unanswered), "success" right after it,
    // "iq" on the first IQ after login (unanswered), "iq:N" on the Nth.
    std::string drop_after;
    // Hold everything the server writes back for this long.
    int delay_ms = 0;
    // Answer the HipChat auth with <failure><CONDITION/></failure>.
    std::string fail_auth_with;
    // A <success> without its jid attribute (§5.5: clients must cope).
    bool success_without_jid = false;
    // Answer IQs whose payload has this namespace with an internal-server-error.
    std::string error_iq;
    // Never answer IQs whose payload has this namespace (the connection stays up).
    std::string ignore_iq;
    // Answer IQs whose payload has this namespace with service-unavailable,
    // as a server without that feature (e.g. an older HipChat Server without
    // the history IQ [INFERRED]).
    std::string unsupported_iq;
    // Answer IQ gets and sets whose payload has namespace `xmlns` with a
    // result around `payload` as it is: not-well-formed or huge on purpose,
    // for clients' parsers. Before all normal handling, after drop_after.
    struct IqReply {
        std::string xmlns;  // empty: no fault
        std::string payload;
    } reply_iq;
};

class Connection;

// One session in a room (§7.4): occupants are never anonymous, and one user
// may be in a room from several sessions under the same nick.
struct Occupant {
    Connection *session = nullptr;
    std::string nick;      // the user's full name (§1)
    std::string presence;  // the <show>/<status> children of its last room presence (§10.6)
};

// A file shared over the API host (§8.8, rest-server.cpp), for the files
// IQ (shared.cpp).
struct SharedFileRecord {
    std::string chat;  // the room's JID, or chat_key() of the two people
    std::string id, name, description;
    std::uint64_t size = 0, user_id = 0;
    std::int64_t date = 0;  // Unix time
};

class XmppServer {
public:
    XmppServer(Organisation &org, GTlsCertificate *certificate, XmppConfig config);
    ~XmppServer();
    XmppServer(const XmppServer &) = delete;
    XmppServer &operator=(const XmppServer &) = delete;

    bool listen(const std::string &address, guint16 port, std::string &error);
    guint16 port() const { return port_; }
    // §4.1: legacy direct TLS (port 5223 on HipChat): TLS at once, then the
    // post-TLS features. Optional; port 0 is any free port.
    bool listen_direct_tls(const std::string &address, guint16 port, std::string &error);
    guint16 direct_tls_port() const { return direct_tls_port_; }

    Organisation &org() { return org_; }
    const XmppConfig &config() const { return config_; }
    GTlsCertificate *certificate() const { return certificate_; }
    Faults faults;

    // The nick `user` has in rooms under the configured rule (§1, §7.4): the
    // resource of everything they say there.
    const std::string &room_nick(const User &user) const
    {
        return config_.nick_rule == NickRule::mention_name ? user.mention_name : user.name;
    }
    // Called after someone joined a room (the demo starts talking, demo.cpp).
    std::function<void(Room &room, const User &user)> on_join;

    // Sessions: logged in and bound, not closed.
    std::vector<Connection *> live_sessions();
    std::vector<Connection *> sessions_of(const User &user);
    Connection *find_session(const std::string &full_jid);
    // Writes `xml` as it is (malformed or oversized on purpose) to the live
    // sessions of `jid`: every one of a bare JID's, or the full JID's one;
    // through their outboxes, so the delay_ms fault keeps the order. Returns
    // how many got it: 0 for an unknown or offline JID.
    std::size_t send_verbatim(const std::string &jid, const std::string &xml);
    // Closes every connection with a system-shutdown stream error.
    void disconnect_all();
    // Closes every connection at once, without a stream error (fault "now").
    void drop_all();

    // Control interface: the sessions, and what each connection sent.
    std::string status_json() const;
    std::string transcript_json(const std::string &user = {}) const;

    // The front door of every stanza a connection parsed after its TLS: to
    // the login (auth.cpp) until the session is live, then IQs to iq.cpp's
    // table, presences and messages to their features.
    void dispatch(Connection &session, const core::Element &stanza);
    // A connection ended, however: out of its rooms, offline to the others.
    void session_ended(Connection &session);
    // Used by connections.
    void remove(Connection *connection);
    void remove_id(std::uint64_t connection_id);
    void record_transcript(std::uint64_t connection_id, const std::string &who,
                           const std::string &text);

    // State the features share (rooms, messages, presence).
    std::vector<Occupant> &occupants(const Room &room) { return occupancy[room.id]; }
    std::map<std::uint64_t, std::vector<Occupant>> occupancy;  // room id -> its sessions (§7.4)
    // Stored 1:1 messages for users with no session (§16 item 8), as stanzas.
    std::map<std::uint64_t, std::vector<std::string>> offline;  // user id -> messages
    std::map<std::string, std::string> simulated_presences;     // full JID -> <presence/>
    // Guests in rooms (guests.hpp), room id -> guests; their ids, far above
    // the team's, one new id per guest.
    std::map<std::uint64_t, std::vector<Guest>> guests;
    std::uint64_t next_guest_id = 900000;
    std::vector<SharedFileRecord> shared_files;  // oldest first

private:
    static gboolean on_incoming(GSocketService *service, GSocketConnection *socket, GObject *source,
                                gpointer data);
    static gboolean on_incoming_tls(GSocketService *service, GSocketConnection *socket,
                                    GObject *source, gpointer data);
    bool accept(GSocketConnection *socket, bool direct_tls);
    GSocketService *start_service(const std::string &address, guint16 port, guint16 &bound,
                                  GCallback handler, std::string &error);
    static gboolean on_idle_check(gpointer data);

    Organisation &org_;
    GTlsCertificate *certificate_;
    XmppConfig config_;
    GSocketService *service_ = nullptr;
    GSocketService *tls_service_ = nullptr;
    guint16 port_ = 0, direct_tls_port_ = 0;
    guint idle_timer_ = 0;
    std::uint64_t next_connection_id_ = 1;
    std::vector<std::unique_ptr<Connection>> connections_;
    struct Transcript {
        std::string who;
        std::string text;
    };
    std::map<std::uint64_t, Transcript> transcripts_;
};

}  // namespace hipchat::emulator
