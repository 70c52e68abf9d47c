#include "purple/protocol.hpp"

#include <connection.h>
#include <core.h>
#include <string>

#include "core/username.hpp"
#include "purple/account-options.hpp"
#include "purple/commands.hpp"
#include "purple/files.hpp"
#include "purple/room-menu.hpp"
#include "purple/roomlist.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/history.hpp"
#include "xmpp/jabber-module.hpp"
#include "xmpp/people.hpp"
#include "xmpp/presence.hpp"
#include "xmpp/room-admin.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/typing.hpp"

namespace hipchat::purple {

namespace {

PurplePluginProtocolInfo protocol_info;

const char *list_icon(PurpleAccount *, PurpleBuddy *)
{
    return "hipchat";  // pixmaps/pidgin/protocols/<size>/hipchat.png
}

std::string describe(const core::UsernameRejected &rejected)
{
    switch (rejected.problem) {
    case core::UsernameProblem::empty:
        return _("Enter the e-mail address you log in to HipChat with.");
    case core::UsernameProblem::missing_domain:
        return _(
            "The username must be the e-mail address you log in to HipChat with "
            "(or your Jabber ID, like 12345_67890@chat.hipchat.com).");
    case core::UsernameProblem::bad_character: {
        // TRANSLATORS: %c is the offending character, e.g. an apostrophe.
        char *text = g_strdup_printf(_("The username contains \"%c\", which HipChat's XMPP "
                                       "login cannot carry. Use your Jabber ID from HipChat's "
                                       "XMPP settings page instead."),
                                     rejected.character);
        std::string message(text);
        g_free(text);
        return message;
    }
    }
    return _("The username is not valid.");
}

void login(PurpleAccount *account)
{
    util::guard("login", [account] {
        PurpleConnection *gc = purple_account_get_connection(account);
        const auto kind = core::classify_username(purple_account_get_username(account));
        if (const auto *rejected = std::get_if<core::UsernameRejected>(&kind)) {
            purple_connection_error_reason(gc, PURPLE_CONNECTION_ERROR_INVALID_SETTINGS,
                                           describe(*rejected).c_str());
            return;
        }
        apply_option_defaults(account);
        xmpp::LoginRequest request;
        request.resource = purple_account_get_string(account, option_key::resource, "");
        request.token = purple_account_get_string(account, option_key::token, "");
        request.rooms.auto_join =
            purple_account_get_bool(account, option_key::autojoin, option_default::autojoin);
        request.rooms.show_archived = purple_account_get_bool(account, option_key::show_archived,
                                                              option_default::show_archived);
        request.rooms.join_history =
            purple_account_get_int(account, option_key::join_history, option_default::join_history);
        request.rooms.bookmarks = purple_account_get_bool(account, option_key::room_bookmarks,
                                                          option_default::room_bookmarks);
        request.messages.direct_mentions_only = purple_account_get_bool(
            account, option_key::direct_mentions, option_default::direct_mentions);
        request.history.page =
            purple_account_get_int(account, option_key::history_page, option_default::history_page);
        request.history.on_open =
            purple_account_get_int(account, option_key::chat_history, option_default::chat_history);
        request.history.unread_cap = request.rooms.join_history;
        const std::string mark_read = purple_account_get_string(
            account, option_key::mark_read, mark_read_default(running_in_bitlbee()));
        request.read_state.mark_read = mark_read == "off"     ? xmpp::MarkRead::off
                                       : mark_read == "speak" ? xmpp::MarkRead::speak
                                                              : xmpp::MarkRead::on;
        request.irc_ui = running_in_bitlbee();
        // An e-mail's domain is not HipChat's: address the stream to the
        // server we connect to. A Jabber ID's domain is the right one.
        if (std::get<core::LoginKind>(kind) == core::LoginKind::email)
            request.stream_host = purple_account_get_string(account, option_key::server, "");
        xmpp::start_login(account, request);
    });
}

}  // namespace

bool running_in_bitlbee()
{
    return g_strcmp0(purple_core_get_ui(), "BitlBee") == 0;
}

PurplePluginProtocolInfo *init_protocol_info()
{
    auto &info = protocol_info;
    info = PurplePluginProtocolInfo{};
    info.struct_size = sizeof(PurplePluginProtocolInfo);
    info.options = static_cast<PurpleProtocolOptions>(
        OPT_PROTO_CHAT_TOPIC | OPT_PROTO_UNIQUE_CHATNAME | OPT_PROTO_SLASH_COMMANDS_NATIVE);
    // No user splits: the username is the whole e-mail address.
    info.user_splits = nullptr;
    info.protocol_options = make_account_options(running_in_bitlbee());
    // HipChat photos are PNG/JPEG/GIF up to 125 px (protocol reference §6.3).
    info.icon_spec = PurpleBuddyIconSpec{const_cast<char *>("png,jpeg,gif"), 0, 0, 125, 125, 0,
                                         PURPLE_ICON_SCALE_DISPLAY};

    // Every operation, in this one place: the jabber module's own where
    // HipChat is plain XMPP, ours where it is not. Operations HipChat does
    // not have stay unset rather than inherited: XEP-0096 file transfer
    // (files go over REST), in-band registration, Jingle, roster editing
    // (the server manages the team's roster), the module's room list (it
    // asks for a conference server).
    const xmpp::ModuleOperations &module = xmpp::module_operations();
    info.list_icon = list_icon;
    info.list_emblem = module.list_emblem;
    info.status_text = module.status_text;
    info.tooltip_text = xmpp::tooltip_text;  // + @mention (xmpp/people.hpp)
    info.status_types = xmpp::status_types;  // HipChat's own meanings (xmpp/presence.hpp)
    info.blist_node_menu = blist_node_menu;  // + older messages, room admin (room-menu.hpp)
    info.chat_info = xmpp::chat_info;        // rooms by name, slug or JID (xmpp/rooms.hpp)
    info.chat_info_defaults = xmpp::chat_info_defaults;
    info.login = login;
    info.close = module.close;
    info.send_im = im_send;                // typed commands in bitlbee (commands.hpp)
    info.send_typing = xmpp::send_typing;  // HipChat's states (typing.hpp)
    info.get_info = xmpp::get_info;        // HipChat's profile (xmpp/people.hpp)
    info.set_status = module.set_status;
    info.set_idle = module.set_idle;
    info.join_chat = xmpp::join_chat;  // our full name as nick (xmpp/rooms.hpp)
    info.get_chat_name = xmpp::get_chat_name;
    info.chat_invite = xmpp::chat_invite;  // xmpp/room-admin.hpp
    info.chat_leave = module.chat_leave;
    info.chat_send = chat_send;  // typed commands in bitlbee (commands.hpp)
    info.keepalive = module.keepalive;
    info.convo_closed = module.convo_closed;
    info.normalize = module.normalize;
    info.get_cb_real_name = module.get_cb_real_name;
    info.set_chat_topic = module.set_chat_topic;
    info.find_blist_chat = xmpp::find_blist_chat;
    info.roomlist_get_list = roomlist_get_list;  // roomlist.hpp
    info.roomlist_cancel = roomlist_cancel;
    info.roomlist_room_serialize = roomlist_room_serialize;
    info.can_receive_file = can_receive_file;  // files over REST (files.hpp)
    info.send_file = send_file;
    info.new_xfer = new_xfer;
    info.offline_message = module.offline_message;
    info.send_raw = module.send_raw;
    return &info;
}

}  // namespace hipchat::purple
