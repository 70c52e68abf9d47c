#include "purple/roomlist.hpp"

#include <account.h>
#include <blist.h>
#include <notify.h>
#include <util.h>

#include <ctime>
#include <map>
#include <string>

#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/session.hpp"

namespace hipchat::purple {

namespace {

// Joining from the list copies every field into the join components, INT
// and BOOL ones as raw values (ui-integration notes): no field is named like
// a component anything reads as text except "room", which is the JID.
GList *room_fields()
{
    GList *fields = nullptr;
    auto add = [&fields](PurpleRoomlistFieldType type, const char *label, const char *name,
                         bool hidden) {
        fields = g_list_append(fields, purple_roomlist_field_new(type, label, name, hidden));
    };
    add(PURPLE_ROOMLIST_FIELD_STRING, "", "room", true);
    add(PURPLE_ROOMLIST_FIELD_STRING, _("Topic"), "topic", false);
    // TRANSLATORS: room list column: "Public" or "Private".
    add(PURPLE_ROOMLIST_FIELD_STRING, _("Privacy"), "privacy", false);
    // TRANSLATORS: room list column: how many people are in the room now.
    add(PURPLE_ROOMLIST_FIELD_INT, _("People"), "participants", false);
    add(PURPLE_ROOMLIST_FIELD_STRING, _("Owner"), "owner", false);
    add(PURPLE_ROOMLIST_FIELD_STRING, _("Last active"), "last_active", false);
    add(PURPLE_ROOMLIST_FIELD_BOOL, _("Archived"), "archived", false);
    add(PURPLE_ROOMLIST_FIELD_BOOL, _("Guest access"), "guest_access", false);
    return fields;
}

// Everyone's name by JID, gathered in one pass over the account's buddies
// when the list's first page arrives and kept for its later pages: a
// purple_find_buddy (stringprep) per room costs more than the whole list.
class OwnerNames {
public:
    // The owner's name, or the JID itself for someone not in the buddy list.
    const std::string &of(PurpleAccount *account, const std::string &jid)
    {
        if (!gathered_) {
            gathered_ = true;
            GSList *buddies = purple_find_buddies(account, nullptr);
            for (GSList *b = buddies; b != nullptr; b = b->next) {
                auto *buddy = static_cast<PurpleBuddy *>(b->data);
                names_.emplace(purple_buddy_get_name(buddy), purple_buddy_get_alias(buddy));
            }
            g_slist_free(buddies);
        }
        const auto it = names_.find(jid);
        return it != names_.end() ? it->second : jid;
    }

private:
    bool gathered_ = false;
    std::map<std::string, std::string> names_;
};

std::string date_text(std::int64_t unix_time)
{
    if (unix_time <= 0)
        return {};
    const std::time_t t = static_cast<std::time_t>(unix_time);
    struct tm local {};
    localtime_r(&t, &local);
    return purple_utf8_strftime("%Y-%m-%d %H:%M", &local);
}

// Adds rooms at the list's end as purple_roomlist_room_add does (the list's
// rooms, then the UI's add_room), without its walk to the end for every room:
// that made a long list quadratic, and HipChat's rooms, with eight fields
// each, spread the list's nodes far apart in memory (a quarter of a 5,000-room
// list's CPU time, docs/PERFORMANCE.md).
class RoomAppender {
public:
    explicit RoomAppender(PurpleRoomlist *list) : list_(list), last_(g_list_last(list->rooms)) {}

    void add(PurpleRoomlistRoom *room)
    {
        if (last_ == nullptr) {
            list_->rooms = g_list_append(nullptr, room);
            last_ = list_->rooms;
        } else {
            // From the last node the append is one step; it returns that node.
            last_ = g_list_append(last_, room)->next;
        }
        PurpleRoomlistUiOps *ops = purple_roomlist_get_ui_ops();
        if (ops != nullptr && ops->add_room != nullptr)
            ops->add_room(list_, room);
    }

private:
    PurpleRoomlist *list_;
    GList *last_;
};

// The UI's room list we are filling (a session's state): the list's first
// reference is ours, as the jabber module keeps its own, and the UI takes a
// reference of its own (Pidgin's dialog, bitlbee's chat list). Dropped when
// the list is done, cancelled, replaced, or the session goes.
struct RoomListUi {
    PurpleRoomlist *list = nullptr;

    void drop()
    {
        if (list == nullptr)
            return;
        PurpleRoomlist *dropped = list;
        list = nullptr;
        purple_roomlist_set_in_progress(dropped, FALSE);
        purple_roomlist_unref(dropped);
    }
    RoomListUi() = default;
    RoomListUi(const RoomListUi &) = delete;
    RoomListUi &operator=(const RoomListUi &) = delete;
    ~RoomListUi() { drop(); }
};

RoomListUi &room_list_ui(xmpp::Session &session)
{
    return session.state<RoomListUi>();
}

void add_rooms(PurpleRoomlist *list, const std::vector<core::Room> &rooms, OwnerNames &owners)
{
    RoomAppender appender(list);
    for (const auto &r : rooms) {
        PurpleRoomlistRoom *room =
            purple_roomlist_room_new(PURPLE_ROOMLIST_ROOMTYPE_ROOM, r.name.c_str(), nullptr);
        // String fields are copied; INT and BOOL ones are stored as values.
        purple_roomlist_room_add_field(list, room, r.jid.c_str());
        purple_roomlist_room_add_field(list, room, r.topic.c_str());
        purple_roomlist_room_add_field(list, room,
                                       r.privacy == "private" ? _("Private") : _("Public"));
        purple_roomlist_room_add_field(list, room, GINT_TO_POINTER(r.participants));
        purple_roomlist_room_add_field(list, room, owners.of(list->account, r.owner).c_str());
        purple_roomlist_room_add_field(list, room, date_text(r.last_active).c_str());
        purple_roomlist_room_add_field(list, room, GINT_TO_POINTER(r.archived ? 1 : 0));
        purple_roomlist_room_add_field(list, room, GINT_TO_POINTER(r.guest_url.empty() ? 0 : 1));
        appender.add(room);
    }
}

}  // namespace

PurpleRoomlist *roomlist_get_list(PurpleConnection *gc)
{
    return util::guard("roomlist_get_list", [gc]() -> PurpleRoomlist * {
        xmpp::Session *session = xmpp::Session::find(gc);
        if (session == nullptr)
            return nullptr;
        // A new list replaces one still filling.
        RoomListUi &ui = room_list_ui(*session);
        ui.drop();
        PurpleRoomlist *list = purple_roomlist_new(purple_connection_get_account(gc));
        purple_roomlist_set_fields(list, room_fields());
        ui.list = list;
        purple_roomlist_set_in_progress(list, TRUE);
        xmpp::fetch_rooms(
            *session,
            [list, owners = OwnerNames()](xmpp::Session &s,
                                          const std::vector<core::Room> &rooms) mutable {
                if (room_list_ui(s).list == list)
                    add_rooms(list, rooms, owners);
            },
            [list](xmpp::Session &s, const std::string &error) {
                if (room_list_ui(s).list != list)
                    return;  // cancelled, or replaced by a newer list
                if (!error.empty()) {
                    // TRANSLATORS: %s is the server's reason.
                    char *text = g_strdup_printf(_("The server did not send the room list: %s"),
                                                 error.c_str());
                    purple_notify_error(s.connection(), _("Room List"),
                                        _("Could not get the room list"), text);
                    g_free(text);
                }
                room_list_ui(s).drop();
            });
        return list;
    });
}

void roomlist_cancel(PurpleRoomlist *list)
{
    util::guard("roomlist_cancel", [list] {
        PurpleConnection *gc = purple_account_get_connection(list->account);
        xmpp::Session *session = gc != nullptr ? xmpp::Session::find(gc) : nullptr;
        if (session != nullptr && room_list_ui(*session).list == list)
            room_list_ui(*session).drop();  // later pages still refresh the cache
        else
            purple_roomlist_set_in_progress(list, FALSE);
    });
}

char *roomlist_room_serialize(PurpleRoomlistRoom *room)
{
    return util::guard("roomlist_room_serialize", [room]() -> char * {
        GList *fields = purple_roomlist_room_get_fields(room);
        const auto *jid = fields != nullptr ? static_cast<const char *>(fields->data) : nullptr;
        return g_strdup(jid != nullptr ? jid : purple_roomlist_room_get_name(room));
    });
}

}  // namespace hipchat::purple
