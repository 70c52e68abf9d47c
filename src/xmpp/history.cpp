#include "xmpp/history.hpp"

#include <account.h>
#include <debug.h>
#include <signals.h>

#include <algorithm>
#include <ctime>

#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/conversations.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/jabber-api.hpp"
#include "xmpp/levels.hpp"
#include "xmpp/messages.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/router.hpp"
#include "xmpp/shown.hpp"
#include "xmpp/stanza.hpp"
#include "xmpp/unread.hpp"

namespace hipchat::xmpp {

namespace {

constexpr int max_page = 1000;

HistoryState &history(Session &session)
{
    return session.state<HistoryState>();
}

void send_request(Session &session, const std::string &jid, bool room, int count, bool automatic,
                  std::optional<core::ReadMark> mark);
std::string request(PurpleConversation *conv, int count, bool automatic,
                    std::optional<core::ReadMark> mark = std::nullopt);

// The page is complete when the IQ's result arrives (the official client's
// reading, §9); an empty page means there is nothing earlier.
void finish(Session &session, const std::string &jid, const IqReply &reply)
{
    HistoryState &state = history(session);
    const auto it = state.fetches.find(jid);
    if (it == state.fetches.end())
        return;
    HistoryState::Fetch fetch = std::move(it->second);
    state.fetches.erase(it);
    if (!reply.ok &&
        (reply.error == "service-unavailable" || reply.error == "feature-not-implemented"))
        state.unsupported = true;
    while (!fetch.room && !state.waiting.empty()) {
        const auto next = state.waiting.front();
        state.waiting.pop_front();
        if (next.automatic && state.unsupported)
            continue;
        send_request(session, next.person, false, next.count, next.automatic, next.mark);
        break;
    }
    PurpleConversation *conv =
        session.find_conversation(fetch.room ? PURPLE_CONV_TYPE_CHAT : PURPLE_CONV_TYPE_IM, jid);
    if (conv == nullptr)
        return;
    if (!reply.ok && fetch.automatic) {
        // Nobody asked: a chat opening says nothing of it.
        purple_debug_info("hipchat", "history on opening %s failed: %s\n", jid.c_str(),
                          reply.error.c_str());
        return;
    }
    if (!reply.ok) {
        const std::string reason = reply.error == "timeout"    ? _("the server did not answer")
                                   : !reply.error_text.empty() ? reply.error_text
                                                               : reply.error;
        // TRANSLATORS: %s is why, e.g. "forbidden" or "the server did not answer".
        char *text = g_strdup_printf(_("Could not load earlier messages: %s"), reason.c_str());
        write_system_line(conv, text, PURPLE_MESSAGE_ERROR);
        g_free(text);
        return;
    }
    // libpurple's logs only append: a page of older messages written now
    // would land out of order in today's log. (PURPLE_MESSAGE_NO_LOG would
    // do it too, but Pidgin then draws them as bare grey lines.)
    const gboolean logging = purple_conversation_is_logging(conv);
    if (fetch.mark) {
        purple_conversation_set_logging(conv, FALSE);
        begin_history_page(conv);
        show_with_unread_line(session, fetch.messages, *fetch.mark, {jid, fetch.room},
                              Arrival::history);
        purple_conversation_set_logging(conv, logging);
        return;
    }
    const SeenMids &seen = seen_mids(conv);
    // What the page adds: messages not on screen yet. Topic changes of the
    // past are history too (§19.7) but are not shown (old_subject_route).
    const auto fresh =
        std::count_if(fetch.messages.begin(), fetch.messages.end(), [&](const core::Message &m) {
            return !m.has_subject && (m.mid.empty() || !seen.contains(m.mid));
        });
    if (fresh == 0) {
        if (!fetch.automatic)  // nobody asked: nothing to say
            write_system_line(conv, _("No earlier messages."));
        return;
    }
    purple_conversation_set_logging(conv, FALSE);
    // TRANSLATORS: a line above a page of older messages; %d is how many.
    char *frame = g_strdup_printf(ngettext("— %d earlier message —", "— %d earlier messages —",
                                           static_cast<unsigned long>(fresh)),
                                  static_cast<int>(fresh));
    write_system_line(conv, frame);
    g_free(frame);
    begin_history_page(conv);
    for (const auto &m : fetch.messages)
        show_message(session, m, {jid, fetch.room}, Arrival::history);
    purple_conversation_set_logging(conv, logging);
}

// Asks for the page of the fetch under way for `jid`: older than the oldest
// message shown (§9), in the official client's "YYYY-MM-DDTHH:MM:SSZ uuuuuu".
void ask_for_page(Session &session, const std::string &jid)
{
    const HistoryState::Fetch &fetch = history(session).fetches.at(jid);
    xmlnode *query = xmlnode_new("query");
    xmlnode_set_namespace(query, ns::history);
    xmlnode_set_attrib(query, "maxstanzas", std::to_string(fetch.wanted).c_str());
    xmlnode_set_attrib(query, "type", fetch.room ? "groupchat" : "chat");
    PurpleConversation *conv =
        session.find_conversation(fetch.room ? PURPLE_CONV_TYPE_CHAT : PURPLE_CONV_TYPE_IM, jid);
    if (const ShownAt *oldest = conv != nullptr ? oldest_shown(conv) : nullptr) {
        const auto exact = core::history_before_from_ts_text(oldest->ts_text);
        const std::string before = exact ? *exact : core::history_before(oldest->ts);
        if (!before.empty())
            xmlnode_set_attrib(query, "before", before.c_str());
    }
    send_iq(session, "get", jid, query,
            [jid](Session &s, const IqReply &reply) { finish(s, jid, reply); });
}

void send_request(Session &session, const std::string &jid, bool room, int count, bool automatic,
                  std::optional<core::ReadMark> mark)
{
    HistoryState::Fetch &fetch = history(session).fetches[jid] =
        HistoryState::Fetch{room, automatic, count, false, {}, std::move(mark)};
    if (!room) {
        ask_for_page(session, jid);
        return;
    }
    // A room just joined may still be sending its backlog, whose messages
    // look like a page's (delayed, no id): a ping first. The server answers
    // it after all it sent before, the backlog included; then the page is
    // older than the backlog, and the backlog stays the backlog.
    fetch.after_backlog = true;
    xmlnode *ping = xmlnode_new("ping");
    xmlnode_set_namespace(ping, ns::ping);
    send_iq(session, "get", "", ping, [jid](Session &s, const IqReply &) {
        const auto it = history(s).fetches.find(jid);
        if (it == history(s).fetches.end() || !it->second.after_backlog)
            return;
        it->second.after_backlog = false;
        ask_for_page(s, jid);
    });
}

bool has_delay(xmlnode *message)
{
    return xmlnode_get_child_with_namespace(message, "delay", ns::delay) != nullptr ||
           xmlnode_get_child_with_namespace(message, "x", ns::legacy_delay) != nullptr;
}

// The fetch a history message belongs to, or nullptr: §9's messages carry
// <delay> and no id, and come from the room or from either person.
HistoryState::Fetch *fetch_for(Session &session, const Incoming &in)
{
    auto &fetches = history(session).fetches;
    if (fetches.empty() || xmlnode_get_attrib(in.node, "id") != nullptr || !has_delay(in.node))
        return nullptr;
    const char *to = xmlnode_get_attrib(in.node, "to");
    const std::string recipient = core::ascii_lower(core::bare_jid(to != nullptr ? to : ""));
    std::string key = in.from_bare;
    if (in.sender == Sender::own_account) {
        key = recipient;
        if (recipient == in.from_bare || recipient.empty()) {
            // Ours, addressed back to us: the one 1:1 page under way.
            for (auto &[jid, fetch] : fetches) {
                if (!fetch.room)
                    return &fetch;
            }
            return nullptr;
        }
    }
    const auto it = fetches.find(key);
    return it == fetches.end() || it->second.after_backlog ? nullptr : &it->second;
}

Outcome history_route(Session &session, Incoming &in)
{
    HistoryState::Fetch *fetch = fetch_for(session, in);
    if (fetch == nullptr)
        return Outcome::pass;
    if (auto message = core::parse_message(to_element(in.node)))
        fetch->messages.push_back(std::move(*message));
    return Outcome::taken;
}

// A 1:1 conversation just opened: a little context, for bitlbee users
// above all, who have no command for it.
void on_conversation_created(PurpleConversation *conv, gpointer)
{
    util::guard("history (conversation opened)", [conv] {
        if (purple_conversation_get_type(conv) != PURPLE_CONV_TYPE_IM)
            return;
        PurpleConnection *gc = purple_conversation_get_gc(conv);
        Session *session = gc != nullptr ? Session::find(gc) : nullptr;
        if (session == nullptr || !on_hipchat(*session) || history(*session).unsupported)
            return;
        const std::string who =
            core::ascii_lower(core::bare_jid(purple_conversation_get_name(conv)));
        // What the user has not read there yet (§19.4), else the account's
        // few; after the message that opened it (if any) has been written.
        const HistorySettings &settings = history(*session).settings;
        OpenBacklog open = chat_open_backlog(*session, who, settings.on_open, settings.unread_cap);
        if (open.count <= 0)
            return;
        session->defer(0, [who, open = std::move(open)](Session &s) {
            if (PurpleConversation *c = s.find_conversation(PURPLE_CONV_TYPE_IM, who))
                request(c, open.count, true, open.mark);
        });
    });
}

void load_older(PurpleBlistNode *node, gpointer)
{
    util::guard("Load older messages", [node] {
        PurpleConversation *conv = nullptr;
        if (PURPLE_BLIST_NODE_IS_CHAT(node)) {
            auto *chat = reinterpret_cast<PurpleChat *>(node);
            PurpleAccount *account = purple_chat_get_account(chat);
            PurpleConnection *gc = purple_account_get_connection(account);
            Session *session = gc != nullptr ? Session::find(gc) : nullptr;
            const std::string jid = session != nullptr ? room_jid_of(*session, chat) : "";
            conv =
                purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, jid.c_str(), account);
            if (conv == nullptr) {
                purple_notify_info(gc, _("Load older messages"), _("Join the room first."),
                                   nullptr);
                return;
            }
        } else if (PURPLE_BLIST_NODE_IS_BUDDY(node)) {
            auto *buddy = reinterpret_cast<PurpleBuddy *>(node);
            PurpleAccount *account = purple_buddy_get_account(buddy);
            conv = purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM,
                                                         purple_buddy_get_name(buddy), account);
            if (conv == nullptr)
                conv = purple_conversation_new(PURPLE_CONV_TYPE_IM, account,
                                               purple_buddy_get_name(buddy));
        }
        if (conv == nullptr)
            return;
        const std::string error = request_history(conv, 0);
        if (!error.empty())
            write_system_line(conv, error, PURPLE_MESSAGE_ERROR);
    });
}

}  // namespace

namespace {

std::string request(PurpleConversation *conv, int count, bool automatic,
                    std::optional<core::ReadMark> mark)
{
    Session *session = Session::of(conv);
    if (session == nullptr)
        return _("Not connected.");
    HistoryState &state = history(*session);
    const bool room = purple_conversation_get_type(conv) == PURPLE_CONV_TYPE_CHAT;
    if (room && purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)))
        return _("You are not in this room.");
    const std::string jid = core::ascii_lower(core::bare_jid(purple_conversation_get_name(conv)));
    if (state.fetches.count(jid) != 0)
        return _("Earlier messages are already being loaded.");
    if (count <= 0)
        count = state.settings.page;
    count = std::clamp(count, 1, max_page);
    const bool another_chat = std::any_of(state.fetches.begin(), state.fetches.end(),
                                          [](const auto &entry) { return !entry.second.room; });
    if (!room && another_chat) {
        for (const auto &waiting : state.waiting) {
            if (waiting.person == jid)
                return _("Earlier messages are already being loaded.");
        }
        state.waiting.push_back({jid, count, automatic, std::move(mark)});
        return {};
    }
    send_request(*session, jid, room, count, automatic, std::move(mark));
    return {};
}

}  // namespace

std::string request_history(PurpleConversation *conv, int count)
{
    return request(conv, count, false);
}

GList *blist_node_menu(PurpleBlistNode *node)
{
    return util::guard("blist_node_menu", [node] {
        GList *menu = jabber_blist_node_menu(node);
        if (PURPLE_BLIST_NODE_IS_CHAT(node) || PURPLE_BLIST_NODE_IS_BUDDY(node))
            menu = g_list_append(
                menu, purple_menu_action_new(_("Load older messages"), PURPLE_CALLBACK(load_older),
                                             nullptr, nullptr));
        if (PURPLE_BLIST_NODE_IS_CHAT(node))
            menu = g_list_append(menu, notification_level_menu());
        return menu;
    });
}

void configure_history(Session &session, const HistorySettings &settings)
{
    history(session).settings = settings;
}

void register_history_routes()
{
    // Before messages.cpp's route, which would show the page's messages as
    // they come.
    add_route({"message", nullptr, nullptr, Precedence::history, Trust::anyone, "history message",
               history_route});
}

void connect_history_conversation_signals(PurplePlugin *plugin)
{
    purple_signal_connect(purple_conversations_get_handle(), "conversation-created", plugin,
                          PURPLE_CALLBACK(on_conversation_created), nullptr);
}

}  // namespace hipchat::xmpp
