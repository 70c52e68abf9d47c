// The per-connection session: everything prpl-hipchat keeps for one
// PurpleConnection, and the owner of everything asynchronous we start for it.
//
// The jabber module owns the connection's protocol data (its JabberStream), so
// sessions live in a registry keyed by connection, created by our login and
// destroyed by our close. Deferred work never carries a raw pointer: it
// carries the session's id, and finds nothing once the session is gone (a new
// connection can reuse an old one's address).
#pragma once

#include <connection.h>
#include <conversation.h>
#include <glib.h>
#include <roomlist.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <deque>
#include <unordered_set>
#include <memory>
#include <vector>

#include "core/auth.hpp"
#include "core/emoticons.hpp"
#include "core/message.hpp"
#include "core/people.hpp"
#include "core/rooms.hpp"
#include "net/http-client.hpp"

namespace hipchat::xmpp {

struct IqReply;  // xmpp/iq.hpp

using core::ServiceHosts;  // from <success> (§5.5)

enum class AuthMethod { password, token };

// What the account's options say about messages (read at login).
struct MessageSettings {
    bool direct_mentions_only = false;  // only @MentionName and @"Full Name" ping us (§8.6)
    bool plain_text_ui = false;         // the UI strips HTML (bitlbee): links written out
};

// Message ids (mid, §8.2) already shown in one conversation, the oldest
// forgotten first.
class SeenMids {
public:
    // False when `mid` was there already.
    bool insert(const std::string &mid);
    bool contains(const std::string &mid) const { return mids_.count(mid) != 0; }

private:
    static constexpr std::size_t capacity = 5000;
    std::unordered_set<std::string> mids_;
    std::deque<std::string> order_;
};

// What the account's options say about history (read at login).
struct HistorySettings {
    int page = 50;     // messages per /history page (the official client's 50, §9)
    int on_open = 10;  // fetched when a 1:1 conversation opens; 0: none
};

// What the account's options say about rooms (read at login; the keys are in
// purple/account-options.hpp).
struct RoomSettings {
    bool auto_join = true;       // join HipChat's auto-join list after login (§6.2)
    bool show_archived = false;  // archived rooms in the room list (§7.1)
    int join_history = 20;       // messages a room sends on join (<history maxstanzas>, §7.4)
};

enum class LoginStage {
    connecting,      // before the post-TLS features
    authenticating,  // our <auth> sent, waiting for <success>/<failure>
    restarting,      // success with restart_stream: waiting for the new features
    binding,         // bind/session being answered locally
    standard,        // the module does SASL and bind itself (no HipChat auth offered)
    done,
};

class Session {
public:
    static Session &create(PurpleConnection *gc);
    static Session *find(PurpleConnection *gc);
    static Session *find(std::uint64_t id);
    static void destroy(PurpleConnection *gc);

    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;
    ~Session();

    PurpleConnection *connection() const { return gc_; }
    PurpleAccount *account() const { return purple_connection_get_account(gc_); }
    // The account's conversation of `type` called `name`, or nullptr.
    PurpleConversation *find_conversation(PurpleConversationType type,
                                          const std::string &name) const
    {
        return purple_find_conversation_with_account(type, name.c_str(), account());
    }
    // Our JID: the full one from <success>, else the module's (the display
    // name once connected), else the account's username.
    std::string own_jid() const;
    std::string own_bare_jid() const;  // lowercased
    std::uint64_t id() const { return id_; }

    // Runs `work` on a later main-loop turn unless the session is gone by
    // then; the timer is removed with the session.
    void defer(unsigned milliseconds, std::function<void(Session &)> work);

    // Remembers a secret for debug redaction for as long as the session lives.
    void keep_secret_out_of_logs(const std::string &secret);

    // Login state (src/xmpp/auth.cpp).
    LoginStage stage = LoginStage::connecting;
    AuthMethod method = AuthMethod::password;
    std::string resource;            // sent in the auth payload (§5.1)
    std::string stream_host;         // the stream header's 'to'
    std::string stream_header;       // the rewritten header, alive while the module sends it
    bool restart_requested = false;  // we sent restart_stream='true'
    bool drop_next_text = false;     // its text must not reach the server
    gint64 last_sent = 0;            // monotonic time of our last send (keepalive)

    // What <success> told us.
    std::string jid;  // full JID
    ServiceHosts hosts;
    std::string oauth_token;  // REST bearer token (oauth2_token, or the personal token)

    // People (xmpp/people.cpp): who we are, from startup or profile (§6.2).
    std::string own_name;  // full name: our nick in rooms
    std::string own_mention_name;
    std::string team_name;
    std::vector<core::AutoJoinItem> auto_join;
    std::uint64_t group_id = 0;  // the team's id, for guessing room JIDs (§3)
    // Startup (or the profile after it) has answered, or failed: our names
    // are as known as they will be. Joins wait for this (rooms need the full
    // name as nick, §1).
    bool names_settled = false;
    std::vector<std::function<void(Session &)>> waiting_for_names;
    void settle_names();

    // Rooms (xmpp/rooms.cpp).
    RoomSettings room_settings;
    std::vector<core::Room> rooms;  // the room list as last fetched, kept current by pushes
    bool rooms_complete = false;    // `rooms` is a whole list
    struct RoomFetch {              // a room-list fetch under way (one at a time)
        std::vector<core::Room> rooms;
        std::string after;  // the last page's RSM <last>
        int pages = 0;
        std::vector<std::function<void(Session &, const std::vector<core::Room> &)>> on_page;
        std::vector<std::function<void(Session &, const std::string &)>> on_done;
    };
    std::unique_ptr<RoomFetch> room_fetch;
    struct JoinAttempt {
        std::string nick;
        bool retried = false;  // already tried the mention name (§1)
    };
    std::map<std::string, JoinAttempt> joins;  // by room JID, until the room answers
    // The UI's room list we are filling: a reference we hold, dropped when
    // the list is done, cancelled or the session goes.
    PurpleRoomlist *roomlist = nullptr;
    void drop_roomlist();

    // Messages (xmpp/messages.cpp).
    MessageSettings message_settings;
    std::map<std::string, SeenMids> seen_mids;  // by room JID or the other person's bare JID
    std::deque<std::string> pending_echoes;     // ids of our 1:1 messages until they echo
    std::map<std::string, std::string> full_names;  // people's names by bare JID, as shown
    struct Oldest {
        double ts = 0;        // Unix time
        std::string ts_text;  // the message's own `ts` digits, when it had one
    };
    std::map<std::string, Oldest> oldest;  // the oldest message shown, by conversation
    static constexpr std::size_t shared_files_kept = 20;
    std::map<std::string, std::deque<core::SharedFile>> shared_files;  // by conversation

    // History (xmpp/history.cpp): a page being fetched, by conversation.
    struct HistoryFetch {
        bool room = false;
        bool automatic = false;  // on opening a chat, not asked for
        int wanted = 0;
        std::vector<core::Message> messages;  // arrived so far, oldest first
    };
    std::map<std::string, HistoryFetch> history_fetches;
    // 1:1 pages wait for each other: the server may address our own earlier
    // messages to us rather than to the person (§9 shows no 1:1 example),
    // so only the fetch tells whose they are.
    struct WaitingHistory {
        std::string person;
        int count = 0;
        bool automatic = false;
    };
    std::deque<WaitingHistory> waiting_history;
    HistorySettings history_settings;

    // Emoticons (xmpp/emoticons.cpp): the team's list, and the conversations
    // waiting for an image being downloaded, by shortcut.
    core::EmoticonList emoticons;
    std::string emoticon_dir;  // where the list and images are kept (made on first use)
    struct EmoticonWaiter {
        PurpleConversationType type;
        std::string conversation;
        std::string smile;  // "(shortcut)"
    };
    std::map<std::string, std::vector<EmoticonWaiter>> emoticon_fetches;

    // HTTP (avatars, emoticons and files): created on first use.
    net::HttpClient *http();
    struct AvatarFetch {
        std::string jid, url;
    };
    std::deque<AvatarFetch> avatar_queue;
    int avatars_in_flight = 0;

    // Our IQs awaiting a reply, by id (xmpp/iq.cpp).
    struct PendingIq {
        std::string to;
        std::function<void(Session &, const IqReply &)> done;
    };
    std::map<std::string, PendingIq> pending_iqs;

private:
    Session(PurpleConnection *gc, std::uint64_t id) : gc_(gc), id_(id) {}

    struct Deferred;
    static int run_deferred(void *data);

    PurpleConnection *const gc_;
    const std::uint64_t id_;
    std::map<unsigned, Deferred *> timers_;
    std::vector<std::string> secrets_;
    std::unique_ptr<net::HttpClient> http_;
    bool http_unavailable_ = false;
};

}  // namespace hipchat::xmpp
