// The per-connection session: the owner of everything asynchronous
// prpl-hipchat starts for one PurpleConnection, and the home of each
// feature's state for that connection.
//
// The jabber module owns the connection's protocol data (its JabberStream), so
// sessions live in a registry keyed by connection, created by our login and
// destroyed by our close. Deferred work never carries a raw pointer: it
// carries the session's id, and finds nothing once the session is gone (a new
// connection can reuse an old one's address).
//
// The session itself keeps only the lifetime machinery: deferred work, our
// IQs awaiting replies, the HTTP client and the secrets kept out of the logs.
// What a feature knows about the connection is a struct declared in that
// feature's header (xmpp/rooms.hpp's RoomsState, …), held here through
// state<T>() and reached by other layers through the feature's functions.
#pragma once

#include <connection.h>
#include <conversation.h>
#include <glib.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "net/http-client.hpp"

namespace hipchat::xmpp {

struct IqReply;  // xmpp/iq.hpp

class Session {
public:
    static Session &create(PurpleConnection *gc);
    static Session *find(PurpleConnection *gc);
    static Session *find(std::uint64_t id);
    // The session of a conversation's connection, or nullptr.
    static Session *of(PurpleConversation *conv);
    static void destroy(PurpleConnection *gc);

    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;
    ~Session();

    PurpleConnection *connection() const { return gc_; }
    PurpleAccount *account() const { return purple_connection_get_account(gc_); }
    std::uint64_t id() const { return id_; }
    // The account's conversation of `type` called `name`, or nullptr.
    PurpleConversation *find_conversation(PurpleConversationType type,
                                          const std::string &name) const
    {
        return purple_find_conversation_with_account(type, name.c_str(), account());
    }

    // The state feature T keeps for this connection: made (value-initialised)
    // on first use, destroyed with the session, the newest first, while the
    // connection is still there.
    template <typename T>
    T &state()
    {
        const void *key = state_key<T>();
        for (auto &slot : states_) {
            if (slot.key == key)
                return *static_cast<T *>(slot.object.get());
        }
        states_.push_back({key, {new T(), [](void *object) { delete static_cast<T *>(object); }}});
        return *static_cast<T *>(states_.back().object.get());
    }

    // Runs `work` on a later main-loop turn unless the session is gone by
    // then; the timer is removed with the session.
    void defer(unsigned milliseconds, std::function<void(Session &)> work);

    // Remembers a secret for debug redaction for as long as the session lives.
    void keep_secret_out_of_logs(const std::string &secret);

    // HTTP (avatars, emoticons and files): created on first use; nullptr when
    // libsoup cannot be used in this process.
    net::HttpClient *http();

    // Our IQs awaiting a reply, by id (xmpp/iq.cpp).
    struct PendingIq {
        std::string to;
        std::function<void(Session &, const IqReply &)> done;
    };
    std::map<std::string, PendingIq> pending_iqs;

private:
    Session(PurpleConnection *gc, std::uint64_t id) : gc_(gc), id_(id) {}

    template <typename T>
    static const void *state_key()
    {
        static const char key = 0;
        return &key;
    }
    struct StateSlot {
        const void *key;
        std::unique_ptr<void, void (*)(void *)> object;
    };

    struct Deferred;
    static int run_deferred(void *data);

    PurpleConnection *const gc_;
    const std::uint64_t id_;
    std::map<unsigned, Deferred *> timers_;
    std::vector<std::string> secrets_;
    std::unique_ptr<net::HttpClient> http_;
    bool http_unavailable_ = false;
    std::vector<StateSlot> states_;
};

}  // namespace hipchat::xmpp
