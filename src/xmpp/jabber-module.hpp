// prpl-hipchat on top of libpurple's jabber module (docs/ARCHITECTURE.md,
// shared jabber-bridge notes): the module does TLS, SASL, roster, presence,
// MUC and disco; we give it our own protocol info and add what HipChat does
// differently.
#pragma once

#include <plugin.h>
#include <prpl.h>

#include "xmpp/auth.hpp"

namespace hipchat::xmpp {

// jabber_plugin_init/uninit on our plugin: the module registers its jabber-*
// signals on us and connects its own stanza sender (without it nothing is
// ever sent). Reference counted inside the module, so prpl-jabber and
// prpl-hipchat coexist. attach_module also connects our handlers to those
// signals; unload disconnects them by the plugin's handle first.
void attach_module(PurplePlugin *plugin);
void detach_module(PurplePlugin *plugin);

// Fills the standard XMPP operations of `info` with the module's exported
// functions. HipChat-specific fields (options, icon, login, and whatever a
// later feature wraps) are the caller's; operations HipChat does not have
// (SI file transfer, in-band registration, Jingle, roster editing) stay unset.
void fill_standard_operations(PurplePluginProtocolInfo &info);

// Creates the connection's session and starts the module's login, after
// pinning the module-internal settings that must not vary on HipChat (TLS
// required, no plaintext auth, no BOSH).
void start_login(PurpleAccount *account, const LoginRequest &request);

}  // namespace hipchat::xmpp
