// HipChat's read state (protocol reference §19.4): for every room and 1:1
// chat of a user, the last message they have read, shared by all of their
// clients through the REST API (`GET`/`PATCH /v2/readstate`). The official
// web client's core/rest/readstate/ (index.js, readstate_request.js,
// readstate_error.js) is the evidence for every rule here.
//
// Pure: reading the GET answer, writing the PATCH body, what an answer's
// status means and how long to wait after it, and which of a conversation's
// messages are unread. The plugin does the HTTP (xmpp/read-state.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hipchat::core {

// `unreadCount` of an item when asked for with ?expand=items.unreadCount.
struct UnreadCount {
    int count = 0;
    int mentions = 0;
    bool includes_mention = false;
};

// One item of the read state: the conversation and its last read message.
struct ReadMark {
    std::string jid;        // `xmppJid`: the room's or the other person's bare JID, lowercased
    std::string mid;        // the last message read; "" for none (READSTATE_NULL_MID)
    std::string timestamp;  // as sent: Unix seconds with six decimals ("0.0": none)
    double ts = 0;          // parsed; 0 when absent or malformed
    std::optional<UnreadCount> unread;
};

// At most this many items are read from an answer; the rest are dropped.
inline constexpr std::size_t max_read_marks = 20000;

// The items of a GET answer (`{"items":[…]}`); items without an `xmppJid`
// (or with one that is no JID) are skipped. nullopt when the body is not
// such an object.
std::optional<std::vector<ReadMark>> parse_read_state(std::string_view json);

// One change for the PATCH: a conversation read up to `mid` at `timestamp`
// (`op` add), or forgotten (`op` remove).
struct ReadUpdate {
    std::string jid;
    std::string mid;
    std::string timestamp;  // six decimals (read_state_timestamp)
    bool remove = false;
};

// The PATCH body, application/json-patch+json:
// [{"op":"add","path":"/<jid>","value":{"mid":"…","timestamp":"…"}},
//  {"op":"remove","path":"/<jid>"}].
std::string read_state_patch(const std::vector<ReadUpdate> &updates);

// A message's time as the read state writes it: Unix seconds with exactly
// six decimals (the web client's timestamp.toFixed(6)), from the message's
// own `ts` digits when it has them (exact), else from `ts`; "0.0" (the web
// client's READSTATE_NULL_TS) when neither is usable.
std::string read_state_timestamp(std::string_view ts_text, double ts);

// What an answer's status means (readstate_error.js handleRequestErrors).
enum class ReadStateAnswer {
    ok,            // 2xx
    unauthorized,  // 401: wait for another token (we have no other: stop)
    disabled,      // 404: read state is off for the group; stop until reconnect
    rate_limited,  // 429: try again when the limit resets
    bad_request,   // any other 4xx: our data is wrong; drop it and stop
    unavailable,   // 0 (no answer) or 5xx: try again later, backing off
};
ReadStateAnswer classify_read_state_status(unsigned status);

// The web client's constants (core/common/constants.js).
inline constexpr std::int64_t read_state_default_backoff_ms = 5 * 1000;
inline constexpr std::int64_t read_state_max_backoff_ms = 5 * 60 * 1000;
inline constexpr std::int64_t read_state_backoff_factor = 3;

// How long to wait before trying again after `answer`, in milliseconds
// (index.js updateBackoffInterval): after a 429, until X-Ratelimit-Reset
// (`reset`, Unix seconds; 0 when absent) plus five seconds by the server's
// clock `now` (at most an hour, where the web client sets no bound);
// otherwise, and when the reset is past, a decorrelated jitter between the
// default and three times the last wait (`previous_ms`), at most five
// minutes. `random` picks within that range (uniform in [0, 2^32) gives the
// web client's spread).
std::int64_t read_state_backoff_ms(ReadStateAnswer answer, std::int64_t reset, std::int64_t now,
                                   std::int64_t previous_ms, std::uint32_t random);

// A conversation's messages as the join backlog or a history page gave
// them, oldest first: which of them the user has not read, given their read
// mark. A message is read when it is the marked one or older than it;
// messages without a time count as unread only after the marked one was
// seen among them.
struct Dated {
    std::string mid;
    double ts = 0;  // 0 when unknown
};
// The index of the first unread message in `messages` (messages.size() when
// all are read).
std::size_t first_unread(const std::vector<Dated> &messages, const ReadMark &mark);

}  // namespace hipchat::core
