#include "xmpp/messages.hpp"

#include <account.h>
#include <blist.h>
#include <conversation.h>
#include <debug.h>
#include <server.h>
#include <signals.h>
#include <util.h>

#include <algorithm>
#include <ctime>
#include <string>
#include <vector>

#include "core/html.hpp"
#include "core/mentions.hpp"
#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/conversations.hpp"
#include "xmpp/emoticons.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/jabber-api.hpp"
#include "xmpp/people.hpp"
#include "xmpp/router.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

// How many 1:1 stanza ids we remember while their echo is on its way.
constexpr std::size_t max_pending_echoes = 256;

MessagesState &messages(Session &session)
{
    return session.state<MessagesState>();
}

// The person behind a room nick: the occupant's real JID the module tracks
// (rooms are never anonymous, §7.4).
std::string jid_for_nick(Session &session, int chat_id, std::string_view nick)
{
    char *real = jabber_chat_buddy_real_name(session.connection(), chat_id,
                                             std::string(nick).c_str());
    std::string jid = real != nullptr ? core::ascii_lower(core::bare_jid(real)) : "";
    g_free(real);
    return is_room_jid(session, jid) ? "" : jid;
}

core::MentionIdentity own_identity(Session &session)
{
    return {own_mention_name(session), own_name(session)};
}

time_t when(const core::Message &m)
{
    if (m.delay_stamp)
        return static_cast<time_t>(*m.delay_stamp);
    return std::time(nullptr);
}

// bitlbee strips every tag (links lose their address): give it text that
// says everything, with the addresses written out.
std::string for_ui(Session &session, const std::string &html)
{
    if (!messages(session).settings.plain_text_ui)
        return html;
    return core::text_to_html(core::html_to_plain_text(html));
}

bool show_in_room(Session &session, const core::Message &m, const std::string &room_jid,
                  Arrival arrival, const core::Rendered &rendered, PurpleMessageFlags flags)
{
    PurpleConversation *conv = joined_room(session, room_jid);
    if (conv == nullptr)
        return false;
    PurpleConvChat *chat = PURPLE_CONV_CHAT(conv);
    const int id = purple_conv_chat_get_id(chat);
    const std::string nick = core::jid_resource(m.from);
    const std::string own = own_bare_jid(session);
    std::string who;
    std::string sender;
    if (m.notification) {
        // An integration speaks under its label (§8.4), always marked as
        // one: the label is whatever the caller of the REST API chose, a
        // colleague's name included, whether or not they are in the room.
        // TRANSLATORS: an integration's label, e.g. "Jenkins (integration)".
        char *label = g_strdup_printf(_("%s (integration)"),
                                      nick.empty() ? _("Notification") : nick.c_str());
        who = label;
        g_free(label);
    } else {
        sender = core::ascii_lower(core::sender_jid(m, room_jid, [&](std::string_view n) {
            return jid_for_nick(session, id, n);
        }));
        if (sender == own) {
            who = purple_conv_chat_get_nick(chat);  // libpurple marks it as ours
        } else {
            who = full_name_of(session, sender);
            if (who.empty())
                who = !nick.empty() ? nick : sender;
        }
    }
    if (who.empty())
        who = room_jid;

    std::string html = for_ui(session, rendered.html);
    if (rendered.system && m.room_state)
        html = core::html_escape(who) + " " + html;
    if (rendered.action)
        html = "/me " + html;
    // §8.6: @MentionName, @all, @here and @"Full Name" ping us; formatted
    // messages and notify=0 notifications do not, nor old ones coming again.
    if (arrival == Arrival::live && !m.delayed && !rendered.formatted &&
        rendered.highlight_allowed && sender != own &&
        core::mentions_me(m.body, own_identity(session),
                          messages(session).settings.direct_mentions_only
                              ? core::MentionScope::direct_only
                              : core::MentionScope::everyone))
        flags = static_cast<PurpleMessageFlags>(flags | PURPLE_MESSAGE_NICK);
    // Formatted messages get no emoticons either (§8.6, §12.1).
    if (!rendered.formatted)
        prepare_emoticons(session, conv, html);
    serv_got_chat_in(session.connection(), id, who.c_str(), flags, html.c_str(), when(m));
    return true;
}

bool show_in_im(Session &session, const core::Message &m, const std::string &partner,
                const core::Rendered &rendered, PurpleMessageFlags flags)
{
    const std::string own = own_bare_jid(session);
    std::string html = for_ui(session, rendered.html);
    if (rendered.action)
        html = "/me " + html;
    PurpleAccount *account = session.account();
    PurpleConversation *conv = session.find_conversation(PURPLE_CONV_TYPE_IM, partner);
    if (core::ascii_lower(core::bare_jid(m.from)) != own) {
        if (!rendered.formatted) {
            // The conversation must exist for its images to be offered.
            if (conv == nullptr)
                conv = purple_conversation_new(PURPLE_CONV_TYPE_IM, account, partner.c_str());
            prepare_emoticons(session, conv, html);
        }
        serv_got_im(session.connection(), partner.c_str(), html.c_str(), flags, when(m));
        return true;
    }
    // Ours, from another of our sessions (echo, §8.1) or from history: in
    // the conversation with whom we wrote to, as sent by us.
    if (partner.empty() || partner == own)
        return false;
    if (conv == nullptr)
        conv = purple_conversation_new(PURPLE_CONV_TYPE_IM, account, partner.c_str());
    const std::string me = !own_name(session).empty() ? own_name(session) : own;
    purple_conv_im_write(PURPLE_CONV_IM(conv), me.c_str(), html.c_str(),
                         static_cast<PurpleMessageFlags>(flags | PURPLE_MESSAGE_SEND), when(m));
    return true;
}

// The oldest message a conversation has shown, for the history's `before`.
void remember_oldest(Session &session, const std::string &conversation, const core::Message &m)
{
    OldestShown candidate;
    if (m.ts) {
        candidate.ts = *m.ts;
        candidate.ts_text = m.ts_text;
    } else if (m.delay_stamp) {
        candidate.ts = static_cast<double>(*m.delay_stamp);
    } else {
        return;
    }
    auto [it, added] = messages(session).oldest.emplace(conversation, candidate);
    if (!added && candidate.ts < it->second.ts)
        it->second = candidate;
}

SharedFileListener &shared_file_listener()
{
    static SharedFileListener listener;
    return listener;
}

// Files stay at hand for /download (the last few per conversation), and
// 1:1 ones from others are offered as they arrive.
void note_shared_file(Session &session, const core::Message &m, const Conversation &where,
                      Arrival arrival)
{
    auto &files = messages(session).shared_files[where.jid];
    files.push_back(*m.file);
    if (files.size() > MessagesState::shared_files_kept)
        files.pop_front();
    const std::string sender = core::ascii_lower(core::bare_jid(m.from));
    if (!where.room && arrival == Arrival::live && !m.delayed && sender != own_bare_jid(session) &&
        shared_file_listener())
        shared_file_listener()(session, sender, *m.file);
}

}  // namespace

void set_shared_file_listener(SharedFileListener listener)
{
    shared_file_listener() = std::move(listener);
}

Conversation conversation_of(Session &session, const core::Message &m)
{
    const std::string from = core::ascii_lower(core::bare_jid(m.from));
    if (m.type == "groupchat")
        return {from, true};
    return {from == own_bare_jid(session) ? core::ascii_lower(core::bare_jid(m.to)) : from, false};
}

bool show_message(Session &session, const core::Message &m, const Conversation &where,
                  Arrival arrival)
{
    // The same message again (join backlog, then history; a reconnect): once.
    if (!m.mid.empty() && !messages(session).seen_mids[where.jid].insert(m.mid))
        return false;
    remember_oldest(session, where.jid, m);
    const core::Rendered rendered = core::render_message(m);
    if (rendered.html.empty())
        return false;
    auto flags = static_cast<PurpleMessageFlags>(0);
    if (m.delayed || arrival == Arrival::history)
        flags = static_cast<PurpleMessageFlags>(flags | PURPLE_MESSAGE_DELAYED);
    if (rendered.system)
        flags = static_cast<PurpleMessageFlags>(flags | PURPLE_MESSAGE_SYSTEM);
    const bool shown = where.room ? show_in_room(session, m, where.jid, arrival, rendered, flags)
                                  : show_in_im(session, m, where.jid, rendered, flags);
    if (shown && m.file)
        note_shared_file(session, m, where, arrival);
    return shown;
}

namespace {

bool worth_taking(xmlnode *stanza, const core::Message &m)
{
    const std::string type = m.type;
    if (type == "error" || type == "headline")
        return false;
    // Invites are the rooms' (rooms.cpp), subjects the module's (topics).
    if (xmlnode *x =
            xmlnode_get_child_with_namespace(stanza, "x", ns::muc_user);
        x != nullptr && xmlnode_get_child(x, "invite") != nullptr)
        return false;
    if (m.has_subject)
        return false;
    // Bodyless chat states and receipts stay with the module.
    return !m.body.empty() || m.room_state.has_value() || m.file.has_value() ||
           (m.correction.has_value() && m.correction->deleted);
}

Outcome message_route(Session &session, Incoming &in)
{
    auto message = core::parse_message(to_element(in.node));
    if (!message || !worth_taking(in.node, *message))
        return Outcome::pass;
    // On a plain XMPP server (a Jabber-ID account, §5.3) the module's own
    // display (XHTML-IM and all) stays, unless the message is HipChat's.
    if (!on_hipchat(session) && message->mid.empty() && !message->notification && !message->file)
        return Outcome::pass;
    const std::string &from = in.from_bare;
    const std::string own = own_bare_jid(session);
    if (message->type == "groupchat") {
        const bool shown = show_message(session, *message, {from, true}, Arrival::live);
        // A duplicate or empty message in a room we are in: taken all the
        // same, so the module shows nothing.
        return shown || session.find_conversation(PURPLE_CONV_TYPE_CHAT, from) != nullptr
                   ? Outcome::taken
                   : Outcome::pass;
    }
    if (in.sender == Sender::room)
        return Outcome::pass;  // a private message through a room: the module's
    // Our own 1:1 message coming back (§8.1) was shown when we sent it.
    auto &pending = messages(session).pending_echoes;
    const auto echo = std::find(pending.begin(), pending.end(), message->id);
    if (from == own && !message->id.empty() && echo != pending.end()) {
        pending.erase(echo);
        // libpurple wrote it without knowing its mid: a history page with it
        // must not show it again.
        const std::string partner = core::ascii_lower(core::bare_jid(message->to));
        if (!message->mid.empty())
            messages(session).seen_mids[partner].insert(message->mid);
        remember_oldest(session, partner, *message);
        return Outcome::taken;
    }
    const bool shown =
        show_message(session, *message, conversation_of(session, *message), Arrival::live);
    if (from != own)
        serv_got_typing_stopped(session.connection(), from.c_str());
    return shown || !message->mid.empty() ? Outcome::taken : Outcome::pass;
}

// 1:1 messages ask for HipChat's echo (§8.1), so our other sessions see
// what we wrote; we remember the id to drop the echo that comes back here.
void ask_for_echo(Session &session, xmlnode *message)
{
    if (!on_hipchat(session) || g_strcmp0(xmlnode_get_attrib(message, "type"), "chat") != 0 ||
        xmlnode_get_child(message, "body") == nullptr)
        return;
    const char *id = xmlnode_get_attrib(message, "id");
    if (id == nullptr || xmlnode_get_child_with_namespace(message, "x", ns::hipchat) != nullptr)
        return;
    xmlnode *x = xmlnode_new_child(message, "x");
    xmlnode_set_namespace(x, ns::hipchat);
    xmlnode_new_child(x, "echo");
    auto &pending = messages(session).pending_echoes;
    pending.push_back(id);
    if (pending.size() > max_pending_echoes)
        pending.pop_front();
}

// The people who can be mentioned: the team (HipChat's roster is the team).
std::vector<core::MentionIdentity> team(PurpleAccount *account)
{
    std::vector<core::MentionIdentity> people;
    GSList *buddies = purple_find_buddies(account, nullptr);
    for (GSList *b = buddies; b != nullptr; b = b->next) {
        auto *buddy = static_cast<PurpleBuddy *>(b->data);
        const char *mention = purple_blist_node_get_string(
            reinterpret_cast<PurpleBlistNode *>(buddy), mention_name_setting);
        const char *name = purple_buddy_get_server_alias(buddy);
        if (mention != nullptr && *mention && name != nullptr && *name)
            people.push_back({mention, name});
    }
    g_slist_free(buddies);
    return people;
}

}  // namespace

int send_room_message(PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags)
{
    // Pidgin's and bitlbee's nick completion write "Full Name: "; HipChat
    // pings only on @MentionName (§8.6). The text is the UI's HTML, where a
    // name's apostrophe may be escaped: try the names both ways.
    std::string text = message != nullptr ? message : "";
    if (Session::find(gc) != nullptr && text.find_first_of("@:,") != std::string::npos) {
        auto people = team(purple_connection_get_account(gc));
        text = core::rewrite_mentions_for_sending(text, people);
        for (auto &person : people)
            person.full_name = core::html_escape(person.full_name);
        text = core::rewrite_mentions_for_sending(text, people);
    }
    return jabber_message_send_chat(gc, id, text.c_str(), flags);
}

void configure_messages(Session &session, const MessageSettings &settings)
{
    messages(session).settings = settings;
}

const SeenMids &seen_mids(Session &session, const std::string &conversation)
{
    return messages(session).seen_mids[conversation];
}

const OldestShown *oldest_shown(Session &session, const std::string &conversation)
{
    const auto &oldest = messages(session).oldest;
    const auto it = oldest.find(conversation);
    return it != oldest.end() ? &it->second : nullptr;
}

const std::deque<core::SharedFile> *shared_files(Session &session,
                                                 const std::string &conversation)
{
    const auto &files = messages(session).shared_files;
    const auto it = files.find(conversation);
    return it != files.end() ? &it->second : nullptr;
}

bool SeenMids::insert(const std::string &mid)
{
    if (!mids_.insert(mid).second)
        return false;
    order_.push_back(mid);
    if (order_.size() > capacity) {
        mids_.erase(order_.front());
        order_.pop_front();
    }
    return true;
}

void register_message_routes()
{
    add_route({"message", nullptr, nullptr, Precedence::messages, Trust::anyone, "message",
               message_route});
    add_outgoing("message", ask_for_echo);
}

}  // namespace hipchat::xmpp
