// Our own IQs: HipChat's queries that the module knows nothing about
// (startup, profile, history, ...). We send them with ids of our own prefix,
// take their replies out of the stream before the module sees them, and hand
// them to a callback, which never runs once the session is gone.
#pragma once

#include <xmlnode.h>

#include <functional>
#include <string>

#include "core/element.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

struct IqReply {
    bool ok = false;         // type='result'
    core::Element stanza;    // the whole <iq>
    std::string error;       // for errors: the condition, or "timeout"
    std::string error_text;  // the server's <text>, if any
    // The reply's first child (the <query>), or nullptr.
    const core::Element *payload() const;
};

using IqCallback = std::function<void(Session &, const IqReply &)>;

// Sends <iq type=`type` to=`to`> (no 'to' when empty) around `payload`
// (taken). Replies must come from `to` (or, for the server, from nobody, our
// own bare JID or the chat host). Unanswered after 60 s: an error "timeout".
void send_iq(Session &session, const char *type, const std::string &to, xmlnode *payload,
             IqCallback done);

// Answers a server push (an IQ set we handled) with an empty result.
void reply_result(Session &session, xmlnode *iq);

// Sends any stanza through the module (jabber_send: our outgoing hooks see
// it first); does not take it. Nothing happens once the stream is gone.
void send_stanza(Session &session, xmlnode *stanza);

// Routes replies to send_iq's callbacks (router.hpp, Precedence::replies).
void register_iq_routes();

}  // namespace hipchat::xmpp
