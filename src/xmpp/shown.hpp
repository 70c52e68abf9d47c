// What each conversation has shown, kept on the PurpleConversation itself:
// Pidgin and Finch keep a room's window when the account reconnects and
// join it again, and the room's backlog must not come twice; a window
// closed and opened again starts afresh. Messages (messages.cpp) write it,
// history pages (history.cpp) and the read state (unread.cpp) read it.
#pragma once

#include <conversation.h>
#include <plugin.h>

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>

#include "core/message.hpp"

namespace hipchat::xmpp {

// Message ids (mid, §8.2) already shown in one conversation, the oldest
// forgotten first.
class SeenMids {
public:
    // False when `mid` was there already.
    bool insert(const std::string &mid);
    bool contains(const std::string &mid) const { return mids_.count(mid) != 0; }

private:
    static constexpr std::size_t capacity = 5000;
    std::unordered_set<std::string> mids_;
    std::deque<std::string> order_;
};

// A message's place in time: the oldest a conversation has shown is where
// its history goes on; the newest with a mid is what reading it reaches
// (§19.4).
struct ShownAt {
    double ts = 0;        // Unix time
    std::string ts_text;  // the message's own `ts` digits, when it had one
    std::string mid;      // "" for the oldest when it had none
};

struct Shown {
    SeenMids mids;
    std::optional<ShownAt> oldest;
    std::optional<ShownAt> newest;  // only messages with a mid and a `ts`
    // Each sender's last message (its text, as sent), for s/old/new/ (§19.2);
    // a history page keeps its own, as it comes older than what is shown.
    std::map<std::string, std::string> last_text, page_text;
};

// The conversation's record, made on first use.
Shown &shown_in(PurpleConversation *conv);
// `m` was shown (or is known, as our own echo): the oldest and newest move.
void remember_shown(Shown &shown, const core::Message &m);

// The mids a conversation has shown.
const SeenMids &seen_mids(PurpleConversation *conv);
// The oldest and the newest message a conversation has shown, or nullptr.
const ShownAt *oldest_shown(PurpleConversation *conv);
const ShownAt *newest_shown(PurpleConversation *conv);
// A page of history is about to be written in `conv` (its corrections apply
// within the page).
void begin_history_page(PurpleConversation *conv);

// The record goes with its conversation ("deleting-conversation"); libpurple
// creates the conversation signals after probing plugins: connected at the
// first login.
void connect_shown_conversation_signals(PurplePlugin *plugin);

}  // namespace hipchat::xmpp
