// The HipChat auth exchange as plain data (protocol reference §5): what we
// send in <auth xmlns='http://hipchat.com'> and how the stream header is
// addressed. No XML library and no libpurple here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hipchat::core {

// base64("\0" login "\0" password "\0" resource) for the password form (§5.1).
std::string password_auth_payload(std::string_view login, std::string_view password,
                                  std::string_view resource);

// base64("\0" token "\0" resource) for mechanism='oauth2' (§5.2).
std::string token_auth_payload(std::string_view token, std::string_view resource);

// Overwrites a string that held a secret before it is released.
void wipe(std::string &secret) noexcept;

// The module opens every stream with <stream:stream to='DOMAIN' ...>, where
// DOMAIN is the username's domain (the e-mail's). Returns the header addressed
// to `host` instead, or nullopt when `header` is not a stream header.
std::optional<std::string> readdress_stream_header(std::string_view header, std::string_view host);

}  // namespace hipchat::core
