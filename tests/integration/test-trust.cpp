// The front door's trust rule (docs/ARCHITECTURE.md, "The front door"):
// pushes change what the user sees and stores only when our server sends
// them. A colleague can send IQs to the user's full JID (any XMPP server
// routes those, HipChat's as well); here Bob, signed in beside Alice in the
// same libpurple core, sends each kind of push to Alice's session, and the
// emulator routes it to her stamped with his JID. Each test then has the
// server send the very same push (the emulator's raw-stanza hook, no
// 'from') to show that it still works from there.
#include <blist.h>
#include <conversation.h>
#include <prpl.h>
#include <server.h>

#include <glib/gstdio.h>

#include <string>

#include "core/files.hpp"
#include "emulator-account.hpp"

#include <check.h>

#include "check-run.hpp"
#include "text-match.hpp"

using hipchat::test::contains;
using hipchat::test::EventKind;
namespace sample = hipchat::test::sample;

namespace {

constexpr const char *carol = sample::carol.jid;
constexpr const char *dev = sample::dev.jid;

// Alice, and Bob as the colleague who forges pushes.
struct AliceAndBob : hipchat::test::EmulatorAccount {
    AliceAndBob()
    {
        purple_account_set_bool(account, "autojoin", FALSE);
        connect();
        ck_assert_msg(connected(), "Alice not connected:\n%s", harness.recent_events().c_str());
        bob = harness.add_account("prpl-hipchat", sample::bob.email, sample::bob.password);
        purple_account_set_remember_password(bob, TRUE);
        purple_account_set_string(bob, "connect_server", "127.0.0.1");
        purple_account_set_int(bob, "port", emulator.xmpp_port());
        purple_account_set_bool(bob, "autojoin", FALSE);
        harness.enable(bob);
        ck_assert(harness.run_until([&] { return purple_account_is_connected(bob); }, 15000));
        // Alice's roster (and with it her buddies' names) is in.
        ck_assert(harness.run_until([&] { return alias_of(carol) == "Carol Jones"; }, 5000));
    }

    std::string alice_full_jid() const
    {
        return purple_connection_get_display_name(purple_account_get_connection(account));
    }

    // What Bob's session writes, as it is.
    void bob_sends(const std::string &xml)
    {
        PurpleConnection *gc = purple_account_get_connection(bob);
        PurplePluginProtocolInfo *prpl =
            PURPLE_PLUGIN_PROTOCOL_INFO(purple_connection_get_prpl(gc));
        prpl->send_raw(gc, xml.c_str(), static_cast<int>(xml.size()));
    }

    // Bob's forged stanza, then a message of his: when Alice has the
    // message, her session has handled what came before it on the stream.
    void bob_forges(const std::string &xml)
    {
        bob_sends(xml);
        static int serial = 0;
        const std::string marker = "after the push " + std::to_string(++serial);
        bob_sends(std::string("<message type='chat' to='") + sample::alice.jid + "'><body>" +
                  marker + "</body></message>");
        ck_assert_msg(
            harness.run_until(
                [&] {
                    return harness.has(EventKind::message, [&](const hipchat::test::Event &e) {
                        return e.account == sample::alice.email && contains(e.text, marker);
                    });
                },
                5000),
            "Bob's message did not arrive:\n%s", harness.recent_events().c_str());
    }

    // The server's own push: written to Alice's session without a 'from'.
    void server_sends(const std::string &xml)
    {
        control.post("/stanza", "{\"to\":" + hipchat::core::json_string(alice_full_jid()) +
                                    ",\"xml\":" + hipchat::core::json_string(xml) + "}");
    }

    std::string alias_of(const char *jid) const
    {
        PurpleBuddy *buddy = purple_find_buddy(account, jid);
        const char *alias = buddy != nullptr ? purple_buddy_get_alias(buddy) : nullptr;
        return alias != nullptr ? alias : "";
    }

    std::string mention_name_of(const char *jid) const
    {
        PurpleBuddy *buddy = purple_find_buddy(account, jid);
        const char *mention = buddy != nullptr
                                  ? purple_blist_node_get_string(
                                        reinterpret_cast<PurpleBlistNode *>(buddy), "mention_name")
                                  : nullptr;
        return mention != nullptr ? mention : "";
    }

    PurpleAccount *bob = nullptr;
};

std::string roster_push(const char *type, const std::string &to, const char *id)
{
    return std::string("<iq type='") + type + "' id='" + id + "' to='" + to +
           "'><query xmlns='jabber:iq:roster'><item jid='" + carol +
           "' name='Bob Test' mention_name='BobTest' subscription='both'/></query></iq>";
}

START_TEST(a_colleagues_roster_push_changes_nothing)
{
    AliceAndBob s;
    s.bob_forges(roster_push("set", s.alice_full_jid(), "forged-1"));
    // Carol keeps her name: a forged rename would make her next message
    // appear under Bob's, in the buddy list saved to disk as well.
    ck_assert_msg(s.alias_of(carol) == "Carol Jones", "%s", s.alias_of(carol).c_str());
    ck_assert_msg(s.mention_name_of(carol) == "CarolJones", "%s", s.mention_name_of(carol).c_str());
    ck_assert(contains(s.harness.debug_log(), "Ignored a stanza (roster push) from a person"));

    s.server_sends(roster_push("set", s.alice_full_jid(), "push-1"));
    ck_assert_msg(s.harness.run_until(
                      [&] {
                          return s.alias_of(carol) == "Bob Test" &&
                                 s.mention_name_of(carol) == "BobTest";
                      },
                      5000),
                  "the server's push was not applied:\n%s", s.harness.recent_events().c_str());
}
END_TEST

START_TEST(a_roster_result_nobody_asked_for_changes_nothing)
{
    AliceAndBob s;
    // From a colleague, and from the server itself: neither answers the
    // module's roster request, so neither is a roster.
    s.bob_forges(roster_push("result", s.alice_full_jid(), "purple-forged"));
    s.server_sends(roster_push("result", s.alice_full_jid(), "purple-unasked"));
    s.bob_forges("<presence/>");
    ck_assert_msg(s.alias_of(carol) == "Carol Jones", "%s", s.alias_of(carol).c_str());
    ck_assert_msg(s.mention_name_of(carol) == "CarolJones", "%s", s.mention_name_of(carol).c_str());
    ck_assert(contains(s.harness.debug_log(), "Ignoring a roster result we did not ask for"));
}
END_TEST

std::string room_push(const std::string &to, const char *id)
{
    return "<iq type='set' id='" + std::string(id) + "' to='" + to +
           "'><query xmlns='http://hipchat.com/protocol/muc#room'><item jid='" + dev +
           "' name='Payroll'><id>22087</id><name>Payroll</name><topic>Send your bank details"
           "</topic><privacy>public</privacy><owner>" +
           sample::alice.jid + "</owner></item></query></iq>";
}

START_TEST(a_colleagues_room_push_changes_nothing)
{
    AliceAndBob s;
    PurpleConversation *conv = s.join_room("Dev", dev);
    ck_assert(s.harness.run_until(
        [&] { return g_strcmp0(purple_conversation_get_title(conv), "Dev") == 0; }, 5000));
    s.bob_forges(room_push(s.alice_full_jid(), "forged-2"));
    ck_assert_str_eq(purple_conversation_get_title(conv), "Dev");
    ck_assert(!s.harness.has(EventKind::message, [](const hipchat::test::Event &e) {
        return contains(e.text, "Payroll");
    }));
    ck_assert(contains(s.harness.debug_log(), "Ignored a stanza (room push) from a person"));

    s.server_sends(room_push(s.alice_full_jid(), "push-2"));
    ck_assert_msg(
        s.harness.run_until(
            [&] { return g_strcmp0(purple_conversation_get_title(conv), "Payroll") == 0; }, 5000),
        "the server's push was not applied:\n%s", s.harness.recent_events().c_str());
}
END_TEST

std::string emoticon_push(const std::string &to, const char *id)
{
    return "<iq type='set' id='" + std::string(id) + "' to='" + to +
           "'><query xmlns='http://hipchat.com/protocol/emoticons' ver='forged'>"
           "<path_prefix>https://tracker.example</path_prefix><item><id>2</id>"
           "<path>pixel.gif</path><shortcut>lolwut</shortcut><w>25</w><h>25</h>"
           "<type>global</type></item></query></iq>";
}

// The emoticon list Alice's plugin keeps on disk (xmpp/emoticons.cpp).
std::string saved_emoticons(AliceAndBob &s)
{
    char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA1, sample::alice.email, -1);
    const std::string path =
        s.harness.user_dir() + "/hipchat/" + std::string(sum).substr(0, 16) + "/emoticons.txt";
    g_free(sum);
    gchar *text = nullptr;
    std::string saved;
    if (g_file_get_contents(path.c_str(), &text, nullptr, nullptr))
        saved = text;
    g_free(text);
    return saved;
}

START_TEST(a_colleagues_emoticon_push_changes_nothing)
{
    AliceAndBob s;
    ck_assert(s.harness.run_until([&] { return contains(saved_emoticons(s), "lolwut"); }, 5000));
    s.bob_forges(emoticon_push(s.alice_full_jid(), "forged-3"));
    ck_assert(!contains(saved_emoticons(s), "tracker.example"));
    ck_assert(contains(s.harness.debug_log(), "Ignored a stanza (emoticon push) from a person"));

    s.server_sends(emoticon_push(s.alice_full_jid(), "push-3"));
    ck_assert_msg(
        s.harness.run_until([&] { return contains(saved_emoticons(s), "tracker.example"); }, 5000),
        "the server's push was not applied:\n%s", s.harness.recent_events().c_str());
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("trust");
    TCase *tc = tcase_create("forged pushes");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_colleagues_roster_push_changes_nothing);
    tcase_add_test(tc, a_roster_result_nobody_asked_for_changes_nothing);
    tcase_add_test(tc, a_colleagues_room_push_changes_nothing);
    tcase_add_test(tc, a_colleagues_emoticon_push_changes_nothing);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
