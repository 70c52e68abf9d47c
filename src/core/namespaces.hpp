// Every XML namespace prpl-hipchat and the emulator use, in one place
// (protocol reference §2 and the sections named). C strings, because
// libpurple's xmlnode and libxml2 take them; they compare with
// std::string_view as they are.
#pragma once

namespace hipchat::ns {

// The stream and its negotiation (RFC 6120).
inline constexpr const char *client = "jabber:client";
inline constexpr const char *streams = "http://etherx.jabber.org/streams";
inline constexpr const char *stream_errors = "urn:ietf:params:xml:ns:xmpp-streams";
inline constexpr const char *tls = "urn:ietf:params:xml:ns:xmpp-tls";
inline constexpr const char *sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
inline constexpr const char *bind = "urn:ietf:params:xml:ns:xmpp-bind";
inline constexpr const char *session = "urn:ietf:params:xml:ns:xmpp-session";
inline constexpr const char *stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";
inline constexpr const char *iq_auth = "jabber:iq:auth";  // XEP-0078 (§5.4)
inline constexpr const char *iq_auth_feature = "http://jabber.org/features/iq-auth";  // §4.2

// Standard extensions.
inline constexpr const char *roster = "jabber:iq:roster";
inline constexpr const char *last_activity = "jabber:iq:last";  // idle (§10.2)
inline constexpr const char *vcard = "vcard-temp";
inline constexpr const char *vcard_update = "vcard-temp:x:update";
inline constexpr const char *nick = "http://jabber.org/protocol/nick";
inline constexpr const char *disco_info = "http://jabber.org/protocol/disco#info";
inline constexpr const char *disco_items = "http://jabber.org/protocol/disco#items";
inline constexpr const char *rsm = "http://jabber.org/protocol/rsm";
inline constexpr const char *muc = "http://jabber.org/protocol/muc";
inline constexpr const char *muc_user = "http://jabber.org/protocol/muc#user";
inline constexpr const char *muc_owner = "http://jabber.org/protocol/muc#owner";
inline constexpr const char *delay = "urn:xmpp:delay";
inline constexpr const char *legacy_delay = "jabber:x:delay";
inline constexpr const char *ping = "urn:xmpp:ping";
inline constexpr const char *correction = "urn:xmpp:message-correct:0";  // §8.7
inline constexpr const char *xhtml_im = "http://jabber.org/protocol/xhtml-im";
inline constexpr const char *xhtml = "http://www.w3.org/1999/xhtml";
inline constexpr const char *chat_states = "http://jabber.org/protocol/chatstates";

// HipChat's own (§2).
// The auth element and feature, authrestartlogic (§5), <echo/> (§8.1),
// the room admin queries (§7.7).
inline constexpr const char *hipchat = "http://hipchat.com";
inline constexpr const char *auth_token = "http://hipchat.com/protocol/auth";        // §5.7
inline constexpr const char *startup = "http://hipchat.com/protocol/startup";        // §6.2
inline constexpr const char *profile = "http://hipchat.com/protocol/profile";        // §6.4
inline constexpr const char *users_hash = "http://hipchat.com/protocol/users#hash";  // §6.3
inline constexpr const char *rooms_hash = "http://hipchat.com/protocol/rooms#hash";
inline constexpr const char *muc_room = "http://hipchat.com/protocol/muc#room";  // §7
inline constexpr const char *history = "http://hipchat.com/protocol/history";    // §9
inline constexpr const char *file = "http://hipchat.com/protocol/file";          // §8.8
inline constexpr const char *files = "http://hipchat.com/protocol/files";        // §8.8 (the IQ)
inline constexpr const char *links = "http://hipchat.com/protocol/links";        // §8.5
// Video calls (§19.1): HipChat's own service, and the older AddLive one.
inline constexpr const char *enso = "http://hipchat.com/protocol/enso";
inline constexpr const char *addlive = "http://hipchat.com/protocol/addlive";
inline constexpr const char *emoticons = "http://hipchat.com/protocol/emoticons";  // §12
inline constexpr const char *presence = "http://hipchat.com/protocol/presence";    // §10.5
inline constexpr const char *device = "http://hipchat.com/protocol/device";        // §10.3
// Add-ons installed in rooms and their glances, pushed as JSON (§8.10).
inline constexpr const char *integrations = "http://hipchat.com/protocol/integrations";
inline constexpr const char *integrations_ui = "http://hipchat.com/protocol/integrations#ui";
// What the joining user may do in a room (§7.4).
inline constexpr const char *muc_permissions = "http://hipchat.com/protocol/muc#permissions";

}  // namespace hipchat::ns
