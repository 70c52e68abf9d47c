// Redacting wrappers around both debug sinks: the UI's PurpleDebugUiOps
// (Pidgin's and Finch's debug windows, bitlbee with BITLBEE_DEBUG) and GLib's
// print handler (libpurple g_print()s every debug line when debugging is
// enabled: `pidgin -d`, `finch --debug`). Installed while the plugin is
// loaded, removed on unload. They redact every line, not only ours: the jabber
// module prints what it sends and receives (core/redaction.hpp).
#pragma once

#include <string>

namespace hipchat::util {

void install_debug_redaction();
void remove_debug_redaction();

// Secrets to redact in every form they could be printed in; reference
// counted, so two accounts with the same password are handled.
void add_secret(const std::string &secret);
void remove_secret(const std::string &secret);

// Runs `body` with libpurple's debug output muted entirely (both sinks), for
// the one send that carries our credentials.
template <typename Body>
void with_debug_muted(Body &&body);

namespace detail {
struct DebugMute {
    DebugMute();
    ~DebugMute();
    DebugMute(const DebugMute &) = delete;
    DebugMute &operator=(const DebugMute &) = delete;
};
}  // namespace detail

template <typename Body>
void with_debug_muted(Body &&body)
{
    detail::DebugMute mute;
    body();
}

}  // namespace hipchat::util
