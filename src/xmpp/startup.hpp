// Startup (protocol reference §6.2): after sign-on, who we are (our full
// name, which rooms need as nick, and mention name), the team, and HipChat's
// auto-join list, with the profile IQ (§6.4) as the fallback for our names.
#pragma once

#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// Asks for startup (falling back to our profile); when it answers, our names
// are settled and the auto-join list is joined.
void request_startup(Session &session);

}  // namespace hipchat::xmpp
