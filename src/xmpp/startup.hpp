// Startup (protocol reference §6.2): who we are (our full
// name, which rooms need as nick, and mention name), the team, and HipChat's
// auto-join list, with the profile IQ (§6.4) as the fallback for our names.
#pragma once

#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// Startup is asked for as the session starts (before the roster) or at the
// latest on sign-on, falling back to our profile; when it answers our names
// are settled, and once signed on the auto-join list is joined.
void start_after_sign_on(Session &session);
void register_startup_routes();

}  // namespace hipchat::xmpp
