#include "xmpp/unread.hpp"

#include <connection.h>
#include <signals.h>

#include <algorithm>

#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/conversations.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/people.hpp"
#include "xmpp/read-state.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/router.hpp"
#include "xmpp/shown.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

// A join's backlog normally ends with the room's subject (§7.4); a room
// that sends none has its backlog written after this long.
constexpr unsigned backlog_wait_ms = 5000;

UnreadState &unread(Session &session)
{
    return session.state<UnreadState>();
}

std::string conversation_jid(PurpleConversation *conv)
{
    return core::ascii_lower(core::bare_jid(purple_conversation_get_name(conv)));
}

// The unread ones, at most `cap`, when the read state counts them freshly
// (the sign-on's fetch); else `cap`: what is read among them is told apart
// by the mark.
int unread_backlog_size(Session &session, const core::ReadMark &mark, int cap)
{
    if (mark.unread && read_counts_fresh(session))
        return std::min(cap, mark.unread->count);
    return cap;
}

void write_backlog(Session &session, const std::string &room_jid)
{
    auto &joining = unread(session).joining;
    const auto it = joining.find(room_jid);
    if (it == joining.end())
        return;
    UnreadState::Backlog backlog = std::move(it->second);
    joining.erase(it);
    show_with_unread_line(session, backlog.messages, backlog.mark, {room_jid, true}, Arrival::live);
}

// Writes the backlogs that waited too long for their room's subject; one
// timer for all of them (a login joins many rooms at once), while any wait.
void sweep_backlogs(Session &session)
{
    UnreadState &state = unread(session);
    const gint64 now = g_get_monotonic_time();
    std::vector<std::string> overdue;
    for (const auto &[jid, backlog] : state.joining)
        if (now - backlog.started >= gint64{backlog_wait_ms} * 1000)
            overdue.push_back(jid);
    for (const auto &jid : overdue)
        write_backlog(session, jid);
    state.sweeping = !state.joining.empty();
    if (state.sweeping)
        session.defer(backlog_wait_ms, sweep_backlogs);
}

// rooms.hpp's join backlog policy: a room the read state knows shows its
// unread messages (and is collected to put the line above them).
int join_backlog(Session &session, const std::string &room_jid, int cap)
{
    const core::ReadMark *mark = read_mark(session, room_jid);
    if (mark == nullptr)
        return cap;
    const int size = unread_backlog_size(session, *mark, cap);
    UnreadState &state = unread(session);
    if (size <= 0) {
        state.joining.erase(room_jid);
        return 0;
    }
    state.joining[room_jid] = UnreadState::Backlog{*mark, {}, g_get_monotonic_time()};
    if (!state.sweeping) {
        state.sweeping = true;
        session.defer(backlog_wait_ms, sweep_backlogs);
    }
    return size;
}

bool delayed(xmlnode *message)
{
    return xmlnode_get_child_with_namespace(message, "delay", ns::delay) != nullptr ||
           xmlnode_get_child_with_namespace(message, "x", ns::legacy_delay) != nullptr;
}

// The backlog of a join we collect: its delayed messages are kept until the
// subject or a live message ends it, then written with the unread line.
Outcome join_backlog_route(Session &session, Incoming &in)
{
    if (in.sender != Sender::room)
        return Outcome::pass;
    auto &joining = unread(session).joining;
    const auto it = joining.find(in.from_bare);
    if (it == joining.end())
        return Outcome::pass;
    if (g_strcmp0(in.type, "groupchat") == 0 && delayed(in.node) &&
        xmlnode_get_child(in.node, "subject") == nullptr) {
        if (auto message = core::parse_message(to_element(in.node)))
            it->second.messages.push_back(std::move(*message));
        return Outcome::taken;
    }
    write_backlog(session, in.from_bare);
    return Outcome::pass;
}

// The line above the unread messages: how many, and of how many when the
// cap (join_history) left out older ones.
std::string unread_line(int count, int total)
{
    char *text = nullptr;
    if (total > count) {
        // TRANSLATORS: a line above the last messages of a room or chat the
        // user has not read; the first %d is how many are shown, the second
        // how many are unread.
        text = g_strdup_printf(
            ngettext("— the last %d of %d unread messages —",
                     "— the last %d of %d unread messages —", static_cast<unsigned long>(total)),
            count, total);
    } else {
        // TRANSLATORS: a line above the messages of a room or chat the user
        // has not read yet; %d is how many.
        text = g_strdup_printf(ngettext("— %d unread message —", "— %d unread messages —",
                                        static_cast<unsigned long>(count)),
                               count);
    }
    std::string out = text;
    g_free(text);
    return out;
}

// One line of the login's summary, or "" when nothing is unread.
std::string summary_line(Session &session, const core::AutoJoinItem &item)
{
    const core::ReadMark *mark = read_mark(session, core::ascii_lower(item.jid));
    if (mark == nullptr || !mark->unread || mark->unread->count <= 0)
        return {};
    const int count = mark->unread->count, mentions = mark->unread->mentions;
    std::string where;
    char *text = nullptr;
    if (item.is_room) {
        // bitlbee names a room's channel after the room (rooms.cpp).
        where = "#" + (item.name.empty() ? item.jid : item.name);
        // TRANSLATORS: "3 unread in #Dev"; the room's channel.
        text = g_strdup_printf(ngettext("%d unread in %s", "%d unread in %s", count), count,
                               where.c_str());
    } else {
        where = full_name_of(session, core::ascii_lower(item.jid));
        // TRANSLATORS: "2 unread from Bob Test"; a 1:1 chat.
        text = g_strdup_printf(ngettext("%d unread from %s", "%d unread from %s", count), count,
                               where.empty() ? item.jid.c_str() : where.c_str());
    }
    std::string line = text;
    g_free(text);
    if (item.is_room && (mentions > 0 || mark->unread->includes_mention)) {
        const int shown = std::max(mentions, 1);
        // TRANSLATORS: follows "3 unread in #Dev": ", 1 mentions you".
        text = g_strdup_printf(ngettext(", %d mentions you", ", %d mention you", shown), shown);
        line += text;
        g_free(text);
    }
    return line;
}

// --- Marking read ------------------------------------------------------------

// `conv` read up to the newest message it has shown (§19.4).
void mark_conversation_read(PurpleConversation *conv)
{
    Session *session = Session::of(conv);
    if (session == nullptr || !on_hipchat(*session))
        return;
    if (const ShownAt *newest = newest_shown(conv))
        mark_read(*session, conversation_jid(conv), newest->mid, newest->ts_text, newest->ts);
}

// Pidgin and Finch tell of a conversation looked at with an UNSEEN update
// (its unseen count back to none) while it has the focus.
void on_conversation_updated(PurpleConversation *conv, PurpleConvUpdateType type, gpointer)
{
    util::guard("read state (conversation updated)", [&] {
        Session *session = Session::of(conv);
        if (type == PURPLE_CONV_UPDATE_UNSEEN && session != nullptr &&
            mark_read_setting(*session) == MarkRead::on && purple_conversation_has_focus(conv))
            mark_conversation_read(conv);
    });
}

// A message written: ours as we write it (here or on another of our
// devices; not one of the past, in a backlog) marks the conversation read
// unless mark_read is off; someone else's only with mark_read on, when the
// UI shows it to the user there and then (bitlbee shows everything; Pidgin
// and Finch the focused conversation).
void on_wrote_message(PurpleAccount *, const char *, char *, PurpleConversation *conv,
                      PurpleMessageFlags flags, gpointer)
{
    util::guard("read state (message written)", [&] {
        Session *session = Session::of(conv);
        if (session == nullptr || (flags & (PURPLE_MESSAGE_SEND | PURPLE_MESSAGE_RECV)) == 0)
            return;
        const MarkRead setting = mark_read_setting(*session);
        const bool looked_at =
            setting == MarkRead::on && (irc_ui(*session) || purple_conversation_has_focus(conv));
        const bool ours_now =
            (flags & PURPLE_MESSAGE_SEND) != 0 && (flags & PURPLE_MESSAGE_DELAYED) == 0;
        if ((ours_now && setting != MarkRead::off) || looked_at)
            mark_conversation_read(conv);
    });
}

// The user wrote in a conversation (bitlbee: spoke in the channel or query).
void on_sent_im(PurpleAccount *account, const char *receiver, const char *, gpointer)
{
    util::guard("read state (sent)", [&] {
        if (PurpleConversation *conv =
                purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, receiver, account))
            mark_conversation_read(conv);
    });
}

void on_sent_chat(PurpleAccount *account, const char *, int id, gpointer)
{
    util::guard("read state (sent)", [&] {
        PurpleConnection *gc = purple_account_get_connection(account);
        if (PurpleConversation *conv = gc != nullptr ? purple_find_chat(gc, id) : nullptr)
            mark_conversation_read(conv);
    });
}

}  // namespace

OpenBacklog chat_open_backlog(Session &session, const std::string &person_jid, int untracked,
                              int cap)
{
    const core::ReadMark *mark = read_mark(session, person_jid);
    if (mark == nullptr || (mark->unread && mark->unread->count == 0))
        return {untracked, std::nullopt};
    return {unread_backlog_size(session, *mark, cap), *mark};
}

int show_with_unread_line(Session &session, const std::vector<core::Message> &messages,
                          const core::ReadMark &mark, const Conversation &where, Arrival read)
{
    std::vector<core::Dated> dated;
    for (const auto &m : messages)
        dated.push_back({m.mid, m.ts.value_or(0)});
    const std::size_t first = core::first_unread(dated, mark);
    for (std::size_t i = 0; i < first; ++i)
        show_message(session, messages[i], where, read);
    PurpleConversation *conv = where.room
                                   ? joined_room(session, where.jid)
                                   : session.find_conversation(PURPLE_CONV_TYPE_IM, where.jid);
    if (conv == nullptr)
        return 0;
    const SeenMids &seen = seen_mids(conv);
    const auto fresh =
        std::count_if(messages.begin() + static_cast<std::ptrdiff_t>(first), messages.end(),
                      [&](const core::Message &m) {
                          return !m.has_subject && (m.mid.empty() || !seen.contains(m.mid));
                      });
    if (fresh == 0)
        return 0;
    const int total = mark.unread && read_counts_fresh(session) ? mark.unread->count : 0;
    write_system_line(conv, unread_line(static_cast<int>(fresh), total));
    for (std::size_t i = first; i < messages.size(); ++i)
        show_message(session, messages[i], where, Arrival::unread);
    return static_cast<int>(fresh);
}

void announce_unread(Session &session, const std::vector<core::AutoJoinItem> &items)
{
    // Pidgin and Finch show no connection notices (their conversations are
    // marked instead); bitlbee writes them in its control channel.
    if (!irc_ui(session))
        return;
    for (const auto &item : items) {
        const std::string line = summary_line(session, item);
        if (!line.empty())
            purple_connection_notice(session.connection(), line.c_str());
    }
}

void register_unread_routes()
{
    add_route({"message", nullptr, nullptr, Precedence::history, Trust::anyone, "join backlog",
               join_backlog_route});
    set_join_backlog_policy(join_backlog);
}

void connect_unread_conversation_signals(PurplePlugin *plugin)
{
    void *conversations = purple_conversations_get_handle();
    purple_signal_connect(conversations, "conversation-updated", plugin,
                          PURPLE_CALLBACK(on_conversation_updated), nullptr);
    purple_signal_connect(conversations, "wrote-im-msg", plugin, PURPLE_CALLBACK(on_wrote_message),
                          nullptr);
    purple_signal_connect(conversations, "wrote-chat-msg", plugin,
                          PURPLE_CALLBACK(on_wrote_message), nullptr);
    purple_signal_connect(conversations, "sent-im-msg", plugin, PURPLE_CALLBACK(on_sent_im),
                          nullptr);
    purple_signal_connect(conversations, "sent-chat-msg", plugin, PURPLE_CALLBACK(on_sent_chat),
                          nullptr);
}

}  // namespace hipchat::xmpp
