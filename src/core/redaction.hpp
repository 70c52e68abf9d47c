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

// The same for a stream printed a chunk at a time, as the jabber module
// prints every read ("Recv (ssl)(N): …"): a secret split between two reads
// (`oauth2_tok` | `en='AB` | `CD'/>`) is redacted in both. It looks back at
// the end of the chunks before, and when one ends inside a secret's value,
// masks the start of the next chunks up to that value's end. Chunks of
// another stream that come in between may be masked too much, never too
// little; a secret cut in the middle of its first four characters shows
// those.
class ChunkRedactor {
public:
    std::string redact(std::string_view chunk, const std::vector<std::string> &forms);

private:
    std::string carry_;    // the end of the chunks before
    std::string pending_;  // a value left open: what ends it
    int pending_age_ = 0;  // chunks it has waited
};

}  // namespace hipchat::core
