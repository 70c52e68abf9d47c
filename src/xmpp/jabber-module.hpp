// prpl-hipchat on top of libpurple's jabber module (docs/ARCHITECTURE.md,
// shared jabber-bridge notes): the module does TLS, SASL, roster, presence,
// MUC and disco; we give it our own protocol info and add what HipChat does
// differently. This file is where the features are put together: the
// module's lifetime on our plugin, the front door's routes, and the login.
#pragma once

#include <account.h>
#include <plugin.h>
#include <prpl.h>

#include <string>

#include "xmpp/history.hpp"
#include "xmpp/messages.hpp"
#include "xmpp/read-state.hpp"
#include "xmpp/rooms.hpp"

namespace hipchat::xmpp {

// jabber_plugin_init/uninit on our plugin: the module registers its jabber-*
// signals on us and connects its own stanza sender (without it nothing is
// ever sent). Reference counted inside the module, so prpl-jabber and
// prpl-hipchat coexist. attach_module also connects the front door
// (router.hpp) and registers every feature's routes; unload disconnects our
// handlers by the plugin's handle first.
void attach_module(PurplePlugin *plugin);
void detach_module(PurplePlugin *plugin);

// The module's own implementations of the standard XMPP operations, and our
// close, for the protocol table, which purple/protocol.cpp fills in one
// place. Operations HipChat does not have (SI file transfer, in-band
// registration, Jingle, roster editing) are not here.
struct ModuleOperations {
    decltype(PurplePluginProtocolInfo::list_emblem) list_emblem;
    decltype(PurplePluginProtocolInfo::status_text) status_text;
    decltype(PurplePluginProtocolInfo::close) close;
    decltype(PurplePluginProtocolInfo::send_im) send_im;
    decltype(PurplePluginProtocolInfo::set_status) set_status;
    decltype(PurplePluginProtocolInfo::set_idle) set_idle;
    decltype(PurplePluginProtocolInfo::chat_leave) chat_leave;
    decltype(PurplePluginProtocolInfo::keepalive) keepalive;
    decltype(PurplePluginProtocolInfo::convo_closed) convo_closed;
    decltype(PurplePluginProtocolInfo::normalize) normalize;
    decltype(PurplePluginProtocolInfo::get_cb_real_name) get_cb_real_name;
    decltype(PurplePluginProtocolInfo::set_chat_topic) set_chat_topic;
    decltype(PurplePluginProtocolInfo::offline_message) offline_message;
    decltype(PurplePluginProtocolInfo::send_raw) send_raw;
};
const ModuleOperations &module_operations();

// What the account's options say, read by purple/protocol.cpp's login.
struct LoginRequest {
    std::string resource;     // sent inside the HipChat auth payload
    std::string token;        // personal API token: mechanism='oauth2' instead of the password
    std::string stream_host;  // where the stream header is addressed before <success>;
                              // empty: leave the module's (the username's domain)
    bool irc_ui = false;      // the UI is bitlbee (conversations.hpp's UiState)
    RoomSettings rooms;
    MessageSettings messages;
    HistorySettings history;
    ReadStateSettings read_state;
};

// Creates the connection's session and starts the module's login, after
// pinning the module-internal settings that must not vary on HipChat (TLS
// required, no plaintext auth, no BOSH).
void start_login(PurpleAccount *account, const LoginRequest &request);

}  // namespace hipchat::xmpp
