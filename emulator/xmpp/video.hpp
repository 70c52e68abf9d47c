// HipChat emulator: video calls (protocol reference §19.1). Call signals
// are 1:1 messages with an <x> in HipChat's enso (or older addlive)
// namespace, relayed as any 1:1 message (messages.cpp). The server also
// answers an invite, by its stanza id, so the caller's client knows whether
// it rings (video_module.js handleResponseToSentInvitation waits for a
// message with the invite's id carrying trying or ringing, else decline or
// hangup; the callee's client always writes new ids, so that answer is the
// server's).
#pragma once

#include <string>

#include "core/element.hpp"
#include "org.hpp"

namespace hipchat::emulator {

class Connection;
class XmppServer;

// After `message` from `caller` went to `callee`: an invite is answered
// <trying/> when the callee has a session, else <decline> with the reason
// `offline` (video_call_strings.js call_declined.offline). Both shapes are
// [INFERRED] from what the web client waits for. Anything else: nothing.
void answer_call(Connection &caller, const core::Element &message, const User &callee);

// A call signal from a simulated session of `from_jid` to `to_jid`, as the
// web client sends it (hipchat.js sendVideoMessage): `action` "call" (an
// invite with `url`, or a new conference's when empty, and the body for
// clients without video; kept in the history and for an offline callee
// like any message), "accept", "hangup" or "decline" (with `reason`),
// which only go to the callee's sessions. False for an unknown person or
// action.
bool simulate_call(XmppServer &server, const std::string &from_jid, const std::string &to_jid,
                   const std::string &action, const std::string &url, const std::string &reason);

}  // namespace hipchat::emulator
