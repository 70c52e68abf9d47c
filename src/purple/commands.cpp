#include "purple/commands.hpp"

#include <account.h>
#include <cmds.h>
#include <notify.h>
#include <util.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "purple/files.hpp"
#include "purple/message-commands.hpp"
#include "purple/protocol.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/conversations.hpp"
#include "xmpp/history.hpp"
#include "xmpp/jabber-module.hpp"
#include "xmpp/levels.hpp"
#include "xmpp/messages.hpp"
#include "xmpp/people.hpp"
#include "xmpp/room-admin.hpp"
#include "xmpp/rooms.hpp"

namespace hipchat::purple {

namespace {

constexpr const char *prpl_id = "prpl-hipchat";

std::vector<PurpleCmdId> registered;
std::vector<std::string> command_names;

}  // namespace

std::string arg(gchar **args, int i)
{
    if (args == nullptr)
        return {};
    for (int k = 0; k < i; ++k) {
        if (args[k] == nullptr)
            return {};
    }
    std::string text = args[i] != nullptr ? args[i] : "";
    const auto first = text.find_first_not_of(' ');
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(' ');
    return text.substr(first, last - first + 1);
}

PurpleCmdRet result(const std::string &error, gchar **error_out)
{
    if (error.empty())
        return PURPLE_CMD_RET_OK;
    *error_out = g_strdup(error.c_str());
    return PURPLE_CMD_RET_FAILED;
}

namespace {

// "Bob Test please join": the longest leading run of words that names a
// person of the team (full names have spaces), and the rest.
std::pair<std::string, std::string> split_person(PurpleAccount *account, const std::string &text)
{
    std::vector<std::size_t> cuts;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ' ')
            cuts.push_back(i);
    }
    cuts.push_back(text.size());
    for (auto it = cuts.rbegin(); it != cuts.rend(); ++it) {
        const std::string who = text.substr(0, *it);
        if (!xmpp::find_person(account, who).empty())
            return {who, *it < text.size() ? text.substr(*it + 1) : ""};
    }
    const auto space = text.find(' ');
    return {text.substr(0, space), space == std::string::npos ? "" : text.substr(space + 1)};
}

PurpleCmdRet topic(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/topic",
        [&] {
            const std::string text = arg(args, 0);
            if (text.empty()) {
                const char *current = purple_conv_chat_get_topic(PURPLE_CONV_CHAT(conv));
                std::string line;
                if (current != nullptr && *current) {
                    // TRANSLATORS: %s is the room's topic.
                    char *l = g_strdup_printf(_("The topic is: %s"), current);
                    line = l;
                    g_free(l);
                } else {
                    line = _("No topic is set.");
                }
                xmpp::write_system_line(conv, line);
                return PURPLE_CMD_RET_OK;
            }
            return result(xmpp::set_topic(conv, text), error);
        },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet invite(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/invite",
        [&] {
            const auto [who, reason] =
                split_person(purple_conversation_get_account(conv), arg(args, 0));
            if (who.empty())
                return result(_("Say whom to invite: /invite <person> [message]"), error);
            return result(xmpp::invite(xmpp::room_target(conv), who, reason), error);
        },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet kick(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/kick",
        [&] {
            const std::string who = arg(args, 0);
            if (who.empty())
                return result(_("Say whom to remove: /kick <person>"), error);
            return result(xmpp::remove_member(xmpp::room_target(conv), who), error);
        },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet part(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/part", [&] { return result(xmpp::leave(conv, arg(args, 0)), error); },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet join(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/join",
        [&] {
            const std::string room = arg(args, 0);
            if (room.empty())
                return result(_("Say which room: /join <room name or address>"), error);
            return result(xmpp::join_by_name(conv, room), error);
        },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet msg(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/msg",
        [&] {
            const auto [who, text] =
                split_person(purple_conversation_get_account(conv), arg(args, 0));
            if (who.empty())
                return result(_("Say whom to write to: /msg <person> [message]"), error);
            return result(xmpp::message_person(conv, who, text), error);
        },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet history(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/history",
        [&] {
            const std::string count = arg(args, 0);
            char *end = nullptr;
            const long n = count.empty() ? 0 : std::strtol(count.c_str(), &end, 10);
            if (!count.empty() && (end == nullptr || *end != '\0' || n <= 0))
                return result(_("Say how many messages: /history [number]"), error);
            return result(xmpp::request_history(conv, static_cast<int>(n)), error);
        },
        PURPLE_CMD_RET_FAILED);
}

// §19.6: the room's notification level, shown or changed.
PurpleCmdRet notify(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/notify", [&] { return result(xmpp::notify_command(conv, arg(args, 0)), error); },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet share_cmd(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/share", [&] { return result(share(conv, arg(args, 0)), error); }, PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet download_cmd(PurpleConversation *conv, const gchar *, gchar **args, gchar **error,
                          void *)
{
    return util::guard(
        "/download", [&] { return result(download(conv, arg(args, 0)), error); },
        PURPLE_CMD_RET_FAILED);
}

// HipChat's message conventions (§8.7, §19.2): "/code …", "/quote …",
// "/pre …", "/monospace …" and "/em …" are message text that HipChat's
// clients draw. Pidgin and Finch know no such commands and would send
// nothing ("Unknown command"): these send the line as it was typed. (Typed
// in bitlbee the text goes out as it is anyway: they are not among the
// commands run_typed_command knows.)
PurpleCmdRet as_text(PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **, void *)
{
    return util::guard(
        "message convention",
        [&] {
            std::string text = std::string("/") + cmd;
            if (args != nullptr && args[0] != nullptr && *args[0] != '\0')
                text += std::string(" ") + args[0];
            if (purple_conversation_get_type(conv) == PURPLE_CONV_TYPE_CHAT)
                purple_conv_chat_send(PURPLE_CONV_CHAT(conv), text.c_str());
            else
                purple_conv_im_send(PURPLE_CONV_IM(conv), text.c_str());
            return PURPLE_CMD_RET_OK;
        },
        PURPLE_CMD_RET_FAILED);
}

// HipChat's presence commands (§19.2): the account's status, as its status
// menu sets it, with an optional status message. HipChat's Away is the
// chosen one (xa on the wire, presence.hpp).
PurpleCmdRet presence(PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **, void *)
{
    return util::guard(
        "presence command",
        [&] {
            const std::string command = cmd;
            const char *status = command == "away"  ? "away"
                                 : command == "dnd" ? "dnd"
                                                    : "available";
            const std::string message = arg(args, 0);
            purple_account_set_status(purple_conversation_get_account(conv), status, TRUE,
                                      "message", message.empty() ? nullptr : message.c_str(),
                                      nullptr);
            return PURPLE_CMD_RET_OK;
        },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet rename(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/rename",
        [&] {
            const std::string name = arg(args, 0);
            if (name.empty())
                return result(_("Say the room's new name: /rename <name>"), error);
            return result(xmpp::rename_room(xmpp::room_target(conv), name), error);
        },
        PURPLE_CMD_RET_FAILED);
}

// §19.5: HipChat has no search over XMPP; its website searches a room's or
// a chat's messages.
PurpleCmdRet search(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/search",
        [&] {
            const std::string text = arg(args, 0);
            if (text.empty())
                return result(_("Say what to look for: /search <text>"), error);
            const std::string url = xmpp::search_url(conv, text);
            if (url.empty())
                return result(_("HipChat's website is not known on this connection."), error);
            if (running_in_bitlbee()) {
                // TRANSLATORS: %s is the address of HipChat's search page.
                char *line = g_strdup_printf(_("Search HipChat: %s"), url.c_str());
                xmpp::write_system_line(conv, line);
                g_free(line);
            } else {
                purple_notify_uri(purple_conversation_get_gc(conv), url.c_str());
            }
            return PURPLE_CMD_RET_OK;
        },
        PURPLE_CMD_RET_FAILED);
}

}  // namespace

void add(const char *name, PurpleCmdFlag where, PurpleCmdFunc func, const char *help)
{
    const auto flags = static_cast<PurpleCmdFlag>(where | PURPLE_CMD_FLAG_PRPL_ONLY |
                                                  PURPLE_CMD_FLAG_ALLOW_WRONG_ARGS);
    registered.push_back(
        purple_cmd_register(name, "s", PURPLE_CMD_P_PRPL, flags, prpl_id, func, help, nullptr));
}

// A command that typing in bitlbee runs too (run_typed_command).
void add_typed(const char *name, PurpleCmdFlag where, PurpleCmdFunc func, const char *help)
{
    add(name, where, func, help);
    command_names.emplace_back(name);
}

void register_commands(PurplePlugin *)
{
    const auto chat = PURPLE_CMD_FLAG_CHAT;
    const auto both = static_cast<PurpleCmdFlag>(PURPLE_CMD_FLAG_CHAT | PURPLE_CMD_FLAG_IM);
    // TRANSLATORS: /help text; keep the command name and the <…> placeholders' meaning.
    add_typed("topic", chat, topic, _("topic [new topic]: show or change the room's topic."));
    add_typed("invite", chat, invite,
              _("invite &lt;person&gt; [message]: invite someone of your team to this room."));
    add_typed("kick", chat, kick,
              _("kick &lt;person&gt;: remove someone from this room (room owners and admins)."));
    add_typed("part", chat, part, _("part [message]: leave this room."));
    add_typed("leave", chat, part, _("leave: leave this room (as /part)."));
    add_typed("close", chat, part, _("close: leave this room (as /part)."));
    add_typed("rename", chat, rename,
              _("rename &lt;name&gt;: give this room a new name (room owners and admins)."));
    add_typed("join", both, join, _("join &lt;room&gt;: join a room by its name or address."));
    add_typed("enter", both, join, _("enter &lt;room&gt;: join a room (as /join)."));
    add_typed("msg", both, msg, _("msg &lt;person&gt; [message]: write to someone of your team."));
    add_typed("share", both, share_cmd,
              _("share [file]: send a file here (up to 50 MB; without a name, choose one)."));
    add_typed("download", both, download_cmd,
              _("download [name]: save the last file shared here (or the last one with that "
                "name)."));
    add_typed("history", both, history,
              _("history [number]: show earlier messages of this room or chat (default: a "
                "page)."));
    add_typed("notify", chat, notify,
              _("notify [loud|normal|quiet|default]: show or set how this room may notify you "
                "(loud: every message; normal: mentions, @all and @here; quiet: only messages "
                "that name you)."));
    add_typed("search", both, search,
              _("search &lt;text&gt;: search this room's or chat's messages on HipChat's "
                "website."));
    add_typed("away", both, presence, _("away [message]: set your status to Away."));
    add_typed("dnd", both, presence, _("dnd [message]: set your status to Do Not Disturb."));
    add_typed("here", both, presence, _("here [message]: set your status to Available."));
    add_typed("back", both, presence, _("back [message]: set your status to Available."));
    add_typed("available", both, presence, _("available [message]: set your status to Available."));
    // Message text the other side's client draws (§8.7).
    add("code", both, as_text, _("code &lt;text&gt;: send text as code."));
    add("quote", both, as_text, _("quote &lt;text&gt;: send text as a quotation."));
    add("pre", both, as_text, _("pre &lt;text&gt;: send text in a fixed-width font."));
    add("monospace", both, as_text, _("monospace &lt;text&gt;: send text in a fixed-width font."));
    add("em", both, as_text, _("em &lt;action&gt;: say what you are doing (as /me)."));
    register_message_commands();  // message-commands.cpp
    register_room_commands();     // room-commands.cpp
}

void unregister_commands()
{
    for (PurpleCmdId id : registered)
        purple_cmd_unregister(id);
    registered.clear();
    command_names.clear();
}

bool run_typed_command(PurpleConversation *conv, const char *message)
{
    if (conv == nullptr || message == nullptr || message[0] != '/')
        return false;
    char *plain = purple_markup_strip_html(message + 1);
    const std::string line = plain;
    g_free(plain);
    const std::string name = line.substr(0, line.find(' '));
    bool ours = false;
    for (const auto &command : command_names)
        ours = ours || command == name;
    if (!ours)
        return false;  // "/me", "/code …" and friends are HipChat message text (§8.7)
    if (name == "share") {
        xmpp::write_system_line(
            conv,
            _("Files cannot be shared with /share here: it would upload a file of the bitlbee "
              "server, not yours. Send the file to a person from your IRC client instead "
              "(DCC: /dcc send <nick> <file>); rooms cannot take files from bitlbee."),
            PURPLE_MESSAGE_ERROR);
        return true;
    }
    char *error = nullptr;
    const PurpleCmdStatus status = purple_cmd_do_command(conv, line.c_str(), message + 1, &error);
    if (status != PURPLE_CMD_STATUS_OK)
        xmpp::write_system_line(conv,
                                error != nullptr ? error : _("That command did not work here."),
                                PURPLE_MESSAGE_ERROR);
    g_free(error);
    return true;
}

namespace {

// HipChat took messages of fewer than 2^15 characters (app_config.js 134,
// max_message_text_length, "matches backend limit"): the official client's
// input refused longer ones (chat_input.js 628-630). Said in the
// conversation, and not sent.
bool refused_as_too_long(PurpleConversation *conv, const char *message)
{
    constexpr glong max_message_chars = (1 << 15) - 1;
    if (conv == nullptr || message == nullptr)
        return false;
    char *plain = purple_markup_strip_html(message);
    const glong length = g_utf8_validate(plain, -1, nullptr) ? g_utf8_strlen(plain, -1)
                                                             : static_cast<glong>(strlen(plain));
    g_free(plain);
    if (length <= max_message_chars)
        return false;
    xmpp::write_system_line(conv,
                            // TRANSLATORS: HipChat's limit; the message the user typed is not sent.
                            _("Not sent: HipChat takes messages of at most 32,767 characters."),
                            PURPLE_MESSAGE_ERROR);
    return true;
}

}  // namespace

int chat_send(PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags)
{
    return util::guard(
        "chat_send",
        [&] {
            PurpleConversation *conv = purple_find_chat(gc, id);
            if (run_typed_command(conv, message) || refused_as_too_long(conv, message) ||
                check_typed_correction(conv, message) == Typed::refused)
                return 0;
            return xmpp::send_room_message(gc, id, message, flags);
        },
        -EINVAL);
}

int im_send(PurpleConnection *gc, const char *who, const char *message, PurpleMessageFlags flags)
{
    return util::guard(
        "im_send",
        [&] {
            if (who == nullptr || message == nullptr)
                return xmpp::module_operations().send_im(gc, who, message, flags);
            PurpleAccount *account = purple_connection_get_account(gc);
            PurpleConversation *conv =
                purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, who, account);
            if (conv == nullptr)
                conv = purple_conversation_new(PURPLE_CONV_TYPE_IM, account, who);
            if (run_typed_command(conv, message) || refused_as_too_long(conv, message))
                return 0;
            const Typed typed = check_typed_correction(conv, message);
            if (typed == Typed::refused)
                return 0;
            const int sent = xmpp::module_operations().send_im(gc, who, message, flags);
            // A correction is shown as one when HipChat echoes it (§19.2),
            // not as the line typed.
            return typed == Typed::correction && sent > 0 ? 0 : sent;
        },
        -EINVAL);
}

}  // namespace hipchat::purple
