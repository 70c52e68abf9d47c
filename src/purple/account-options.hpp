// The account options of a HipChat account, in one place.
//
// The keys are user-visible: bitlbee shows them as
// `account hipchat set <key>`, and accounts.xml stores them. They are short,
// lowercase and stable: never rename one. Where the jabber module reads a
// setting by key, we use its key so the module behaves as we want.
#pragma once

#include <account.h>
#include <glib.h>

namespace hipchat::purple {

namespace option_key {
// The host to connect to. The module's key: it connects there and checks the
// server's TLS certificate against this name.
inline constexpr const char *server = "connect_server";
inline constexpr const char *port = "port";  // the module's key
// The XMPP resource sent with the HipChat auth (protocol reference §3).
inline constexpr const char *resource = "resource";
// A personal API token (protocol reference §5.2). When set, the login uses it
// instead of the password, and REST calls use it too.
inline constexpr const char *token = "token";
// Join the rooms and open the chats of HipChat's auto-join list after login
// (protocol reference §6.2).
inline constexpr const char *autojoin = "autojoin";
// Archived rooms in the room list (§7.1).
inline constexpr const char *show_archived = "show_archived";
// Rooms joined kept in the buddy list under their names, in a group of the
// team's: what titles a room's tab, window or channel by its name when it
// opens.
inline constexpr const char *room_bookmarks = "room_bookmarks";
// At most this many earlier messages when a room is joined (<history
// maxstanzas>, §7.4) or a chat opens: the unread ones where HipChat's read
// state knows the conversation (§19.4), else the last ones (rooms).
inline constexpr const char *join_history = "join_history";
// When HipChat is told a conversation was read (§19.4): "on" (looked at, or
// written in), "speak" (written in), "off".
inline constexpr const char *mark_read = "mark_read";
// Highlight only messages that name us (@MentionName, @"Full Name"), not
// @all and @here (§8.6).
inline constexpr const char *direct_mentions = "direct_mentions";
// Messages per page of /history and "Load older messages" (§9).
inline constexpr const char *history_page = "history_page";
// Earlier messages fetched when a 1:1 conversation opens (0: none).
inline constexpr const char *chat_history = "chat_history";
}  // namespace option_key

namespace option_default {
inline constexpr const char *server = "chat.hipchat.com";  // §3
inline constexpr int port = 5222;                          // §4.1
inline constexpr const char *resource = "purple";
inline constexpr bool autojoin = true;
inline constexpr bool show_archived = false;
inline constexpr bool room_bookmarks = true;
inline constexpr int join_history = 100;
inline constexpr bool direct_mentions = false;
inline constexpr int history_page = 50;
inline constexpr int chat_history = 10;
}  // namespace option_default

// mark_read's default: bitlbee cannot tell what the user looked at, so there
// it marks read when the user speaks; elsewhere when they look.
const char *mark_read_default(bool irc_ui);

// A new list of PurpleAccountOption for the protocol info; libpurple frees it
// with the plugin. `irc_ui`: for bitlbee (mark_read's default).
GList *make_account_options(bool irc_ui);

// Option defaults are only pre-fills in Pidgin's account editor and in bitlbee;
// accounts created any other way lack them. Store them in the account so every
// later reader (ours and the module's) sees HipChat's values.
void apply_option_defaults(PurpleAccount *account);

}  // namespace hipchat::purple
