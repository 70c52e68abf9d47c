// The per-connection ownership model (house style): disabling, deleting or
// re-enabling the account while a room list, a history page, a file
// upload, a download or an emoticon image is in flight never crashes, and
// nothing of the old connection turns up in the new one.
#include <cmds.h>
#include <connection.h>
#include <conversation.h>
#include <ft.h>
#include <prpl.h>
#include <roomlist.h>
#include <server.h>

#include <glib/gstdio.h>

#include <string>

#include "emulator-account.hpp"
#include "rest-client.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::contains;
using hipchat::test::Event;
using hipchat::test::EventKind;

namespace sample = hipchat::test::sample;

namespace {

struct Teardown : hipchat::test::EmulatorAccount {
    Teardown()
    {
        purple_account_set_bool(account, "autojoin", FALSE);
        purple_account_set_int(account, "chat_history", 0);
        connect();
        ck_assert_msg(connected(), "not connected:\n%s", harness.recent_events().c_str());
    }

    PurpleConnection *gc() { return purple_account_get_connection(account); }
    PurplePluginProtocolInfo *prpl()
    {
        return PURPLE_PLUGIN_PROTOCOL_INFO(harness.plugin("prpl-hipchat"));
    }

    // Everything the server writes is held back: whatever we start now is
    // still in flight when the account goes.
    void hold_replies() { control.post("/fault", "{\"delay_ms\":3000}"); }

    void disable_and_wait()
    {
        purple_account_set_enabled(account, "hipchat-test", FALSE);
        harness.run_for(3500);  // past the held replies: late answers must find nothing
        ck_assert(!purple_account_is_connected(account));
    }

    void reenable()
    {
        control.post("/fault", "{\"delay_ms\":0}");
        connect();
        ck_assert_msg(connected(), "no reconnect:\n%s", harness.recent_events().c_str());
    }
};

START_TEST(a_room_list_in_flight)
{
    Teardown s;
    s.hold_replies();
    PurpleRoomlist *list = s.prpl()->roomlist_get_list(s.gc());
    ck_assert(list != nullptr);
    purple_roomlist_ref(list);  // the UI's reference, as Pidgin takes one
    s.disable_and_wait();
    ck_assert(!purple_roomlist_get_in_progress(list));  // the session let it go
    purple_roomlist_unref(list);
    s.reenable();
    PurpleRoomlist *again = s.prpl()->roomlist_get_list(s.gc());
    purple_roomlist_ref(again);  // the UI's reference, as Pidgin takes one
    ck_assert(s.harness.run_until([&] { return !purple_roomlist_get_in_progress(again); }, 10000));
    ck_assert(again->rooms != nullptr);
    purple_roomlist_unref(again);
}
END_TEST

START_TEST(a_history_page_in_flight)
{
    Teardown s;
    PurpleConversation *conv = s.join_room(sample::dev.jid, sample::dev.jid);
    s.hold_replies();
    char *error = nullptr;
    ck_assert_int_eq(purple_cmd_do_command(conv, "history", "history", &error),
                     PURPLE_CMD_STATUS_OK);
    g_free(error);
    s.disable_and_wait();
    s.reenable();
    conv = s.join_room(sample::dev.jid, sample::dev.jid);
    error = nullptr;
    // The new connection has no page under way: a new request is accepted.
    ck_assert_int_eq(purple_cmd_do_command(conv, "history", "history", &error),
                     PURPLE_CMD_STATUS_OK);
    g_free(error);
    ck_assert(s.harness.run_until(
        [&] {
            return s.harness.has(EventKind::message, [](const Event &e) {
                return contains(e.text, "earlier message");
            });
        },
        5000));
}
END_TEST

START_TEST(an_upload_in_flight_and_the_account_deleted)
{
    Teardown s;
    PurpleConversation *conv = s.join_room(sample::dev.jid, sample::dev.jid);
    char *dir = g_dir_make_tmp("hipchat-teardown-XXXXXX", nullptr);
    const std::string path = std::string(dir) + "/big.bin";
    const std::string content(8 * 1024 * 1024, 'x');
    ck_assert(g_file_set_contents(path.c_str(), content.data(), static_cast<gssize>(content.size()),
                                  nullptr));
    char *error = nullptr;
    const std::string line = "share " + path;
    ck_assert_int_eq(purple_cmd_do_command(conv, line.c_str(), line.c_str(), &error),
                     PURPLE_CMD_STATUS_OK);
    g_free(error);
    s.harness.run_for(20);  // under way
    // Deleting the account: libpurple cancels its transfers and closes it.
    purple_accounts_delete(s.account);
    s.account = nullptr;
    s.harness.run_for(1500);
    g_unlink(path.c_str());
    g_rmdir(dir);
    g_free(dir);
}
END_TEST

START_TEST(a_download_and_an_emoticon_in_flight)
{
    Teardown s;
    PurpleConversation *conv = s.join_room(sample::dev.jid, sample::dev.jid);
    const std::string body =
        "--b\r\nContent-Type: application/json; charset=UTF-8\r\n"
        "Content-Disposition: attachment; name=\"metadata\"\r\n\r\n{\"message\": \"\"}\r\n"
        "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; name=\"file\"; "
        "filename=\"a.txt\"\r\n\r\n" +
        std::string(512 * 1024, 'a') + "\r\n--b--\r\n";
    ck_assert_int_eq(
        hipchat::test::rest_request(s.emulator, "POST", "/v2/room/22087/share/file",
                                    sample::bob.token, "multipart/related; boundary=b", body)
            .status,
        204);
    ck_assert(s.harness.run_until(
        [&] {
            return s.harness.has(EventKind::message,
                                 [](const Event &e) { return contains(e.text, "a.txt</a>"); });
        },
        5000));
    // The API host holds its answers: the download is still under way when
    // the account goes.
    s.control.post("/fault", "{\"rest_delay_ms\":5000}");
    s.harness.expect(EventKind::request_file, "a.txt");
    char *error = nullptr;
    ck_assert_int_eq(purple_cmd_do_command(conv, "download", "download", &error),
                     PURPLE_CMD_STATUS_OK);
    g_free(error);
    PurpleXfer *xfer = nullptr;
    for (GList *l = purple_xfers_get_all(); l != nullptr; l = l->next)
        xfer = static_cast<PurpleXfer *>(l->data);
    ck_assert(xfer != nullptr);
    char *dir = g_dir_make_tmp("hipchat-teardown-XXXXXX", nullptr);
    const std::string saved = std::string(dir) + "/a.txt";
    ck_assert(s.harness.answer_file_request(saved.c_str()));
    ck_assert(s.harness.run_until(
        [&] { return purple_xfer_get_status(xfer) == PURPLE_XFER_STATUS_STARTED; }, 5000));
    // An emoticon image on its way too.
    s.control.post("/message", "{\"from\":\"10804_204365@chat.hipchat.com\",\"room\":\"" +
                                   std::string(sample::dev.jid) +
                                   "\",\"body\":\"(allthethings)\"}");
    s.harness.run_for(10);
    s.disable_and_wait();
    // The transfer ended with its connection: no half-written file is left,
    // and nothing holds the transfer (libpurple has let it go).
    ck_assert(!g_file_test(saved.c_str(), G_FILE_TEST_EXISTS));
    ck_assert_msg(purple_xfers_get_all() == nullptr, "a transfer outlived its account");
    s.reenable();
    g_rmdir(dir);
    g_free(dir);
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("teardown");
    TCase *tc = tcase_create("teardown");
    tcase_set_timeout(tc, 90);
    tcase_add_test(tc, a_room_list_in_flight);
    tcase_add_test(tc, a_history_page_in_flight);
    tcase_add_test(tc, an_upload_in_flight_and_the_account_deleted);
    tcase_add_test(tc, a_download_and_an_emoticon_in_flight);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
