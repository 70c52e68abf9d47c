// The HipChat auth exchange as plain data (protocol reference §5): what we
// send in <auth xmlns='http://hipchat.com'>, how the stream header is
// addressed, and what the server's <success> or <failure> says. No XML
// library and no libpurple here: src/xmpp/auth.cpp hands us core::Elements.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/element.hpp"

namespace hipchat::core {

// base64("\0" login "\0" password "\0" resource) for the password form (§5.1).
std::string password_auth_payload(std::string_view login, std::string_view password,
                                  std::string_view resource);

// base64("\0" token "\0" resource) for mechanism='oauth2' (§5.2).
std::string token_auth_payload(std::string_view token, std::string_view resource);

// The server's side of both (the emulator's, §5.1-§5.3 and SASL PLAIN): the
// base64 text decoded (GLib's decoder, which skips characters outside the
// alphabet) and split at every NUL, so a password payload gives "", login,
// password, resource. At least one field: "" for an empty text.
std::vector<std::string> auth_payload_fields(std::string_view base64);

// Overwrites a string that held a secret before it is released.
void wipe(std::string &secret) noexcept;

// The module opens every stream with <stream:stream to='DOMAIN' ...>, where
// DOMAIN is the username's domain (the e-mail's). Returns the header addressed
// to `host` instead, or nullopt when `header` is not a stream header.
std::optional<std::string> readdress_stream_header(std::string_view header, std::string_view host);

// The hosts <success> names (§5.5). One the server did not send, or sent in
// a shape we cannot use, is empty: its users fall back to their defaults
// (e.g. conf.<domain> for rooms).
struct ServiceHosts {
    std::string api_host;   // REST base: https://<api_host>/v2/
    std::string chat_host;  // the XMPP domain
    std::string muc_host;   // where rooms live
    std::string web_host;   // the website
};

// What <success> says after HipChat auth (§5.5).
struct AuthSuccess {
    std::string jid;  // our full JID (a bare one is accepted too)
    ServiceHosts hosts;
    std::string oauth2_token;  // a secret; "" unless the server sent one (we ask, §5.1)
};

// The `jid`, host and `oauth2_token` attributes of a <success> (its name and
// namespace are the caller's to check). nullopt when the JID is missing or
// not plausible (is_plausible_jid): without it we do not know who we are.
// Hosts that are not plausible (is_plausible_host) are left empty; the token
// is taken as it is.
std::optional<AuthSuccess> parse_auth_success(const Element &success);

// A plausible full or bare JID: valid UTF-8 without white space or control
// characters, "node@domain" or "node@domain/resource" with a non-empty node,
// domain and (when there is a '/') resource, and one '@' before any '/'.
bool is_plausible_jid(std::string_view jid);

// A plausible host with an optional port: one or more dot-separated
// non-empty labels of ASCII letters, digits and '-', then optionally ':' and
// a port of 1 to 65535 written in digits ("api.hipchat.com",
// "127.0.0.1:8443"). No scheme, path, user, white space or IPv6 literal.
bool is_plausible_host(std::string_view host);

// Why a <failure> refused the login (§5.6).
struct AuthFailure {
    // The name of its first child element other than <text>, e.g.
    // "not-authorized"; "" when it has none.
    std::string condition;
    std::string text;  // its <text>'s character data as sent; "" when absent
};

// Any element is accepted (its name and namespace are the caller's to check);
// children are matched by name whatever their namespace.
AuthFailure parse_auth_failure(const Element &failure);

}  // namespace hipchat::core
