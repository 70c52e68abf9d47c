#include "xmpp/conversations.hpp"

#include <ctime>

namespace hipchat::xmpp {

void write_system_line(PurpleConversation *conv, const std::string &text, PurpleMessageFlags extra)
{
    char *escaped = g_markup_escape_text(text.c_str(), -1);
    const auto flags = static_cast<PurpleMessageFlags>(PURPLE_MESSAGE_SYSTEM | extra);
    if (purple_conversation_get_type(conv) == PURPLE_CONV_TYPE_CHAT)
        purple_conv_chat_write(PURPLE_CONV_CHAT(conv), "", escaped, flags, std::time(nullptr));
    else
        purple_conv_im_write(PURPLE_CONV_IM(conv), "", escaped, flags, std::time(nullptr));
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
