// HipChat presence (protocol reference §10) on top of the module's XMPP
// presence: the same <show> values mean different things on HipChat.
//
//   HipChat        wire            libpurple
//   Available      show=chat       available
//   Idle (auto)    show=away       available + idle time
//   Away           show=xa         away
//   Do not disturb show=dnd        dnd ("Do Not Disturb")
//   Mobile         unavailable +   offline + the independent "mobile" status
//                  mobile marker
//
// Incoming presences are rewritten into what the module understands before
// it parses them; our outgoing ones are rewritten into HipChat's values.
#pragma once

#include <account.h>
#include <glib.h>
#include <plugin.h>

namespace hipchat::xmpp {

// The statuses a HipChat account offers and shows.
GList *status_types(PurpleAccount *account);

// Incoming presences rewritten for the module, outgoing ones for HipChat.
void register_presence_routes();

}  // namespace hipchat::xmpp
