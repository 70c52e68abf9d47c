// Keeping passwords and tokens out of debug output.
//
// The jabber module prints everything it receives before any plugin sees it
// (jabber-bridge notes), so a token the server sends us (the oauth2_token on
// <success>, the startup IQ's <token>) reaches the debug log before we know
// it. Redaction therefore works two ways: by known secrets (the account's
// password and token, in every form they could be printed), and by the places
// in HipChat's protocol that carry secrets, whatever their value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hipchat::core {

inline constexpr std::string_view redacted_marker = "[redacted]";

// The forms of `secret` that could appear in a log line: the text itself, its
// XML-escaped and percent-encoded forms, and the stretches of base64 it
// produces at each of the three byte alignments inside a longer payload.
// Forms shorter than four characters are left out (they would redact
// ordinary text).
std::vector<std::string> secret_forms(std::string_view secret);

// `text` with every occurrence of `forms` and every secret-carrying value
// (oauth2_token attributes, <token> elements, <auth> payloads, Bearer
// credentials, auth_token parameters) replaced by redacted_marker.
std::string redact(std::string_view text, const std::vector<std::string> &forms);

}  // namespace hipchat::core
