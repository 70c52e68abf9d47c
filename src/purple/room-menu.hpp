// Room administration in menus and dialogs: the buddy list's room menu and
// Pidgin's Conversation > More (both the prpl's blist_node_menu; Finch shows
// it in its buddy list), Accounts > HipChat > Create a Room (Pidgin 2's Room
// List has no hook for it: no prpl operation, no button), and the dialogs
// they open, which close with the connection. bitlbee has none of these: its
// users type the commands (room-commands.cpp).
#pragma once

#include <blist.h>
#include <plugin.h>

#include <string>

#include "xmpp/room-admin.hpp"

namespace hipchat::purple {

// The module's menu with "Load older messages" (xmpp/history.hpp) and, for a
// HipChat room, its administration as the room now is: Rename, Make
// Private/Public, Guest Access On/Off, Invite, Remove Members (private
// rooms), Archive and Delete; only Restore for an archived room. A room
// whose settings are not known yet (not in the room list) is asked, and the
// menu says so until it has answered. Who may is the server's to say (in
// words).
GList *blist_node_menu(PurpleBlistNode *node);

// PurplePluginInfo.actions: "Create a Room..." (name, topic, private).
GList *account_actions(PurplePlugin *plugin, gpointer context);

// Asks the user to confirm deleting the room (purple_request_action; in
// bitlbee a question in its control channel, answered yes or no), then
// deletes it. "" or why it cannot ask.
std::string confirm_room_deletion(const xmpp::RoomTarget &target);

}  // namespace hipchat::purple
