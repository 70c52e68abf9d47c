// Received HipChat messages (protocol reference §8): parsing a <message>
// stanza into a plain struct, working out who sent it, and rendering it as
// libpurple HTML.
//
// Pure: no libpurple. src/xmpp converts the stanza to a core::Element, calls
// parse_message(), sender_jid() and render_message(), and hands the result
// to purple (serv_got_im / serv_got_chat_in) with flags derived from
// Rendered (action → "/me" handling, system → PURPLE_MESSAGE_SYSTEM,
// delayed → PURPLE_MESSAGE_DELAYED with delay_stamp as the time), and runs
// core::mentions_me() on the body only when !formatted && highlight_allowed.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/element.hpp"
#include "core/link-metadata.hpp"
#include "core/shared.hpp"

namespace hipchat::core {

// An integration / API notification's <x xmlns='http://hipchat.com/protocol/muc#room'>
// (§8.4): an x whose <type> is "system" or "notification", or that carries a
// <card> or a <notification_sender> (what the official client draws as an
// integration's). All strings as received; empty when absent.
struct Notification {
    std::string type;            // "notification", "system", "topic", … (§8.4)
    std::string color;           // yellow|green|red|purple|gray|random
    std::string message_format;  // "html" or "text"; absent is treated as text
    // From the <card> JSON's top-level "title", "description" (a string, or
    // an object whose "value" is taken) and "url". Empty when the card is
    // absent or its JSON is malformed in any way.
    std::string card_title, card_description, card_url;
    // The description object's "format" ("html" or "text"; "" for a plain
    // string description, which is text).
    std::string card_description_format;
    std::string sender_type, sender_id;  // <notification_sender type= id=>
    bool notify = true;                  // <notify>0</notify> turns alerts off
};

// An XEP-0308 edit with HipChat's tweaks (§8.7): `original_mid` is the edited
// message's `mid`, not a stanza id; an empty body deletes it.
struct Correction {
    std::string original_mid;
    bool deleted = false;
};

// HipChat's x on any other message (§8.4): an information line when it has a
// <type> (the official client's "info": topic, room-presence, user_state,
// …), else hints on an ordinary message.
struct Presentation {
    std::string type;            // "" for an ordinary message
    std::string color;           // as Notification::color
    std::string message_format;  // "html" renders the HTML, sanitised
};

// A body that is the official client's correction of its sender's last
// message (`s/old/new/`, §19.2): the whole body matches
// ^s/([^/]+)/([^/]*)/?$ .
struct Substitution {
    std::string old_text, new_text;
};

// A bodyless room-state info message (§8.9).
struct RoomState {
    std::optional<bool> archived;          // <is_archived>1|0</is_archived>
    std::optional<std::string> guest_url;  // <guest_url>: "" = guest access turned off
};

struct Message {
    // The stanza's attributes as received ("" when absent).
    std::string type, from, to, id, mid;
    std::string ts_text;   // the `ts` attribute, e.g. "1456172560.068233" (§8.2)
    std::string from_jid;  // the `from_jid` attribute: the real sender (§8.2)
    // <delay from_jid=…> (§8.3): the original sender, or sometimes the room.
    std::string delay_from_jid;
    std::string body;  // <body> text ("" when absent)
    // The XHTML-IM body's inner content serialised as HTML text, or "".
    // core::Element keeps an element's character data concatenated apart
    // from its children (element.hpp), so where the XHTML has text mixed
    // with elements (`<b>Build</b> failed`) their order is lost. Then this is
    // left empty whenever the plain body is not (for HTML notifications the
    // body carries the same HTML as text, §8.4), and is a best effort (an
    // element's text before its children) only when there is no body.
    std::string xhtml;
    // The XHTML body holds HipChat's "Join video call" link
    // (<a data-target-options='enso_invite'>, core/dal.js
    // sendEnsoInviteMessage): the web client never drew such a message
    // (message_processor.js checkMessageForAction 759-764).
    bool video_invite_link = false;

    std::optional<double> ts;                 // parsed `ts`
    std::optional<std::int64_t> delay_stamp;  // parsed <delay stamp>, Unix seconds
    bool delayed = false;         // has <delay xmlns='urn:xmpp:delay'> (or legacy jabber:x:delay)
    bool echo_requested = false;  // <x xmlns='http://hipchat.com'><echo/></x> (§8.1)

    std::optional<Notification> notification;
    std::optional<Presentation> presentation;  // only when not a notification
    std::optional<Substitution> substitution;  // a text message's s/old/new/
    std::optional<SharedFile> file;
    std::optional<Correction> correction;
    std::optional<RoomState> room_state;  // only for messages without a body
    // Link metadata the server attached (§8.5): a card after the message, or
    // for type "info" the message drawn as an information line.
    std::optional<LinkMetadata> link_metadata;

    bool has_subject = false;  // a <subject> (a room topic change, §7.6)
    std::string subject;
};

// `message` as a Message, tolerating any missing or malformed part (those
// parts stay empty). nullopt only when the element is not a <message>.
std::optional<Message> parse_message(const Element &message);

// The sender's bare user JID in a room (§8.2, §8.3), in order of trust:
//  1. the `from_jid` attribute;
//  2. <delay from_jid>, unless it is the room itself (dequis, bitlbee);
//  3. for a message from the room (`from` = room_bare_jid/nick), the nick
//     (the sender's full name) looked up with `jid_for_nick`;
//  4. for a message from anyone else (a 1:1, or room_bare_jid empty), the
//     bare `from`.
// "" when none of these gives a JID (e.g. an API notification's made-up nick).
// Full names are spoofable (§8.2), which is why the lookup comes last.
// `jid_for_nick` may be empty; it should return "" for an unknown nick.
std::string sender_jid(const Message &m, std::string_view room_bare_jid,
                       const std::function<std::string(std::string_view nick)> &jid_for_nick);

// How a message should look in libpurple.
struct Rendered {
    std::string html;     // libpurple HTML; "" when there is nothing to show
    bool action = false;  // "/me …", "/em …": html is the action's text
    bool system = false;  // a room-state or information line
    // /code, /quote, /pre, /monospace: the official client looks for no
    // mentions (and no emoticons) in these (§8.6, utils.isFormattedMessage).
    bool formatted = false;
    // Emoticons drawn: not in formatted messages nor in HTML (§12.1).
    bool emoticons = true;
    // false for notify=0 notifications, which must not alert — except
    // type=system ones, which still may when they @mention us (§8.4); and
    // for corrections, which never do (§19.2).
    bool highlight_allowed = true;
    // The text mentions are looked for in: the body, or an HTML message's
    // text without its tags (an HTML notification naming @us alerts, §8.6).
    std::string mention_text;
    // A correction (s/old/new/) shown as the corrected line.
    bool corrected = false;
};

// A body that is a correction: the whole body matches ^s/([^/]+)/([^/]*)/?$
// (app_config.js slash_replacement_regex); nullopt otherwise.
std::optional<Substitution> parse_substitution(std::string_view body);

// The sender's last message in that conversation with `s` applied (its
// first occurrence, as the official client does), or nullopt when the old
// text is not in it.
std::optional<std::string> apply_substitution(const Substitution &s, std::string_view last_text);

// `m` as libpurple HTML (§8.4, §8.7-8.9):
//  * a plain body is escaped, line breaks as <br>; `/me x` and `/em x` are
//    an action "x" (not in notifications); `/code x`, `/pre x` and
//    `/monospace x` are a <pre> block; `/quote x` is italic lines prefixed
//    "> "; white space follows the command (optional after /pre and
//    /monospace), as the official client's regular expressions have it
//    (app_config.js);
//  * an html-format notification is sanitise_notification_html() of the
//    XHTML if any, else of the body; a text-format one is rendered like a
//    plain body; a card adds "<b>title</b>: description <a href=url>url</a>"
//    on a line of its own (the description left out when it repeats the
//    body); a colour wraps it all in <font color> (readable_color());
//  * a shared file is `<a href="URL">name</a> (12.5 KB)`, then " — " and the
//    description unless that is just "File uploaded";
//  * a correction is the new body plus " <i>(edited)</i>"; a deletion is
//    "<i>(message deleted)</i>";
//  * a message with a presentation x: an information line (system) when
//    it has a type, nothing for a "user_state" (drawn invisible by the
//    official client), else the body (sanitised HTML for message_format
//    html) in its colour;
//  * a message whose link metadata is "info": an information line
//    (system, gray), never an alert (message_processor.js
//    formatXMPPMessages 189-195, shouldNotify 615-618);
//  * a message with HipChat's video invite link (video_invite_link), unless
//    it is a file: nothing;
//  * a bodyless room-state message is a system line ("archived the room",
//    "unarchived the room", "turned on guest access: URL", "turned off guest
//    access"); the caller puts the sender's name in front;
//  * a substitution (s/old/new/) is the sender's last message corrected,
//    `last_text` with the substitution applied, plus " <i>(corrected)</i>";
//    when that cannot be (no last text, or it lacks the old text) a system
//    line "corrected “old” to “new”", the caller putting the name in front;
//    never highlighted.
// Our own words are translatable (gettext domain purple-hipchat).
Rendered render_message(const Message &m, std::optional<std::string_view> last_text = {});

// A colour for a notification's <color> (§8.4) that reads on light and dark
// backgrounds ("#c0392b" for red, …), or "" for random and unknown ones.
std::string_view readable_color(std::string_view hipchat_color);

// "512 bytes", "1 byte", "12.5 KB", "3.0 MB": binary multiples, one decimal,
// always a '.' (independent of the locale).
std::string human_size(std::uint64_t bytes);

}  // namespace hipchat::core
