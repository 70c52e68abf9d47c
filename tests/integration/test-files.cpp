// Files over HipChat's REST API (protocol reference §11, §8.8) through the
// built plugin against the emulator: uploads to a room and to a person (the
// file message comes back), cancelling, each error status, the 50 MB
// limit, authenticated downloads, hostile file names, /download in a room.
#include <cmds.h>
#include <connection.h>
#include <conversation.h>
#include <ft.h>
#include <prpl.h>
#include <server.h>

#include <unistd.h>

#include <string>
#include <vector>

#include "emulator-account.hpp"
#include "files-support.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::Event;
using hipchat::test::EventKind;

using hipchat::test::bob_shares;
using hipchat::test::contains;

namespace sample = hipchat::test::sample;

namespace {

std::string read_file(const std::string &path)
{
    gchar *data = nullptr;
    gsize size = 0;
    if (!g_file_get_contents(path.c_str(), &data, &size, nullptr))
        return {};
    std::string out(data, size);
    g_free(data);
    return out;
}

struct Files : hipchat::test::EmulatorAccount {
    Files()
    {
        purple_account_set_bool(account, "autojoin", FALSE);
        purple_account_set_int(account, "chat_history", 0);
        connect();
        ck_assert_msg(connected(), "not connected:\n%s", harness.recent_events().c_str());
    }

    PurpleConnection *gc() { return purple_account_get_connection(account); }

    std::string make_file(const char *name, const std::string &content)
    {
        const std::string path = dir + "/" + name;
        ck_assert(g_file_set_contents(path.c_str(), content.data(),
                                      static_cast<gssize>(content.size()), nullptr));
        return path;
    }

    // The newest transfer of ours of `type`.
    PurpleXfer *xfer(PurpleXferType type)
    {
        PurpleXfer *found = nullptr;
        for (GList *l = purple_xfers_get_all(); l != nullptr; l = l->next) {
            auto *x = static_cast<PurpleXfer *>(l->data);
            if (purple_xfer_get_account(x) == account && purple_xfer_get_type(x) == type)
                found = x;
        }
        return found;
    }

    PurpleXfer *wait_xfer(PurpleXferType type)
    {
        PurpleXfer *x = nullptr;
        harness.run_until([&] { return (x = xfer(type)) != nullptr; }, 5000);
        ck_assert_msg(x != nullptr, "no transfer:\n%s", harness.recent_events().c_str());
        return x;
    }

    bool ends(PurpleXfer *x, PurpleXferStatusType status, int timeout_ms = 10000)
    {
        if (x == nullptr)
            return false;
        purple_xfer_ref(x);
        const bool ok =
            harness.run_until([&] { return purple_xfer_get_status(x) == status; }, timeout_ms);
        purple_xfer_unref(x);
        return ok;
    }

    bool wrote(const std::string &conv_name, const std::string &part, int timeout_ms = 5000)
    {
        return harness.run_until(
            [&] {
                return harness.has(EventKind::message, [&](const Event &e) {
                    return e.category == conv_name && contains(e.text, part);
                });
            },
            timeout_ms);
    }

    // Expects one more error dialog containing `part` (purple_xfer_error
    // always opens one), and waits for it.
    bool error_says(const std::string &part)
    {
        return harness.expect_within(EventKind::notify_message, part, 5000);
    }

    PurpleCmdStatus command(PurpleConversation *conv, const std::string &line)
    {
        char *error = nullptr;
        const auto status = purple_cmd_do_command(conv, line.c_str(), line.c_str(), &error);
        last_error = error != nullptr ? error : "";
        g_free(error);
        return status;
    }

    hipchat::test::ScratchDir scratch;  // everything the tests write
    const std::string &dir = scratch.path;
    std::string last_error;
};

START_TEST(uploads_reach_the_room_and_the_person)
{
    Files s;
    PurpleConversation *conv = s.join_room(sample::dev.name, sample::dev.jid);
    const std::string path = s.make_file("plan.txt", std::string(3000, 'p'));
    ck_assert_int_eq(s.command(conv, "share " + path), PURPLE_CMD_STATUS_OK);
    PurpleXfer *x = s.wait_xfer(PURPLE_XFER_SEND);
    ck_assert_msg(s.ends(x, PURPLE_XFER_STATUS_DONE), "%s", s.harness.recent_events().c_str());
    ck_assert_msg(s.wrote(sample::dev.jid, "plan.txt</a> (2.9 KB)"), "%s",
                  s.harness.recent_events().c_str());
    // It went where §11.1 says, as multipart/related with our token.
    ck_assert(contains(s.control.get("/rest-log"), "/v2/room/22087/share/file"));

    // To a person: Pidgin's "Send File…" (the prpl's send_file).
    const std::string notes = s.make_file("notes.md", "# notes\n");
    serv_send_file(s.gc(), sample::bob.jid, notes.c_str());
    PurpleXfer *y = s.wait_xfer(PURPLE_XFER_SEND);
    ck_assert(s.ends(y, PURPLE_XFER_STATUS_DONE));
    ck_assert(contains(s.control.get("/rest-log"), "/v2/user/204365/share/file"));
    // The file message comes back to us too (§11.2: both parties).
    ck_assert_msg(s.wrote(sample::bob.jid, "notes.md</a>"), "%s",
                  s.harness.recent_events().c_str());
}
END_TEST

START_TEST(uploads_can_be_cancelled)
{
    Files s;
    PurpleConversation *conv = s.join_room(sample::dev.name, sample::dev.jid);
    const std::string path = s.make_file("big.bin", std::string(40 * 1024 * 1024, 'b'));
    ck_assert_int_eq(s.command(conv, "share " + path), PURPLE_CMD_STATUS_OK);
    PurpleXfer *x = s.xfer(PURPLE_XFER_SEND);
    ck_assert(x != nullptr);
    purple_xfer_ref(x);
    // Cancelled half-way, as a user clicking Cancel in the transfer window.
    ck_assert(s.harness.run_until([&] { return purple_xfer_get_bytes_sent(x) > 0; }, 10000));
    ck_assert_msg(purple_xfer_get_bytes_sent(x) < purple_xfer_get_size(x), "already sent");
    purple_xfer_cancel_local(x);
    ck_assert_int_eq(purple_xfer_get_status(x), PURPLE_XFER_STATUS_CANCEL_LOCAL);
    purple_xfer_unref(x);
    s.harness.run_for(1500);
    ck_assert(!s.wrote(sample::dev.jid, "big.bin</a>", 100));  // nothing was shared
    ck_assert(purple_account_is_connected(s.account));
}
END_TEST

START_TEST(errors_and_the_size_limit_are_explained)
{
    Files s;
    PurpleConversation *conv = s.join_room(sample::dev.name, sample::dev.jid);
    const std::string path = s.make_file("a.txt", "a");
    struct Case {
        int status;
        const char *says;
    };
    for (const Case c : {Case{401, "personal API token"}, Case{403, "[send_message]"},
                         Case{400, "could not take the file"}, Case{503, "unavailable"}}) {
        s.control.post("/fault", "{\"rest_status\":" + std::to_string(c.status) + "}");
        ck_assert_int_eq(s.command(conv, "share " + path), PURPLE_CMD_STATUS_OK);
        PurpleXfer *x = s.xfer(PURPLE_XFER_SEND);
        ck_assert(x != nullptr);
        // Ended here, with HipChat's reason; nobody is blamed for cancelling.
        ck_assert_msg(s.ends(x, PURPLE_XFER_STATUS_CANCEL_LOCAL), "%d:\n%s", c.status,
                      s.harness.recent_events().c_str());
        ck_assert_msg(s.error_says(c.says), "%d: no '%s' in\n%s", c.status, c.says,
                      s.harness.recent_events().c_str());
    }
    s.control.post("/fault", "{\"rest_status\":0,\"rate_limit\":0}");
    ck_assert_int_eq(s.command(conv, "share " + path), PURPLE_CMD_STATUS_OK);
    ck_assert(s.ends(s.xfer(PURPLE_XFER_SEND), PURPLE_XFER_STATUS_CANCEL_LOCAL));
    ck_assert(s.error_says("try again in"));

    // Over 50 MB: refused before anything is sent (a sparse file).
    s.control.post("/fault", "{\"rate_limit\":500}");
    const std::string huge = s.dir + "/huge.iso";
    FILE *f = fopen(huge.c_str(), "w");
    ck_assert(f != nullptr && ftruncate(fileno(f), 51 * 1024 * 1024) == 0);
    fclose(f);
    const std::size_t logged = s.control.get("/rest-log").size();
    ck_assert_int_eq(s.command(conv, "share " + huge), PURPLE_CMD_STATUS_OK);
    PurpleXfer *big = s.xfer(PURPLE_XFER_SEND);
    ck_assert(big == nullptr || s.ends(big, PURPLE_XFER_STATUS_CANCEL_LOCAL));
    ck_assert(s.error_says("50 MB"));
    ck_assert_int_eq(s.control.get("/rest-log").size(), logged);
    ck_assert(purple_account_is_connected(s.account));
}
END_TEST

START_TEST(files_sent_to_us_are_offered_and_downloaded_with_the_token)
{
    Files s;
    // libpurple asks whether to accept it.
    s.harness.expect(EventKind::request_action, "Bob Test wants to send you evil.txt (12 bytes)");
    bob_shares(s.emulator, "/v2/user/204364/share/file", "../../etc/..evil.txt", "secret plans");
    PurpleXfer *x = s.wait_xfer(PURPLE_XFER_RECEIVE);
    // The name is safe to save under.
    ck_assert_str_eq(purple_xfer_get_filename(x), "evil.txt");
    ck_assert_int_eq(purple_xfer_get_size(x), 12);
    const std::string saved = s.dir + "/" + purple_xfer_get_filename(x);
    purple_xfer_request_accepted(x, saved.c_str());  // as the user's "Save"
    ck_assert_msg(s.ends(x, PURPLE_XFER_STATUS_DONE), "%s", s.harness.recent_events().c_str());
    const std::string content = read_file(saved);
    ck_assert_str_eq(content.c_str(), "secret plans");
    ck_assert(contains(s.control.get("/rest-log"), "/v2/file/"));
}
END_TEST

START_TEST(files_shared_in_a_room_are_downloaded_with_download)
{
    Files s;
    PurpleConversation *conv = s.join_room(sample::dev.name, sample::dev.jid);
    ck_assert_int_eq(s.command(conv, "download"), PURPLE_CMD_STATUS_FAILED);
    ck_assert(contains(s.last_error, "No file"));
    bob_shares(s.emulator, "/v2/room/22087/share/file", "slides.pdf", "%PDF-1.4 slides");
    ck_assert(s.wrote(sample::dev.jid, "slides.pdf"));
    ck_assert(s.xfer(PURPLE_XFER_RECEIVE) == nullptr);  // rooms are not offered unasked
    ck_assert_int_eq(s.command(conv, "download nope.pdf"), PURPLE_CMD_STATUS_FAILED);
    // /download was the user's own wish: only where to save it is asked (no
    // "… wants to send you", as if the room offered it).
    s.harness.expect(EventKind::request_file, "slides.pdf");
    ck_assert_int_eq(s.command(conv, "download"), PURPLE_CMD_STATUS_OK);
    PurpleXfer *x = s.wait_xfer(PURPLE_XFER_RECEIVE);
    const std::string saved = s.dir + "/slides.pdf";
    ck_assert(s.harness.answer_file_request(saved.c_str()));
    ck_assert(s.ends(x, PURPLE_XFER_STATUS_DONE));
    const std::string content = read_file(saved);
    ck_assert_str_eq(content.c_str(), "%PDF-1.4 slides");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("files");
    TCase *tc = tcase_create("files");
    tcase_set_timeout(tc, 90);
    tcase_add_test(tc, uploads_reach_the_room_and_the_person);
    tcase_add_test(tc, uploads_can_be_cancelled);
    tcase_add_test(tc, errors_and_the_size_limit_are_explained);
    tcase_add_test(tc, files_sent_to_us_are_offered_and_downloaded_with_the_token);
    tcase_add_test(tc, files_shared_in_a_room_are_downloaded_with_download);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
