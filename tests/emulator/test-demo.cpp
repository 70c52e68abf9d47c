// --demo (docs/emulator.md): the scripted colleagues keep the Dev room alive,
// starting soon after someone joins.
#include <string>

#include "emulator-process.hpp"
#include "rest-client.hpp"
#include "sample-org.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"
#include "text-match.hpp"

using hipchat::test::contains;
using hipchat::test::EmulatorProcess;
using hipchat::test::occurrences;
using hipchat::test::rest_request;
using hipchat::test::XmppTestClient;

namespace sample = hipchat::test::sample;

namespace {

void join_dev(XmppTestClient &alice)
{
    alice.send(
        "<presence to='10804_dev@conf.hipchat.com/Alice Example'><x "
        "xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
    alice.expect("</subject></message>");
}

// A newcomer hears the first step within a few seconds, not a whole interval.
START_TEST(demo_room_speaks_soon_after_someone_joins)
{
    EmulatorProcess emulator({"--demo"});  // the interval: 20 s
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "demo");
    join_dev(alice);
    const gint64 joined = g_get_monotonic_time();
    const std::string first = alice.expect("Morning! The release branch builds again.", 6000);
    ck_assert_int_lt(g_get_monotonic_time() - joined, 5 * G_USEC_PER_SEC);
    ck_assert_msg(contains(first,
                           "<message type='groupchat' from='10804_dev@conf.hipchat.com/Bob "
                           "Test'") &&
                      contains(first, "from_jid='10804_204365@chat.hipchat.com'"),
                  "%s", first.c_str());
}
END_TEST

// The script, round and round: colleagues talk, one mentions @AliceExample,
// Jenkins notifies in HTML (§8.4), and Bob shares a real file once (§8.8).
START_TEST(demo_room_script_mentions_notifies_and_shares_a_file_once)
{
    EmulatorProcess emulator({"--demo", "--demo-interval", "1"});
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "demo");
    join_dev(alice);
    // Eight steps, then the second round up to Bob's line after the file.
    const std::string heard =
        alice.expect("The release checklist is shared above, shout if anything is missing.", 20000);
    ck_assert_msg(contains(heard,
                           "<body>@AliceExample could you look over the release notes "
                           "before lunch?</body>") &&
                      contains(heard, "from='10804_dev@conf.hipchat.com/Erin Müller'"),
                  "%s", heard.c_str());
    ck_assert(contains(heard, "from='10804_dev@conf.hipchat.com/Jenkins'") &&
              contains(heard,
                       "<type>notification</type><notify>0</notify><color>green</color>"
                       "<message_format>html</message_format>") &&
              contains(heard, "<color>red</color>") &&
              contains(heard,
                       "<html xmlns='http://jabber.org/protocol/xhtml-im'><body "
                       "xmlns='http://www.w3.org/1999/xhtml'><b>Build #101</b> passed"));
    ck_assert_int_eq(
        occurrences(heard, "<authenticated_file xmlns='http://hipchat.com/protocol/file'>"), 1);
    ck_assert_int_eq(occurrences(heard, "Morning! The release branch builds again."), 2);
    ck_assert(contains(heard, "<name>release-checklist.txt</name>") &&
              contains(heard, "<body>Release checklist: https://127.0.0.1:"));
    // The file is real: the API host serves it.
    const auto at = heard.find("/v2/file/");
    const std::string id = heard.substr(at + 9, 36);
    const auto file = rest_request(emulator, "GET", "/v2/file/" + id, sample::alice.token);
    ck_assert_int_eq(file.status, 200);
    ck_assert(contains(file.body, "[x] branch cut"));
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("emulator-demo");
    TCase *tc = tcase_create("demo");
    tcase_set_timeout(tc, 40);
    tcase_add_test(tc, demo_room_speaks_soon_after_someone_joins);
    tcase_add_test(tc, demo_room_script_mentions_notifies_and_shares_a_file_once);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
