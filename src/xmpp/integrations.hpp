// HipChat's integration pushes (protocol reference §8.10): the add-ons
// installed in a room and their glances, JSON in an IQ set. The official
// client refreshed its integrations panel and glances with them
// (iq_processor.js __handleIntegrations, __handleIntegrationsUiPush 248-270);
// a libpurple UI has neither, so they are acknowledged and left alone, not
// answered with the module's error for an unknown IQ.
#pragma once

namespace hipchat::xmpp {

// Takes integration pushes from our server (router.hpp, Precedence::pushes).
void register_integration_routes();

}  // namespace hipchat::xmpp
