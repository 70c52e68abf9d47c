// Rooms (protocol reference §7) on top of the module's MUC support: the room
// list from disco#items on the MUC host, joining by name, slug or JID under
// our full name (with the mention-name fallback), readable join errors, room
// pushes, mediated invites with names, topics from HipChat's x, and the
// auto-join list from startup.
//
// The module still does the MUC protocol itself (presences, occupants,
// messages, subjects); we choose what it joins and with which nick.
#pragma once

#include <account.h>
#include <blist.h>
#include <connection.h>
#include <conversation.h>
#include <plugin.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/people.hpp"
#include "core/room-admin.hpp"
#include "core/rooms.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// What the account's options say about rooms (read at login; the keys are in
// purple/account-options.hpp).
struct RoomSettings {
    bool auto_join = true;       // join HipChat's auto-join list after login (§6.2)
    bool show_archived = false;  // archived rooms in the room list (§7.1)
    int join_history = 100;      // at most this many earlier messages on join (§7.4, §19.4)
    bool bookmarks = true;       // rooms joined kept in the buddy list, named (titles)
};

using RoomPageListener = std::function<void(Session &, const std::vector<core::Room> &)>;
using RoomListDone = std::function<void(Session &, const std::string &error)>;

// Joining a room that does not exist yet creates it (§7.4): the join carries
// HipChat's x with its settings (xmpp/room-admin adds it to the presence),
// and a refusal goes to `refused` rather than to a dialog.
struct NewRoomJoin {
    std::optional<core::NewRoom> room;
    std::function<void(Session &, const core::StanzaError &)> refused;
};

// What rooms.cpp keeps for a connection (Session::state<RoomsState>()).
struct RoomsState {
    RoomSettings settings;
    std::vector<core::Room> rooms;  // the room list as last fetched, kept current by pushes
    bool complete = false;          // `rooms` is a whole list
    struct Fetch {                  // a room-list fetch under way (one at a time)
        std::vector<core::Room> rooms;
        std::string after;  // the last page's RSM <last>
        int pages = 0;
        std::vector<RoomPageListener> on_page;
        std::vector<RoomListDone> on_done;
    };
    std::unique_ptr<Fetch> fetch;
    struct JoinAttempt {
        std::string nick;
        bool retried = false;        // already tried the mention name (§1)
        bool automatic = false;      // HipChat's auto-join list, not the user, asked for it
        NewRoomJoin create;          // a new room (§7.4), when `create.room` is set
        bool made_bookmark = false;  // for it: gone again if the room is not made
    };
    std::map<std::string, JoinAttempt> joins;  // by room JID, until the room answers
    // Who is behind each nick in the rooms we are in: room JID -> nick ->
    // bare JID (rooms are never anonymous, §7.4).
    std::map<std::string, std::map<std::string, std::string>> occupants;
    // Rooms whose join presence came and that have since had a subject as
    // it happens: the join presence's topic no longer applies there.
    std::set<std::string> subject_since_join;
};

void configure_rooms(Session &session, const RoomSettings &settings);

// --- prpl operations -------------------------------------------------------

// One field, "room": a room's name, its slug or its JID. No handle: HipChat
// decides the nick (§1), and bitlbee would overwrite it with the IRC nick.
// Called by bitlbee with a NULL connection.
GList *chat_info(PurpleConnection *gc);
// {"room": name} for a conversation or bookmark name (Pidgin's temporary chat
// nodes, Finch's rejoin, bitlbee's `chat add`), resource dropped.
GHashTable *chat_info_defaults(PurpleConnection *gc, const char *chat_name);
char *get_chat_name(GHashTable *components);
// Resolves the room (through the room list, fetched first when needed) and
// joins it with our full name. Only the string components "room", "server",
// "handle" are read: room-list joins also carry raw INT/BOOL field values.
void join_chat(PurpleConnection *gc, GHashTable *components);
PurpleChat *find_blist_chat(PurpleAccount *account, const char *name);
// The JID of the room a buddy list chat names (by JID, name or slug; as it
// is when the room list does not know it).
std::string room_jid_of(Session &session, PurpleChat *chat);

// --- The room list ---------------------------------------------------------

// Fetches the whole room list (every RSM page), archived rooms as the
// account says. `page` gets each page's rooms as they arrive; `done` gets ""
// or a readable error once the list is complete. A fetch already under way is
// joined rather than repeated. The session's cache is replaced when done.
void fetch_rooms(Session &session, RoomPageListener page, RoomListDone done);

// The cached room with this JID, or nullptr.
const core::Room *find_room(Session &session, const std::string &room_jid);
// The JID of a room named by JID, name or slug, from the cached list.
std::optional<std::string> known_room_jid(Session &session, const std::string &input);
// Keeps `room` with the cached list (in place of what it knew of it):
// rooms the list did not bring, asked of the room itself (§7.2).
void remember_room(Session &session, const core::Room &room);
// The cached room list when it is a whole one (pushes keep it current),
// else nullptr.
const std::vector<core::Room> *whole_room_list(Session &session);

// Joins `room_jid`, a room to be made as `create` says (§7.4).
void join_new_room(Session &session, const std::string &room_jid, NewRoomJoin create);
// The settings of the room a join to `room_jid` is making, or nullptr.
const core::NewRoom *room_being_created(Session &session, const std::string &room_jid);

// The bare JID of the person behind `nick` in a room we are in, or "".
std::string occupant_jid(Session &session, const std::string &room_jid, const std::string &nick);

// The name a room's conversation knows a person by, for messages written in
// it: the room nick, or for bitlbee (conversations.hpp's irc UI) the handle
// bitlbee knows them by everywhere (their JID; ours is the account's name).
std::string room_handle(Session &session, const std::string &jid, const std::string &nick);

// --- After login ---------------------------------------------------------------

// Joins the rooms and opens the 1:1 conversations of startup's autoJoin list
// in order (§6.2), unless the account turned it off.
void join_auto_join_list(Session &session, const std::vector<core::AutoJoinItem> &items);

// --- Commands (purple/commands.cpp) -------------------------------------------

// Each returns "" or a readable error for the command's caller.
std::string join_by_name(PurpleConversation *conv, const std::string &room);
std::string set_topic(PurpleConversation *conv, const std::string &topic);
std::string leave(PurpleConversation *conv, const std::string &message);
// §19.5: HipChat's website's search of this room's or chat's messages, or
// "" when the connection knows no website.
std::string search_url(PurpleConversation *conv, const std::string &text);
// Opens (or finds) the IM with a person named by JID, full name, mention
// name or room nick, and sends `message` there when not empty.
std::string message_person(PurpleConversation *conv, const std::string &who,
                           const std::string &message);

// How many earlier messages a join asks for (<history maxstanzas>, §7.4):
// given the room and the account's join_history, the number to ask for.
// unread.cpp's asks for the unread ones of a room the read state knows.
using JoinBacklogPolicy = int (*)(Session &session, const std::string &room_jid, int cap);
void set_join_backlog_policy(JoinBacklogPolicy policy);

// Room pushes, join results, room errors and invites (router.hpp).
void register_room_routes();

}  // namespace hipchat::xmpp
