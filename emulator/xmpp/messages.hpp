// HipChat emulator: messages (protocol reference §8): 1:1 messages delivered
// with mid and ts, <echo/> (§8.1), kept for people with no session (§8.3,
// §16 item 8) and in the 1:1 history (§9); groupchat messages reflected to
// every occupant and kept in the room's history (§8.2, §7.9); integration
// notifications with their HipChat x and XHTML-IM body (§8.4); and the
// messages the control interface, the REST server and the demo post.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/element.hpp"
#include "org.hpp"

namespace hipchat::emulator {

class Connection;
class XmppServer;

// A <message> from a live session: an invite or a groupchat message to a
// room, or a 1:1 message.
void handle_message(Connection &session, const core::Element &message);

// Appends `message` (mid and ts filled in here) to the room's history and
// sends it to every occupant (§8.2), with the sender's stanza id if any and
// `extra` XML after the body (§8.8 file payloads). Notifications (§8.4)
// carry their HipChat x.
void post_to_room(XmppServer &server, Room &room, HistoryMessage message,
                  std::string_view sender_id, const std::string &extra = {});
// `m` (mid and ts set; its file_payload after the body) to every occupant,
// as post_to_room sends it, without keeping it: an edit (edits.cpp)
// changes the history instead.
void broadcast_to_room(XmppServer &server, const Room &room, const HistoryMessage &m,
                       std::string_view sender_id);
// A 1:1 message from `from` (no session needed) to `to`'s sessions and, as
// HipChat does for uploads (§11.2), to the sender's own sessions.
void post_to_user(XmppServer &server, const User &from, const User &to, const std::string &body,
                  const std::string &extra, bool to_sender_too);
// A 1:1 message from a simulated session of `from_jid` (resource
// "emulator"), and a groupchat message from `from_jid` (no session needed;
// a guest's only in the room they are in); false when a JID is unknown.
// `extra` is XML after the body (link metadata), kept with the message.
bool simulate_message(XmppServer &server, const std::string &from_jid, const std::string &to_jid,
                      const std::string &body, const std::string &extra = {});
bool simulate_room_message(XmppServer &server, const std::string &from_jid,
                           const std::string &room_jid, const std::string &body,
                           const std::string &extra = {});

// §8.5 [INFERRED shape]: the link metadata HipChat's server attached to a
// message holding a URL, <x xmlns='http://hipchat.com/protocol/muc#room'>
// <metadata type='…' field='…' …/></x>, from `fields` (name, value; "type"
// among them). The web client read metadata/@type and its fields through
// x2js, where attributes and children are alike, and looked at no
// namespace (message_processor.js formatXMPPMessages 187-228): the
// namespace and attributes are guesses. "" when a name is not an XML name
// or there is no type.
std::string link_metadata_payload(const std::vector<std::pair<std::string, std::string>> &fields);

// A message error to the session for `message` (its body and an invite's
// muc#user x sent back, XEP-0045 §7.8.2), from `from`, with an error type,
// legacy code (may be ""), condition and text (may be "").
void message_error(Connection &session, const core::Element &message, const std::string &from,
                   const char *type, const char *code, const char *condition,
                   const std::string &text);

// §16 item 8: the 1:1 messages kept while the session's user was offline.
void deliver_offline(Connection &session);

// A 1:1 message of the past to `to`, with <delay stamp from_jid> (§8.3, §9):
// from its sender, or from `from` (the partner, for the user's own messages
// under OwnCopies::from_partner).
std::string delayed_chat(const HistoryMessage &m, const std::string &to,
                         const std::string &from = {});
// §8.4: the HipChat x of an integration notification (with its card and
// sender when it has them) and, for HTML, the XHTML-IM body; nothing for an
// ordinary message.
std::string notification_payload(const HistoryMessage &m);

}  // namespace hipchat::emulator
