// Messages (protocol reference §8): what the module would show as plain XMPP,
// shown the HipChat way.
//
// Received messages with a body (and HipChat's bodyless room-state lines)
// are taken out of the stream and written by us: attributed to the real
// sender (from_jid, then <delay from_jid>, then the nick), integration
// notifications under their label with sanitised HTML, shared files as
// links, edits and deletions marked, /code and /quote formatted, duplicates
// (by mid) dropped, and @mentions of us flagged PURPLE_MESSAGE_NICK.
// Bodyless chat states, receipts and subjects stay with the module.
//
// Sent messages: full names completed by the UI become @MentionName (§8.6);
// 1:1 messages ask for HipChat's <echo/> (§8.1), whose reflection of our own
// message is dropped here while one from another of our sessions is shown as
// sent by us.
#pragma once

#include <connection.h>
#include <conversation.h>
#include <plugin.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <string>

#include "core/message.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// What the account's options say about messages (read at login).
struct MessageSettings {
    bool direct_mentions_only = false;  // only @MentionName and @"Full Name" ping us (§8.6)
};

// What messages.cpp keeps for a connection (Session::state<MessagesState>()).
// What each conversation has shown is kept on the conversation itself
// (shown.hpp), so that it outlives a reconnect.
struct MessagesState {
    MessageSettings settings;
    std::deque<std::string> pending_echoes;  // ids of our 1:1 messages until they echo
    std::deque<std::string> room_sends;      // ids of our room messages until they come back
    static constexpr std::size_t shared_files_kept = 20;
    // By conversation: the room's JID or the other person's bare JID.
    std::map<std::string, std::deque<core::SharedFile>> shared_files;
};

void configure_messages(Session &session, const MessageSettings &settings);
// The files shared in a conversation since sign-in, oldest first (the last
// few), or nullptr.
const std::deque<core::SharedFile> *shared_files(Session &session, const std::string &conversation);

// How a message reaches us, which decides its flags.
enum class Arrival {
    live,     // as it happens (mentions highlighted), or the join backlog (delayed: not)
    unread,   // the join backlog or a history page the user has not read yet (§19.4):
              // delayed, mentions highlighted as the room's level says (§19.6)
    history,  // a page of the history IQ (§9): delayed, never highlighted (not logged: history.cpp)
};

// Where a message is shown: a room's conversation, or the 1:1 conversation
// with a person (for our own messages, the person we wrote to).
struct Conversation {
    std::string jid;  // the room's JID or the person's bare JID
    bool room = false;
};

// The conversation a received message belongs to.
Conversation conversation_of(Session &session, const core::Message &message);

// Writes `message` in `where` (an IM conversation is opened for it). False
// when nothing was written (a duplicate mid, nothing to show, a room we are
// not in).
bool show_message(Session &session, const core::Message &message, const Conversation &where,
                  Arrival arrival);

// Told of each file someone else shares with us 1:1 as it happens (not from
// history); purple/files.cpp offers it as an incoming transfer.
using SharedFileListener =
    std::function<void(Session &, const std::string &sender_jid, const core::SharedFile &file)>;
void set_shared_file_listener(SharedFileListener listener);

// The prpl's groupchat send (after purple/commands.cpp took out our commands).
int send_room_message(PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags);

// Messages with something to show (router.hpp, Precedence::messages) and
// the <echo/> request on our own 1:1 messages.
void register_message_routes();

}  // namespace hipchat::xmpp
