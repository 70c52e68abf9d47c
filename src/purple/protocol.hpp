// The protocol info of prpl-hipchat: built by us from the jabber module's
// exported functions plus HipChat wrappers, never copied from prpl-jabber at
// run time (its option lists would be freed twice, and we would depend on
// prpl-jabber having been probed first).
#pragma once

#include <prpl.h>

namespace hipchat::purple {

// Fills the protocol info once, from the plugin's init; returns it for
// PurplePluginInfo::extra_info.
PurplePluginProtocolInfo *init_protocol_info();

// The UI is bitlbee: an IRC gateway running on a server, which shows no
// HTML and has no file dialogs.
bool running_in_bitlbee();

}  // namespace hipchat::purple
