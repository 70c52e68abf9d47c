#include "net/kept-sessions.hpp"

#include <glib.h>

#include <map>

#include "util/c-guard.hpp"

namespace hipchat::net {

namespace {

struct Kept {
    SoupSession *session = nullptr;  // the table's own reference
    std::string proxy;
    unsigned borrowers = 0;
    guint release_timer = 0;  // while nobody borrows it
};

// By account name. Main loop only, like everything libpurple calls.
std::map<std::string, Kept> kept_sessions;

void forget(std::map<std::string, Kept>::iterator it)
{
    if (it->second.release_timer != 0)
        g_source_remove(it->second.release_timer);
    g_object_unref(it->second.session);
    kept_sessions.erase(it);
}

gboolean on_release_timer(gpointer data)
{
    auto *session = static_cast<SoupSession *>(data);
    util::guard("kept session", [session] {
        for (auto it = kept_sessions.begin(); it != kept_sessions.end(); ++it) {
            if (it->second.session == session) {
                it->second.release_timer = 0;  // this source ends by returning FALSE
                forget(it);
                return;
            }
        }
    });
    return FALSE;
}

}  // namespace

SoupSession *borrow_session(const std::string &account_name, const std::string &proxy,
                            SoupSession *(*make)(const std::string &proxy))
{
    auto it = kept_sessions.find(account_name);
    if (it != kept_sessions.end() && it->second.proxy != proxy) {
        forget(it);  // its borrowers keep their own references
        it = kept_sessions.end();
    }
    if (it == kept_sessions.end()) {
        SoupSession *session = make(proxy);
        if (session == nullptr)
            return nullptr;
        it = kept_sessions.emplace(account_name, Kept{session, proxy}).first;
    }
    Kept &entry = it->second;
    if (entry.release_timer != 0) {
        g_source_remove(entry.release_timer);
        entry.release_timer = 0;
    }
    ++entry.borrowers;
    return SOUP_SESSION(g_object_ref(entry.session));
}

void return_session(SoupSession *session)
{
    for (auto &[name, entry] : kept_sessions) {
        if (entry.session == session && --entry.borrowers == 0)
            entry.release_timer =
                g_timeout_add_seconds(kept_session_seconds, on_release_timer, session);
    }
    g_object_unref(session);
}

void release_kept_sessions()
{
    while (!kept_sessions.empty())
        forget(kept_sessions.begin());
}

}  // namespace hipchat::net
