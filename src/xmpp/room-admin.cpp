#include "xmpp/room-admin.hpp"

#include <notify.h>
#include <signals.h>

#include <ctime>
#include <functional>
#include <optional>

#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/conversations.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/people.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/router.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

using core::printf_string;

// --- Telling whoever asked ---------------------------------------------------

// `target` as kept for an answer: no session pointer (the answer brings it).
RoomTarget for_answer(RoomTarget target)
{
    target.session = nullptr;
    return target;
}

}  // namespace

void tell_asker(Session &session, const RoomTarget &target, const std::string &text, bool error)
{
    PurpleConversation *conv =
        target.asker.empty() ? nullptr : session.find_conversation(target.asker_type, target.asker);
    if (conv != nullptr) {
        write_system_line(conv, text,
                          error ? PURPLE_MESSAGE_ERROR : static_cast<PurpleMessageFlags>(0));
    } else if (error) {
        purple_notify_error(session.connection(), _("HipChat room"), text.c_str(), nullptr);
    } else {
        purple_notify_info(session.connection(), _("HipChat room"), text.c_str(), nullptr);
    }
}

namespace {

// Where the room tells its own news: its pushes (§7.3) are written into any
// conversation of it, its §8.9 lines reach its occupants only.
enum class RoomSays { in_its_conversation, to_occupants };

// That it is done, unless the room says so itself.
void confirm(Session &session, const RoomTarget &target, const std::string &text, RoomSays says)
{
    const bool said =
        says == RoomSays::in_its_conversation
            ? session.find_conversation(PURPLE_CONV_TYPE_CHAT, target.room_jid) != nullptr
            : joined_room(session, target.room_jid) != nullptr;
    if (!said)
        tell_asker(session, target, text, false);
}

std::string room_name(Session &session, const std::string &room_jid)
{
    const core::Room *room = find_room(session, room_jid);
    return room != nullptr && !room->name.empty() ? room->name : room_jid;
}

// --- Requests ------------------------------------------------------------------

using Failed = std::string (*)(const std::string &why);

// §7.7: `query` (taken) to the room; a refusal is told in words through
// `failed` ("Could not …: <why>"), success runs `done`.
void admin_iq(const RoomTarget &target, xmlnode *query, Failed failed,
              std::function<void(Session &)> done)
{
    send_iq(*target.session, "set", target.room_jid, query,
            [target = for_answer(target), failed, done](Session &s, const IqReply &reply) {
                if (!reply.ok)
                    tell_asker(s, target,
                               failed(core::describe_admin_refusal(reply.error, reply.error_text)),
                               true);
                else if (done)
                    done(s);
            });
}

// <query xmlns='http://hipchat.com'><`child`>`text`</`child`></query> (§7.7).
xmlnode *hipchat_query(const char *child, const std::string &text)
{
    xmlnode *query = xmlnode_new("query");
    xmlnode_set_namespace(query, ns::hipchat);
    xmlnode_insert_data(xmlnode_new_child(query, child), text.c_str(), -1);
    return query;
}

// The room as it describes itself now (§7.2: disco#info), kept with the
// room list's (for its menu, /privacy and /guest), or why not.
using RoomAnswer =
    std::function<void(Session &, const std::optional<core::Room> &, const std::string &why)>;
void ask_room(Session &session, const std::string &room_jid, RoomAnswer then)
{
    xmlnode *query = xmlnode_new("query");
    xmlnode_set_namespace(query, ns::disco_info);
    send_iq(session, "get", room_jid, query, [room_jid, then](Session &s, const IqReply &reply) {
        std::optional<core::Room> room;
        if (reply.ok && reply.payload() != nullptr)
            room = core::parse_room_info(*reply.payload(), room_jid);
        if (room)
            remember_room(s, *room);
        else if (reply.error == "item-not-found")
            s.state<RoomAdminState>().missing.insert(room_jid);
        then(s, room,
             reply.ok ? std::string(_("the room did not say."))
                      : core::describe_admin_refusal(reply.error, reply.error_text));
    });
}

void on_chat_joined(PurpleConversation *conv, gpointer)
{
    util::guard("room joined", [conv] {
        PurpleConnection *gc = purple_conversation_get_gc(conv);
        if (Session *session = gc != nullptr ? Session::find(gc) : nullptr)
            learn_room(*session,
                       core::ascii_lower(core::bare_jid(purple_conversation_get_name(conv))));
    });
}

// --- Creating (§7.4) -----------------------------------------------------------

std::string create_failed(const std::string &why)
{
    // TRANSLATORS: %s is why, e.g. "That room name is already taken."
    return printf_string(_("Could not create the room: %s"), why.c_str());
}

// A refused creation in words. The name another room has (`conflict`) is
// told by the server; a room at the new name's address that we may not
// join (a private or an archived one the room list does not show) answers
// as a join does.
std::string creation_refusal(const core::StanzaError &error)
{
    if (error.condition == "forbidden" || error.condition == "registration-required")
        return _("a room with that address exists already, and you may not join it.");
    return core::describe_admin_refusal(error.condition, error.text);
}

// With the room list at hand: the official client's checks, then the join.
void create_with_list(Session &session, const RoomTarget &target, const core::NewRoom &wanted,
                      const std::string &list_error)
{
    const std::vector<core::Room> *rooms = whole_room_list(session);
    if (rooms == nullptr) {
        tell_asker(
            session, target,
            create_failed(!list_error.empty() ? list_error
                                              : std::string(_("the room list is not available."))),
            true);
        return;
    }
    const std::string jid = core::guess_room_jid(wanted.name, team_id(session), muc_host(session));
    if (const auto problem = core::check_new_room_name(wanted.name, jid, *rooms);
        problem != core::NameProblem::none) {
        tell_asker(session, target, create_failed(core::describe_name_problem(problem)), true);
        return;
    }
    join_new_room(session, jid,
                  NewRoomJoin{wanted, [target](Session &s, const core::StanzaError &error) {
                                  tell_asker(s, target, create_failed(creation_refusal(error)),
                                             true);
                              }});
}

// §7.4: the join of a room being made carries its settings.
void add_new_room_x(Session &session, xmlnode *presence)
{
    const char *to = xmlnode_get_attrib(presence, "to");
    if (xmlnode_get_attrib(presence, "type") != nullptr || to == nullptr)
        return;
    const core::NewRoom *room = room_being_created(session, core::ascii_lower(core::bare_jid(to)));
    if (room == nullptr || xmlnode_get_child_with_namespace(presence, "x", ns::muc_room) != nullptr)
        return;
    xmlnode *x = xmlnode_new_child(presence, "x");
    xmlnode_set_namespace(x, ns::muc_room);
    xmlnode_insert_data(xmlnode_new_child(x, "name"), room->name.c_str(), -1);
    xmlnode_insert_data(xmlnode_new_child(x, "topic"), room->topic.c_str(), -1);
    xmlnode_insert_data(xmlnode_new_child(x, "privacy"), room->is_private ? "private" : "public",
                        -1);
}

// --- Invites (§7.8) --------------------------------------------------------------

// A refused invite comes back from the room with the invite in it
// (XEP-0045 §7.8.2): said as such, not as an undelivered message.
Outcome refused_invite_route(Session &session, Incoming &in)
{
    xmlnode *x = xmlnode_get_child_with_namespace(in.node, "x", ns::muc_user);
    xmlnode *invite = x != nullptr ? xmlnode_get_child(x, "invite") : nullptr;
    if (in.sender != Sender::room || invite == nullptr)
        return Outcome::pass;
    const char *to = xmlnode_get_attrib(invite, "to");
    const std::string jid = core::ascii_lower(core::bare_jid(to != nullptr ? to : ""));
    std::string who = full_name_of(session, jid);
    if (who.empty())
        who = jid;
    const auto error = core::parse_stanza_error(to_element(in.node));
    // TRANSLATORS: the first %s is a person, the second why.
    tell_asker(session, room_target(session, in.from_bare),
               printf_string(_("Could not invite %s: %s"), who.c_str(),
                             core::describe_admin_refusal(error.condition, error.text).c_str()),
               true);
    return Outcome::taken;
}

}  // namespace

void learn_room(Session &session, const std::string &room_jid)
{
    RoomAdminState &state = session.state<RoomAdminState>();
    if (find_room(session, room_jid) != nullptr || !is_room_jid(session, room_jid) ||
        !state.asking.insert(room_jid).second)
        return;
    state.missing.erase(room_jid);
    ask_room(session, room_jid,
             [room_jid](Session &s, const std::optional<core::Room> &, const std::string &) {
                 s.state<RoomAdminState>().asking.erase(room_jid);
             });
}

bool room_missing(Session &session, const std::string &room_jid)
{
    return session.state<RoomAdminState>().missing.count(room_jid) != 0;
}

void connect_room_admin_signals(PurplePlugin *plugin)
{
    purple_signal_connect(purple_conversations_get_handle(), "chat-joined", plugin,
                          PURPLE_CALLBACK(on_chat_joined), nullptr);
}

RoomTarget room_target(PurpleConversation *conv)
{
    RoomTarget target;
    target.session = Session::of(conv);
    target.room_jid = core::ascii_lower(core::bare_jid(purple_conversation_get_name(conv)));
    target.asker_type = purple_conversation_get_type(conv);
    target.asker = purple_conversation_get_name(conv);
    return target;
}

RoomTarget room_target(Session &session, const std::string &room_jid)
{
    RoomTarget target;
    target.session = &session;
    target.room_jid = room_jid;
    if (session.find_conversation(PURPLE_CONV_TYPE_CHAT, room_jid) != nullptr) {
        target.asker_type = PURPLE_CONV_TYPE_CHAT;
        target.asker = room_jid;
    }
    return target;
}

std::string create_room(const RoomTarget &target, const core::NewRoom &wanted)
{
    if (target.session == nullptr)
        return _("Not connected.");
    // What needs no room list: a name at all, and not too long a one.
    if (const auto problem = core::check_new_room_name(wanted.name, {}, {});
        problem != core::NameProblem::none)
        return core::describe_name_problem(problem);
    if (g_utf8_strlen(wanted.topic.c_str(), -1) > static_cast<glong>(core::max_topic_length))
        return _("A topic can have at most 250 characters.");
    Session &session = *target.session;
    if (whole_room_list(session) != nullptr) {
        create_with_list(session, target, wanted, {});
        return {};
    }
    fetch_rooms(session, nullptr,
                [target = for_answer(target), wanted](Session &s, const std::string &error) {
                    create_with_list(s, target, wanted, error);
                });
    return {};
}

std::string rename_room(const RoomTarget &target, const std::string &name)
{
    if (target.session == nullptr)
        return _("Not connected.");
    Session &session = *target.session;
    const std::string wanted = std::string(core::trim(name));
    const core::Room *room = find_room(session, target.room_jid);
    const std::vector<core::Room> *rooms = whole_room_list(session);
    const auto problem =
        room != nullptr
            ? core::check_rename(wanted, *room, rooms ? *rooms : std::vector<core::Room>{})
            : core::check_new_room_name(wanted, {}, {});
    if (problem != core::NameProblem::none && problem != core::NameProblem::no_address)
        return core::describe_name_problem(problem);
    const std::string before = room_name(session, target.room_jid);
    admin_iq(
        target, hipchat_query("rename", wanted),
        [](const std::string &why) {
            // TRANSLATORS: %s is why, e.g. "only the room's owner and admins may."
            return printf_string(_("Could not rename the room: %s"), why.c_str());
        },
        [target = for_answer(target), before, wanted](Session &s) {
            // TRANSLATORS: the room's old and new names.
            confirm(
                s, target,
                printf_string(_("The room %s is now called %s."), before.c_str(), wanted.c_str()),
                RoomSays::in_its_conversation);
        });
    return {};
}

std::string set_privacy(const RoomTarget &target, bool make_private)
{
    if (target.session == nullptr)
        return _("Not connected.");
    Session &session = *target.session;
    const core::Room *room = find_room(session, target.room_jid);
    if (room != nullptr && (room->privacy == "private") == make_private)
        return make_private ? _("This room is private already.")
                            : _("This room is public already.");
    const std::string name = room_name(session, target.room_jid);
    admin_iq(
        target, hipchat_query("privacy", make_private ? "private" : "public"),
        [](const std::string &why) {
            return printf_string(_("Could not change the room's privacy: %s"), why.c_str());
        },
        [target = for_answer(target), name, make_private](Session &s) {
            confirm(s, target,
                    printf_string(make_private ? _("The room %s is now private.")
                                               : _("The room %s is now public."),
                                  name.c_str()),
                    RoomSays::in_its_conversation);
        });
    return {};
}

std::string set_guest_access(const RoomTarget &target, bool on)
{
    if (target.session == nullptr)
        return _("Not connected.");
    Session &session = *target.session;
    const core::Room *room = find_room(session, target.room_jid);
    if (room != nullptr && room->guest_url.empty() != on)
        return describe_guest_access(target);
    admin_iq(
        target, hipchat_query("guest_access", on ? "1" : "0"),
        [](const std::string &why) {
            return printf_string(_("Could not change guest access: %s"), why.c_str());
        },
        [target = for_answer(target)](Session &s) {
            if (joined_room(s, target.room_jid) != nullptr)
                return;  // its §8.9 line says it, with the link
            // Not in the room: the room tells us its guest link.
            ask_room(s, target.room_jid,
                     [target](Session &s2, const std::optional<core::Room> &room,
                              const std::string &why) {
                         if (!room) {
                             tell_asker(
                                 s2, target,
                                 printf_string(_("Could not change guest access: %s"), why.c_str()),
                                 true);
                             return;
                         }
                         const std::string name = room->name;
                         tell_asker(
                             s2, target,
                             room->guest_url.empty()
                                 ? printf_string(_("Guest access to %s is off."), name.c_str())
                                 // TRANSLATORS: a room's name, then its guest link.
                                 : printf_string(_("Guest access to %s is on: %s"), name.c_str(),
                                                 room->guest_url.c_str()),
                             false);
                     });
        });
    return {};
}

namespace {

std::string archive_failed(bool archiving, const std::string &why)
{
    // TRANSLATORS: %s is why, e.g. "HipChat refused: This room is archived."
    return printf_string(
        archiving ? _("Could not archive the room: %s") : _("Could not restore the room: %s"),
        why.c_str());
}

// REST's room update with `room`'s settings as they are, archived or not
// (application_store.js handleArchiveRoom).
void put_archived(Session &session, const RoomTarget &target, const core::Room &room, bool archived)
{
    net::HttpClient *http = session.http();
    if (http == nullptr)
        return;  // (checked before asking; libsoup does not go away)
    const std::string url =
        "https://" + service_hosts(session).api_host + "/v2/room/" + std::to_string(room.id);
    const std::uint64_t id = session.id();
    const std::string name = room.name;
    http->submit(
        "PUT", url, api_token(session), "application/json", core::room_update_body(room, archived),
        [id, target, name, archived](net::HttpResponse response) {
            Session *s = Session::find(id);
            if (s == nullptr || response.cancelled)
                return;
            if (response.status != 204 && response.status != 200) {
                const std::int64_t reset =
                    g_ascii_strtoll(response.ratelimit_reset.c_str(), nullptr, 10);
                tell_asker(*s, target,
                           archive_failed(archived, core::describe_update_failure(
                                                        response.status, response.body,
                                                        response.error, reset, std::time(nullptr))),
                           true);
                return;
            }
            confirm(*s, target,
                    printf_string(
                        archived ? _("The room %s is archived.") : _("The room %s is restored."),
                        name.c_str()),
                    RoomSays::to_occupants);
        });
}

}  // namespace

std::string set_archived(const RoomTarget &target, bool archived)
{
    if (target.session == nullptr)
        return _("Not connected.");
    Session &session = *target.session;
    // The official client archives over REST only (dal.room.js update).
    if (session.http() == nullptr || service_hosts(session).api_host.empty())
        return _("Archiving goes through HipChat's web API, which this connection cannot use.");
    if (api_token(session).empty())
        return _(
            "Archiving needs an API token, and HipChat gave none at login: set a personal "
            "token with the Administer Room scope in the account's options.");
    // Every setting goes with the update: the room's own, as it tells them
    // now, not what may have changed since the list was fetched.
    ask_room(session, target.room_jid,
             [target = for_answer(target), archived](
                 Session &s, const std::optional<core::Room> &room, const std::string &why) {
                 if (!room || room->id == 0)
                     tell_asker(s, target, archive_failed(archived, why), true);
                 else if (room->archived == archived)
                     tell_asker(s, target,
                                archived ? _("The room is archived already.")
                                         : _("The room is not archived."),
                                false);
                 else
                     put_archived(s, target, *room, archived);
             });
    return {};
}

std::string delete_room(const RoomTarget &target)
{
    if (target.session == nullptr)
        return _("Not connected.");
    const std::string name = room_name(*target.session, target.room_jid);
    xmlnode *query = xmlnode_new("query");
    xmlnode_set_namespace(query, ns::muc_owner);
    xmlnode_new_child(query, "destroy");
    admin_iq(
        target, query,
        [](const std::string &why) {
            return printf_string(_("Could not delete the room: %s"), why.c_str());
        },
        [target = for_answer(target), name](Session &s) {
            // (In a conversation of it the deletion's push says so.)
            confirm(s, target, printf_string(_("The room %s has been deleted."), name.c_str()),
                    RoomSays::in_its_conversation);
        });
    return {};
}

std::string invite(const RoomTarget &target, const std::string &who, const std::string &reason)
{
    if (target.session == nullptr)
        return _("Not connected.");
    Session &session = *target.session;
    const std::string jid = find_person(session.account(), who);
    if (jid.empty())
        // TRANSLATORS: %s is the name the user typed.
        return printf_string(_("Nobody called \"%s\" is in your team."), who.c_str());
    // §7.8: a mediated invite through the room; a refusal comes back from
    // it (refused_invite_route).
    XmlnodePtr message(xmlnode_new("message"));
    xmlnode_set_attrib(message.get(), "to", target.room_jid.c_str());
    xmlnode *x = xmlnode_new_child(message.get(), "x");
    xmlnode_set_namespace(x, ns::muc_user);
    xmlnode *invite_node = xmlnode_new_child(x, "invite");
    xmlnode_set_attrib(invite_node, "to", jid.c_str());
    if (!reason.empty())
        xmlnode_insert_data(xmlnode_new_child(invite_node, "reason"), reason.c_str(), -1);
    send_stanza(session, message.get());
    return {};
}

std::string remove_member(const RoomTarget &target, const std::string &who)
{
    if (target.session == nullptr)
        return _("Not connected.");
    Session &session = *target.session;
    // A nick of someone in the room (never anonymous, §7.4), else a person.
    std::string jid = occupant_jid(session, target.room_jid, who);
    const bool in_room = !jid.empty() && joined_room(session, target.room_jid) != nullptr;
    if (jid.empty() || is_room_jid(session, jid))
        jid = find_person(session.account(), who);
    if (jid.empty())
        return printf_string(_("Nobody called \"%s\" is in your team."), who.c_str());
    std::string name = full_name_of(session, jid);
    if (name.empty())
        name = who;
    // §7.5: HipChat's own query.
    xmlnode *query = xmlnode_new("query");
    xmlnode_set_namespace(query, ns::hipchat);
    xmlnode *item = xmlnode_new_child(query, "item");
    xmlnode_set_attrib(item, "jid", jid.c_str());
    xmlnode_set_attrib(item, "affiliation", "none");
    send_iq(
        session, "set", target.room_jid, query,
        [target = for_answer(target), name, in_room](Session &s, const IqReply &reply) {
            if (!reply.ok)
                // TRANSLATORS: the first %s is the person's name, the second why.
                tell_asker(s, target,
                           printf_string(
                               _("Could not remove %s from the room: %s"), name.c_str(),
                               core::describe_admin_refusal(reply.error, reply.error_text).c_str()),
                           true);
            else if (!in_room)  // (else the room says they were removed)
                tell_asker(s, target,
                           printf_string(_("%s is no longer a member of the room."), name.c_str()),
                           false);
        });
    return {};
}

std::string describe_privacy(const RoomTarget &target)
{
    const core::Room *room =
        target.session != nullptr ? find_room(*target.session, target.room_jid) : nullptr;
    if (room == nullptr)
        return {};
    return room->privacy == "private" ? _("This room is private.") : _("This room is public.");
}

std::string describe_guest_access(const RoomTarget &target)
{
    const core::Room *room =
        target.session != nullptr ? find_room(*target.session, target.room_jid) : nullptr;
    if (room == nullptr)
        return {};
    if (room->guest_url.empty())
        return _("Guest access is off.");
    // TRANSLATORS: %s is the room's guest link.
    return printf_string(_("Guest access is on: %s"), room->guest_url.c_str());
}

void chat_invite(PurpleConnection *gc, int id, const char *message, const char *who)
{
    util::guard("chat_invite", [&] {
        PurpleConversation *conv = purple_find_chat(gc, id);
        if (conv == nullptr || who == nullptr)
            return;
        const std::string error = invite(room_target(conv), who, message != nullptr ? message : "");
        if (!error.empty())
            write_system_line(conv, error, PURPLE_MESSAGE_ERROR);
    });
}

void register_room_admin_routes()
{
    add_route({"message", nullptr, "error", Precedence::room_events, Trust::anyone,
               "refused invite", refused_invite_route});
    add_outgoing("presence", add_new_room_x);
}

}  // namespace hipchat::xmpp
