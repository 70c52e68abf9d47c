#include "xmpp/link-cards.hpp"

#include <string>

#include "core/link-metadata.hpp"
#include "xmpp/conversations.hpp"

namespace hipchat::xmpp {

void show_link_card(PurpleConversation *conv, const core::Message &m, time_t when, bool delayed)
{
    if (!m.link_metadata)
        return;
    const std::string card = core::link_card_text(*m.link_metadata);
    if (card.empty())
        return;
    // A line of our own, as every UI shows one (bitlbee too: from the room
    // or the person), so the card cannot pass for someone's message.
    write_system_line(conv, card,
                      delayed ? PURPLE_MESSAGE_DELAYED : static_cast<PurpleMessageFlags>(0), when);
}

}  // namespace hipchat::xmpp
