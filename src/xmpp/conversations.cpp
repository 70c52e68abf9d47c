#include "xmpp/conversations.hpp"

#include <ctime>

#include "core/text.hpp"

namespace hipchat::xmpp {

void set_irc_ui(Session &session, bool irc)
{
    session.state<UiState>().irc = irc;
}

bool irc_ui(Session &session)
{
    return session.state<UiState>().irc;
}

void write_system_line(PurpleConversation *conv, const std::string &text, PurpleMessageFlags extra,
                       time_t when)
{
    if (when == 0)
        when = std::time(nullptr);
    char *escaped = g_markup_escape_text(text.c_str(), -1);
    const auto flags = static_cast<PurpleMessageFlags>(PURPLE_MESSAGE_SYSTEM | extra);
    // bitlbee shows a line only as someone's message, and a nameless one as
    // from "_" in its control channel: there the room's lines come from the
    // room and a chat's from the person, in the channel or query itself.
    Session *session = Session::of(conv);
    const bool irc = session != nullptr && irc_ui(*session);
    if (purple_conversation_get_type(conv) == PURPLE_CONV_TYPE_CHAT && irc) {
        const char *title = purple_conversation_get_title(conv);
        purple_conv_chat_write(PURPLE_CONV_CHAT(conv), title != nullptr ? title : "", escaped,
                               flags, when);
    } else if (purple_conversation_get_type(conv) == PURPLE_CONV_TYPE_CHAT) {
        // Pidgin's and Finch's write_chat only pass it on to this, after
        // purple_conv_chat_write has added NICK for our nick in the text.
        purple_conversation_write(conv, "", escaped, flags, when);
    } else {
        const std::string person = irc ? core::bare_jid(purple_conversation_get_name(conv)) : "";
        purple_conv_im_write(PURPLE_CONV_IM(conv), person.c_str(), escaped, flags, when);
    }
    g_free(escaped);
}

PurpleConversation *joined_room(Session &session, const std::string &room_jid)
{
    for (GSList *l = session.connection()->buddy_chats; l != nullptr; l = l->next) {
        auto *conv = static_cast<PurpleConversation *>(l->data);
        if (room_jid == purple_conversation_get_name(conv))
            return purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)) ? nullptr : conv;
    }
    return nullptr;
}

}  // namespace hipchat::xmpp
