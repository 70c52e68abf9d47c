// History on demand (protocol reference §9): older messages of a room or a
// 1:1 conversation, a page at a time, from the conversation UI (/history, the
// "Load older messages" menu item, and optionally when a 1:1 chat opens).
//
// The server answers the history IQ with ordinary <message>s carrying
// <delay> and no id, then the IQ's result. While a page is being fetched we
// take those messages out of the stream and, on the result, write them below
// a line saying how many there are: Pidgin only appends, so the older
// messages come after the newer ones, oldest first, with their own times.
#pragma once

#include <blist.h>
#include <conversation.h>
#include <plugin.h>

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/message.hpp"
#include "core/read-state.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// What the account's options say about history (read at login).
struct HistorySettings {
    int page = 50;     // messages per /history page (the official client's 50, §9)
    int on_open = 10;  // fetched when a 1:1 conversation opens; 0: none
    // At most this many unread messages when a chat the read state knows
    // opens (§19.4; the account's join_history).
    int unread_cap = 100;
};

// What history.cpp keeps for a connection (Session::state<HistoryState>()).
struct HistoryState {
    HistorySettings settings;
    // A page being fetched, by conversation.
    struct Fetch {
        bool room = false;
        bool automatic = false;  // on opening a chat, not asked for
        int wanted = 0;
        bool after_backlog = false;           // waiting for a room's backlog to end
        std::vector<core::Message> messages;  // arrived so far, oldest first
        // Opening a chat the read state knows: what the user has read
        // (§19.4), to put the unread line above the rest.
        std::optional<core::ReadMark> mark;
    };
    std::map<std::string, Fetch> fetches;
    // 1:1 pages wait for each other: the server may address our own earlier
    // messages to us rather than to the person (§9 shows no 1:1 example),
    // so only the fetch tells whose they are.
    struct Waiting {
        std::string person;
        int count = 0;
        bool automatic = false;
        std::optional<core::ReadMark> mark;
    };
    std::deque<Waiting> waiting;
    // The server has no history IQ (it answered service-unavailable): chats
    // that open stop asking for their last messages (/history still tries).
    bool unsupported = false;
};

void configure_history(Session &session, const HistorySettings &settings);

// Fetches up to `count` messages (0: the account's page size) older than the
// oldest one `conv` shows.
// Returns "" or why not (another page under way, not a HipChat
// conversation, not in the room); the outcome is written in `conv`.
std::string request_history(PurpleConversation *conv, int count);

// The module's menu for a buddy or chat plus "Load older messages" and, for
// a room, its notification level (Pidgin shows it under Conversation > More
// and in the buddy list).
GList *blist_node_menu(PurpleBlistNode *node);

// A history page's messages (router.hpp, Precedence::history).
void register_history_routes();
// libpurple creates the conversation signals after probing plugins: these
// are connected at the first login.
void connect_history_conversation_signals(PurplePlugin *plugin);

}  // namespace hipchat::xmpp
