#include "xmpp/keepalive.hpp"

#include <account.h>
#include <connection.h>

#include "xmpp/jabber-api.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

namespace {

int interval_seconds(Session &session)
{
    PurpleAccount *account = session.account();
    const int seconds =
        purple_account_get_int(account, keepalive_setting, default_keepalive_seconds);
    return seconds > 0 ? seconds : default_keepalive_seconds;
}

void schedule_keepalive(Session &session)
{
    const int seconds = interval_seconds(session);
    session.defer(static_cast<unsigned>(seconds) * 1000, [seconds](Session &s) {
        const gint64 quiet_for = g_get_monotonic_time() - s.state<KeepaliveState>().last_sent;
        if (quiet_for >= gint64{seconds} * G_USEC_PER_SEC) {
            if (JabberStream *js = stream_of(s))
                jabber_send_raw(js, " ", -1);
        }
        schedule_keepalive(s);
    });
}

}  // namespace

void note_sent(Session &session)
{
    session.state<KeepaliveState>().last_sent = g_get_monotonic_time();
}

void start_keepalive(Session &session)
{
    schedule_keepalive(session);
}

}  // namespace hipchat::xmpp
