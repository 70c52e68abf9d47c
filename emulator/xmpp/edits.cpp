#include "edits.hpp"

#include "core/element-xml.hpp"
#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "messages.hpp"
#include "server.hpp"
#include "stanza.hpp"
#include "stream.hpp"

#include <algorithm>

namespace hipchat::emulator {

namespace {

// The messages of the conversation an edit is about: the room's, or the two
// people's (§9); nullptr when they have none.
std::vector<HistoryMessage> *conversation(Organisation &org, Room *room, const User &sender,
                                          const User *partner)
{
    if (room != nullptr)
        return &room->history;
    for (auto &h : org.private_history)
        if (std::minmax(h.a, h.b) == std::minmax(sender.id, partner->id))
            return &h.messages;
    return nullptr;
}

}  // namespace

EditOutcome apply_edit(Connection &session, const core::Element &message, Room *room,
                       const User *partner)
{
    const core::Element *replace = message.child("replace", ns::correction);
    if (replace == nullptr || (room == nullptr && partner == nullptr))
        return EditOutcome::none;
    Organisation &org = session.server().org();
    const User &sender = *session.user();
    const std::string to = room != nullptr ? org.room_jid(*room) : org.user_jid(*partner);
    const std::string mid(core::trim(replace->attribute("id")));
    std::vector<HistoryMessage> *messages = conversation(org, room, sender, partner);
    auto original =
        messages != nullptr
            ? std::find_if(messages->begin(), messages->end(),
                           [&](const HistoryMessage &m) { return !mid.empty() && m.mid == mid; })
            : std::vector<HistoryMessage>::iterator();
    // The refusals' shapes are [INFERRED]: the web client only ever offers
    // the user's own messages (message_group.js is_editable:
    // sender_is_current_user), so what the server answered is not recorded.
    if (messages == nullptr || original == messages->end()) {
        message_error(session, message, to, "cancel", "404", "item-not-found",
                      "The message to edit was not found.");
        return EditOutcome::refused;
    }
    if (original->from_jid != org.user_jid(sender)) {
        message_error(session, message, to, "auth", "403", "forbidden",
                      "You can only edit or delete your own messages.");
        return EditOutcome::refused;
    }
    // A deletion is an edit with an empty body (hipchat.js deleteMessage).
    // Deleted messages leave the history: HipChat's REST history gives them
    // back with no body, and the web client drops them (message_processor.js
    // formatAPIMessages, HC-31099).
    const core::Element *body = message.child("body");
    if (body == nullptr || body->text.empty())
        messages->erase(original);
    else
        original->body = body->text;
    return EditOutcome::applied;
}

void relay_room_edit(Connection &session, const core::Element &message, const Room &room)
{
    XmppServer &server = session.server();
    HistoryMessage m;
    m.mid = new_mid();
    m.ts = now_ts();
    m.from_jid = server.org().user_jid(*session.user());
    m.from_name = server.room_nick(*session.user());
    if (const core::Element *body = message.child("body"))
        m.body = body->text;
    // The <replace> goes after the body, where a shared file's element goes.
    m.file_payload = core::to_xml(*message.child("replace", ns::correction), ns::client);
    broadcast_to_room(server, room, m, message.attribute("id"));
}

}  // namespace hipchat::emulator
