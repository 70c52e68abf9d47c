// The Room List (Pidgin's and Finch's dialog, bitlbee's `chat list hipchat`)
// from HipChat's disco#items with its per-room fields (protocol reference
// §7.1), filled page by page while the list is fetched.
#pragma once

#include <connection.h>
#include <roomlist.h>

namespace hipchat::purple {

PurpleRoomlist *roomlist_get_list(PurpleConnection *gc);
void roomlist_cancel(PurpleRoomlist *list);
// The room's JID (the first, hidden field): what bitlbee shows to join by and
// what Pidgin's "Add Chat" pre-fills.
char *roomlist_room_serialize(PurpleRoomlistRoom *room);

}  // namespace hipchat::purple
