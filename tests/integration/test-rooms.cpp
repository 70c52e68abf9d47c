// Rooms (protocol reference §7) through the built plugin against the
// emulator: the room list, joining by name, slug or JID under the full name,
// the mention-name fallback, readable join errors, pushes, auto-join,
// invites, topics and our slash commands.
#include <blist.h>
#include <cmds.h>
#include <connection.h>
#include <conversation.h>
#include <prpl.h>
#include <roomlist.h>
#include <server.h>
#include <signals.h>

#include <string>
#include <vector>

#include "emulator-account.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::EventKind;

using hipchat::test::contains;
using hipchat::test::occurrences;

namespace sample = hipchat::test::sample;

namespace {

struct Rooms : hipchat::test::EmulatorAccount {
    explicit Rooms(const std::vector<std::string> &args = {},
                   const char *user = sample::alice.email,
                   const char *password = sample::alice.password, bool auto_join = false)
        : EmulatorAccount(args, user, password)
    {
        // Auto-join is on by default; most tests want a quiet start.
        purple_account_set_bool(account, "autojoin", auto_join ? TRUE : FALSE);
        connect();
        ck_assert_msg(connected(), "not connected:\n%s", harness.recent_events().c_str());
    }

    std::string sent() { return control.get("/transcript?user=alice@example.com"); }

    void join(const std::vector<std::pair<const char *, const char *>> &components)
    {
        GHashTable *data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        for (const auto &[key, value] : components)
            g_hash_table_replace(data, g_strdup(key), g_strdup(value));
        serv_join_chat(gc(), data);
        g_hash_table_destroy(data);
    }

    PurpleConversation *chat(const char *room_jid)
    {
        return purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, room_jid, account);
    }

    bool joined(const char *room_jid, int timeout_ms = 5000)
    {
        return harness.run_until(
            [&] {
                PurpleConversation *c = chat(room_jid);
                return c != nullptr && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(c)) &&
                       purple_conv_chat_find_user(PURPLE_CONV_CHAT(c), sample::alice.name);
            },
            timeout_ms);
    }

    // A message written to a conversation (or anywhere, with nullptr)
    // containing `text` (EmulatorAccount::wrote, with "anywhere").
    bool wrote(const char *room_jid, const std::string &text, int timeout_ms = 5000)
    {
        return harness.run_until(
            [&] {
                return harness.has(EventKind::message, [&](const hipchat::test::Event &e) {
                    return (room_jid == nullptr || e.category == room_jid) &&
                           contains(e.text, text);
                });
            },
            timeout_ms);
    }

    // Expects one more notification containing `text`, and waits for it.
    bool expect_notified(const std::string &text, int timeout_ms = 5000)
    {
        return harness.expect_within(EventKind::notify_message, text, timeout_ms);
    }

    PurpleRoomlist *room_list()
    {
        PurpleRoomlist *list = prpl()->roomlist_get_list(gc());
        ck_assert(list != nullptr);
        purple_roomlist_ref(list);  // the UI's reference, as Pidgin takes one
        ck_assert(harness.run_until([&] { return !purple_roomlist_get_in_progress(list); }, 10000));
        return list;
    }

    std::vector<std::string> listed()
    {
        std::vector<std::string> names;
        for (const auto *e : harness.find(EventKind::roomlist_room))
            names.push_back(e->text);
        return names;
    }
};

bool has_name(const std::vector<std::string> &names, const char *name)
{
    for (const auto &n : names) {
        if (n == name)
            return true;
    }
    return false;
}

START_TEST(the_room_list_shows_hipchats_fields_and_hides_archived_rooms)
{
    Rooms s;
    PurpleRoomlist *list = s.room_list();
    const auto fields = s.harness.find(EventKind::roomlist_fields);
    ck_assert_int_eq(fields.size(), 1);
    for (const char *column :
         {"Topic", "Privacy", "People", "Owner", "Last active", "Archived", "Guest access"})
        ck_assert_msg(contains(fields.front()->text, column), "no column %s in\n%s", column,
                      fields.front()->text.c_str());
    const auto names = s.listed();
    // Public rooms plus the private one Alice belongs to; not the archived one.
    for (const char *name : {sample::dev.name, sample::random.name, sample::ops.name,
                             sample::design.name, sample::support.name})
        ck_assert_msg(has_name(names, name), "%s not listed", name);
    ck_assert(!has_name(names, sample::old_launch.name));
    ck_assert(contains(s.sent(), "ignore_archived='true'"));
    // The progress went on, then off.
    const auto progress = s.harness.find(EventKind::roomlist_progress);
    ck_assert(!progress.empty() && progress.front()->number == 1 && progress.back()->number == 0);

    // The joinable name is the room's JID (bitlbee's `chat list`, Pidgin's Add Chat),
    // and the owner is shown by name.
    bool dev_seen = false;
    for (GList *l = list->rooms; l != nullptr; l = l->next) {
        auto *room = static_cast<PurpleRoomlistRoom *>(l->data);
        if (g_strcmp0(purple_roomlist_room_get_name(room), sample::dev.name) != 0)
            continue;
        dev_seen = true;
        char *name = s.prpl()->roomlist_room_serialize(room);
        ck_assert_str_eq(name, sample::dev.jid);
        g_free(name);
        GList *values = purple_roomlist_room_get_fields(room);
        ck_assert_str_eq(static_cast<const char *>(g_list_nth_data(values, 1)), "Ship it");
        ck_assert_str_eq(static_cast<const char *>(g_list_nth_data(values, 2)), "Public");
        ck_assert_str_eq(static_cast<const char *>(g_list_nth_data(values, 4)), sample::alice.name);
    }
    ck_assert(dev_seen);
    purple_roomlist_unref(list);
}
END_TEST

START_TEST(archived_rooms_are_listed_when_the_account_asks)
{
    hipchat::test::EmulatorAccount s;
    purple_account_set_bool(s.account, "show_archived", TRUE);
    s.connect();
    ck_assert(s.connected());
    PurpleConnection *gc = purple_account_get_connection(s.account);
    auto *prpl = PURPLE_PLUGIN_PROTOCOL_INFO(s.harness.plugin("prpl-hipchat"));
    PurpleRoomlist *list = prpl->roomlist_get_list(gc);
    purple_roomlist_ref(list);  // the UI's reference, as Pidgin takes one
    ck_assert(s.harness.run_until([&] { return !purple_roomlist_get_in_progress(list); }, 10000));
    ck_assert(s.harness.has(EventKind::roomlist_room, [](const hipchat::test::Event &e) {
        return e.text == sample::old_launch.name;
    }));
    purple_roomlist_unref(list);
}
END_TEST

START_TEST(large_room_lists_are_fetched_page_by_page)
{
    // 250 rooms: three pages of at most 100 (§7.1, RSM).
    Rooms s({"--large", "20", "--large-rooms", "250"}, "person1@example.com", "password1");
    PurpleRoomlist *list = s.room_list();
    const std::string sent = s.control.get("/transcript?user=person1@example.com");
    ck_assert_int_ge(occurrences(sent, "http://jabber.org/protocol/disco#items"), 3);
    ck_assert(contains(sent, "<after>"));
    std::size_t rooms = g_list_length(list->rooms);
    // Private rooms of others are not listed, so fewer than 250 but far more than a page.
    ck_assert_msg(rooms > 100 && rooms <= 250, "%zu rooms listed", rooms);
    // No room twice.
    std::vector<std::string> jids;
    for (GList *l = list->rooms; l != nullptr; l = l->next) {
        char *jid = s.prpl()->roomlist_room_serialize(static_cast<PurpleRoomlistRoom *>(l->data));
        for (const auto &seen : jids)
            ck_assert_str_ne(seen.c_str(), jid);
        jids.emplace_back(jid);
        g_free(jid);
    }
    purple_roomlist_unref(list);
}
END_TEST

START_TEST(a_room_list_can_be_cancelled_while_it_pages)
{
    Rooms s({"--large", "20", "--large-rooms", "400"}, "person1@example.com", "password1");
    // Every server reply held back: the pages come slowly.
    s.control.post("/fault", "{\"delay_ms\":500}");
    PurpleRoomlist *list = s.prpl()->roomlist_get_list(s.gc());
    ck_assert(list != nullptr);
    purple_roomlist_ref(list);  // the UI's reference, as Pidgin takes one
    // Cancelled after the first page, as a user pressing Stop would.
    ck_assert(s.harness.run_until([&] { return list->rooms != nullptr; }, 10000));
    s.prpl()->roomlist_cancel(list);
    ck_assert(!purple_roomlist_get_in_progress(list));
    const guint shown = g_list_length(list->rooms);
    s.harness.run_for(1500);
    ck_assert_int_eq(g_list_length(list->rooms), shown);  // later pages went nowhere
    ck_assert_int_le(shown, 100);                         // one page
    purple_roomlist_unref(list);
    s.control.post("/fault", "{\"delay_ms\":0}");
    // A new list works as before.
    PurpleRoomlist *again = s.room_list();
    ck_assert_int_gt(g_list_length(again->rooms), shown);
    purple_roomlist_unref(again);
}
END_TEST

START_TEST(joining_from_the_room_list_uses_the_full_name)
{
    Rooms s;
    PurpleRoomlist *list = s.room_list();
    for (GList *l = list->rooms; l != nullptr; l = l->next) {
        auto *room = static_cast<PurpleRoomlistRoom *>(l->data);
        // Pidgin's Join button: every field value goes into the components,
        // the INT and BOOL ones as raw values.
        if (g_strcmp0(purple_roomlist_room_get_name(room), sample::design.name) == 0)
            purple_roomlist_room_join(list, room);
    }
    ck_assert_msg(s.joined(sample::design.jid), "not joined:\n%s",
                  s.harness.recent_events().c_str());
    ck_assert(contains(s.sent(), "to='10804_design@conf.hipchat.com/Alice Example'"));
    purple_roomlist_unref(list);
}
END_TEST

START_TEST(rooms_are_joined_by_name_slug_or_jid_under_the_full_name)
{
    Rooms s;
    // bitlbee puts the IRC nick into "handle"; HipChat wants the full name.
    s.join({{"room", sample::dev.name}, {"handle", "alice_irc"}});
    ck_assert_msg(s.joined(sample::dev.jid), "Dev not joined:\n%s",
                  s.harness.recent_events().c_str());
    ck_assert(contains(s.sent(), "to='10804_dev@conf.hipchat.com/Alice Example'"));
    ck_assert(!contains(s.sent(), "alice_irc"));
    PurpleConversation *conv = s.chat(sample::dev.jid);
    // Titled by the room's name, not its numeric JID.
    ck_assert(s.harness.run_until(
        [&] { return g_strcmp0(purple_conversation_get_title(conv), sample::dev.name) == 0; },
        5000));
    ck_assert(s.harness.run_until(
        [&] {
            return g_strcmp0(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(conv)), "Ship it") == 0;
        },
        5000));
    // The occupants are listed by full name, with their real JIDs (§7.4).
    char *real = s.prpl()->get_cb_real_name(s.gc(), purple_conv_chat_get_id(PURPLE_CONV_CHAT(conv)),
                                            sample::alice.name);
    ck_assert(real != nullptr && g_str_has_prefix(real, sample::alice.jid));
    g_free(real);
    // Dev is not in Alice's read state: the join asked for the account's
    // backlog size (join_history, 100 by default).
    ck_assert(contains(s.sent(), "maxstanzas='100'"));

    s.join({{"room", sample::random.slug}});  // a slug
    ck_assert(s.joined(sample::random.jid));
    s.join({{"room", sample::design.jid}});  // a JID
    ck_assert(s.joined(sample::design.jid));
    // The module's own components (invites, old bookmarks): node and server.
    s.join({{"room", "10804_support"}, {"server", "conf.hipchat.com"}, {"handle", "x"}});
    ck_assert(s.joined(sample::support.jid));
    // Joining again just presents the conversation: no second join.
    s.join({{"room", sample::dev.name}});
    s.harness.run_for(300);
    ck_assert_int_eq(occurrences(s.sent(), "to='10804_dev@conf.hipchat.com/Alice Example'"), 1);
}
END_TEST

START_TEST(a_refused_full_name_is_retried_with_the_mention_name)
{
    Rooms s({"--nick-rule", "mention-name"});
    s.join({{"room", sample::dev.name}});
    ck_assert_msg(
        s.harness.run_until(
            [&] {
                PurpleConversation *c = s.chat(sample::dev.jid);
                return c != nullptr &&
                       purple_conv_chat_find_user(PURPLE_CONV_CHAT(c), sample::alice.mention_name);
            },
            5000),
        "not joined as AliceExample:\n%s\n%s", s.harness.recent_events().c_str(), s.sent().c_str());
    const std::string sent = s.sent();
    ck_assert(contains(sent, "10804_dev@conf.hipchat.com/Alice Example"));
    ck_assert(contains(sent, "10804_dev@conf.hipchat.com/AliceExample"));
    // Nothing was reported: the retry worked.
    ck_assert(!s.harness.has(EventKind::notify_message));
}
END_TEST

START_TEST(join_errors_are_reported_readably)
{
    // Carol is not a member of the private Ops room.
    Rooms s({}, sample::carol.email, sample::carol.password);
    s.join({{"room", sample::ops.name}});  // not even listed for her: no such room
    ck_assert_msg(s.expect_notified("There is no room called \"Ops\""), "%s",
                  s.harness.recent_events().c_str());
    s.join({{"room", sample::ops.jid}});  // by JID: the server says no
    const char *refused =
        "Cannot join 10804_ops@conf.hipchat.com You are not allowed to join this room.";
    ck_assert_msg(s.expect_notified(refused), "%s", s.harness.recent_events().c_str());
    ck_assert(s.chat(sample::ops.jid) == nullptr);
    // The archived room, known from the list, is named as such.
    s.join({{"room", sample::old_launch.jid}});
    ck_assert_msg(s.expect_notified("Cannot join 10804_old_launch@conf.hipchat.com"), "%s",
                  s.harness.recent_events().c_str());
    // A room that does not exist.
    s.join({{"room", "10804_nope@conf.hipchat.com"}});
    ck_assert(s.expect_notified("The room does not exist"));
    // The failures leave nothing behind: a later join of the same room is sent again.
    s.join({{"room", sample::ops.jid}});
    ck_assert(s.harness.run_until(
        [&] {
            return occurrences(s.control.get("/transcript?user=carol@example.com"),
                               "to='10804_ops@conf.hipchat.com/Carol Jones'") == 2;
        },
        5000));
    ck_assert_msg(s.expect_notified(refused), "%s", s.harness.recent_events().c_str());
    ck_assert(purple_account_is_connected(s.account));
}
END_TEST

START_TEST(archived_rooms_are_named_as_archived)
{
    hipchat::test::EmulatorAccount s;
    purple_account_set_bool(s.account, "show_archived", TRUE);
    purple_account_set_bool(s.account, "autojoin", FALSE);
    s.connect();
    ck_assert(s.connected());
    GHashTable *data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_hash_table_replace(data, g_strdup("room"), g_strdup(sample::old_launch.name));
    serv_join_chat(purple_account_get_connection(s.account), data);
    g_hash_table_destroy(data);
    ck_assert_msg(s.harness.expect_within(EventKind::notify_message, "The room is archived.", 5000),
                  "%s", s.harness.recent_events().c_str());
}
END_TEST

START_TEST(messages_to_a_room_we_are_not_in_are_reported_in_it)
{
    Rooms s;
    // A conversation we believe joined while the server no longer has us
    // in the room (§7.9), as after the server restarted.
    serv_got_joined_chat(s.gc(), 4242, sample::random.jid);
    s.harness.expect(EventKind::message, "You must be in this room to send a message.");
    s.prpl()->send_raw(s.gc(),
                       "<message to='10804_random@conf.hipchat.com' type='groupchat'>"
                       "<body>anyone?</body></message>",
                       -1);
    ck_assert_msg(s.wrote(sample::random.jid, "You must be in this room to send a message."), "%s",
                  s.harness.recent_events().c_str());
}
END_TEST

START_TEST(auto_join_opens_the_startup_list_in_order)
{
    Rooms s({}, sample::alice.email, sample::alice.password, true);
    ck_assert_msg(s.joined(sample::dev.jid), "Dev not auto-joined:\n%s",
                  s.harness.recent_events().c_str());
    // Titled by name although the room list was never fetched: the name
    // comes with the room's own presence (§7.4).
    ck_assert(s.harness.run_until(
        [&] {
            return g_strcmp0(purple_conversation_get_title(s.chat(sample::dev.jid)),
                             sample::dev.name) == 0;
        },
        5000));
    ck_assert(!contains(s.sent(), "ignore_archived"));  // no room list asked for
    ck_assert(s.harness.run_until(
        [&] {
            return purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, sample::bob.jid,
                                                         s.account) != nullptr;
        },
        5000));
    // In the list's order: the room first, then Bob.
    const auto created = s.harness.find(EventKind::conversation_created);
    std::size_t room_at = 0, bob_at = 0;
    for (std::size_t i = 0; i < created.size(); ++i) {
        if (created[i]->category == sample::dev.jid && room_at == 0)
            room_at = i + 1;
        if (created[i]->category == sample::bob.jid && bob_at == 0)
            bob_at = i + 1;
    }
    ck_assert(room_at != 0 && bob_at != 0);
}
END_TEST

START_TEST(auto_join_can_be_turned_off)
{
    Rooms s;
    s.harness.run_for(1000);
    ck_assert(s.chat(sample::dev.jid) == nullptr);
    ck_assert(!contains(s.sent(), "10804_dev@conf.hipchat.com/"));
}
END_TEST

START_TEST(room_pushes_update_the_list_and_open_conversations)
{
    Rooms s;
    s.join({{"room", sample::dev.name}});  // Alice owns Dev
    ck_assert(s.joined(sample::dev.jid));
    // The owner renames the room (§7.7); everyone gets the push (§7.3).
    s.prpl()->send_raw(s.gc(),
                       "<iq type='set' id='r1' to='10804_dev@conf.hipchat.com'>"
                       "<query xmlns='http://hipchat.com'><rename>Dev Team</rename></query></iq>",
                       -1);
    ck_assert_msg(s.wrote(sample::dev.jid, "The room is now called Dev Team."), "%s",
                  s.harness.recent_events().c_str());
    ck_assert_str_eq(purple_conversation_get_title(s.chat(sample::dev.jid)), "Dev Team");
    // The push was answered.
    ck_assert(s.harness.run_until([&] { return contains(s.sent(), "<iq type='result'"); }, 5000));
    // The cached list knows the new name: joining by it finds the room.
    s.prpl()->send_raw(s.gc(),
                       "<iq type='set' id='r2' to='10804_dev@conf.hipchat.com'>"
                       "<query xmlns='http://hipchat.com'><privacy>private</privacy></query></iq>",
                       -1);
    ck_assert(s.wrote(sample::dev.jid, "This room is now private."));
    s.prpl()->send_raw(
        s.gc(),
        "<iq type='set' id='r3' to='10804_dev@conf.hipchat.com'>"
        "<query xmlns='http://jabber.org/protocol/muc#owner'><destroy/></query></iq>",
        -1);
    // The room sends everyone away first, so the conversation is closed by
    // the time the push says why: that takes a notice.
    ck_assert_msg(s.expect_notified("The room Dev Team has been deleted."), "%s",
                  s.harness.recent_events().c_str());
}
END_TEST

START_TEST(invites_name_the_inviter_and_join_with_the_full_name)
{
    // Alice and Bob in one libpurple core, as two accounts of one user would be.
    Rooms s;
    PurpleAccount *bob_account =
        s.harness.add_account("prpl-hipchat", sample::bob.email, sample::bob.password);
    purple_account_set_remember_password(bob_account, TRUE);
    purple_account_set_string(bob_account, "connect_server", "127.0.0.1");
    purple_account_set_int(bob_account, "port", s.emulator.xmpp_port());
    purple_account_set_bool(bob_account, "autojoin", FALSE);
    s.harness.enable(bob_account);
    ck_assert(s.harness.run_until([&] { return purple_account_is_connected(bob_account); }, 15000));

    // Alice accepts invites as a user clicking "Accept" would.
    static std::string invited_by, invited_to;
    invited_by.clear();
    invited_to.clear();
    auto accept = +[](PurpleAccount *, const char *inviter, const char *chat, const char *,
                      GHashTable *) -> int {
        invited_by = inviter != nullptr ? inviter : "";
        invited_to = chat != nullptr ? chat : "";
        return 1;
    };
    purple_signal_connect(purple_conversations_get_handle(), "chat-invited", &invited_by,
                          PURPLE_CALLBACK(accept), nullptr);

    GHashTable *data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_hash_table_replace(data, g_strdup("room"), g_strdup(sample::random.name));
    serv_join_chat(purple_account_get_connection(bob_account), data);
    g_hash_table_destroy(data);
    PurpleConversation *bob_conv = nullptr;
    ck_assert(s.harness.run_until(
        [&] {
            bob_conv = purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT,
                                                             sample::random.jid, bob_account);
            return bob_conv != nullptr &&
                   purple_conv_chat_find_user(PURPLE_CONV_CHAT(bob_conv), sample::bob.name);
        },
        5000));
    ck_assert_int_eq(s.command(bob_conv, "invite Alice Example see you there"),
                     PURPLE_CMD_STATUS_OK);
    ck_assert_msg(s.joined(sample::random.jid), "invite not accepted:\n%s",
                  s.harness.recent_events().c_str());
    ck_assert_str_eq(invited_by.c_str(), sample::bob.name);
    ck_assert_str_eq(invited_to.c_str(), sample::random.name);
    ck_assert(
        contains(s.control.get("/transcript?user=bob@example.com"),
                 "<invite to='10804_204364@chat.hipchat.com'><reason>see you there</reason>"));
    purple_signal_disconnect(purple_conversations_get_handle(), "chat-invited", &invited_by,
                             PURPLE_CALLBACK(accept));
}
END_TEST

START_TEST(slash_commands_work_in_hipchat_rooms)
{
    Rooms s;
    s.join({{"room", sample::dev.name}});
    ck_assert(s.joined(sample::dev.jid));
    PurpleConversation *conv = s.chat(sample::dev.jid);

    // /topic sets the topic; HipChat sends it to everyone as a subject (§7.6).
    ck_assert_int_eq(s.command(conv, "topic Release on Friday"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.harness.run_until(
        [&] {
            return g_strcmp0(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(conv)),
                             "Release on Friday") == 0;
        },
        5000));
    // Too long a topic is refused before anything is sent.
    ck_assert_int_eq(s.command(conv, ("topic " + std::string(251, 'x')).c_str()),
                     PURPLE_CMD_STATUS_FAILED);
    ck_assert(contains(s.last_error, "250"));

    // bitlbee sends typed commands as messages: they are run, not sent.
    ck_assert_int_eq(s.prpl()->chat_send(s.gc(), purple_conv_chat_get_id(PURPLE_CONV_CHAT(conv)),
                                         "/topic Typed in bitlbee", PURPLE_MESSAGE_SEND),
                     0);
    ck_assert(s.harness.run_until(
        [&] {
            return g_strcmp0(purple_conv_chat_get_topic(PURPLE_CONV_CHAT(conv)),
                             "Typed in bitlbee") == 0;
        },
        5000));
    ck_assert(!contains(s.sent(), "<body>/topic"));
    // HipChat's own slash conventions (§8.7) are message text.
    s.prpl()->chat_send(s.gc(), purple_conv_chat_get_id(PURPLE_CONV_CHAT(conv)), "/code x = 1",
                        PURPLE_MESSAGE_SEND);
    ck_assert(
        s.harness.run_until([&] { return contains(s.sent(), "<body>/code x = 1</body>"); }, 5000));

    // /msg opens a 1:1 with a person named by full name and sends to them.
    ck_assert_int_eq(s.command(conv, "msg Bob Test lunch?"), PURPLE_CMD_STATUS_OK);
    ck_assert(purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, sample::bob.jid,
                                                    s.account) != nullptr);
    ck_assert(s.harness.run_until(
        [&] {
            return contains(s.sent(), "to='10804_204365@chat.hipchat.com'") &&
                   contains(s.sent(), "<body>lunch?</body>");
        },
        5000));
    ck_assert_int_eq(s.command(conv, "msg Nobody Here hello"), PURPLE_CMD_STATUS_FAILED);

    // /join by name.
    ck_assert_int_eq(s.command(conv, "join Random"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.joined(sample::random.jid));
    // /kick sends HipChat's removal (§7.5). Alice is a team admin, so the
    // emulator lets her remove even herself from Bob's room.
    ck_assert_int_eq(s.command(s.chat(sample::random.jid), "kick Nobody Here"),
                     PURPLE_CMD_STATUS_FAILED);
    ck_assert_int_eq(s.command(s.chat(sample::random.jid), "kick Alice Example"),
                     PURPLE_CMD_STATUS_OK);
    ck_assert(s.harness.run_until(
        [&] {
            return contains(s.sent(),
                            "<item jid='10804_204364@chat.hipchat.com' affiliation='none'/>");
        },
        5000));
    ck_assert_msg(
        s.harness.run_until(
            [&] { return purple_conv_chat_has_left(PURPLE_CONV_CHAT(s.chat(sample::random.jid))); },
            5000),
        "%s", s.harness.recent_events().c_str());

    // /part leaves.
    ck_assert_int_eq(s.command(conv, "part bye"), PURPLE_CMD_STATUS_OK);
    ck_assert(s.harness.run_until(
        [&] { return purple_conv_chat_has_left(PURPLE_CONV_CHAT(s.chat(sample::dev.jid))); },
        5000));
    // The help texts are there for /help.
    GList *help = purple_cmd_help(conv, "topic");
    ck_assert(help != nullptr);
    g_list_free(help);
}
END_TEST

START_TEST(bookmarks_made_with_a_name_learn_the_rooms_jid)
{
    Rooms s;
    GHashTable *components = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_hash_table_replace(components, g_strdup("room"), g_strdup(sample::random.name));
    PurpleChat *bookmark = purple_chat_new(s.account, nullptr, components);
    purple_blist_add_chat(bookmark, nullptr, nullptr);
    serv_join_chat(s.gc(), purple_chat_get_components(bookmark));
    ck_assert(s.joined(sample::random.jid));
    ck_assert(s.harness.run_until(
        [&] {
            return g_strcmp0(static_cast<const char *>(
                                 g_hash_table_lookup(purple_chat_get_components(bookmark), "room")),
                             sample::random.jid) == 0;
        },
        5000));
    ck_assert(s.prpl()->find_blist_chat(s.account, sample::random.jid) == bookmark);
    // Named after the room: Pidgin titles the room's tab by its bookmark.
    ck_assert_str_eq(purple_chat_get_name(bookmark), sample::random.name);
    // A bookmark made from the room list (by JID) is named too.
    GHashTable *by_jid = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_hash_table_replace(by_jid, g_strdup("room"), g_strdup(sample::design.jid));
    PurpleChat *design = purple_chat_new(s.account, nullptr, by_jid);
    purple_blist_add_chat(design, nullptr, nullptr);
    serv_join_chat(s.gc(), purple_chat_get_components(design));
    ck_assert(s.joined(sample::design.jid));
    ck_assert(s.harness.run_until(
        [&] { return g_strcmp0(purple_chat_get_name(design), sample::design.name) == 0; }, 5000));
    // bitlbee asks for the chat settings with no connection at all.
    GList *info = s.prpl()->chat_info(nullptr);
    ck_assert(info != nullptr);
    auto *entry = static_cast<struct proto_chat_entry *>(info->data);
    ck_assert_str_eq(entry->identifier, "room");
    ck_assert(info->next == nullptr);  // no handle: HipChat decides the nick
    g_list_free_full(info, g_free);
    GHashTable *defaults = s.prpl()->chat_info_defaults(s.gc(), "10804_dev@conf.hipchat.com/Nick");
    ck_assert_str_eq(static_cast<const char *>(g_hash_table_lookup(defaults, "room")),
                     sample::dev.jid);
    g_hash_table_destroy(defaults);
}
END_TEST

START_TEST(get_info_on_an_occupant_shows_their_profile)
{
    Rooms s;
    s.control.post("/message", std::string("{\"from\":\"") + sample::bob.jid +
                                   "\",\"room\":\"10804_dev@conf.hipchat.com\",\"body\":\"hi\"}");
    s.join({{"room", sample::dev.name}});
    ck_assert(s.joined(sample::dev.jid));
    // Pidgin's Get Info on an occupant: the real JID, then get_info on it.
    char *real = s.prpl()->get_cb_real_name(
        s.gc(), purple_conv_chat_get_id(PURPLE_CONV_CHAT(s.chat(sample::dev.jid))),
        sample::alice.name);
    ck_assert(real != nullptr);
    serv_get_info(s.gc(), real);
    g_free(real);
    ck_assert(
        s.harness.expect_within(EventKind::notify_userinfo, "Mention name: @AliceExample", 5000));
    ck_assert(contains(s.harness.find(EventKind::notify_userinfo).front()->text,
                       "Mention name: @AliceExample"));
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("rooms");
    TCase *tc = tcase_create("rooms");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, the_room_list_shows_hipchats_fields_and_hides_archived_rooms);
    tcase_add_test(tc, archived_rooms_are_listed_when_the_account_asks);
    tcase_add_test(tc, large_room_lists_are_fetched_page_by_page);
    tcase_add_test(tc, a_room_list_can_be_cancelled_while_it_pages);
    tcase_add_test(tc, joining_from_the_room_list_uses_the_full_name);
    tcase_add_test(tc, rooms_are_joined_by_name_slug_or_jid_under_the_full_name);
    tcase_add_test(tc, a_refused_full_name_is_retried_with_the_mention_name);
    tcase_add_test(tc, join_errors_are_reported_readably);
    tcase_add_test(tc, archived_rooms_are_named_as_archived);
    tcase_add_test(tc, messages_to_a_room_we_are_not_in_are_reported_in_it);
    tcase_add_test(tc, auto_join_opens_the_startup_list_in_order);
    tcase_add_test(tc, auto_join_can_be_turned_off);
    tcase_add_test(tc, room_pushes_update_the_list_and_open_conversations);
    tcase_add_test(tc, invites_name_the_inviter_and_join_with_the_full_name);
    tcase_add_test(tc, slash_commands_work_in_hipchat_rooms);
    tcase_add_test(tc, bookmarks_made_with_a_name_learn_the_rooms_jid);
    tcase_add_test(tc, get_info_on_an_occupant_shows_their_profile);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
