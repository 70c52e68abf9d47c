#include "xmpp/read-state.hpp"

#include <debug.h>

#include <algorithm>
#include <cstdlib>

#include "xmpp/identity.hpp"

namespace hipchat::xmpp {

namespace {

// How long the auto-join waits for the first answer before it goes on
// without the read state.
constexpr unsigned known_wait_ms = 8000;
// The counts of the sign-on's fetch size the login's backlogs for this long.
constexpr gint64 counts_fresh_us = 120 * G_USEC_PER_SEC;
// Marks made within this much of each other go in one PATCH, and PATCHes
// are at least `patch_spacing_ms` apart: a conversation is marked at most
// that often (the web client debounces by 0.5 s; we batch a little more).
constexpr unsigned batch_ms = 1000;
constexpr gint64 patch_spacing_ms = 5000;
// A read state answer of a user with many conversations: 20,000 items of
// about 200 bytes.
constexpr std::size_t max_answer_bytes = 4 * 1024 * 1024;

ReadState &read_state(Session &session)
{
    return session.state<ReadState>();
}

std::string url(Session &session, bool counts)
{
    // §19.4 (readstate_request.js getUrl).
    return "https://" + service_hosts(session).api_host + "/v2/readstate" +
           (counts ? "?expand=items.unreadCount" : "");
}

void run_waiting(Session &session)
{
    auto waiting = std::move(read_state(session).waiting);
    read_state(session).waiting.clear();
    for (auto &then : waiting)
        then(session);
}

void schedule(Session &session, std::int64_t after_ms);

// After a failed request: whether to try again, and when.
void after_failure(Session &session, const net::HttpResponse &response)
{
    ReadState &state = read_state(session);
    const auto answer = core::classify_read_state_status(response.status);
    if (answer == core::ReadStateAnswer::rate_limited ||
        answer == core::ReadStateAnswer::unavailable) {
        const std::int64_t reset = std::strtoll(response.ratelimit_reset.c_str(), nullptr, 10);
        state.backoff_ms = core::read_state_backoff_ms(
            answer, reset, g_get_real_time() / G_USEC_PER_SEC, state.backoff_ms, g_random_int());
        purple_debug_info("hipchat", "Read state: HTTP %u %s; trying again in %lld s\n",
                          response.status, response.error.c_str(),
                          static_cast<long long>(state.backoff_ms / 1000));
        schedule(session, state.backoff_ms);
        return;
    }
    // 404: off for the group; 401: the token is refused; other 4xx: what we
    // send is wrong. The web client stops in each case (readstate_error.js).
    state.stopped = true;
    state.pending.clear();
    purple_debug_warning("hipchat", "Read state: HTTP %u; not used again on this connection\n",
                         response.status);
}

void on_fetched(Session &session, const net::HttpResponse &response)
{
    ReadState &state = read_state(session);
    const bool ok =
        core::classify_read_state_status(response.status) == core::ReadStateAnswer::ok &&
        response.error.empty();
    const auto marks = ok ? core::parse_read_state(response.body) : std::nullopt;
    if (marks) {
        state.phase = ReadState::Phase::known;
        state.known_at = g_get_monotonic_time();
        state.backoff_ms = core::read_state_default_backoff_ms;
        for (const core::ReadMark &mark : *marks) {
            auto &known = state.marks[mark.jid];
            if (known.ts > mark.ts)
                continue;  // ours, made meanwhile, is newer: it goes out
            known = mark;
            state.pending.erase(mark.jid);  // never move HipChat's mark back
        }
        purple_debug_info("hipchat", "Read state: %zu conversations\n", marks->size());
    } else {
        state.phase = ReadState::Phase::unavailable;
        if (ok)
            purple_debug_warning("hipchat", "Read state: an answer that is no read state\n");
        after_failure(session, ok ? net::HttpResponse{400, {}, {}, {}, {}, false} : response);
    }
    run_waiting(session);
    if (!state.pending.empty())
        schedule(session, batch_ms);  // marks made before the answer
}

void fetch(Session &session)
{
    net::HttpClient *http = session.http();
    ReadState &state = read_state(session);
    if (http == nullptr || state.stopped) {
        state.phase = ReadState::Phase::unavailable;
        run_waiting(session);
        return;
    }
    http->get(url(session, true), api_token(session), max_answer_bytes,
              [id = session.id()](net::HttpResponse response) {
                  if (Session *s = Session::find(id))
                      on_fetched(*s, response);
              });
}

void on_patched(Session &session, const net::HttpResponse &response)
{
    ReadState &state = read_state(session);
    state.patching = false;
    auto sent = std::move(state.in_flight);
    state.in_flight.clear();
    if (core::classify_read_state_status(response.status) == core::ReadStateAnswer::ok &&
        response.error.empty()) {
        state.backoff_ms = core::read_state_default_backoff_ms;
        schedule(session, patch_spacing_ms);  // whatever came meanwhile
        return;
    }
    // Sent again with the next PATCH, unless something newer replaced it
    // (index.js reapplyInflightData).
    for (auto &[jid, update] : sent) {
        const auto newer = state.pending.find(jid);
        if (newer == state.pending.end())
            state.pending[jid] = std::move(update);
    }
    after_failure(session, response);
}

// Sends what is pending, as one PATCH.
void flush(Session &session)
{
    ReadState &state = read_state(session);
    if (state.stopped || state.patching || state.pending.empty() ||
        state.phase != ReadState::Phase::known)
        return;
    const gint64 since_ms = (g_get_monotonic_time() - state.last_patch) / 1000;
    if (state.last_patch != 0 && since_ms < patch_spacing_ms) {
        schedule(session, patch_spacing_ms - since_ms);
        return;
    }
    net::HttpClient *http = session.http();
    if (http == nullptr)
        return;
    std::vector<core::ReadUpdate> updates;
    for (const auto &[jid, update] : state.pending)
        updates.push_back(update);
    state.in_flight = std::move(state.pending);
    state.pending.clear();
    state.patching = true;
    state.last_patch = g_get_monotonic_time();
    purple_debug_info("hipchat", "Read state: marking %zu conversations read\n", updates.size());
    // §19.4: JSON patch; the answer's body is not needed (no counts asked).
    http->submit("PATCH", url(session, false), api_token(session), "application/json-patch+json",
                 core::read_state_patch(updates), [id = session.id()](net::HttpResponse response) {
                     if (Session *s = Session::find(id))
                         on_patched(*s, response);
                 });
}

// One timer at a time: a flush, or a retry of the fetch when it failed.
void schedule(Session &session, std::int64_t after_ms)
{
    ReadState &state = read_state(session);
    if (state.timer || state.stopped)
        return;
    state.timer = true;
    session.defer(static_cast<unsigned>(std::clamp<std::int64_t>(after_ms, 0, G_MAXUINT)),
                  [](Session &s) {
                      read_state(s).timer = false;
                      if (read_state(s).phase == ReadState::Phase::unavailable)
                          fetch(s);
                      else
                          flush(s);
                  });
}

}  // namespace

void configure_read_state(Session &session, const ReadStateSettings &settings)
{
    read_state(session).settings = settings;
}

MarkRead mark_read_setting(Session &session)
{
    return read_state(session).settings.mark_read;
}

void fetch_read_state(Session &session)
{
    ReadState &state = read_state(session);
    if (!on_hipchat(session) || api_token(session).empty() ||
        service_hosts(session).api_host.empty() || session.http() == nullptr) {
        state.phase = ReadState::Phase::none;
        return;
    }
    state.phase = ReadState::Phase::fetching;
    // The auto-join waits for the answer, but not for ever.
    session.defer(known_wait_ms, [](Session &s) {
        if (read_state(s).phase == ReadState::Phase::fetching) {
            purple_debug_warning("hipchat", "Read state: no answer yet; going on without it\n");
            run_waiting(s);
        }
    });
    fetch(session);
}

void when_read_state_known(Session &session, std::function<void(Session &)> then)
{
    if (read_state(session).phase == ReadState::Phase::fetching)
        read_state(session).waiting.push_back(std::move(then));
    else
        then(session);
}

const core::ReadMark *read_mark(Session &session, const std::string &jid)
{
    const ReadState &state = read_state(session);
    if (state.phase != ReadState::Phase::known)
        return nullptr;
    const auto it = state.marks.find(jid);
    return it != state.marks.end() ? &it->second : nullptr;
}

bool read_counts_fresh(Session &session)
{
    const ReadState &state = read_state(session);
    return state.phase == ReadState::Phase::known &&
           g_get_monotonic_time() - state.known_at < counts_fresh_us;
}

void mark_read(Session &session, const std::string &jid, const std::string &mid,
               const std::string &ts_text, double ts)
{
    ReadState &state = read_state(session);
    if (state.settings.mark_read == MarkRead::off || state.stopped || jid.empty() ||
        state.phase == ReadState::Phase::none)
        return;
    core::ReadMark &known = state.marks[jid];
    if (known.ts >= ts && (known.mid == mid || known.ts > ts))
        return;  // HipChat has this, or newer
    // Ours from now on: a later join shows nothing before it as unread.
    known.jid = jid;
    known.mid = mid;
    known.ts = ts;
    known.timestamp = core::read_state_timestamp(ts_text, ts);
    known.unread = core::UnreadCount{};
    state.pending[jid] = core::ReadUpdate{jid, mid, known.timestamp, false};
    schedule(session, batch_ms);
}

}  // namespace hipchat::xmpp
