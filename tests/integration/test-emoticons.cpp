// Emoticons (protocol reference §12) through the built plugin against the
// emulator: the list asked for with the saved ver (an unchanged list costs
// one empty reply and no image downloads at the next login), pushes
// applied, images offered to the UI as custom smileys, and files that are
// not small images refused.
#include <connection.h>
#include <conversation.h>
#include <server.h>

#include <glib/gstdio.h>

#include <string>
#include <vector>

#include "emulator-account.hpp"
#include "sample-org.hpp"
#include "text-match.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::Event;
using hipchat::test::EventKind;

using hipchat::test::contains;
using hipchat::test::occurrences;

namespace sample = hipchat::test::sample;

namespace {

// A PNG's signature and header: all a client looks at before handing the
// bytes to the UI.
std::string png(unsigned width, unsigned height)
{
    std::string out("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
    for (unsigned v : {width, height})
        for (int shift = 24; shift >= 0; shift -= 8)
            out += static_cast<char>((v >> shift) & 0xff);
    return out + std::string(200, 'x');
}

// A team of two with a room and three emoticons: a real small image, one
// too big to be an emoticon, and a "PNG" that is text.
struct Team {
    Team()
    {
        char *d = g_dir_make_tmp("hipchat-emoticons-XXXXXX", nullptr);
        dir = d;
        g_free(d);
        write("troll.png", png(30, 26));
        write("huge.png", png(1000, 1000));
        write("fake.png", "<html>not an image</html>");
        write("org.json",
              "{\"group_id\":10804,\"group_name\":\"Emoticon Inc\",\"emoticons_ver\":\"v1\","
              "\"emoticons\":["
              "{\"id\":1,\"shortcut\":\"troll\",\"path\":\"10804/troll.png\",\"type\":\"group\","
              "\"file\":\"troll.png\"},"
              "{\"id\":2,\"shortcut\":\"huge\",\"path\":\"huge.png\",\"type\":\"group\","
              "\"file\":\"huge.png\"},"
              "{\"id\":3,\"shortcut\":\"fake\",\"path\":\"fake.png\",\"type\":\"group\","
              "\"file\":\"fake.png\"}],"
              "\"users\":["
              "{\"id\":204364,\"email\":\"alice@example.com\",\"password\":\"alice-demo-password\","
              "\"name\":\"Alice Example\",\"mention_name\":\"AliceExample\"},"
              "{\"id\":204365,\"email\":\"bob@example.com\",\"password\":\"bob-demo-password\","
              "\"name\":\"Bob Test\",\"mention_name\":\"BobTest\"}],"
              "\"rooms\":[{\"id\":22087,\"slug\":\"dev\",\"name\":\"Dev\",\"privacy\":\"public\","
              "\"owner\":204364}]}");
    }
    ~Team()
    {
        for (const char *name : {"troll.png", "huge.png", "fake.png", "org.json"})
            g_unlink((dir + "/" + name).c_str());
        g_rmdir(dir.c_str());
    }
    void write(const char *name, const std::string &content)
    {
        ck_assert(g_file_set_contents((dir + "/" + name).c_str(), content.data(),
                                      static_cast<gssize>(content.size()), nullptr));
    }
    std::string org() const { return dir + "/org.json"; }
    std::string dir;
};

struct Signed : hipchat::test::EmulatorAccount {
    explicit Signed(const Team &team) : EmulatorAccount({"--org", team.org()})
    {
        purple_account_set_bool(account, "autojoin", FALSE);
        purple_account_set_int(account, "join_history", 0);  // no backlog seen twice
        sign_in();
    }

    void sign_in()
    {
        connect();
        ck_assert_msg(connected(), "not connected:\n%s", harness.recent_events().c_str());
    }

    void bob_says(const std::string &body)
    {
        control.post("/message", std::string("{\"from\":\"") + sample::bob.jid + "\",\"room\":\"" +
                                     sample::dev.jid + "\",\"body\":\"" + body + "\"}");
    }

    std::vector<const Event *> smileys(const char *phase, const char *smile)
    {
        std::vector<const Event *> found;
        for (const Event *e : harness.find(EventKind::custom_smiley))
            if (e->category == phase && e->text == smile)
                found.push_back(e);
        return found;
    }

    bool closed(const char *smile, std::size_t times = 1)
    {
        return harness.run_until([&] { return smileys("close", smile).size() >= times; }, 5000);
    }
};

START_TEST(images_are_offered_once_downloaded_and_kept_across_logins)
{
    Team team;
    Signed s(team);
    s.join_room(sample::dev.name, sample::dev.jid);
    // The first login knows no ver.
    ck_assert(s.harness.run_until(
        [&] {
            return contains(s.control.get("/transcript"), "http://hipchat.com/protocol/emoticons");
        },
        5000));
    ck_assert(!contains(s.control.get("/transcript"), "ver='v1'"));
    s.bob_says("look (troll) (troll)");
    ck_assert_msg(s.closed("(troll)"), "%s", s.harness.recent_events().c_str());
    ck_assert_int_eq(s.smileys("add", "(troll)").size(), 1);  // once per message, not per use
    const auto written = s.smileys("write", "(troll)");
    ck_assert_int_eq(written.size(), 1);
    ck_assert_int_eq(written.front()->number, static_cast<int>(png(30, 26).size()));
    ck_assert_int_eq(occurrences(s.control.get("/rest-log"), "/emoticons/10804/troll.png"), 1);

    // The next login: the saved ver, an empty reply, the image from disk.
    purple_account_set_enabled(s.account, "hipchat-test", FALSE);
    s.harness.run_for(200);
    s.sign_in();
    ck_assert(s.harness.run_until(
        [&] { return contains(s.control.get("/transcript"), "ver='v1'"); }, 5000));
    s.join_room(sample::dev.name, sample::dev.jid);
    s.bob_says("again (troll)");
    ck_assert(s.closed("(troll)", 2));
    ck_assert_int_eq(s.smileys("write", "(troll)").size(), 2);
    ck_assert_int_eq(occurrences(s.control.get("/rest-log"), "/emoticons/10804/troll.png"), 1);
}
END_TEST

START_TEST(pushes_add_emoticons_while_signed_in)
{
    Team team;
    Signed s(team);
    s.join_room(sample::dev.name, sample::dev.jid);
    s.harness.run_for(300);
    s.bob_says("(party) before");
    s.harness.run_until([&] { return s.harness.has(EventKind::message); }, 3000);
    ck_assert_int_eq(s.smileys("add", "(party)").size(), 0);  // not an emoticon yet
    s.control.post("/emoticons",
                   "{\"id\":9,\"shortcut\":\"party\",\"path\":\"party.png\","
                   "\"type\":\"group\",\"file\":\"troll.png\"}");
    s.harness.run_for(500);
    s.bob_says("(party) after");
    ck_assert_msg(s.closed("(party)"), "%s", s.harness.recent_events().c_str());
    ck_assert_int_eq(s.smileys("write", "(party)").size(), 1);
    // The push was answered and saved: the ver moved on.
    ck_assert(contains(s.control.get("/transcript"), "<iq type='result'"));
}
END_TEST

START_TEST(files_that_are_not_small_images_are_refused)
{
    Team team;
    Signed s(team);
    s.join_room(sample::dev.name, sample::dev.jid);
    s.bob_says("(huge) and (fake)");
    ck_assert(s.closed("(huge)") && s.closed("(fake)"));
    ck_assert_int_eq(s.smileys("write", "(huge)").size(), 0);
    ck_assert_int_eq(s.smileys("write", "(fake)").size(), 0);
    // The text stays, and nothing broke.
    ck_assert(s.harness.has(EventKind::message,
                            [](const Event &e) { return contains(e.text, "(huge) and (fake)"); }));
    ck_assert(purple_account_is_connected(s.account));
    // Formatted messages get no emoticons (§8.6).
    s.bob_says("/code (troll)");
    s.harness.run_for(500);
    ck_assert_int_eq(s.smileys("add", "(troll)").size(), 0);
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("emoticons");
    TCase *tc = tcase_create("emoticons");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, images_are_offered_once_downloaded_and_kept_across_logins);
    tcase_add_test(tc, pushes_add_emoticons_while_signed_in);
    tcase_add_test(tc, files_that_are_not_small_images_are_refused);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
