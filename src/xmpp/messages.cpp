#include "xmpp/messages.hpp"

#include <account.h>
#include <blist.h>
#include <conversation.h>
#include <debug.h>
#include <server.h>
#include <signals.h>
#include <util.h>

#include <algorithm>
#include <cstdlib>
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
#include "xmpp/corrections.hpp"
#include "xmpp/emoticons.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/jabber-api.hpp"
#include "xmpp/levels.hpp"
#include "xmpp/link-cards.hpp"
#include "xmpp/people.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/router.hpp"
#include "xmpp/shown.hpp"
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
std::string jid_for_nick(Session &session, PurpleConversation *conv, std::string_view nick)
{
    const std::string known =
        occupant_jid(session, purple_conversation_get_name(conv), std::string(nick));
    if (!known.empty())
        return known;
    char *real = jabber_chat_buddy_real_name(session.connection(),
                                             purple_conv_chat_get_id(PURPLE_CONV_CHAT(conv)),
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
    if (!irc_ui(session))
        return html;
    return core::text_to_html(core::html_to_plain_text(html));
}

// Who said it: the sender's bare JID ("" for an integration's label), and
// whether that is us.
struct Speaker {
    std::string jid;
    bool own = false;
};

Speaker speaker_of(Session &session, const core::Message &m, PurpleConversation *conv, bool room)
{
    if (m.notification)
        return {};
    std::string jid;
    if (room) {
        jid = core::sender_jid(m, purple_conversation_get_name(conv),
                               [&](std::string_view n) { return jid_for_nick(session, conv, n); });
    } else {
        // <delay from_jid> first: HipChat files a 1:1 message under the
        // partner and names its real sender there (§19.8; the official
        // client's getMessageSenderObject).
        jid = core::sender_jid(m, "", nullptr);
    }
    jid = core::ascii_lower(jid);
    return {jid, jid == own_bare_jid(session)};
}

// An integration's label, always marked as one: the label is whatever the
// caller of the REST API chose, a colleague's name included, whether or not
// they are in the room (§8.4).
std::string integration_label(const core::Message &m)
{
    const std::string nick = core::jid_resource(m.from);
    // TRANSLATORS: an integration's label, e.g. "Jenkins (integration)".
    char *label =
        g_strdup_printf(_("%s (integration)"), nick.empty() ? _("Notification") : nick.c_str());
    std::string out = label;
    g_free(label);
    return out;
}

bool mentions_us(Session &session, const core::Message &m, const core::Rendered &rendered,
                 Arrival arrival, const Speaker &speaker, const Conversation &where)
{
    // §8.6: @MentionName, @all, @here and @"Full Name" ping us; formatted
    // messages, notify=0 notifications and corrections do not, nor old ones
    // coming again, unless they are unread (§19.4).
    const bool fresh = (arrival == Arrival::live && !m.delayed) || arrival == Arrival::unread;
    const core::MentionIdentity me = own_identity(session);
    if (!fresh || rendered.formatted || !rendered.highlight_allowed || speaker.own ||
        !core::mentions_me(rendered.mention_text, me, core::MentionScope::everyone))
        return false;
    core::Mention mention = core::Mention::direct;
    if (!core::mentions_me(rendered.mention_text, me, core::MentionScope::direct_only)) {
        if (messages(session).settings.direct_mentions_only)
            return false;
        mention = core::Mention::everyone;
    }
    // A room's notification level (§19.6) decides which mentions get through.
    return !where.room || may_highlight(session, where.jid, mention);
}

void show_in_room(Session &session, const core::Message &m, PurpleConversation *conv,
                  const Speaker &speaker, std::string html, const core::Rendered &rendered,
                  PurpleMessageFlags flags)
{
    PurpleConvChat *chat = PURPLE_CONV_CHAT(conv);
    std::string who;
    if (m.notification) {
        who = integration_label(m);
    } else if (speaker.own) {
        who = purple_conv_chat_get_nick(chat);  // libpurple marks it as ours
    } else if (irc_ui(session)) {
        // bitlbee: the handle it knows the person by in 1:1s and the channel.
        who = room_handle(session, speaker.jid, core::jid_resource(m.from));
        if (who.empty())
            who = speaker.jid;
    } else {
        who = full_name_of(session, speaker.jid);
        if (who.empty())
            who = core::jid_resource(m.from);
        if (who.empty())
            who = speaker.jid;
    }
    if (who.empty()) {
        // From the room itself: a line of the room's (the module's way with
        // resource-less room messages).
        who = "";
        flags = static_cast<PurpleMessageFlags>(flags | PURPLE_MESSAGE_SYSTEM);
    } else if (rendered.system && (m.room_state || m.substitution)) {
        // "Bob Test archived the room": by name, whatever the handle.
        std::string name = speaker.own ? own_name(session) : full_name_of(session, speaker.jid);
        if (name.empty())
            name = who;
        html = core::html_escape(name) + " " + html;
    }
    if (rendered.emoticons)
        prepare_emoticons(session, conv, html);
    serv_got_chat_in(session.connection(), purple_conv_chat_get_id(chat), who.c_str(), flags,
                     html.c_str(), when(m));
}

void show_in_im(Session &session, const core::Message &m, PurpleConversation *conv,
                const Speaker &speaker, std::string html, const core::Rendered &rendered,
                PurpleMessageFlags flags)
{
    if (!speaker.own) {
        if (rendered.emoticons)
            prepare_emoticons(session, conv, html);
        serv_got_im(session.connection(), purple_conversation_get_name(conv), html.c_str(), flags,
                    when(m));
        return;
    }
    // Ours, from another of our sessions (§8.1, §19.8) or from history: as
    // sent by us, in the conversation with whom we wrote to.
    const std::string own = own_bare_jid(session);
    const std::string me = !own_name(session).empty() ? own_name(session) : own;
    if (rendered.system)
        html = core::html_escape(me) + " " + html;
    purple_conv_im_write(PURPLE_CONV_IM(conv), me.c_str(), html.c_str(),
                         static_cast<PurpleMessageFlags>(flags | PURPLE_MESSAGE_SEND), when(m));
}

// Whether our own message `m` was sent by this session (else by another of
// our devices); forgets its id. Our 1:1 echoes were taken as they came
// (echo_route), so a 1:1 message of ours that is shown came from elsewhere.
bool sent_here(Session &session, const core::Message &m)
{
    auto &sends = messages(session).room_sends;
    const auto it = std::find(sends.begin(), sends.end(), m.id);
    if (m.type != "groupchat" || m.id.empty() || it == sends.end())
        return false;
    sends.erase(it);
    return true;
}

// Our own message as it happens on another of our devices. HipChat gives
// such 1:1 messages from the partner with us in <delay from_jid> (§19.8): a
// delay that says who wrote it, stamped now, not that it is old.
bool from_another_device(Session &session, const core::Message &m, const Speaker &speaker,
                         Arrival arrival)
{
    constexpr std::int64_t live_seconds = 60;
    if (!speaker.own || arrival != Arrival::live)
        return false;
    if (m.delayed &&
        (!m.delay_stamp || std::llabs(std::time(nullptr) - *m.delay_stamp) > live_seconds))
        return false;
    return !sent_here(session, m);
}

// A message's text as later corrections (s/old/new/) apply to it: people's
// plain messages only.
bool correctable(const core::Message &m)
{
    return !m.notification && !m.file && !m.room_state && !m.correction &&
           !(m.presentation && !m.presentation->type.empty()) && !core::trim(m.body).empty();
}

SharedFileListener &shared_file_listener()
{
    static SharedFileListener listener;
    return listener;
}

// Files stay at hand for /download (the last few per conversation), and
// 1:1 ones from others are offered as they arrive.
void note_shared_file(Session &session, const core::Message &m, const Conversation &where,
                      const Speaker &speaker, Arrival arrival)
{
    auto &files = messages(session).shared_files[where.jid];
    files.push_back(*m.file);
    if (files.size() > MessagesState::shared_files_kept)
        files.pop_front();
    if (!where.room && arrival == Arrival::live && !m.delayed && !speaker.own &&
        !speaker.jid.empty() && shared_file_listener())
        shared_file_listener()(session, speaker.jid, *m.file);
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

namespace {

PurpleConversation *conversation_for(Session &session, const Conversation &where)
{
    if (where.room)
        return joined_room(session, where.jid);
    if (where.jid.empty() || where.jid == own_bare_jid(session))
        return nullptr;
    PurpleConversation *conv = session.find_conversation(PURPLE_CONV_TYPE_IM, where.jid);
    if (conv == nullptr)
        conv = purple_conversation_new(PURPLE_CONV_TYPE_IM, session.account(), where.jid.c_str());
    return conv;
}

}  // namespace

bool show_message(Session &session, const core::Message &m, const Conversation &where,
                  Arrival arrival)
{
    PurpleConversation *conv = conversation_for(session, where);
    if (conv == nullptr)
        return false;
    Shown &shown = shown_in(conv);
    // The same message again (join backlog, then history; a rejoin): once.
    if (!m.mid.empty() && !shown.mids.insert(m.mid))
        return false;
    remember_shown(shown, m);
    const Speaker speaker = speaker_of(session, m, conv, where.room);
    if (speaker.own && arrival == Arrival::live)
        note_own_message(session, where.jid, m);
    auto &texts = arrival == Arrival::history ? shown.page_text : shown.last_text;
    const auto last = texts.find(speaker.jid);
    const core::Rendered rendered = core::render_message(
        m, last != texts.end() ? std::optional<std::string_view>(last->second) : std::nullopt);
    if (rendered.corrected)
        texts[speaker.jid] = *core::apply_substitution(*m.substitution, last->second);
    else if (correctable(m) && !m.substitution)
        texts[speaker.jid] = m.body;
    if (rendered.html.empty())
        return false;

    const bool elsewhere = from_another_device(session, m, speaker, arrival);
    auto flags = static_cast<PurpleMessageFlags>(0);
    if ((m.delayed && !elsewhere) || arrival == Arrival::history)
        flags = static_cast<PurpleMessageFlags>(flags | PURPLE_MESSAGE_DELAYED);
    if (rendered.system)
        flags = static_cast<PurpleMessageFlags>(flags | PURPLE_MESSAGE_SYSTEM);
    if (mentions_us(session, m, rendered, arrival, speaker, where))
        flags = static_cast<PurpleMessageFlags>(flags | PURPLE_MESSAGE_NICK);
    // (bitlbee shows a live "sent" line only when it says so.)
    if (elsewhere)
        flags = static_cast<PurpleMessageFlags>(flags | PURPLE_MESSAGE_REMOTE_SEND);
    std::string html = for_ui(session, rendered.html);
    if (rendered.action)
        html = "/me " + html;
    if (where.room)
        show_in_room(session, m, conv, speaker, std::move(html), rendered, flags);
    else
        show_in_im(session, m, conv, speaker, std::move(html), rendered, flags);
    show_link_card(conv, m, when(m), (flags & PURPLE_MESSAGE_DELAYED) != 0);
    if (m.file)
        note_shared_file(session, m, where, speaker, arrival);
    return true;
}

namespace {

bool worth_taking(xmlnode *stanza, const core::Message &m)
{
    const std::string type = m.type;
    if (type == "error" || type == "headline")
        return false;
    // Invites are the rooms' (rooms.cpp), subjects the module's (topics).
    if (xmlnode *x = xmlnode_get_child_with_namespace(stanza, "x", ns::muc_user);
        x != nullptr && xmlnode_get_child(x, "invite") != nullptr)
        return false;
    if (m.has_subject)
        return false;
    // Bodyless chat states and receipts stay with the module.
    return !m.body.empty() || m.room_state.has_value() || m.file.has_value() ||
           (m.correction.has_value() && m.correction->deleted);
}

// A message whose <body> is empty and that says nothing else: the
// official client drops it (message_processor.js filterMessages 320-325);
// the module would trip over it (a GLib critical) and show nothing either.
bool empty_message(xmlnode *stanza, const core::Message &m)
{
    return xmlnode_get_child(stanza, "body") != nullptr && m.body.empty() && !m.has_subject &&
           !m.room_state && !m.file && !m.correction &&
           xmlnode_get_child_with_namespace(stanza, "x", ns::muc_user) == nullptr;
}

Outcome message_route(Session &session, Incoming &in)
{
    auto message = core::parse_message(to_element(in.node));
    if (message && on_hipchat(session) && message->type != "error" &&
        empty_message(in.node, *message))
        return Outcome::taken;
    if (!message || !worth_taking(in.node, *message))
        return Outcome::pass;
    // On a plain XMPP server (a Jabber-ID account, §5.3) the module's own
    // display (XHTML-IM and all) stays, unless the message is HipChat's.
    if (!on_hipchat(session) && message->mid.empty() && !message->notification && !message->file)
        return Outcome::pass;
    const std::string &from = in.from_bare;
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
    const Conversation where = conversation_of(session, *message);
    const bool own =
        core::ascii_lower(core::sender_jid(*message, "", nullptr)) == own_bare_jid(session);
    // Our own 1:1 message coming back (§8.1), whichever way HipChat
    // addresses it (§19.8): libpurple wrote it when we sent it.
    auto &pending = messages(session).pending_echoes;
    const auto echo = std::find(pending.begin(), pending.end(), message->id);
    if (own && !message->id.empty() && echo != pending.end()) {
        pending.erase(echo);
        // An s/old/new/ of ours is shown as the correction it is (commands.cpp
        // did not write it as sent).
        if (message->substitution) {
            show_message(session, *message, where, Arrival::live);
            return Outcome::taken;
        }
        note_own_message(session, where.jid, *message);
        // Known by its mid from now on: a history page with it must not
        // show it again.
        if (PurpleConversation *conv = conversation_for(session, where)) {
            Shown &shown = shown_in(conv);
            if (!message->mid.empty())
                shown.mids.insert(message->mid);
            remember_shown(shown, *message);
            if (correctable(*message))
                shown.last_text[own_bare_jid(session)] = message->body;
        }
        return Outcome::taken;
    }
    const bool shown = show_message(session, *message, where, Arrival::live);
    if (!own)
        serv_got_typing_stopped(session.connection(), where.jid.c_str());
    return shown || !message->mid.empty() ? Outcome::taken : Outcome::pass;
}

// A 1:1 message that could not be delivered: said in the conversation, not
// in the module's "XMPP Message Error" dialog.
Outcome im_error_route(Session &session, Incoming &in)
{
    if (in.sender != Sender::person || !on_hipchat(session))
        return Outcome::pass;
    PurpleConversation *conv = session.find_conversation(PURPLE_CONV_TYPE_IM, in.from_bare);
    if (conv == nullptr)
        return Outcome::pass;
    const auto error = core::parse_stanza_error(to_element(in.node));
    const std::string reason = !error.text.empty() ? error.text : error.condition;
    // TRANSLATORS: %s is the server's reason.
    char *text = g_strdup_printf(_("Your message was not delivered: %s"), reason.c_str());
    write_system_line(conv, text, PURPLE_MESSAGE_ERROR);
    g_free(text);
    return Outcome::taken;
}

// Our room messages: their reflection is ours from this session, not from
// another device.
void note_room_send(Session &session, xmlnode *message)
{
    const char *id = xmlnode_get_attrib(message, "id");
    if (id == nullptr || g_strcmp0(xmlnode_get_attrib(message, "type"), "groupchat") != 0)
        return;
    auto &sends = messages(session).room_sends;
    sends.push_back(id);
    if (sends.size() > max_pending_echoes)
        sends.pop_front();
}

// 1:1 messages ask for HipChat's echo (§8.1), so our other sessions see
// what we wrote; we remember the id to drop the echo that comes back here.
void ask_for_echo(Session &session, xmlnode *message)
{
    if (!on_hipchat(session) || g_strcmp0(xmlnode_get_attrib(message, "type"), "chat") != 0 ||
        xmlnode_get_child(message, "body") == nullptr)
        return;
    const char *id = xmlnode_get_attrib(message, "id");
    // Video call signals (calls.cpp) go without, as the official client's.
    if (id == nullptr || xmlnode_get_child_with_namespace(message, "x", ns::hipchat) != nullptr ||
        xmlnode_get_child_with_namespace(message, "x", ns::enso) != nullptr)
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
        const char *name = full_name(buddy);
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

const std::deque<core::SharedFile> *shared_files(Session &session, const std::string &conversation)
{
    const auto &files = messages(session).shared_files;
    const auto it = files.find(conversation);
    return it != files.end() ? &it->second : nullptr;
}

void register_message_routes()
{
    add_route({"message", nullptr, nullptr, Precedence::messages, Trust::anyone, "message",
               message_route});
    add_route({"message", nullptr, "error", Precedence::messages, Trust::anyone,
               "undelivered message", im_error_route});
    add_outgoing("message", ask_for_echo);
    add_outgoing("message", note_room_send);
}

}  // namespace hipchat::xmpp
