// Link cards (protocol reference §8.5): the preview HipChat's server attached
// to a message holding a URL, shown after the message as HipChat's web
// client drew it (message_processor.js formatXMPPMessages 187-228): a line
// of its own, from "Link", "Video", "Twitter" or "HipChat", never an alert.
// The card's words are the linked page's, so plain text only: escaped, on
// one line, the address written out (core/link-metadata.hpp).
#pragma once

#include <conversation.h>

#include <ctime>

#include "core/message.hpp"

namespace hipchat::xmpp {

// After `m` was written in `conv`: its card, if it has one, at the message's
// time (`when`), delayed when the message was (`delayed`).
void show_link_card(PurpleConversation *conv, const core::Message &m, time_t when, bool delayed);

}  // namespace hipchat::xmpp
