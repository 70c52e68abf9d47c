// Correcting one's own last message (protocol reference §8.7, §19.2), as
// HipChat's web client lets its user: `s/old/new/` typed as a message (a
// message like any other, which every client applies to the sender's last
// one), and edit or delete (XEP-0308 <replace id='ORIGINAL_MID' ts='…'/>
// with the new text, or an empty body; core/hipchat.js editMessage and
// deleteMessage), for 24 hours after sending (app_config.js
// edit_message_threshold, chat_input_store.js initiate-edit-message).
//
// Only ever the user's own last message in that conversation
// (chat_window_store.js getLastSentMessageByCurrentUser: a message or a
// file): what it is comes from what we send and from our messages the
// server reflects (messages.cpp tells us of each), so it is known as soon as
// it is sent and gets its mid when HipChat confirms it. The result is shown
// as any client shows it, when the server reflects it (messages.cpp).
#pragma once

#include <conversation.h>

#include <optional>
#include <string>

#include "core/message.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// A message of ours came back from the server, live (a room's reflection,
// a 1:1 echo, our other device's, a join backlog): `conversation` is the
// room's JID or the other person's bare JID.
void note_own_message(Session &session, const std::string &conversation, const core::Message &m);

// /edit TEXT and /delete in `conv` (`text` plain, as commands get it): ""
// once sent, or why not (nothing of ours here, deleted already, not yet
// confirmed by HipChat, older than a day, nothing to change).
std::string edit_last_message(PurpleConversation *conv, const std::string &text);
std::string delete_last_message(PurpleConversation *conv);

// What to do with a message the user typed in `conv` (the UI's HTML):
// nullopt when it is no `s/old/new/` (or not on HipChat): send it as usual;
// "" to send it as typed; else why it is not sent (nothing of ours here, or
// our last message lacks the old text).
std::optional<std::string> check_substitution(PurpleConversation *conv, const char *html);

// Our own sends (router.hpp's outgoing hooks): what we last said, before
// HipChat confirms it.
void register_correction_hooks();

}  // namespace hipchat::xmpp
