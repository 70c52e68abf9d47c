// Video calls (protocol reference §19.1, §8.10): the signals HipChat's
// clients exchange in 1:1 messages, and the texts a client without video
// shows and sends. Evidence: the official web client's core/hipchat.js
// sendVideoMessage, helpers/video_module.js and strings/video_call_strings.js.
//
// Pure: src/xmpp/calls.cpp parses what arrives and sends what /call makes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/element.hpp"

namespace hipchat::core {

enum class CallAction {
    invite,    // <call><url>…</url></call>
    accept,    // the callee joins
    decline,   // <decline><reason>…</reason></decline>
    hangup,    // the call ended
    progress,  // <trying/> or <ringing/>: the server's answer to an invite, by its id
};

struct CallSignal {
    CallAction action = CallAction::invite;
    // HipChat's own video service ("enso"); false for the older AddLive one,
    // whose calls need HipChat's own application.
    bool enso = true;
    std::string url;     // an invite's <call><url>, as sent (trimmed)
    std::string reason;  // a decline's <reason> (offline, on_a_call, decline, unsupported)
};

// The call signal a <message> carries in its <x> of either call namespace
// (the first element of that x names the action), or nullopt: no such x, an
// action nobody defined, or a message of type error (the server's refusal,
// shown as any undelivered message).
std::optional<CallSignal> parse_call(const Element &message);

// Where a browser joins the conference of an invite: its URL with "/join/"
// as "/call/", as the official client writes it into the invite's body for
// clients without video; "" unless it is an http(s) address.
std::string browser_call_url(std::string_view invite_url);

// 14 random characters of [a-z0-9], as utils.js alphaNumeric(14) gives the
// official client for a new conference.
std::string conference_suffix();

// A new conference's address, as the official client makes one
// (video_module.js _generateConferenceId: the group id padded to six
// digits, then conference_suffix(), which `random` gives):
// https://<web_host>/video/join/<conference>. The official client's base is
// its configured video_base_url (https://hipchat.com/video/join on
// HipChat's cloud); the web host standing in for it is [INFERRED].
std::string conference_url(std::string_view web_host, std::uint64_t group_id,
                           std::string_view random);

// The body an invite carries for clients without video (video_call_strings.js
// enso_to_addlive), in English as HipChat's clients send it: `browser_url`
// is where to join.
std::string call_invite_body(std::string_view browser_url);

// What the caller reads when the other side declines (video_call_strings.js
// call_declined), with `name` the person; translatable. An unknown reason
// reads as a plain decline.
std::string declined_text(std::string_view reason, std::string_view name);

}  // namespace hipchat::core
