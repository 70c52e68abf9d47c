// HipChat emulator: emoticons (protocol reference §12.1): the emoticons IQ
// and the pushes that follow a change (the control interface's POST
// /emoticons). The images themselves are the API host's (rest-server.cpp).
#pragma once

#include <vector>

#include "core/element.hpp"
#include "org.hpp"

namespace hipchat::emulator {

class Connection;
class XmppServer;

// The organisation's emoticons, or an empty result when the client's ver is
// current.
void emoticons_iq(Connection &session, const core::Element &iq, const core::Element &query);

// A push (iq type='set' with the changed items) to everyone connected, after
// the organisation's emoticons and ver were changed.
void push_emoticons(XmppServer &server, const std::vector<Emoticon> &changed);

}  // namespace hipchat::emulator
