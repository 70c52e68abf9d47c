#include "xmpp/session.hpp"

#include <debug.h>
#include <eventloop.h>

#include <memory>
#include <unordered_map>

#include "core/auth.hpp"
#include "util/c-guard.hpp"
#include "util/debug-redaction.hpp"
#include "xmpp/jabber-api.hpp"

namespace hipchat::xmpp {

namespace {

std::unordered_map<PurpleConnection *, std::unique_ptr<Session>> &sessions()
{
    static std::unordered_map<PurpleConnection *, std::unique_ptr<Session>> registry;
    return registry;
}

std::uint64_t next_id = 1;

}  // namespace

JabberStream *stream_of(Session &session)
{
    return static_cast<JabberStream *>(purple_connection_get_protocol_data(session.connection()));
}

struct Session::Deferred {
    std::uint64_t session_id;
    unsigned timer = 0;
    std::function<void(Session &)> work;
};

Session &Session::create(PurpleConnection *gc)
{
    auto &registry = sessions();
    registry.erase(gc);  // a stale one would be a bug elsewhere; never reuse it
    auto session = std::unique_ptr<Session>(new Session(gc, next_id++));
    auto &ref = *session;
    registry.emplace(gc, std::move(session));
    return ref;
}

Session *Session::find(PurpleConnection *gc)
{
    auto &registry = sessions();
    const auto it = registry.find(gc);
    return it == registry.end() ? nullptr : it->second.get();
}

Session *Session::find(std::uint64_t id)
{
    for (auto &[gc, session] : sessions()) {
        if (session->id_ == id)
            return session.get();
    }
    return nullptr;
}

void Session::destroy(PurpleConnection *gc)
{
    sessions().erase(gc);
}

Session::~Session()
{
    // Features first, the newest first: their destructors may still reach
    // the connection and the machinery below.
    while (!states_.empty())
        states_.pop_back();
    for (auto &[timer, deferred] : timers_) {
        purple_timeout_remove(timer);
        delete deferred;
    }
    for (auto &secret : secrets_) {
        util::remove_secret(secret);
        core::wipe(secret);
    }
}

Session *Session::of(PurpleConversation *conv)
{
    PurpleConnection *gc = conv != nullptr ? purple_conversation_get_gc(conv) : nullptr;
    return gc != nullptr ? find(gc) : nullptr;
}

void Session::defer(unsigned milliseconds, std::function<void(Session &)> work)
{
    auto *deferred = new Deferred{id_, 0, std::move(work)};
    deferred->timer = purple_timeout_add(milliseconds, run_deferred, deferred);
    timers_.emplace(deferred->timer, deferred);
}

int Session::run_deferred(void *data)
{
    auto *deferred = static_cast<Deferred *>(data);
    // The session removes its timers when it goes, so it is still here; look
    // it up by id all the same rather than trusting a pointer.
    Session *session = find(deferred->session_id);
    std::unique_ptr<Deferred> owned(deferred);
    if (session == nullptr)
        return FALSE;
    session->timers_.erase(deferred->timer);
    util::guard("deferred work", [&] { owned->work(*session); });
    return FALSE;
}

net::HttpClient *Session::http()
{
    if (http_ == nullptr && !http_unavailable_) {
        std::string error;
        http_ = net::HttpClient::create(purple_connection_get_account(gc_), error);
        if (http_ == nullptr) {
            http_unavailable_ = true;
            purple_debug_error("hipchat", "%s\n", error.c_str());
        }
    }
    return http_.get();
}

void Session::keep_secret_out_of_logs(const std::string &secret)
{
    if (secret.empty())
        return;
    util::add_secret(secret);
    secrets_.push_back(secret);
}

}  // namespace hipchat::xmpp
