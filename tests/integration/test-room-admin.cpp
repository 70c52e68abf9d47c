// Room administration (protocol reference §7.4–§7.8, §8.9, REST's room
// update) through the built plugin against the emulator: creating rooms from
// /create and from Accounts > HipChat, renaming, privacy, guest access,
// archiving and restoring, deleting after a confirmation, inviting and
// removing members, the room's menu, and the server's refusals in words
// (not the owner, archived room, name taken).
#include <blist.h>
#include <cmds.h>
#include <connection.h>
#include <conversation.h>
#include <prpl.h>
#include <request.h>
#include <glib/gstdio.h>

#include <string>
#include <vector>

#include "emulator-account.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::contains;
using hipchat::test::EventKind;
using hipchat::test::free_menu;

namespace sample = hipchat::test::sample;

namespace {

constexpr const char *launch_jid = "10804_launch_team@conf.hipchat.com";

struct Admin : hipchat::test::EmulatorAccount {
    explicit Admin(const sample::Person &who = sample::alice,
                   const std::vector<std::string> &emulator_args = {})
        : EmulatorAccount(emulator_args, who.email, who.password), person(who)
    {
        purple_account_set_bool(account, "autojoin", FALSE);
        connect();
        ck_assert_msg(connected(), "not connected:\n%s", harness.recent_events().c_str());
    }

    PurpleConversation *join(const sample::Room &room)
    {
        return join_room(room.name, room.jid, person.name);
    }

    std::string sent() { return control.get(std::string("/transcript?user=") + person.email); }
    bool sent(const std::string &text)
    {
        return harness.run_until([&] { return contains(sent(), text); }, 5000);
    }

    // The room's buddy list menu, as Pidgin's Conversation > More gets it
    // (a temporary chat node for the room's name, chat_info_defaults).
    std::vector<std::string> menu(const char *room)
    {
        PurpleChat *node =
            purple_chat_new(account, nullptr, prpl()->chat_info_defaults(gc(), room));
        GList *actions = prpl()->blist_node_menu(reinterpret_cast<PurpleBlistNode *>(node));
        std::vector<std::string> labels;
        for (GList *l = actions; l != nullptr; l = l->next) {
            if (auto *action = static_cast<PurpleMenuAction *>(l->data))
                labels.emplace_back(action->label);
        }
        free_menu(actions);
        purple_blist_remove_chat(node);
        return labels;
    }

    // The menu once the room's settings are known (a room not in the room
    // list is asked first, xmpp::learn_room).
    std::vector<std::string> known_menu(const char *room)
    {
        std::vector<std::string> labels;
        harness.run_until(
            [&] {
                labels = menu(room);
                for (const auto &l : labels)
                    if (contains(l, "asking the room"))
                        return false;
                return true;
            },
            5000);
        return labels;
    }

    // Chooses `label` in the room's menu (once the room's settings are known).
    void choose(const char *room, const std::string &label)
    {
        known_menu(room);
        PurpleChat *node =
            purple_chat_new(account, nullptr, prpl()->chat_info_defaults(gc(), room));
        GList *actions = prpl()->blist_node_menu(reinterpret_cast<PurpleBlistNode *>(node));
        bool found = false;
        for (GList *l = actions; l != nullptr; l = l->next) {
            auto *action = static_cast<PurpleMenuAction *>(l->data);
            if (action != nullptr && label == action->label) {
                reinterpret_cast<void (*)(PurpleBlistNode *, gpointer)>(action->callback)(
                    reinterpret_cast<PurpleBlistNode *>(node), action->data);
                found = true;
            }
        }
        free_menu(actions);
        purple_blist_remove_chat(node);
        ck_assert_msg(found, "no menu entry %s", label.c_str());
    }

    const sample::Person &person;
};

bool has(const std::vector<std::string> &labels, const char *label)
{
    for (const auto &l : labels)
        if (l == label)
            return true;
    return false;
}

START_TEST(create_makes_a_room_with_its_topic_and_joins_it)
{
    Admin s;
    PurpleConversation *im =
        purple_conversation_new(PURPLE_CONV_TYPE_IM, s.account, sample::bob.jid);
    ck_assert_int_eq(s.command(im, "create Launch Team | Countdown to launch"),
                     PURPLE_CMD_STATUS_OK);
    // §7.4: the join carries HipChat's x; the room opens under its name,
    // with its topic, Alice its owner.
    ck_assert_msg(s.sent("<name>Launch Team</name><topic>Countdown to launch</topic>"
                         "<privacy>public</privacy></x>"),
                  "%s", s.sent().c_str());
    ck_assert(contains(s.sent(), std::string("to='") + launch_jid + "/Alice Example'"));
    PurpleConversation *room = nullptr;
    ck_assert_msg(s.harness.run_until(
                      [&] {
                          room = purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT,
                                                                       launch_jid, s.account);
                          return room != nullptr && purple_conv_chat_find_user(
                                                        PURPLE_CONV_CHAT(room), sample::alice.name);
                      },
                      5000),
                  "%s", s.harness.recent_events().c_str());
    ck_assert(s.harness.run_until(
        [&] { return g_strcmp0(purple_conversation_get_title(room), "Launch Team") == 0; }, 5000));
    ck_assert_str_eq(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(room)), "Countdown to launch");
    // Its bookmark came once it was made.
    ck_assert(purple_blist_find_chat(s.account, launch_jid) != nullptr);
    // What /create needs said.
    ck_assert_int_eq(s.command(im, "create private"), PURPLE_CMD_STATUS_FAILED);
    ck_assert(contains(s.last_error, "Say the new room's name"));
}
END_TEST

// Alice, Bob, Dev and two archived rooms: Old Launch, and Launch Party,
// renamed since it was made (its JID keeps the old name's slug, §3). The
// room list shows neither, so only the server knows their names are taken.
std::string org_with_archived_rooms()
{
    const std::string json =
        std::string("{\"group_id\":10804,\"group_name\":\"Example Inc\",\"users\":[") +
        "{\"id\":204364,\"email\":\"alice@example.com\",\"password\":\"alice-demo-password\","
        "\"name\":\"Alice Example\",\"mention_name\":\"AliceExample\",\"is_admin\":true},"
        "{\"id\":204365,\"email\":\"bob@example.com\",\"password\":\"bob-demo-password\","
        "\"name\":\"Bob Test\",\"mention_name\":\"BobTest\"}],\"rooms\":["
        "{\"id\":22087,\"slug\":\"dev\",\"name\":\"Dev\",\"owner\":204364},"
        "{\"id\":22092,\"slug\":\"old_launch\",\"name\":\"Old Launch\",\"owner\":204364,"
        "\"archived\":true},"
        "{\"id\":22100,\"slug\":\"launch2015\",\"name\":\"Launch Party\",\"owner\":204364,"
        "\"archived\":true}]}";
    return hipchat::test::temporary_file("hipchat-room-admin-XXXXXX.json", json);
}

START_TEST(create_refuses_taken_names_before_and_as_the_server_does)
{
    const std::string org = org_with_archived_rooms();
    Admin s(sample::alice, {"--org", org});
    PurpleConversation *im =
        purple_conversation_new(PURPLE_CONV_TYPE_IM, s.account, sample::bob.jid);
    // The room list has Dev (the official client's check, create_room_form.js).
    s.harness.expect(EventKind::message,
                     "Could not create the room: That room name is already taken.");
    ck_assert_int_eq(s.command(im, "create dev"), PURPLE_CMD_STATUS_OK);
    ck_assert(
        s.wrote(sample::bob.jid, "Could not create the room: That room name is already taken."));
    // Launch Party is archived, so not in the list: the server refuses.
    s.harness.expect(EventKind::message,
                     "Could not create the room: Another room exists with that name.");
    ck_assert_int_eq(s.command(im, "create private launch party"), PURPLE_CMD_STATUS_OK);
    ck_assert_msg(
        s.wrote(sample::bob.jid, "Could not create the room: Another room exists with that name."),
        "%s", s.harness.recent_events().c_str());
    // Old Launch's address is an archived room's, which answers as a join.
    s.harness.expect(EventKind::message,
                     "Could not create the room: a room with that address "
                     "exists already, and you may not join it.");
    ck_assert_int_eq(s.command(im, "create Old Launch"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.wrote(sample::bob.jid, "a room with that address exists already"));
    // Nothing was made, nor kept in the buddy list.
    for (const char *jid : {"10804_launch_party@conf.hipchat.com", sample::old_launch.jid}) {
        ck_assert(purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, jid, s.account) ==
                  nullptr);
        ck_assert(purple_blist_find_chat(s.account, jid) == nullptr);
    }
    // Too long, at once.
    ck_assert_int_eq(s.command(im, "create " + std::string(51, 'x')), PURPLE_CMD_STATUS_FAILED);
    ck_assert(contains(s.last_error, "at most 50 characters"));
    g_unlink(org.c_str());
}
END_TEST

START_TEST(create_from_the_account_menu_makes_a_private_room)
{
    Admin s;
    s.harness.expect(EventKind::request_fields, "Create a Room");
    s.harness.answer_fields([](PurpleRequestFields *fields) {
        purple_request_field_string_set_value(purple_request_fields_get_field(fields, "name"),
                                              "Launch Team");
        purple_request_field_bool_set_value(purple_request_fields_get_field(fields, "private"),
                                            TRUE);
    });
    // Accounts > HipChat > Create a Room...
    PurplePlugin *plugin = s.harness.plugin("prpl-hipchat");
    GList *actions = PURPLE_PLUGIN_ACTIONS(plugin, s.gc());
    ck_assert(actions != nullptr);
    auto *create = static_cast<PurplePluginAction *>(actions->data);
    ck_assert_str_eq(create->label, "Create a Room...");
    create->plugin = plugin;
    create->context = s.gc();
    create->callback(create);
    for (GList *l = actions; l != nullptr; l = l->next)
        purple_plugin_action_free(static_cast<PurplePluginAction *>(l->data));
    g_list_free(actions);
    ck_assert(s.sent("<name>Launch Team</name><topic></topic><privacy>private</privacy>"));
    ck_assert(s.harness.run_until(
        [&] {
            return purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, launch_jid,
                                                         s.account) != nullptr;
        },
        5000));
    // A private room's menu offers to make it public and to remove members.
    const auto labels = s.known_menu(launch_jid);
    ck_assert(has(labels, "Make Room Public") && has(labels, "Remove Members..."));
}
END_TEST

START_TEST(rename_is_refused_when_the_name_is_taken_or_the_room_archived)
{
    Admin s;
    PurpleConversation *dev = s.join(sample::dev);
    // In the room list: said at once.
    ck_assert_int_eq(s.command(dev, "rename random"), PURPLE_CMD_STATUS_FAILED);
    ck_assert_str_eq(s.last_error.c_str(), "That room name is already taken.");
    // An archived room's name the list does not show: the server's word.
    s.harness.expect(EventKind::message,
                     "Could not rename the room: Another room exists with that name.");
    ck_assert_int_eq(s.command(dev, "rename Old Launch"), PURPLE_CMD_STATUS_OK);
    ck_assert(
        s.wrote(sample::dev.jid, "Could not rename the room: Another room exists with that name."));
    ck_assert_str_eq(purple_conversation_get_title(dev), "Dev");
}
END_TEST

START_TEST(privacy_is_shown_and_changed)
{
    Admin s;
    PurpleConversation *dev = s.join(sample::dev);
    ck_assert_int_eq(s.command(dev, "privacy"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.wrote(sample::dev.jid, "This room is public."));
    ck_assert_int_eq(s.command(dev, "privacy secret"), PURPLE_CMD_STATUS_FAILED);
    ck_assert_int_eq(s.command(dev, "privacy private"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.sent("<query xmlns='http://hipchat.com'><privacy>private</privacy></query>"));
    // The room push that follows (§7.3) says it.
    ck_assert(s.wrote(sample::dev.jid, "This room is now private."));
    ck_assert_int_eq(s.command(dev, "privacy private"), PURPLE_CMD_STATUS_FAILED);
    ck_assert_str_eq(s.last_error.c_str(), "This room is private already.");
}
END_TEST

START_TEST(guest_access_shows_the_guest_link)
{
    Admin s;
    PurpleConversation *dev = s.join(sample::dev);
    ck_assert_int_eq(s.command(dev, "guest on"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.sent("<guest_access>1</guest_access>"));
    // In the room, its §8.9 line, with the link.
    ck_assert_msg(
        s.wrote(sample::dev.jid, "Alice Example turned on guest access: https://www.hipchat.com/g"),
        "%s", s.harness.recent_events().c_str());
    ck_assert(s.harness.run_until(
        [&] {
            s.command(dev, "guest");
            return s.wrote(sample::dev.jid, "Guest access is on: https://www.hipchat.com/g", 100);
        },
        5000));
    ck_assert_int_eq(s.command(dev, "guest off"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.wrote(sample::dev.jid, "turned off guest access"));
    // Not in the room (Random, from its menu): the room tells the link.
    s.harness.expect(EventKind::notify_message,
                     "Guest access to Random is on: https://www.hipchat.com/g");
    s.choose(sample::random.jid, "Turn Guest Access On");
    ck_assert(s.harness.run_until(
        [&] {
            return s.harness.has(EventKind::notify_message, [](const hipchat::test::Event &e) {
                return contains(e.text, "Guest access to Random is on: https://www.hipchat.com/g");
            });
        },
        5000));
}
END_TEST

START_TEST(archiving_goes_over_rest_and_the_room_says_so)
{
    Admin s;
    PurpleConversation *dev = s.join(sample::dev);
    ck_assert_int_eq(s.command(dev, "archive"), PURPLE_CMD_STATUS_OK);
    ck_assert_msg(s.wrote(sample::dev.jid, "Alice Example archived the room"), "%s",
                  s.harness.recent_events().c_str());
    ck_assert(contains(s.control.get("/rest-log"), "/v2/room/22087"));
    // An archived room takes no change but being restored.
    s.harness.expect(EventKind::message, "Could not rename the room: This room is archived.");
    ck_assert_int_eq(s.command(dev, "rename Dev Archive"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.wrote(sample::dev.jid, "Could not rename the room: This room is archived."));
    ck_assert_int_eq(s.command(dev, "unarchive"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.wrote(sample::dev.jid, "Alice Example unarchived the room"));
    // Its menu follows the room's state.
    ck_assert(has(s.known_menu(sample::dev.jid), "Archive Room"));
    // An archived room (the list does not show it): asked, then only Restore.
    ck_assert(has(s.menu(sample::old_launch.jid), "Room settings: asking the room..."));
    const auto labels = s.known_menu(sample::old_launch.jid);
    ck_assert(has(labels, "Restore Room") && !has(labels, "Rename Room..."));
    s.harness.expect(EventKind::notify_message, "The room Old Launch is restored.");
    s.choose(sample::old_launch.jid, "Restore Room");
    ck_assert(s.harness.run_until([&] { return s.harness.has(EventKind::notify_message); }, 5000));
}
END_TEST

START_TEST(someone_else_s_room_is_refused_in_words)
{
    // Carol owns Design; Dev is Alice's, and Carol is no team admin.
    Admin s(sample::carol);
    PurpleConversation *dev = s.join(sample::dev);
    // (System lines are markup: apostrophes arrive escaped.)
    s.harness.expect(EventKind::message,
                     "Could not change the room&apos;s privacy: only the "
                     "room&apos;s owner and admins may.");
    ck_assert_int_eq(s.command(dev, "privacy private"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.wrote(
        sample::dev.jid,
        "Could not change the room&apos;s privacy: only the room&apos;s owner and admins may."));
    s.harness.expect(EventKind::message, "Could not change guest access: only the room");
    ck_assert_int_eq(s.command(dev, "guest on"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.wrote(sample::dev.jid, "Could not change guest access: only the room"));
    s.harness.expect(EventKind::message,
                     "Could not archive the room: HipChat refused: You must "
                     "be the room owner or a group admin to do this");
    ck_assert_int_eq(s.command(dev, "archive"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.wrote(sample::dev.jid,
                      "Could not archive the room: HipChat refused: You must be "
                      "the room owner or a group admin to do this"));
    // Deleting asks first, then the server refuses.
    s.harness.expect(EventKind::request_action, "Delete the room Dev?");
    s.harness.answer_actions_with("Delete");
    s.harness.expect(EventKind::message, "Could not delete the room: only the room");
    ck_assert_int_eq(s.command(dev, "delete-room"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.wrote(sample::dev.jid, "Could not delete the room: only the room"));
}
END_TEST

START_TEST(delete_asks_first_and_cancel_keeps_the_room)
{
    Admin s;
    PurpleConversation *dev = s.join(sample::dev);
    s.harness.expect(EventKind::request_action, "Delete the room Dev?", 2);
    s.harness.answer_actions_with("Cancel");
    ck_assert_int_eq(s.command(dev, "delete-room"), PURPLE_CMD_STATUS_OK);
    s.harness.run_for(500);
    ck_assert(!contains(s.sent(), "<destroy"));
    s.harness.answer_actions_with("Delete");
    ck_assert_int_eq(s.command(dev, "delete-room"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.sent("<query xmlns='http://jabber.org/protocol/muc#owner'><destroy/></query>"));
    // We are out of the room, and its deletion is told (§7.3).
    s.harness.expect(EventKind::notify_message, "The room Dev has been deleted.");
    ck_assert(s.harness.run_until([&] { return s.harness.has(EventKind::notify_message); }, 5000));
    ck_assert(purple_conv_chat_has_left(PURPLE_CONV_CHAT(dev)));
}
END_TEST

START_TEST(private_room_members_are_invited_and_removed_by_admins_only)
{
    // Bob is a member of Ops (Frank's), not its owner nor a team admin.
    Admin bob(sample::bob);
    PurpleConversation *ops = bob.join(sample::ops);
    bob.harness.expect(EventKind::message, "Could not invite Carol Jones: only the room");
    ck_assert_int_eq(bob.command(ops, "invite Carol Jones please help"), PURPLE_CMD_STATUS_OK);
    ck_assert_msg(bob.wrote(sample::ops.jid,
                            "Could not invite Carol Jones: only the room&apos;s "
                            "owner and admins may."),
                  "%s", bob.harness.recent_events().c_str());
    bob.harness.expect(EventKind::message, "Could not remove Frank Li from the room: only the");
    ck_assert_int_eq(bob.command(ops, "remove Frank Li"), PURPLE_CMD_STATUS_OK);
    ck_assert(bob.wrote(sample::ops.jid, "Could not remove Frank Li from the room: only the"));
}
END_TEST

START_TEST(an_admin_invites_and_removes_members)
{
    Admin s;  // Alice is a team admin
    PurpleConversation *ops = s.join(sample::ops);
    ck_assert_int_eq(s.command(ops, "invite Carol Jones please help"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.sent(std::string("<invite to='") + sample::carol.jid +
                     "'><reason>please help</reason></invite>"));
    // Carol is not in the room: told that she is no member any more.
    ck_assert_int_eq(s.command(ops, "remove Carol Jones"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.sent(std::string("<item jid='") + sample::carol.jid + "' affiliation='none'/>"));
    ck_assert(s.wrote(sample::ops.jid, "Carol Jones is no longer a member of the room."));
    ck_assert_int_eq(s.command(ops, "remove Nobody Here"), PURPLE_CMD_STATUS_FAILED);
}
END_TEST

START_TEST(the_room_menu_offers_the_rooms_administration_and_bitlbee_types_it)
{
    Admin s;
    PurpleConversation *dev = s.join(sample::dev);
    const auto labels = s.known_menu(sample::dev.jid);
    for (const char *label :
         {"Load older messages", "Rename Room...", "Make Room Private", "Turn Guest Access On",
          "Invite People...", "Archive Room", "Delete Room..."})
        ck_assert_msg(has(labels, label), "no %s", label);
    ck_assert(!has(labels, "Remove Members..."));  // a public room
    // From the menu, for a room we are not in: done, and said so.
    s.harness.expect(EventKind::notify_message, "The room Design is now private.");
    s.choose(sample::design.jid, "Make Room Private");
    ck_assert(s.harness.run_until([&] { return s.harness.has(EventKind::notify_message); }, 5000));
    // Rename from the menu asks for the name.
    s.harness.expect(EventKind::request_input, "Rename Room");
    s.harness.answer_inputs_with("Developers");
    s.choose(sample::dev.jid, "Rename Room...");
    ck_assert(s.harness.run_until(
        [&] { return g_strcmp0(purple_conversation_get_title(dev), "Developers") == 0; }, 5000));
    // bitlbee passes what is typed to the prpl's send.
    const int id = purple_conv_chat_get_id(PURPLE_CONV_CHAT(dev));
    s.prpl()->chat_send(s.gc(), id, "/guest on", PURPLE_MESSAGE_SEND);
    ck_assert(s.wrote(sample::dev.jid, "turned on guest access"));
    s.prpl()->send_im(s.gc(), sample::bob.jid, "/create Typed Room", PURPLE_MESSAGE_SEND);
    ck_assert(s.sent("<name>Typed Room</name>"));
    ck_assert(!contains(s.sent(), "<body>/"));
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("room-admin");
    TCase *tc = tcase_create("room-admin");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, create_makes_a_room_with_its_topic_and_joins_it);
    tcase_add_test(tc, create_refuses_taken_names_before_and_as_the_server_does);
    tcase_add_test(tc, create_from_the_account_menu_makes_a_private_room);
    tcase_add_test(tc, rename_is_refused_when_the_name_is_taken_or_the_room_archived);
    tcase_add_test(tc, privacy_is_shown_and_changed);
    tcase_add_test(tc, guest_access_shows_the_guest_link);
    tcase_add_test(tc, archiving_goes_over_rest_and_the_room_says_so);
    tcase_add_test(tc, someone_else_s_room_is_refused_in_words);
    tcase_add_test(tc, delete_asks_first_and_cancel_keeps_the_room);
    tcase_add_test(tc, private_room_members_are_invited_and_removed_by_admins_only);
    tcase_add_test(tc, an_admin_invites_and_removes_members);
    tcase_add_test(tc, the_room_menu_offers_the_rooms_administration_and_bitlbee_types_it);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
