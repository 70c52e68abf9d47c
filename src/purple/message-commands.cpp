#include "purple/message-commands.hpp"

#include <notify.h>

#include <string>

#include "purple/commands.hpp"
#include "purple/protocol.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/calls.hpp"
#include "xmpp/conversations.hpp"
#include "xmpp/corrections.hpp"
#include "xmpp/lists.hpp"

namespace hipchat::purple {

namespace {

PurpleCmdRet edit(PurpleConversation *conv, const gchar *, gchar **args, gchar **error, void *)
{
    return util::guard(
        "/edit", [&] { return result(xmpp::edit_last_message(conv, arg(args, 0)), error); },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet delete_message(PurpleConversation *conv, const gchar *, gchar **, gchar **error,
                            void *)
{
    return util::guard(
        "/delete", [&] { return result(xmpp::delete_last_message(conv), error); },
        PURPLE_CMD_RET_FAILED);
}

// §19.1: the browser joins the call, as the official client opens its
// video window; bitlbee has the address written out.
PurpleCmdRet call(PurpleConversation *conv, const gchar *, gchar **, gchar **error, void *)
{
    return util::guard(
        "/call",
        [&] {
            const xmpp::CallStarted started = xmpp::start_call(conv);
            if (started.error.empty() && !running_in_bitlbee())
                purple_notify_uri(purple_conversation_get_gc(conv), started.url.c_str());
            return result(started.error, error);
        },
        PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet files(PurpleConversation *conv, const gchar *, gchar **, gchar **error, void *)
{
    return util::guard(
        "/files", [&] { return result(xmpp::list_files(conv), error); }, PURPLE_CMD_RET_FAILED);
}

PurpleCmdRet links(PurpleConversation *conv, const gchar *, gchar **, gchar **error, void *)
{
    return util::guard(
        "/links", [&] { return result(xmpp::list_links(conv), error); }, PURPLE_CMD_RET_FAILED);
}

}  // namespace

void register_message_commands()
{
    const auto both = static_cast<PurpleCmdFlag>(PURPLE_CMD_FLAG_CHAT | PURPLE_CMD_FLAG_IM);
    // TRANSLATORS: /help texts; keep the command names and the <…> placeholders' meaning.
    add_typed("edit", both, edit,
              _("edit &lt;text&gt;: replace your last message here with this text (within 24 "
                "hours). s/old/new/ corrects it too."));
    add_typed("delete", both, delete_message,
              _("delete: delete your last message here (within 24 hours)."));
    add_typed("call", both, call,
              _("call: start a HipChat video call with this person; both of you join in a "
                "browser."));
    add_typed("files", both, files,
              _("files: list the files shared here, newest first (then /download "
                "&lt;name&gt;)."));
    add_typed("links", both, links, _("links: list the links shared here, newest first."));
}

Typed check_typed_correction(PurpleConversation *conv, const char *message)
{
    if (conv == nullptr)
        return Typed::message;
    const auto why = xmpp::check_substitution(conv, message);
    if (!why)
        return Typed::message;
    if (why->empty())
        return Typed::correction;
    xmpp::write_system_line(conv, *why, PURPLE_MESSAGE_ERROR);
    return Typed::refused;
}

}  // namespace hipchat::purple
