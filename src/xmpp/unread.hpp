// What you missed (protocol reference §19.4, with §7.4 and §9): the read
// state put to use.
//
// - Joining a room the read state knows asks for as many earlier messages
//   as are unread (up to the join_history cap) instead of a fixed count, and
//   writes them under a line "— N unread messages —", their mentions
//   highlighted as the room's level says; anything already read that comes
//   along stays above the line, not new. A room the read state does not
//   know (or no read state) gets its last join_history messages as before.
// - Opening a 1:1 chat does the same through the history IQ (history.cpp).
// - At login, bitlbee hears in its control channel which conversations of
//   the auto-join list have unread messages and whether they mention the
//   user; Pidgin and Finch mark those conversations (the unread mentions
//   carry PURPLE_MESSAGE_NICK).
// - Conversations are marked read (read-state.hpp) when the user writes in
//   them, and with mark_read on when they look at them: Pidgin's and
//   Finch's focused conversation, or in bitlbee every message shown.
#pragma once

#include <conversation.h>
#include <glib.h>
#include <plugin.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/message.hpp"
#include "core/people.hpp"
#include "core/read-state.hpp"
#include "xmpp/messages.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// What unread.cpp keeps for a connection (Session::state<UnreadState>()):
// the join backlogs being collected, by room JID, until the room's subject
// (which ends a join's backlog, §7.4) or a live message comes.
struct UnreadState {
    struct Backlog {
        core::ReadMark mark;
        std::vector<core::Message> messages;  // oldest first
        gint64 started = 0;                   // monotonic µs of the join
    };
    std::map<std::string, Backlog> joining;
    bool sweeping = false;  // a timer writes those that wait too long
};

// How many earlier messages opening a 1:1 chat shows: its unread ones (at
// most `cap`) when the read state knows the chat and it has some, with the
// mark that tells them from the read ones; else `untracked` without one.
struct OpenBacklog {
    int count = 0;
    std::optional<core::ReadMark> mark;
};
OpenBacklog chat_open_backlog(Session &session, const std::string &person_jid, int untracked,
                              int cap);

// Writes `messages` (oldest first) in `where`: those `mark` says were read
// as `read` arrives (the join backlog's, or a history page's), then
// "— N unread messages —" and the unread ones. Returns how many unread were
// written.
int show_with_unread_line(Session &session, const std::vector<core::Message> &messages,
                          const core::ReadMark &mark, const Conversation &where, Arrival read);

// At login, for the conversations of the auto-join list (§6.2) with unread
// messages: in bitlbee a line each in the control channel ("2 unread in
// #Ops, 1 mentions you").
void announce_unread(Session &session, const std::vector<core::AutoJoinItem> &items);

// The join backlog route (router.hpp, Precedence::history) and the join's
// backlog size (rooms.hpp's policy).
void register_unread_routes();
// Marking read follows the conversations' signals; libpurple creates them
// after probing plugins: connected at the first login.
void connect_unread_conversation_signals(PurplePlugin *plugin);

}  // namespace hipchat::xmpp
