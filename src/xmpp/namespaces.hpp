// XML namespaces of the stanzas we handle (protocol reference §2).
#pragma once

namespace hipchat::xmpp::ns {

inline constexpr const char *streams = "http://etherx.jabber.org/streams";
inline constexpr const char *sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
inline constexpr const char *bind = "urn:ietf:params:xml:ns:xmpp-bind";
inline constexpr const char *session = "urn:ietf:params:xml:ns:xmpp-session";
// HipChat's own: the auth element and feature, authrestartlogic (§5).
inline constexpr const char *hipchat = "http://hipchat.com";

}  // namespace hipchat::xmpp::ns
