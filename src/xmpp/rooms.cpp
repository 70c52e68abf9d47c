#include "xmpp/rooms.hpp"

#include <debug.h>
#include <notify.h>
#include <prpl.h>
#include <server.h>
#include <signals.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/conversations.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/jabber-api.hpp"
#include "xmpp/people.hpp"
#include "xmpp/router.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

// A whole list is at most this many pages (5,000 rooms at 100 a page is 50):
// a server that keeps answering with a <last> cannot keep us paging forever.
constexpr int max_room_pages = 1000;

RoomsState &room_state(Session &session)
{
    return session.state<RoomsState>();
}

// A string component, or "" (also for values that are not text).
std::string component(GHashTable *components, const char *key)
{
    if (components == nullptr)
        return {};
    const auto *value = static_cast<const char *>(g_hash_table_lookup(components, key));
    return value != nullptr && g_utf8_validate(value, -1, nullptr) ? value : "";
}

GHashTable *new_components()
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

void set_component(GHashTable *components, const char *key, const std::string &value)
{
    g_hash_table_replace(components, g_strdup(key), g_strdup(value.c_str()));
}

// A room's name for messages: from the room list, else its JID.
std::string display_name(const core::Room *room, const std::string &jid)
{
    return room != nullptr && !room->name.empty() ? room->name : jid;
}

// --- Joining ---------------------------------------------------------------

// The nick HipChat wants: our full name (§1). Without HipChat's names (a
// plain XMPP server, or startup and profile both failed): the handle the UI
// gave, then our JID's node.
std::string nick_for(Session &session, const std::string &handle)
{
    if (!own_name(session).empty())
        return own_name(session);
    if (!handle.empty())
        return handle;
    const std::string jid = own_jid(session);
    return jid.substr(0, jid.find('@'));
}

JoinBacklogPolicy &backlog_policy()
{
    static JoinBacklogPolicy policy = nullptr;
    return policy;
}

// Asks the module to join `room_jid` as `nick`, with a clean component table:
// the module copies every component as a string.
void send_join(Session &session, const std::string &room_jid, const std::string &nick)
{
    int backlog = std::max(0, room_state(session).settings.join_history);
    if (backlog_policy() != nullptr)
        backlog = backlog_policy()(session, room_jid, backlog);
    const auto at = room_jid.find('@');
    GHashTable *data = new_components();
    set_component(data, "room", room_jid.substr(0, at));
    set_component(data, "server", at == std::string::npos ? "" : room_jid.substr(at + 1));
    set_component(data, "handle", nick);
    set_component(data, "history_maxstanzas", std::to_string(backlog));
    jabber_chat_join(session.connection(), data);
    g_hash_table_destroy(data);
}

// The module keeps a chat for every join it sent; a join we take over (to
// retry, or to report the failure ourselves) must not leave it behind, or
// the next join of the same room would be ignored as a duplicate.
void forget_module_chat(Session &session, const std::string &room_jid)
{
    const auto at = room_jid.find('@');
    if (at == std::string::npos)
        return;
    const std::string node = room_jid.substr(0, at), domain = room_jid.substr(at + 1);
    if (JabberChat *chat = jabber_chat_find(stream_of(session), node.c_str(), domain.c_str()))
        jabber_chat_destroy(chat);
}

// Tells the UI that the join of `room` (as asked) came to nothing.
void join_chat_failed(Session &session, const std::string &room)
{
    GHashTable *data = new_components();
    set_component(data, "room", room);
    purple_serv_got_join_chat_failed(session.connection(), data);
    g_hash_table_destroy(data);
}

void join_failed(Session &session, const std::string &room_jid, const std::string &message,
                 bool automatic)
{
    if (automatic) {
        // A room of the auto-join list that cannot be joined (deleted,
        // archived, no longer ours): nobody asked for it now, and a dialog
        // at every login would not make it joinable.
        purple_debug_warning("hipchat", "Auto-join of %s failed: %s\n", room_jid.c_str(),
                             message.c_str());
        join_chat_failed(session, room_jid);
        return;
    }
    const core::Room *room = find_room(session, room_jid);
    const std::string name = display_name(room, room_jid);
    // TRANSLATORS: %s is a room's name.
    char *primary = g_strdup_printf(_("Cannot join %s"), name.c_str());
    if (PurpleConversation *conv = session.find_conversation(PURPLE_CONV_TYPE_CHAT, room_jid))
        write_system_line(conv, message, PURPLE_MESSAGE_ERROR);
    purple_notify_error(session.connection(), _("Cannot join room"), primary, message.c_str());
    g_free(primary);
    join_chat_failed(session, room_jid);
}

// --- Bookmarks: rooms in the buddy list under their names --------------------

// The buddy list group of the team's rooms.
std::string rooms_group(Session &session)
{
    // TRANSLATORS: the buddy list group of a team's rooms, e.g. "Example Inc Rooms".
    char *name = g_strdup_printf(_("%s Rooms"), team_name(session).c_str());
    std::string group = name;
    g_free(name);
    return group;
}

// The room's chat in the buddy list, named `name` (unless the user named it
// otherwise), made when the account keeps rooms there: libpurple titles a
// conversation by it from the moment the conversation opens (Pidgin's tab,
// Finch's window, and bitlbee, which names a channel only then).
void keep_bookmark(Session &session, const std::string &room_jid, const std::string &name)
{
    if (name.empty())
        return;
    PurpleAccount *account = session.account();
    PurpleChat *chat = find_blist_chat(account, room_jid.c_str());
    if (chat == nullptr) {
        if (!room_state(session).settings.bookmarks)
            return;
        GHashTable *components = new_components();  // the chat takes it
        set_component(components, "room", room_jid);
        chat = purple_chat_new(account, nullptr, components);
        const std::string group_name = rooms_group(session);
        PurpleGroup *group = purple_find_group(group_name.c_str());
        if (group == nullptr) {
            group = purple_group_new(group_name.c_str());
            purple_blist_add_group(group, nullptr);
        }
        purple_blist_add_chat(chat, group, nullptr);
    }
    const char *alias = chat->alias;
    if (alias == nullptr || *alias == '\0' || g_strcmp0(alias, room_jid.c_str()) == 0)
        purple_blist_alias_chat(chat, name.c_str());
}

// A room renamed (§7.3): its bookmark follows, unless the user named it.
void rename_bookmark(Session &session, const std::string &room_jid, const std::string &before,
                     const std::string &after)
{
    PurpleChat *chat = find_blist_chat(session.account(), room_jid.c_str());
    if (chat != nullptr && !after.empty() && g_strcmp0(chat->alias, before.c_str()) == 0)
        purple_blist_alias_chat(chat, after.c_str());
}

// How long a join waits for the module to finish leaving the same room.
constexpr int leave_wait_ms = 200;
constexpr int leave_wait_tries = 25;

bool module_has_chat(Session &session, const std::string &room_jid)
{
    const auto at = room_jid.find('@');
    if (at == std::string::npos)
        return false;
    const std::string node = room_jid.substr(0, at), domain = room_jid.substr(at + 1);
    return jabber_chat_find(stream_of(session), node.c_str(), domain.c_str()) != nullptr;
}

void join_room(Session &session, const std::string &room_jid, const std::string &handle,
               bool automatic = false, std::string name = {}, int tries = 0,
               NewRoomJoin create = {})
{
    PurpleConversation *conv = session.find_conversation(PURPLE_CONV_TYPE_CHAT, room_jid);
    if (conv != nullptr && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv))) {
        purple_conversation_present(conv);
        return;
    }
    RoomsState &state = room_state(session);
    if (state.joins.count(room_jid) != 0)
        return;  // already asked; the room has not answered yet
    // bitlbee closes an open conversation before joining it again: the
    // module keeps its chat until the room confirms we left, and ignores a
    // join meanwhile. Join once it has let go.
    if (conv == nullptr && module_has_chat(session, room_jid) && tries < leave_wait_tries) {
        session.defer(leave_wait_ms, [=](Session &s) {
            join_room(s, room_jid, handle, automatic, name, tries + 1, create);
        });
        return;
    }
    const std::string nick = nick_for(session, handle);
    if (create.room && name.empty())
        name = create.room->name;
    const bool had_bookmark = find_blist_chat(session.account(), room_jid.c_str()) != nullptr;
    state.joins[room_jid] = RoomsState::JoinAttempt{nick, false, automatic, std::move(create)};
    state.occupants.erase(room_jid);  // the room tells them anew
    if (const core::Room *room = find_room(session, room_jid); room != nullptr && name.empty())
        name = room->name;
    keep_bookmark(session, room_jid, name);
    state.joins[room_jid].made_bookmark =
        !had_bookmark && find_blist_chat(session.account(), room_jid.c_str()) != nullptr;
    send_join(session, room_jid, nick);
}

// Names and slugs are looked up in the room list, fetched first when the
// cache does not know them; a JID is joined as it is. Only when no list can
// be had do we guess a JID with the official client's slug rule (§3).
void resolve_and_join(Session &session, const std::string &input, const std::string &handle)
{
    if (input.find('@') != std::string::npos) {
        join_room(session, core::ascii_lower(core::bare_jid(input)), handle);
        return;
    }
    if (auto jid = known_room_jid(session, input)) {
        join_room(session, *jid, handle);
        return;
    }
    fetch_rooms(session, nullptr, [input, handle](Session &s, const std::string &error) {
        if (auto jid = known_room_jid(s, input)) {
            join_room(s, *jid, handle);
        } else if (!error.empty()) {
            purple_debug_warning("hipchat", "No room list (%s); guessing the JID of \"%s\"\n",
                                 error.c_str(), input.c_str());
            join_room(s, core::guess_room_jid(input, team_id(s), muc_host(s)), handle);
        } else {
            // TRANSLATORS: %s is what the user typed as a room name.
            char *text = g_strdup_printf(_("There is no room called \"%s\" in the room list."),
                                         input.c_str());
            purple_notify_error(s.connection(), _("Cannot join room"), _("No such room"), text);
            g_free(text);
            join_chat_failed(s, input);
        }
    });
}

std::string join_problem_text(Session &session, const std::string &room_jid,
                              core::JoinProblem problem, const std::string &nick,
                              const std::string &server_text)
{
    const core::Room *room = find_room(session, room_jid);
    std::string text;
    char *line = nullptr;
    switch (problem) {
    case core::JoinProblem::wrong_nick:
        // TRANSLATORS: %s is the nickname we tried, the user's full name.
        line = g_strdup_printf(_("HipChat refused the nickname \"%s\": rooms need your full name "
                                 "exactly as in your HipChat profile."),
                               nick.c_str());
        break;
    case core::JoinProblem::not_allowed:
        if (room != nullptr && room->archived)
            line = g_strdup(_("The room is archived."));
        else if (room != nullptr && room->privacy == "private")
            line = g_strdup(_("The room is private and you are not a member."));
        else
            line = g_strdup(_("You are not allowed to join this room."));
        break;
    case core::JoinProblem::no_such_room:
        line = g_strdup(_("The room does not exist (it may have been deleted)."));
        break;
    case core::JoinProblem::other:
        line = g_strdup(_("The server refused the join."));
        break;
    }
    text = line;
    g_free(line);
    if (!server_text.empty() && server_text != text)
        text += " (" + server_text + ")";
    return text;
}

// A presence error for a join we sent: retry once with the mention name when
// the nick was refused (§1: some servers want it), else say why, readably.
bool on_join_error(Session &session, xmlnode *presence)
{
    const std::string room_jid =
        core::ascii_lower(core::bare_jid(xmlnode_get_attrib(presence, "from")));
    RoomsState &state = room_state(session);
    const auto it = state.joins.find(room_jid);
    if (it == state.joins.end())
        return false;  // an error inside a joined room: the module's
    const auto error = core::parse_stanza_error(to_element(presence));
    const auto problem = core::classify_join_error(error.condition);
    forget_module_chat(session, room_jid);
    RoomsState::JoinAttempt &attempt = it->second;
    const std::string &mention_name = own_mention_name(session);
    // A new room's name another room has is a conflict too, not the nick's.
    const bool nick_refused = problem == core::JoinProblem::wrong_nick &&
                              (!attempt.create.room || error.condition == "not-acceptable");
    if (nick_refused && !attempt.retried && !mention_name.empty() && mention_name != attempt.nick) {
        purple_debug_info("hipchat", "%s refused the nick \"%s\"; trying the mention name\n",
                          room_jid.c_str(), attempt.nick.c_str());
        attempt.retried = true;
        attempt.nick = mention_name;
        send_join(session, room_jid, attempt.nick);
        return true;
    }
    const std::string nick = attempt.nick;
    const bool automatic = attempt.automatic;
    if (attempt.create.room) {
        auto refused = std::move(attempt.create.refused);
        if (PurpleChat *made = attempt.made_bookmark
                                   ? find_blist_chat(session.account(), room_jid.c_str())
                                   : nullptr)
            purple_blist_remove_chat(made);  // no room, no bookmark
        state.joins.erase(it);
        join_chat_failed(session, room_jid);
        if (refused)
            refused(session, error);
        return true;
    }
    state.joins.erase(it);
    join_failed(session, room_jid, join_problem_text(session, room_jid, problem, nick, error.text),
                automatic);
    return true;
}

// Our own presence from a room we asked to join: joined. The module has
// made the conversation by the time deferred work runs; give it the room's
// name as title, the topic from HipChat's x when the room sends no subject
// (§7.4), and remember the room's JID in a bookmark named by name.
void on_joined(Session &session, const std::string &room_jid, xmlnode *presence)
{
    room_state(session).joins.erase(room_jid);
    room_state(session).subject_since_join.erase(room_jid);
    std::string name, topic;
    // (xmlnode_get_next_twin only visits siblings of the first x's namespace,
    // and muc#user's comes first.)
    if (xmlnode *x = xmlnode_get_child_with_namespace(presence, "x", ns::muc_room)) {
        const core::Element fields = to_element(x);
        name = std::string(fields.child_text("name"));
        topic = std::string(fields.child_text("topic"));
    }
    session.defer(0, [room_jid, name, topic](Session &s) {
        PurpleConversation *conv = s.find_conversation(PURPLE_CONV_TYPE_CHAT, room_jid);
        if (conv == nullptr)
            return;
        const core::Room *room = find_room(s, room_jid);
        const std::string title = room != nullptr ? room->name : name;
        if (!title.empty())
            purple_conversation_set_title(conv, title.c_str());
        // The join's topic is the room's (the official client's
        // handleJoinedRooms): old topic changes in the backlog are dropped
        // (old_subject_route), and a live one since is newer.
        PurpleConvChat *chat = PURPLE_CONV_CHAT(conv);
        if (!topic.empty() && !room_state(s).subject_since_join.contains(room_jid) &&
            g_strcmp0(purple_conv_chat_get_topic(chat), topic.c_str()) != 0)
            purple_conv_chat_set_topic(chat, nullptr, topic.c_str());
        // A bookmark of this room made with a name or slug now carries the
        // JID (slugs survive renames, §3; names do not).
        PurpleAccount *account = s.account();
        for (PurpleBlistNode *node = purple_blist_get_root(); node != nullptr;
             node = purple_blist_node_next(node, FALSE)) {
            if (!PURPLE_BLIST_NODE_IS_CHAT(node))
                continue;
            auto *bookmark = reinterpret_cast<PurpleChat *>(node);
            if (purple_chat_get_account(bookmark) != account)
                continue;
            GHashTable *components = purple_chat_get_components(bookmark);
            const std::string input = component(components, "room");
            if (input.find('@') == std::string::npos && known_room_jid(s, input) == room_jid)
                g_hash_table_replace(components, g_strdup("room"), g_strdup(room_jid.c_str()));
        }
        keep_bookmark(s, room_jid, title);
    });
}

// --- Pushes, invites, errors -------------------------------------------------

// §7.3: a room was created, changed or deleted. The cache follows, and an
// open conversation hears of it.
void on_room_push(Session &session, xmlnode *iq, xmlnode *query)
{
    reply_result(session, iq);
    const auto pushed = core::parse_room_push(to_element(query));
    if (!pushed)
        return;
    auto &rooms = room_state(session).rooms;
    auto it = std::find_if(rooms.begin(), rooms.end(),
                           [&](const core::Room &r) { return r.jid == pushed->jid; });
    const std::optional<core::Room> before =
        it != rooms.end() ? std::optional<core::Room>(*it) : std::nullopt;
    if (pushed->deleted) {
        if (it != rooms.end())
            rooms.erase(it);
    } else if (it != rooms.end()) {
        *it = *pushed;
    } else {
        rooms.push_back(*pushed);
    }
    if (before && !pushed->deleted && before->name != pushed->name)
        rename_bookmark(session, pushed->jid, before->name, pushed->name);
    PurpleConversation *conv = session.find_conversation(PURPLE_CONV_TYPE_CHAT, pushed->jid);
    if (conv == nullptr)
        return;
    if (pushed->deleted) {
        const std::string name = display_name(before ? &*before : nullptr, pushed->jid);
        // TRANSLATORS: %s is the room's name.
        char *text = g_strdup_printf(_("The room %s has been deleted."), name.c_str());
        if (purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)))
            purple_notify_info(session.connection(), _("Room deleted"), text, nullptr);
        else
            write_system_line(conv, text);
        g_free(text);
        return;
    }
    if (before && before->name != pushed->name && !pushed->name.empty()) {
        purple_conversation_set_title(conv, pushed->name.c_str());
        // TRANSLATORS: %s is the room's new name.
        char *text = g_strdup_printf(_("The room is now called %s."), pushed->name.c_str());
        write_system_line(conv, text);
        g_free(text);
    }
    // (Archiving is told by the bodyless message that comes with it, which
    // names who did it, §8.9: not twice.)
    if (before && before->privacy != pushed->privacy && !pushed->privacy.empty())
        write_system_line(conv, pushed->privacy == "private" ? _("This room is now private.")
                                                             : _("This room is now public."));
    // The header follows a pushed topic (the official client merges the
    // pushed room into the open one, application_store.js handleRoomUpdate).
    PurpleConvChat *chat = PURPLE_CONV_CHAT(conv);
    if (before && before->topic != pushed->topic &&
        g_strcmp0(purple_conv_chat_get_topic(chat), pushed->topic.c_str()) != 0)
        purple_conv_chat_set_topic(chat, nullptr, pushed->topic.c_str());
}

// §7.8: the module would show the inviter's numeric JID and offer a join
// under the JID's node; we name the person and the room, and the join goes
// through join_chat like any other.
void on_invite(Session &session, const core::Invite &invite)
{
    PurpleAccount *account = session.account();
    const core::Room *room = find_room(session, invite.room_jid);
    const std::string name =
        !invite.room_name.empty() ? invite.room_name : display_name(room, invite.room_jid);
    const std::string inviter_jid = core::ascii_lower(core::bare_jid(invite.inviter));
    if (inviter_jid == own_bare_jid(session)) {
        // Our own invite (another device of ours, or a room we made with
        // members): nothing to ask; the official client opens the room.
        join_room(session, invite.room_jid, "");
        return;
    }
    // An invite without its inviter (XEP-0045 requires one) still lets the
    // user join: it comes from the room, then. From a room's occupant, the
    // occupant's name (message_processor.js handleInviteMessage).
    std::string inviter = !invite.inviter.empty() ? invite.inviter : name;
    if (is_room_jid(session, invite.inviter) && !core::jid_resource(invite.inviter).empty())
        inviter = core::jid_resource(invite.inviter);
    else if (PurpleBuddy *buddy =
                 !inviter_jid.empty() ? purple_find_buddy(account, inviter_jid.c_str()) : nullptr)
        inviter = purple_buddy_get_alias(buddy);
    GHashTable *components = new_components();  // libpurple takes it
    set_component(components, "room", invite.room_jid);
    serv_got_chat_invite(session.connection(), name.c_str(), inviter.c_str(),
                         invite.reason.empty() ? nullptr : invite.reason.c_str(), components);
}

// §7.9: "You must be in this room to send a message." belongs in the room's
// conversation, not in a dialog about an "XMPP Message Error".
bool on_room_message_error(Session &session, xmlnode *message)
{
    const std::string room_jid =
        core::ascii_lower(core::bare_jid(xmlnode_get_attrib(message, "from")));
    PurpleConversation *conv = session.find_conversation(PURPLE_CONV_TYPE_CHAT, room_jid);
    if (conv == nullptr || purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)))
        return false;  // libpurple writes nothing to a room we left: the module's notice
    const auto error = core::parse_stanza_error(to_element(message));
    const std::string reason = !error.text.empty() ? error.text : error.condition;
    // TRANSLATORS: %s is the server's reason, e.g. "You must be in this room to send a message."
    char *text = g_strdup_printf(_("Your message was not delivered: %s"), reason.c_str());
    write_system_line(conv, text, PURPLE_MESSAGE_ERROR);
    g_free(text);
    return true;
}

// --- Leaving ---------------------------------------------------------------------

// The status codes of a room presence's muc#user x.
bool has_status_code(xmlnode *x, const char *code)
{
    for (xmlnode *status = xmlnode_get_child(x, "status"); status != nullptr;
         status = xmlnode_get_next_twin(status)) {
        if (g_strcmp0(xmlnode_get_attrib(status, "code"), code) == 0)
            return true;
    }
    return false;
}

void drop_status_code(xmlnode *x, const char *code)
{
    for (xmlnode *status = xmlnode_get_child(x, "status"); status != nullptr;) {
        xmlnode *next = xmlnode_get_next_twin(status);
        if (g_strcmp0(xmlnode_get_attrib(status, "code"), code) == 0)
            xmlnode_free(status);
        status = next;
    }
}

// The presence's own <status> text (a person's leave message) set to
// `text`, or dropped when empty.
void set_leave_status(xmlnode *presence, const std::string &text)
{
    if (xmlnode *old = xmlnode_get_child(presence, "status"))
        xmlnode_free(old);
    if (text.empty())
        return;
    xmlnode *status = xmlnode_new_child(presence, "status");
    // The module finds children by name and namespace (parsed ones carry
    // jabber:client).
    xmlnode_set_namespace(status, xmlnode_get_namespace(presence));
    xmlnode_insert_data(status, text.c_str(), -1);
}

std::string leave_status_of(xmlnode *presence)
{
    xmlnode *status = xmlnode_get_child(presence, "status");
    char *data = status != nullptr ? xmlnode_get_data(status) : nullptr;
    std::string text = data != nullptr ? data : "";
    g_free(data);
    return text;
}

// Someone removed from a room (307 with affiliation none, §7.5, §19.7):
// the person who did it, by name.
std::string remover_name(Session &session, xmlnode *item)
{
    xmlnode *actor = xmlnode_get_child(item, "actor");
    const char *jid = actor != nullptr ? xmlnode_get_attrib(actor, "jid") : nullptr;
    const std::string bare = core::ascii_lower(core::bare_jid(jid != nullptr ? jid : ""));
    std::string name = full_name_of(session, bare);
    if (name.empty() && actor != nullptr && xmlnode_get_attrib(actor, "nick") != nullptr)
        name = xmlnode_get_attrib(actor, "nick");
    return !name.empty() ? name : bare;
}

// An occupant leaving a room we are in, rewritten for the module the way
// the official client reads it (presence_processor.js, §19.7): our own
// 307 whose actor is us is the room closed on another of our devices, not a
// kick; a removal names its remover; statuses meant for machines ("hc-leave")
// are no reasons for people; and a member who was never here (private
// rooms list absent members so) does not "leave".
Outcome room_leave_route(Session &session, Incoming &in)
{
    if (in.sender != Sender::room)
        return Outcome::pass;
    PurpleConversation *conv = joined_room(session, in.from_bare);
    xmlnode *x = xmlnode_get_child_with_namespace(in.node, "x", ns::muc_user);
    if (conv == nullptr || x == nullptr)
        return Outcome::pass;
    PurpleConvChat *chat = PURPLE_CONV_CHAT(conv);
    const std::string nick = core::jid_resource(in.from);
    xmlnode *item = xmlnode_get_child(x, "item");
    const char *item_jid = item != nullptr ? xmlnode_get_attrib(item, "jid") : nullptr;
    const bool self = has_status_code(x, "110") || nick == purple_conv_chat_get_nick(chat) ||
                      (item_jid != nullptr &&
                       core::ascii_lower(core::bare_jid(item_jid)) == own_bare_jid(session));
    if (item != nullptr && has_status_code(x, "307") &&
        g_strcmp0(xmlnode_get_attrib(item, "affiliation"), "none") == 0) {
        xmlnode *actor = xmlnode_get_child(item, "actor");
        const char *actor_jid = actor != nullptr ? xmlnode_get_attrib(actor, "jid") : nullptr;
        const bool by_us = actor_jid != nullptr &&
                           core::ascii_lower(core::bare_jid(actor_jid)) == own_bare_jid(session);
        const std::string remover = remover_name(session, item);
        drop_status_code(x, "307");
        if (actor != nullptr)
            xmlnode_free(actor);
        // The module takes an item JID other than this session's for another
        // device of ours leaving (XEP-0045 §7.1.10) and would keep the room
        // open here; HipChat's is the bare JID, and this session is out.
        if (self)
            xmlnode_remove_attrib(item, "jid");
        if (self && by_us) {
            write_system_line(conv, _("You closed this room on another device."));
        } else if (self) {
            // TRANSLATORS: %s is the person who removed the user from a room.
            char *text = g_strdup_printf(_("%s removed you from this room."), remover.c_str());
            write_system_line(conv, text);
            g_free(text);
            // A private room we are no longer in is no longer ours to list.
            auto &rooms = room_state(session).rooms;
            rooms.erase(std::remove_if(rooms.begin(), rooms.end(),
                                       [&](const core::Room &r) {
                                           return r.jid == in.from_bare && r.privacy == "private";
                                       }),
                        rooms.end());
        } else {
            // TRANSLATORS: the reason shown when someone was removed from a
            // room, e.g. "Bob Test left the room (removed by Carol Admin)."
            char *text = g_strdup_printf(_("removed by %s"), remover.c_str());
            set_leave_status(in.node, text);
            g_free(text);
        }
        return Outcome::pass;
    }
    const std::string status = leave_status_of(in.node);
    if (status == "hc-not-allowed")
        set_leave_status(in.node, _("guest access turned off"));
    else if (status.rfind("hc-", 0) == 0)
        set_leave_status(in.node, "");
    if (!self && !purple_conv_chat_find_user(chat, nick.c_str()))
        return Outcome::taken;
    return Outcome::pass;
}

// --- bitlbee: one IRC user per person ------------------------------------------

// bitlbee knows a channel's people by the names in libpurple's chat user
// list and makes one IRC user per name: a colleague listed under the room
// nick ("Bob Test") is a second IRC user beside their buddy (BobTest), and
// we ourselves one beside bitlbee's own user. For bitlbee the room's
// presences are therefore readdressed before the module lists their senders:
// people of the team under their JIDs (bitlbee's handles for the buddies),
// us under the account's name (bitlbee's handle for its user). The module
// still knows our own nick in the room (chat->handle), by which it leaves.
// Anyone else (guests) keeps the nick.
Outcome irc_handles_route(Session &session, Incoming &in)
{
    if (in.sender != Sender::room)
        return Outcome::pass;
    xmlnode *x = xmlnode_get_child_with_namespace(in.node, "x", ns::muc_user);
    xmlnode *item = x != nullptr ? xmlnode_get_child(x, "item") : nullptr;
    const char *item_jid = item != nullptr ? xmlnode_get_attrib(item, "jid") : nullptr;
    const std::string nick = core::jid_resource(in.from);
    if (item_jid == nullptr || nick.empty())
        return Outcome::pass;
    const std::string jid = core::ascii_lower(core::bare_jid(item_jid));
    room_state(session).occupants[in.from_bare][nick] = jid;
    if (!irc_ui(session))
        return Outcome::pass;
    const std::string handle = room_handle(session, jid, nick);
    if (handle == nick)
        return Outcome::pass;
    if (jid == own_bare_jid(session))
        drop_status_code(x, "210");  // the module must keep its own nick for us
    // A nick change (303) changes no handle: the new nick's presence follows.
    if (has_status_code(x, "303"))
        return Outcome::taken;
    in.from = in.from_bare + "/" + handle;
    xmlnode_set_attrib(in.node, "from", in.from.c_str());
    return Outcome::pass;
}

// --- Routes ------------------------------------------------------------------

// §7.3, only from our server (router.hpp's trust rule).
Outcome room_push_route(Session &session, Incoming &in)
{
    on_room_push(session, in.node, in.payload);
    return Outcome::taken;
}

// A room answering a join we sent: joined (the module goes on to make the
// conversation), or refused (ours to explain). Only rooms we asked to join:
// on a plain XMPP server they live on any host.
Outcome room_presence_route(Session &session, Incoming &in)
{
    if (g_strcmp0(in.type, "error") == 0)
        return on_join_error(session, in.node) ? Outcome::taken : Outcome::pass;
    const auto it = room_state(session).joins.find(in.from_bare);
    if (it == room_state(session).joins.end() || in.type != nullptr)
        return Outcome::pass;
    bool self = core::jid_resource(in.from) == it->second.nick;
    if (xmlnode *x = xmlnode_get_child_with_namespace(in.node, "x", ns::muc_user)) {
        for (xmlnode *status = xmlnode_get_child(x, "status"); status != nullptr;
             status = xmlnode_get_next_twin(status))
            self = self || g_strcmp0(xmlnode_get_attrib(status, "code"), "110") == 0;
    }
    if (self)
        on_joined(session, in.from_bare, in.node);
    return Outcome::pass;
}

Outcome room_error_route(Session &session, Incoming &in)
{
    if (in.sender != Sender::room)
        return Outcome::pass;
    return on_room_message_error(session, in.node) ? Outcome::taken : Outcome::pass;
}

// §19.7: a <subject> that came with the join's backlog (it carries <delay>)
// is a topic change of the past, not a new one: the official client drops
// it (message_processor.js formatXMPPMessages), so it neither is announced
// nor wins over the topic the join presence gave.
Outcome old_subject_route(Session &session, Incoming &in)
{
    if (in.sender != Sender::room || xmlnode_get_child(in.node, "subject") == nullptr)
        return Outcome::pass;
    const bool delayed =
        xmlnode_get_child_with_namespace(in.node, "delay", ns::delay) != nullptr ||
        xmlnode_get_child_with_namespace(in.node, "x", ns::legacy_delay) != nullptr;
    if (delayed)
        return Outcome::taken;
    room_state(session).subject_since_join.insert(in.from_bare);
    return Outcome::pass;
}

// A topic change as it happens, for bitlbee: it passes on neither the
// module's "has set the topic" line (a conversation write) nor the new topic
// (a channel's topic is set once, when it opens). The change is said by its
// setter, as IRC would ("* BobTest changed the topic to: …"), and the topic a
// room announces on its own is said by the room.
Outcome irc_subject_route(Session &session, Incoming &in)
{
    xmlnode *subject = xmlnode_get_child(in.node, "subject");
    if (!irc_ui(session) || in.sender != Sender::room || subject == nullptr)
        return Outcome::pass;
    PurpleConversation *conv = joined_room(session, in.from_bare);
    if (conv == nullptr)
        return Outcome::pass;
    char *data = xmlnode_get_data(subject);
    const std::string topic = data != nullptr ? data : "";
    g_free(data);
    PurpleConvChat *chat = PURPLE_CONV_CHAT(conv);
    const std::string nick = core::jid_resource(in.from);
    purple_conv_chat_set_topic(chat, nick.empty() ? nullptr : nick.c_str(), topic.c_str());
    if (nick.empty()) {
        if (!topic.empty()) {
            // TRANSLATORS: %s is the room's topic.
            char *line = g_strdup_printf(_("The topic is: %s"), topic.c_str());
            write_system_line(conv, line);
            g_free(line);
        }
        return Outcome::taken;
    }
    std::string jid = occupant_jid(session, in.from_bare, nick);
    if (const char *from_jid = xmlnode_get_attrib(in.node, "from_jid"); jid.empty() && from_jid)
        jid = core::ascii_lower(core::bare_jid(from_jid));
    const bool own = jid == own_bare_jid(session) || nick == purple_conv_chat_get_nick(chat);
    char *escaped = g_markup_escape_text(topic.c_str(), -1);
    // TRANSLATORS: an action, "* Bob Test changed the topic to: Ship it".
    char *line = topic.empty() ? g_strdup(_("/me cleared the topic."))
                               : g_strdup_printf(_("/me changed the topic to: %s"), escaped);
    // Ours, said by us: bitlbee shows a "sent" line only from another device.
    const auto flags = own ? PURPLE_MESSAGE_REMOTE_SEND : PURPLE_MESSAGE_RECV;
    serv_got_chat_in(
        session.connection(), purple_conv_chat_get_id(chat),
        own ? purple_conv_chat_get_nick(chat) : room_handle(session, jid, nick).c_str(), flags,
        line, std::time(nullptr));
    g_free(line);
    g_free(escaped);
    return Outcome::taken;
}

// A topic change as it happens, for Pidgin and Finch, in the official
// client's words (message_processor.js handleTopicChange 475-491,
// chat_panel_strings.js 40-45): "Bob Test changed the topic to: X", "Bob
// Test cleared the topic." (the module would say "Bob Test has set the
// topic to: " for a cleared one). The topic a room announces on its own
// (no nick) stays the module's ("The topic is: X").
Outcome topic_change_route(Session &session, Incoming &in)
{
    xmlnode *subject = xmlnode_get_child(in.node, "subject");
    const std::string nick = core::jid_resource(in.from);
    PurpleConversation *conv =
        in.sender == Sender::room && subject != nullptr && !nick.empty() && !irc_ui(session)
            ? joined_room(session, in.from_bare)
            : nullptr;
    if (conv == nullptr)
        return Outcome::pass;
    char *data = xmlnode_get_data(subject);
    const std::string topic = data != nullptr ? data : "";
    g_free(data);
    purple_conv_chat_set_topic(PURPLE_CONV_CHAT(conv), nick.c_str(), topic.c_str());
    char *line =
        topic.empty()
            // TRANSLATORS: %s is a person's name.
            ? g_strdup_printf(_("%s cleared the topic."), nick.c_str())
            // TRANSLATORS: a person's name, then the room's new topic.
            : g_strdup_printf(_("%s changed the topic to: %s"), nick.c_str(), topic.c_str());
    write_system_line(conv, line);
    g_free(line);
    return Outcome::taken;
}

// §7.8: a mediated invite comes from the room.
Outcome invite_route(Session &session, Incoming &in)
{
    if (in.sender != Sender::room)
        return Outcome::pass;
    auto invite = core::parse_invite(to_element(in.node));
    if (!invite)
        return Outcome::pass;
    on_invite(session, *invite);
    return Outcome::taken;
}

// --- The room list -----------------------------------------------------------

void request_room_page(Session &session, const std::string &after)
{
    xmlnode *query = xmlnode_new("query");
    xmlnode_set_namespace(query, ns::disco_items);
    // §7.1: the docs' include_archived, and the web client's inverse knob.
    if (room_state(session).settings.show_archived)
        xmlnode_set_attrib(query, "include_archived", "true");
    else
        xmlnode_set_attrib(query, "ignore_archived", "true");
    if (!after.empty()) {
        xmlnode *set = xmlnode_new_child(query, "set");
        xmlnode_set_namespace(set, ns::rsm);
        xmlnode_insert_data(xmlnode_new_child(set, "after"), after.c_str(), -1);
    }
    send_iq(session, "get", muc_host(session), query, [after](Session &s, const IqReply &reply) {
        RoomsState &state = room_state(s);
        if (state.fetch == nullptr)
            return;
        auto &fetch = *state.fetch;
        std::string error;
        if (!reply.ok || reply.payload() == nullptr) {
            error = !reply.error_text.empty() ? reply.error_text : reply.error;
        } else {
            auto page = core::parse_room_page(*reply.payload());
            for (auto &listener : fetch.on_page) {
                if (listener)
                    listener(s, page.rooms);
            }
            fetch.rooms.insert(fetch.rooms.end(), std::make_move_iterator(page.rooms.begin()),
                               std::make_move_iterator(page.rooms.end()));
            const bool more = page.next_after && *page.next_after != after && !page.rooms.empty() &&
                              ++fetch.pages < max_room_pages;
            if (more) {
                fetch.after = *page.next_after;
                request_room_page(s, fetch.after);
                return;
            }
            state.rooms = std::move(fetch.rooms);
            state.complete = true;
        }
        auto done = std::move(fetch.on_done);
        state.fetch.reset();
        for (auto &listener : done)
            listener(s, error);
    });
}

}  // namespace

void set_join_backlog_policy(JoinBacklogPolicy policy)
{
    backlog_policy() = policy;
}

void configure_rooms(Session &session, const RoomSettings &settings)
{
    room_state(session).settings = settings;
}

void fetch_rooms(Session &session, RoomPageListener page, RoomListDone done)
{
    RoomsState &state = room_state(session);
    if (state.fetch != nullptr) {
        if (page)
            page(session, state.fetch->rooms);  // what has arrived so far
        state.fetch->on_page.push_back(std::move(page));
        state.fetch->on_done.push_back(std::move(done));
        return;
    }
    state.fetch = std::make_unique<RoomsState::Fetch>();
    state.fetch->on_page.push_back(std::move(page));
    state.fetch->on_done.push_back(std::move(done));
    request_room_page(session, "");
}

const core::Room *find_room(Session &session, const std::string &room_jid)
{
    for (const auto &room : room_state(session).rooms) {
        if (room.jid == room_jid)
            return &room;
    }
    return nullptr;
}

std::optional<std::string> known_room_jid(Session &session, const std::string &input)
{
    return core::find_room_jid(input, room_state(session).rooms);
}

void remember_room(Session &session, const core::Room &room)
{
    auto &rooms = room_state(session).rooms;
    const auto it = std::find_if(rooms.begin(), rooms.end(),
                                 [&](const core::Room &r) { return r.jid == room.jid; });
    if (it != rooms.end())
        *it = room;
    else
        rooms.push_back(room);
}

const std::vector<core::Room> *whole_room_list(Session &session)
{
    const RoomsState &state = room_state(session);
    return state.complete ? &state.rooms : nullptr;
}

void join_new_room(Session &session, const std::string &room_jid, NewRoomJoin create)
{
    join_room(session, room_jid, "", false, {}, 0, std::move(create));
}

const core::NewRoom *room_being_created(Session &session, const std::string &room_jid)
{
    const auto &joins = room_state(session).joins;
    const auto it = joins.find(room_jid);
    return it != joins.end() && it->second.create.room ? &*it->second.create.room : nullptr;
}

std::string occupant_jid(Session &session, const std::string &room_jid, const std::string &nick)
{
    const auto &occupants = room_state(session).occupants;
    const auto room = occupants.find(room_jid);
    if (room == occupants.end())
        return {};
    const auto it = room->second.find(nick);
    return it != room->second.end() ? it->second : std::string();
}

std::string room_handle(Session &session, const std::string &jid, const std::string &nick)
{
    if (!irc_ui(session) || jid.empty())
        return nick;
    if (jid == own_bare_jid(session))
        return purple_account_get_username(session.account());
    return purple_find_buddy(session.account(), jid.c_str()) != nullptr ? jid : nick;
}

// --- prpl operations -----------------------------------------------------------

GList *chat_info(PurpleConnection *)
{
    return util::guard("chat_info", [] {
        auto *room = g_new0(struct proto_chat_entry, 1);
        // TRANSLATORS: the field for a room's name (or its XMPP address) in Join a Chat.
        room->label = _("_Room:");
        room->identifier = "room";
        room->required = TRUE;
        return g_list_append(static_cast<GList *>(nullptr), room);
    });
}

GHashTable *chat_info_defaults(PurpleConnection *, const char *chat_name)
{
    return util::guard("chat_info_defaults", [chat_name] {
        GHashTable *defaults = new_components();
        if (chat_name != nullptr && g_utf8_validate(chat_name, -1, nullptr)) {
            std::string name = chat_name;
            if (name.find('@') != std::string::npos)
                name = core::bare_jid(name);
            set_component(defaults, "room", name);
        }
        return defaults;
    });
}

char *get_chat_name(GHashTable *components)
{
    return util::guard("get_chat_name", [components] {
        const std::string room = component(components, "room");
        const std::string server = component(components, "server");
        if (room.find('@') != std::string::npos)
            return g_strdup(core::ascii_lower(core::bare_jid(room)).c_str());
        if (!server.empty())
            return g_strdup(core::ascii_lower(room + "@" + server).c_str());
        return g_strdup(room.c_str());
    });
}

void join_chat(PurpleConnection *gc, GHashTable *components)
{
    util::guard("join_chat", [&] {
        Session *session = Session::find(gc);
        if (session == nullptr)
            return;
        const std::string room = component(components, "room");
        const std::string server = component(components, "server");
        const std::string handle = component(components, "handle");
        std::string input = room;
        if (room.find('@') == std::string::npos && !server.empty())
            input = room + "@" + server;  // the module's own components (invites, old bookmarks)
        if (input.empty()) {
            purple_notify_error(gc, _("Cannot join room"), _("No room given"),
                                _("Enter a room's name or its XMPP address."));
            return;
        }
        when_names_settled(*session,
                           [input, handle](Session &s) { resolve_and_join(s, input, handle); });
    });
}

PurpleChat *find_blist_chat(PurpleAccount *account, const char *name)
{
    return util::guard("find_blist_chat", [account, name]() -> PurpleChat * {
        if (name == nullptr)
            return nullptr;
        const std::string wanted = core::ascii_lower(core::bare_jid(name));
        Session *session = nullptr;
        if (PurpleConnection *gc = purple_account_get_connection(account))
            session = Session::find(gc);
        for (PurpleBlistNode *node = purple_blist_get_root(); node != nullptr;
             node = purple_blist_node_next(node, TRUE)) {
            if (!PURPLE_BLIST_NODE_IS_CHAT(node))
                continue;
            auto *chat = reinterpret_cast<PurpleChat *>(node);
            if (purple_chat_get_account(chat) != account)
                continue;
            GHashTable *components = purple_chat_get_components(chat);
            char *jid = get_chat_name(components);
            std::string resolved = jid != nullptr ? jid : "";
            g_free(jid);
            if (resolved.find('@') == std::string::npos && session != nullptr)
                resolved = known_room_jid(*session, resolved).value_or(resolved);
            if (resolved == wanted)
                return chat;
        }
        return nullptr;
    });
}

std::string room_jid_of(Session &session, PurpleChat *chat)
{
    char *name = get_chat_name(purple_chat_get_components(chat));
    std::string jid = name != nullptr ? name : "";
    g_free(name);
    if (jid.find('@') == std::string::npos)
        jid = known_room_jid(session, jid).value_or(jid);
    return jid;
}

void join_auto_join_list(Session &session, const std::vector<core::AutoJoinItem> &items)
{
    if (!room_state(session).settings.auto_join)
        return;
    PurpleAccount *account = session.account();
    for (const auto &item : items) {
        if (item.is_room) {
            join_room(session, core::ascii_lower(core::bare_jid(item.jid)), "", true, item.name);
        } else if (session.find_conversation(PURPLE_CONV_TYPE_IM, item.jid) == nullptr) {
            purple_conversation_new(PURPLE_CONV_TYPE_IM, account, item.jid.c_str());
        }
    }
}

// --- Commands --------------------------------------------------------------------

namespace {

JabberChat *module_chat(PurpleConversation *conv)
{
    if (purple_conversation_get_type(conv) != PURPLE_CONV_TYPE_CHAT ||
        purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)))
        return nullptr;
    return jabber_chat_find_by_conv(conv);
}

}  // namespace

std::string join_by_name(PurpleConversation *conv, const std::string &room)
{
    Session *session = Session::of(conv);
    if (session == nullptr)
        return _("Not connected.");
    GHashTable *data = new_components();
    set_component(data, "room", room);
    join_chat(session->connection(), data);
    g_hash_table_destroy(data);
    return {};
}

std::string set_topic(PurpleConversation *conv, const std::string &topic)
{
    JabberChat *chat = module_chat(conv);
    if (chat == nullptr)
        return _("You are not in this room.");
    // §7.6: at most 250 characters ("too many characters cause crashes").
    if (g_utf8_strlen(topic.c_str(), -1) > 250)
        return _("A topic can have at most 250 characters.");
    jabber_chat_change_topic(chat, topic.c_str());
    return {};
}

std::string leave(PurpleConversation *conv, const std::string &message)
{
    JabberChat *chat = module_chat(conv);
    if (chat == nullptr)
        return _("You are not in this room.");
    jabber_chat_part(chat, message.empty() ? nullptr : message.c_str());
    return {};
}

std::string search_url(PurpleConversation *conv, const std::string &text)
{
    Session *session = Session::of(conv);
    if (session == nullptr || service_hosts(*session).web_host.empty())
        return {};
    char *query = g_uri_escape_string(text.c_str(), nullptr, FALSE);
    std::string url = "https://" + service_hosts(*session).web_host + "/search?q=" + query;
    g_free(query);
    const std::string jid = core::ascii_lower(core::bare_jid(purple_conversation_get_name(conv)));
    if (purple_conversation_get_type(conv) == PURPLE_CONV_TYPE_CHAT) {
        if (const core::Room *room = find_room(*session, jid); room != nullptr && room->id != 0)
            url += "&r=" + std::to_string(room->id);
    } else if (const std::uint64_t user = core::user_id_from_jid(jid); user != 0) {
        url += "&t=uid-" + std::to_string(user);
    }
    return url;
}

std::string message_person(PurpleConversation *conv, const std::string &who,
                           const std::string &message)
{
    PurpleAccount *account = purple_conversation_get_account(conv);
    std::string jid = find_person(account, who);
    if (jid.empty() && purple_conversation_get_type(conv) == PURPLE_CONV_TYPE_CHAT) {
        // A room nick: the occupant's real JID (rooms are never anonymous, §7.4).
        if (Session *session = Session::of(conv)) {
            char *real = jabber_chat_buddy_real_name(
                session->connection(), purple_conv_chat_get_id(PURPLE_CONV_CHAT(conv)),
                who.c_str());
            if (real != nullptr && !is_room_jid(*session, real))
                jid = core::bare_jid(real);
            g_free(real);
        }
    }
    if (jid.empty()) {
        char *text = g_strdup_printf(_("Nobody called \"%s\" is in your team."), who.c_str());
        std::string error = text;
        g_free(text);
        return error;
    }
    PurpleConversation *im =
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, jid.c_str(), account);
    if (im == nullptr)
        im = purple_conversation_new(PURPLE_CONV_TYPE_IM, account, jid.c_str());
    if (!message.empty())
        purple_conv_im_send(PURPLE_CONV_IM(im), message.c_str());
    else
        purple_conversation_present(im);
    return {};
}

void register_room_routes()
{
    add_route({"iq", ns::muc_room, "set", Precedence::pushes, Trust::server, "room push",
               room_push_route});
    add_route({"presence", nullptr, nullptr, Precedence::room_events, Trust::anyone,
               "room presence", room_presence_route});
    add_route({"presence", nullptr, nullptr, Precedence::room_events, Trust::anyone,
               "room occupant", irc_handles_route});
    add_route({"presence", nullptr, "unavailable", Precedence::room_events, Trust::anyone,
               "room leave", room_leave_route});
    add_route({"message", nullptr, "error", Precedence::room_events, Trust::anyone,
               "room message error", room_error_route});
    add_route({"message", nullptr, nullptr, Precedence::room_events, Trust::anyone, "room invite",
               invite_route});
    add_route({"message", nullptr, "groupchat", Precedence::room_events, Trust::anyone,
               "old topic change", old_subject_route});
    add_route({"message", nullptr, "groupchat", Precedence::room_events, Trust::anyone,
               "topic change", irc_subject_route});
    add_route({"message", nullptr, "groupchat", Precedence::room_events, Trust::anyone,
               "topic change", topic_change_route});
}

}  // namespace hipchat::xmpp
