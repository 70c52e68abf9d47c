// HipChat's read state on the REST API (protocol reference §19.4; the
// official web client's core/rest/readstate/index.js): what the user has
// read in each room and 1:1 chat, shared by all of their clients.
//
// Fetched once at sign-on, with the unread counts, before the auto-join
// list is joined (when_read_state_known). Conversations read here are
// marked with mark_read(): the marks are batched, sent as one PATCH at most
// every few seconds, retried after 5xx and timeouts with the web client's
// jittered backoff, after a 429 when X-Ratelimit-Reset says, and given up
// for the connection on 404 (read state off for the group), 401 and other
// 4xx answers. Nothing is sent while the first fetch has not answered.
#pragma once

#include <glib.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/read-state.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// When this client tells HipChat a conversation was read (the account
// option mark_read).
enum class MarkRead {
    on,     // when the user looks at it (where the UI knows) and when they write in it
    speak,  // only when they write in it
    off,    // never; what others marked read is still used
};

struct ReadStateSettings {
    MarkRead mark_read = MarkRead::on;
};

// What read-state.cpp keeps for a connection (Session::state<ReadState>()).
struct ReadState {
    ReadStateSettings settings;
    enum class Phase {
        none,         // not asked for (a plain XMPP server, no token)
        fetching,     // the first answer has not come
        known,        // `marks` holds the server's read state
        unavailable,  // no read state this time (an error; retried unless stopped)
    };
    Phase phase = Phase::none;
    gint64 known_at = 0;  // monotonic µs of the last successful fetch
    // By conversation JID: the server's marks, and ours once we marked.
    std::map<std::string, core::ReadMark> marks;
    std::map<std::string, core::ReadUpdate> pending;    // not sent yet
    std::map<std::string, core::ReadUpdate> in_flight;  // in the PATCH under way
    bool patching = false;
    bool timer = false;     // a flush or a retry is scheduled
    bool stopped = false;   // 404, 401, 4xx: no more requests on this connection
    gint64 last_patch = 0;  // monotonic µs
    std::int64_t backoff_ms = core::read_state_default_backoff_ms;
    std::vector<std::function<void(Session &)>> waiting;  // for the first answer
};

void configure_read_state(Session &session, const ReadStateSettings &settings);
MarkRead mark_read_setting(Session &session);

// At sign-on: asks for the read state with its counts. Without HipChat's
// API (a plain XMPP server, no token, no HTTP) there is none.
void fetch_read_state(Session &session);
// Runs `then` (on a later main-loop turn at the latest) once the first
// answer came, or failed, or took longer than a few seconds.
void when_read_state_known(Session &session, std::function<void(Session &)> then);

// The conversation's mark, or nullptr when there is no read state or the
// conversation is not in it.
const core::ReadMark *read_mark(Session &session, const std::string &jid);
// The counts of the sign-on's fetch are recent enough to size the login's
// backlogs by (conversations joined later filter by their marks).
bool read_counts_fresh(Session &session);

// `jid` has been read up to the message `mid` sent at `ts_text` (its own
// `ts` digits; `ts` when it has none). Nothing happens when that is not
// newer than what HipChat already has, or mark_read is off.
void mark_read(Session &session, const std::string &jid, const std::string &mid,
               const std::string &ts_text, double ts);

}  // namespace hipchat::xmpp
