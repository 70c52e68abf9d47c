// Room administration as typed commands, in Pidgin, Finch and bitlbee
// (HipChat's own client had menus and dialogs for these, and only /rename
// and /topic as commands, slash_command_helper.js: the names are ours).
// Outcomes are written into the conversation (xmpp/room-admin.hpp).
#include <cmds.h>
#include <conversation.h>

#include <string>

#include "purple/commands.hpp"
#include "purple/room-menu.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/conversations.hpp"
#include "xmpp/room-admin.hpp"

namespace hipchat::purple {

namespace {

// What a /privacy or /guest without arguments shows: the room's setting.
PurpleCmdRet show_setting(PurpleConversation *conv, const std::string &text, gchar **error)
{
    if (text.empty())
        return result(_("This room's settings are not known yet."), error);
    xmpp::write_system_line(conv, text);
    return PURPLE_CMD_RET_OK;
}

PurpleCmdRet create(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/create",
        [&] {
            const core::NewRoom room = core::parse_create_arguments(arg(args, 0));
            if (room.name.empty())
                return result(_("Say the new room's name: /create [private] <name> [| topic]"),
                              error);
            return result(xmpp::create_room(xmpp::room_target(conv), room), error);
        },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet privacy(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/privacy",
        [&] {
            const std::string wanted = arg(args, 0);
            const xmpp::RoomTarget target = xmpp::room_target(conv);
            if (wanted.empty())
                return show_setting(conv, xmpp::describe_privacy(target), error);
            if (wanted != "private" && wanted != "public")
                return result(_("Say public or private: /privacy [public|private]"), error);
            return result(xmpp::set_privacy(target, wanted == "private"), error);
        },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet guest(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/guest",
        [&] {
            const std::string wanted = arg(args, 0);
            const xmpp::RoomTarget target = xmpp::room_target(conv);
            if (wanted.empty())
                return show_setting(conv, xmpp::describe_guest_access(target), error);
            if (wanted != "on" && wanted != "off")
                return result(_("Say on or off: /guest [on|off]"), error);
            return result(xmpp::set_guest_access(target, wanted == "on"), error);
        },
        PURPLE_CMD_RET_FAILED);
}

// /archive and /unarchive.
PurpleCmdRet archive(PurpleConversation *conv, const gchar *cmd, gchar **, gchar **error, void *)
{
    return util::guard(
        "/archive",
        [&] {
            const bool archiving = g_strcmp0(cmd, "archive") == 0;
            return result(xmpp::set_archived(xmpp::room_target(conv), archiving), error);
        },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet delete_room(PurpleConversation *conv, const gchar *, gchar **, gchar **error, void *)
{
    return util::guard(
        "/delete-room",
        [&] { return result(confirm_room_deletion(xmpp::room_target(conv)), error); },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet remove(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/remove",
        [&] {
            const std::string who = arg(args, 0);
            if (who.empty())
                return result(_("Say whom to remove: /remove <person>"), error);
            return result(xmpp::remove_member(xmpp::room_target(conv), who), error);
        },
        PURPLE_CMD_RET_FAILED);
}

}  // namespace

void register_room_commands()
{
    const auto chat = PURPLE_CMD_FLAG_CHAT;
    const auto both = static_cast<PurpleCmdFlag>(PURPLE_CMD_FLAG_CHAT | PURPLE_CMD_FLAG_IM);
    // TRANSLATORS: /help text; keep the command name, "private", "|" and the
    // <…> placeholders' meaning.
    add_typed("create", both, create,
              _("create [private] &lt;name&gt; [| topic]: make a new room, public unless you say "
                "private, and join it."));
    add_typed("privacy", chat, privacy,
              _("privacy [public|private]: show or change whether everyone in your team can find "
                "and join this room (room owners and admins)."));
    add_typed("guest", chat, guest,
              _("guest [on|off]: show this room's guest link, or turn guest access on or off "
                "(room owners and admins)."));
    add_typed("archive", chat, archive,
              _("archive: archive this room: nobody can join it until it is restored (room "
                "owners and admins)."));
    add_typed("unarchive", chat, archive,
              _("unarchive: restore this archived room (room owners and admins)."));
    add_typed("delete-room", chat, delete_room,
              _("delete-room: delete this room and its history for everyone, once you confirm "
                "(room owners and admins)."));
    add_typed("remove", chat, remove,
              _("remove &lt;person&gt;: remove someone from this room and its members (as "
                "/kick; in private rooms, room owners and admins)."));
}

}  // namespace hipchat::purple
