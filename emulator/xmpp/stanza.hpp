// HipChat emulator: small helpers for the stanzas the XMPP server writes
// (namespaces, ids, mids and ts) and for the ones it passes on.
#pragma once

#include <string>
#include <string_view>

#include "core/element.hpp"

namespace hipchat::emulator {

// ` xmlns='URI'`, for a namespace of core/namespaces.hpp in a stanza we write.
std::string xmlns(const char *uri);

// `bytes` random bytes in hex: stream and push ids, tokens, room versions.
std::string random_hex(int bytes);

// A new server message id (§8.2: a UUID).
std::string new_mid();

// Now as a ts: Unix time with microseconds (§8.2).
double now_ts();

// A ts as HipChat writes it, "%.6f" (§8.2).
std::string ts_text(double ts);

// `stanza` as the server passes it on: the sender's own `from` (if any)
// replaced by `from`, the one the server knows (RFC 6120 §8.1.2.1).
core::Element readdressed(const core::Element &stanza, std::string_view from);

}  // namespace hipchat::emulator
