// Video calls (protocol reference §19.1). HipChat's clients call each other
// with 1:1 messages carrying <x xmlns='http://hipchat.com/protocol/enso'>;
// the video itself runs in a browser. libpurple has no video calls, so:
//  * an invite is shown with the address to join at in a browser, and
//    answered <decline><reason>unsupported</reason></decline>, so that the
//    caller's client stops ringing and says this client cannot take calls
//    (video_call_strings.js call_declined.unsupported); one that arrives
//    late (kept while we were offline) is a missed call (video_module.js
//    handleMissedCall's "Missed call from …"), not answered;
//  * a decline of a call of ours is shown in the caller's words
//    (call_declined); accept, hangup and the server's progress are not
//    shown, as the official client shows none of them as text;
//  * /call sends the official client's invite (hipchat.js
//    sendVideoMessage) for a new conference, whose address the user opens.
#pragma once

#include <conversation.h>

#include <string>

namespace hipchat::xmpp {

struct CallStarted {
    std::string error;  // why no call was started, or ""
    std::string url;    // where the caller joins, in a browser
};

// /call in a 1:1: the invite to the other person, and a line saying so.
CallStarted start_call(PurpleConversation *conv);

// Call signals from people (router.hpp, Precedence::messages, before what
// people say: an invite has a body for clients without video).
void register_call_routes();

}  // namespace hipchat::xmpp
