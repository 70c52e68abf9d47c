// The emulator's HTTPS API host (§11, §13) and the emoticons IQ (§12.1).
#include <libsoup/soup.h>

#include <cstdlib>
#include <string>
#include <tuple>
#include <utility>

#include "control-client.hpp"
#include "emulator-process.hpp"
#include "rest-client.hpp"
#include "sample-org.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"
#include "text-match.hpp"

using hipchat::test::contains;
using hipchat::test::ControlClient;
using hipchat::test::EmulatorProcess;
using hipchat::test::XmppTestClient;

namespace sample = hipchat::test::sample;

namespace {

using Response = hipchat::test::RestResponse;

Response request(const EmulatorProcess &emulator, const char *method, const std::string &path,
                 const std::string &token, const std::string &content_type = {},
                 const std::string &body = {}, int port = 0)
{
    return hipchat::test::rest_request(emulator, method, path, token, content_type, body, port);
}

// §11.2's shape: the JSON part first, then the file.
std::string upload(const std::string &description, const std::string &file)
{
    return "--hcb_x7k2\r\nContent-Type: application/json; charset=UTF-8\r\n"
           "Content-Disposition: attachment; name=\"metadata\"\r\n\r\n{\"message\": \"" +
           description +
           "\"}\r\n--hcb_x7k2\r\nContent-Type: text/plain\r\n"
           "Content-Disposition: attachment; name=\"file\"; filename=\"notes.txt\"\r\n\r\n" +
           file + "\r\n--hcb_x7k2--\r\n";
}

constexpr const char *multipart = "multipart/related; boundary=hcb_x7k2";

// §11.3, §13
START_TEST(tokens_are_checked_and_rate_limits_announced)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    Response r = request(emulator, "GET", "/v2/file/nothing", "");
    ck_assert_int_eq(r.status, 401);
    ck_assert_msg(contains(r.body, "\"message\":\"Invalid OAuth session\"") &&
                      contains(r.body, "\"type\":\"Unauthorized\""),
                  "%s", r.body.c_str());
    ck_assert_int_eq(request(emulator, "GET", "/v2/file/x", "wrong-token").status, 401);
    r = request(emulator, "GET", "/v2/file/nothing", sample::alice.token);
    ck_assert_int_eq(r.status, 404);
    ck_assert_str_eq(r.ratelimit_remaining.c_str(), "499");  // the 401s used no quota

    control.post("/fault", "{\"rate_limit\":2}");
    ck_assert_int_eq(request(emulator, "GET", "/v2/file/x", sample::alice.token).status, 404);
    ck_assert_int_eq(request(emulator, "GET", "/v2/file/x", sample::alice.token).status, 429);
    // A token minted on <success> (§5.1) is accepted too.
    XmppTestClient client(emulator.xmpp_port());
    const std::string success =
        client.login(emulator.ca_file(), sample::bob.email, sample::bob.password);
    const auto at = success.find("oauth2_token='") + 14;
    const std::string minted = success.substr(at, success.find('\'', at) - at);
    ck_assert_int_eq(request(emulator, "GET", "/v2/file/x", minted).status, 404);
}
END_TEST

// §11, §8.8
START_TEST(shared_files_reach_the_room_and_the_person_and_can_be_fetched)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    alice.send(
        "<presence to='10804_dev@conf.hipchat.com/Alice Example'><x "
        "xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
    alice.expect("</subject></message>");

    Response r = request(emulator, "POST", "/v2/room/22087/share/file", sample::alice.token,
                         multipart, upload("Release notes", "hello file"));
    ck_assert_int_eq(r.status, 204);
    std::string message = alice.expect("</message>");
    ck_assert_msg(
        contains(message, "from='10804_dev@conf.hipchat.com/Alice Example'") &&
            contains(message, "<authenticated_file xmlns='http://hipchat.com/protocol/file'>") &&
            contains(message, "<name>notes.txt</name>") && contains(message, "<size>10</size>") &&
            contains(message, "<body>Release notes: https://127.0.0.1:"),
        "%s", message.c_str());
    const auto at = message.find("<id>") + 4;
    const std::string id = message.substr(at, message.find("</id>", at) - at);
    r = request(emulator, "GET", "/v2/file/" + id, sample::alice.token);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body.c_str(), "hello file");
    // History keeps the file as it went out (file_helper.js parsed delayed ones).
    alice.send(
        "<iq type='get' id='h' to='10804_dev@conf.hipchat.com'><query "
        "xmlns='http://hipchat.com/protocol/history' maxstanzas='1'/></iq>");
    const std::string page = alice.expect("id='h'");
    ck_assert_msg(
        contains(page, "<authenticated_file xmlns='http://hipchat.com/protocol/file'><id>" + id) &&
            contains(page, "<delay"),
        "%s", page.c_str());

    // To a person, by e-mail: both see it.
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    r = request(emulator, "POST", "/v2/user/bob@example.com/share/file", sample::alice.token,
                multipart, upload("", "x"));
    ck_assert_int_eq(r.status, 204);
    message = bob.expect("</message>");
    ck_assert(contains(message, "type='chat'") &&
              contains(message, "<body>File uploaded: https://"));
    // Alice's own copy comes from Bob with her as the sender (§19.8, --own-copies).
    message = alice.expect("</message>");
    ck_assert_msg(contains(message, std::string("from='") + sample::bob.jid + "'") &&
                      contains(message, std::string("from_jid='") + sample::alice.jid + "'") &&
                      contains(message, "<authenticated_file"),
                  "%s", message.c_str());

    ck_assert_int_eq(request(emulator, "POST", "/v2/room/NoSuchRoom/share/file",
                             sample::alice.token, multipart, upload("", "x"))
                         .status,
                     404);
    ck_assert_int_eq(request(emulator, "POST", "/v2/room/22087/share/file", sample::alice.token,
                             "application/json", "{}")
                         .status,
                     400);
}
END_TEST

// §13, §8.4
START_TEST(notifications_arrive_with_their_hipchat_fields)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    alice.send(
        "<presence to='10804_dev@conf.hipchat.com/Alice Example'><x "
        "xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
    alice.expect("</subject></message>");
    Response r = request(emulator, "POST", "/v2/room/Dev/notification", sample::alice.token,
                         "application/json",
                         "{\"message\":\"<b>Build #43</b> failed\",\"color\":\"red\","
                         "\"notify\":true,\"from\":\"Jenkins\"}");
    ck_assert_int_eq(r.status, 204);
    const std::string message = alice.expect("</message>");
    ck_assert_msg(contains(message, "from='10804_dev@conf.hipchat.com/Jenkins'") &&
                      contains(message, "&lt;b&gt;Build #43&lt;/b&gt; failed") &&
                      contains(message,
                               "<type>notification</type><notify>1</notify>"
                               "<color>red</color><message_format>html</message_format>"),
                  "%s", message.c_str());
    control.post("/notification",
                 "{\"room\":\"10804_dev@conf.hipchat.com\",\"from\":\"Bamboo\","
                 "\"message\":\"deployed\",\"type\":\"system\",\"message_format\":\"text\"}");
    ck_assert(contains(alice.expect("deployed"), "<type>system</type>"));
}
END_TEST

// §12.1
START_TEST(emoticons_are_listed_and_cached_by_ver)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    alice.send(
        "<iq type='get' id='e1'><query xmlns='http://hipchat.com/protocol/emoticons'/></iq>");
    const std::string list = alice.expect("</iq>");
    ck_assert_msg(
        contains(list, "ver='2026-11-01T09:00Z'") && contains(list, "<path_prefix>https://") &&
            contains(list, "<shortcut>allthethings</shortcut>") &&
            contains(list, "<path>10804/troll.png</path>") && contains(list, "<type>group</type>"),
        "%s", list.c_str());
    alice.send(
        "<iq type='get' id='e2'><query xmlns='http://hipchat.com/protocol/emoticons' "
        "ver='2026-11-01T09:00Z'/></iq>");
    ck_assert(contains(alice.expect("id='e2'"), "/>"));
    alice.send(
        "<iq type='get' id='u1'><query xmlns='http://hipchat.com/protocol/users#hash'/></iq>");
    ck_assert(contains(alice.expect("</iq>"), "type='result'"));
}
END_TEST

// §12.1: path_prefix + '/' + path is the image, served with its type.
START_TEST(emoticon_images_are_served_with_their_content_type)
{
    EmulatorProcess emulator;
    // Width and height from the PNG's IHDR (big-endian at 16 and 20) or the
    // GIF's screen descriptor (little-endian at 6 and 8).
    auto be32 = [](const std::string &b, std::size_t at) {
        return (static_cast<unsigned char>(b[at]) << 24) |
               (static_cast<unsigned char>(b[at + 1]) << 16) |
               (static_cast<unsigned char>(b[at + 2]) << 8) | static_cast<unsigned char>(b[at + 3]);
    };
    Response r = request(emulator, "GET", "/emoticons/10804/troll.png", "");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type.c_str(), "image/png");
    ck_assert(r.body.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    ck_assert_int_eq(be32(r.body, 16), 30);
    ck_assert_int_eq(be32(r.body, 20), 26);  // as the emoticons IQ says (w 30, h 26)
    r = request(emulator, "GET", "/emoticons/allthethings.png", "");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type.c_str(), "image/png");
    r = request(emulator, "GET", "/emoticons/lolwut.gif", "");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type.c_str(), "image/gif");
    ck_assert(r.body.compare(0, 6, "GIF89a") == 0);
    ck_assert_int_eq(static_cast<unsigned char>(r.body[6]), 25);
    ck_assert_int_eq(static_cast<unsigned char>(r.body[8]), 25);
    ck_assert_int_eq(request(emulator, "GET", "/emoticons/nothing.png", "").status, 404);
}
END_TEST

// §8.4, §16 item 11: the card and the sender in the x, and HTML also as XHTML-IM.
START_TEST(notifications_carry_card_sender_and_an_xhtml_body)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    alice.send(
        "<presence to='10804_dev@conf.hipchat.com/Alice Example'><x "
        "xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
    alice.expect("</subject></message>");
    ck_assert_int_eq(
        control.post_status(
            "/notification",
            "{\"room\":\"10804_dev@conf.hipchat.com\",\"from\":\"Jira\","
            "\"message\":\"<b>HC-7</b> resolved<br>by Bob & Carol\",\"color\":\"purple\","
            "\"card\":{\"style\":\"application\",\"title\":\"HC-7\"},"
            "\"notification_sender\":{\"type\":\"addon\",\"id\":\"com.example.jira\"}}"),
        200);
    const std::string message = alice.expect("</message>");
    ck_assert_msg(contains(message,
                           "<color>purple</color><message_format>html</message_format>"
                           "<card>{&quot;style&quot;:&quot;application&quot;,&quot;title&quot;:"
                           "&quot;HC-7&quot;}</card><notification_sender type='addon' "
                           "id='com.example.jira'/></x>") &&
                      contains(message,
                               "<html xmlns='http://jabber.org/protocol/xhtml-im'><body "
                               "xmlns='http://www.w3.org/1999/xhtml'><b>HC-7</b> resolved<br/>by "
                               "Bob &amp; Carol</body></html>"),
                  "%s", message.c_str());
    // A text notification has no XHTML-IM copy.
    control.post("/notification",
                 "{\"room\":\"10804_dev@conf.hipchat.com\",\"message\":\"plain <3\","
                 "\"message_format\":\"text\"}");
    ck_assert(!contains(alice.expect("plain &lt;3"), "xhtml-im"));
}
END_TEST

// Fault injection for clients' error handling (§13's error shapes).
START_TEST(rest_status_fault_answers_every_api_request_with_it)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    control.post("/fault", "{\"rest_status\":403}");
    Response r = request(emulator, "GET", "/v2/file/x", sample::alice.token);
    ck_assert_int_eq(r.status, 403);
    ck_assert(contains(r.body, "This action requires one of the following scopes: [send_message]"));
    ck_assert_int_eq(request(emulator, "GET", "/v2/file/x", "wrong").status, 401);  // tokens first
    control.post("/fault", "{\"rest_status\":503}");
    ck_assert_int_eq(request(emulator, "GET", "/v2/file/x", sample::alice.token).status, 503);
    ck_assert_int_eq(control.post_status("/fault", "{\"rest_status\":418}"), 400);
    control.post("/fault", "{\"rest_status\":0}");
    ck_assert_int_eq(request(emulator, "GET", "/v2/file/x", sample::alice.token).status, 404);
}
END_TEST

// §19.4: the read state, its counts, and a patch that marks a room read for
// every later request (another session's included); 404 and 429 as faults.
START_TEST(the_read_state_is_kept_and_counted)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    // The sample organisation: Alice has read Ops up to Frank's first
    // message; two came after it, one naming @AliceExample.
    Response r =
        request(emulator, "GET", "/v2/readstate?expand=items.unreadCount", sample::alice.token);
    ck_assert_int_eq(r.status, 200);
    ck_assert_msg(contains(r.body,
                           "{\"xmppJid\":\"10804_ops@conf.hipchat.com\",\"mid\":"
                           "\"6b3c1f0e-5a2d-4e8b-9c71-0a1b2c3d4e01\",\"timestamp\":"
                           "\"1763879000.333000\",\"unreadCount\":{\"count\":2,"
                           "\"mentions\":1,\"includesMention\":true}}"),
                  "%s", r.body.c_str());
    ck_assert(!contains(request(emulator, "GET", "/v2/readstate", sample::alice.token).body,
                        "unreadCount"));
    const std::string nothing_read =
        request(emulator, "GET", "/v2/readstate", sample::bob.token).body;
    ck_assert_str_eq(nothing_read.c_str(), "{\"items\":[]}");

    // Ops read up to Bob's message; Dev tracked from Jenkins' build.
    r = request(emulator, "PATCH", "/v2/readstate", sample::alice.token,
                "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/10804_ops@conf.hipchat.com\",\"value\":"
                "{\"mid\":\"6b3c1f0e-5a2d-4e8b-9c71-0a1b2c3d4e03\",\"timestamp\":"
                "\"1763879600.555000\"}},{\"op\":\"add\",\"path\":"
                "\"/10804_dev@conf.hipchat.com\",\"value\":{\"mid\":\"\",\"timestamp\":"
                "\"1763899200.303000\"}}]");
    ck_assert_int_eq(r.status, 200);
    r = request(emulator, "GET", "/v2/readstate?expand=items.unreadCount", sample::alice.token);
    ck_assert_msg(contains(r.body,
                           "\"mid\":\"6b3c1f0e-5a2d-4e8b-9c71-0a1b2c3d4e03\","
                           "\"timestamp\":\"1763879600.555000\",\"unreadCount\":"
                           "{\"count\":0,\"mentions\":0,\"includesMention\":false}") &&
                      contains(r.body,
                               "\"xmppJid\":\"10804_dev@conf.hipchat.com\",\"mid\":"
                               "\"\",\"timestamp\":\"1763899200.303000\","
                               "\"unreadCount\":{\"count\":1,"),
                  "%s", r.body.c_str());
    // A bad patch changes nothing, not even its good part.
    for (const char *bad :
         {"{}", "[{\"op\":\"remove\",\"path\":\"/10804_dev@conf.hipchat.com\"},7]",
          "[{\"op\":\"add\",\"path\":\"/nobody@example.com\",\"value\":{}}]",
          "[{\"op\":\"add\",\"path\":\"/10804_dev@conf.hipchat.com\",\"value\":"
          "{\"timestamp\":\"soon\"}}]"})
        ck_assert_int_eq(request(emulator, "PATCH", "/v2/readstate", sample::alice.token,
                                 "application/json-patch+json", bad)
                             .status,
                         400);
    r = request(emulator, "PATCH", "/v2/readstate", sample::alice.token,
                "application/json-patch+json",
                "[{\"op\":\"remove\",\"path\":\"/10804_dev@conf.hipchat.com\"}]");
    ck_assert(!contains(r.body, "10804_dev@") && contains(r.body, "10804_ops@"));

    control.post("/fault", "{\"rest_status\":404}");
    ck_assert_int_eq(request(emulator, "GET", "/v2/readstate", sample::alice.token).status, 404);
    control.post("/fault", "{\"rest_status\":429}");
    ck_assert_int_eq(request(emulator, "PATCH", "/v2/readstate", sample::alice.token,
                             "application/json-patch+json", "[]")
                         .status,
                     429);
}
END_TEST

// §19.6, §6.2: with --web-port, the website saves a user's preferences
// (the web client's savePreferences form) for their next startup, and is the
// announced web host.
START_TEST(the_website_saves_preferences_for_the_next_startup)
{
    EmulatorProcess emulator({"--web-port", "0"});
    ck_assert(emulator.web_port() != 0);
    const std::string form =
        "json=%7B%22roomNotificationOverrides%22%3A%7B%2210804_dev%40conf.hipchat.com%22%3A%7B%22"
        "level%22%3A%22quiet%22%7D%7D%7D&user_id=204364&group_id=10804&format=json&token=";
    const auto save = [&](const std::string &token) {
        return request(emulator, "POST", "/api/save_preferences", "",
                       "application/x-www-form-urlencoded", form + token, emulator.web_port());
    };
    Response r = save("wrong");
    ck_assert_int_eq(r.status, 401);
    ck_assert_str_eq(r.body.c_str(), "{\"error\":\"Invalid token\"}");
    r = save(sample::alice.token);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(
        request(emulator, "GET", "/api/save_preferences", "", "", "", emulator.web_port()).status,
        405);
    XmppTestClient alice(emulator.xmpp_port());
    const std::string success =
        alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    ck_assert(contains(success, "web_host='127.0.0.1:" + std::to_string(emulator.web_port())));
    alice.send("<iq type='get' id='s'><query xmlns='http://hipchat.com/protocol/startup'/></iq>");
    const std::string startup = alice.expect("</query></iq>");
    ck_assert_msg(contains(startup,
                           "<roomNotificationOverrides>{&quot;10804_dev@conf.hipchat.com"
                           "&quot;:{&quot;level&quot;:&quot;quiet&quot;}}"
                           "</roomNotificationOverrides>"),
                  "%s", startup.c_str());
}
END_TEST

// A GET with libsoup, as clients make them, that must fail: its GIOErrorEnum.
// `timeout_seconds` 0 waits for ever.
int failing_get(const EmulatorProcess &emulator, const std::string &path, unsigned timeout_seconds)
{
    GTlsDatabase *database = g_tls_file_database_new(emulator.ca_file().c_str(), nullptr);
    ck_assert(database != nullptr);
    SoupSession *session = soup_session_new_with_options("tls-database", database, "timeout",
                                                         timeout_seconds, nullptr);
    g_object_unref(database);
    const std::string url = "https://127.0.0.1:" + std::to_string(emulator.rest_port()) + path;
    SoupMessage *message = soup_message_new("GET", url.c_str());
    GError *error = nullptr;
    GBytes *answer = soup_session_send_and_read(session, message, nullptr, &error);
    ck_assert_msg(answer == nullptr, "GET %s succeeded", path.c_str());
    ck_assert_msg(error->domain == G_IO_ERROR, "%s", error->message);
    const int code = error->code;
    g_error_free(error);
    g_object_unref(message);
    g_object_unref(session);
    return code;
}

// docs/emulator.md: POST /fault rest_delay_ms holds every answer of the API
// host, whichever path makes it; a client that gives up meanwhile harms
// nothing; 0 stops it.
START_TEST(rest_delay_fault_holds_every_response)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    ck_assert_int_eq(control.post_status("/fault", "{\"rest_delay_ms\":700}"), 200);
    auto milliseconds_for = [&](const std::string &path, const std::string &token,
                                unsigned expected) {
        const gint64 start = g_get_monotonic_time();
        ck_assert_int_eq(request(emulator, "GET", path, token).status, expected);
        return (g_get_monotonic_time() - start) / 1000;
    };
    ck_assert_int_ge(milliseconds_for("/v2/file/x", sample::alice.token, 404), 650);
    ck_assert_int_ge(milliseconds_for("/v2/file/x", "", 401), 650);
    ck_assert_int_ge(milliseconds_for("/emoticons/10804/troll.png", "", 200), 650);
    ck_assert_int_ge(milliseconds_for("/avatars/alice.png", "", 200), 650);
    // An upload's 204 waits, and so does fetching the file it made.
    gint64 start = g_get_monotonic_time();
    ck_assert_int_eq(request(emulator, "POST", "/v2/user/bob@example.com/share/file",
                             sample::alice.token, multipart, upload("held", "held file"))
                         .status,
                     204);
    ck_assert_int_ge(g_get_monotonic_time() - start, 650 * 1000);
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    bob.send(
        "<iq type='get' id='h' to='10804_204364@chat.hipchat.com'><query "
        "xmlns='http://hipchat.com/protocol/history' maxstanzas='1'/></iq>");
    const std::string history = bob.expect("id='h'");
    const auto at = history.find("/v2/file/");
    ck_assert_msg(at != std::string::npos, "%s", history.c_str());
    const std::string file = history.substr(at, history.find('<', at) - at);
    ck_assert_int_ge(milliseconds_for(file, sample::bob.token, 200), 650);

    // A client that gives up while its answer is held: the server serves on
    // (a GLib critical would have ended it: G_DEBUG=fatal-criticals).
    control.post("/fault", "{\"rest_delay_ms\":2000}");
    ck_assert_int_eq(failing_get(emulator, "/emoticons/10804/troll.png", 1), G_IO_ERROR_TIMED_OUT);
    g_usleep(1500 * 1000);  // past the hold: libsoup writes to a closed connection
    control.post("/fault", "{\"rest_delay_ms\":0}");
    ck_assert_int_lt(milliseconds_for("/emoticons/10804/troll.png", "", 200), 650);
}
END_TEST

// docs/emulator.md: POST /fault rest_truncate: the full Content-Length, half
// the body, then the connection closed; answers without a body untouched;
// false stops it.
START_TEST(rest_truncate_fault_sends_half_the_body_then_closes)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    const std::string image = request(emulator, "GET", "/emoticons/10804/troll.png", "").body;
    ck_assert_int_gt(image.size(), 100);
    ck_assert_int_eq(control.post_status("/fault", "{\"rest_truncate\":true}"), 200);

    const auto exchange = [&](const std::string &path, const std::string &extra_headers) {
        const std::string raw = hipchat::test::raw_https_exchange(
            emulator, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + "\r\n");
        const auto split = raw.find("\r\n\r\n");
        ck_assert_msg(split != std::string::npos, "%s", raw.c_str());
        return std::make_pair(raw.substr(0, split + 2), raw.substr(split + 4));
    };
    auto [head, body] = exchange("/emoticons/10804/troll.png", "");
    ck_assert_msg(
        head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0 &&
            contains(head, "\r\nContent-Type: image/png\r\n") &&
            contains(head, "\r\nContent-Length: " + std::to_string(image.size()) + "\r\n"),
        "%s", head.c_str());
    ck_assert(body == image.substr(0, image.size() / 2));
    // An HTTP client sees the cut as an error, not as a short body.
    ck_assert_int_eq(failing_get(emulator, "/emoticons/10804/troll.png", 0),
                     G_IO_ERROR_PARTIAL_INPUT);

    // §13's error JSON is a body too, its headers kept.
    std::tie(head, body) = exchange("/v2/file/x", "Authorization: Bearer alice-demo-token\r\n");
    const auto length_at = head.find("Content-Length: ");
    ck_assert_msg(head.rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0 &&
                      contains(head, "\r\nX-Ratelimit-Remaining: ") &&
                      length_at != std::string::npos,
                  "%s", head.c_str());
    const auto length = std::strtoul(head.c_str() + length_at + 16, nullptr, 10);
    ck_assert_int_eq(body.size(), length / 2);
    ck_assert_msg(body.rfind("{\"error\":{\"code\":404,", 0) == 0, "%s", body.c_str());

    // A 204 has nothing to cut.
    ck_assert_int_eq(request(emulator, "POST", "/v2/room/22087/notification", sample::alice.token,
                             "application/json", "{\"message\":\"whole\"}")
                         .status,
                     204);
    // With a delay as well: held, then cut.
    control.post("/fault", "{\"rest_delay_ms\":500}");
    const gint64 start = g_get_monotonic_time();
    ck_assert(exchange("/emoticons/10804/troll.png", "").second ==
              image.substr(0, image.size() / 2));
    ck_assert_int_ge(g_get_monotonic_time() - start, 450 * 1000);

    control.post("/fault", "{\"rest_truncate\":false,\"rest_delay_ms\":0}");
    ck_assert(request(emulator, "GET", "/emoticons/10804/troll.png", "").body == image);
    control.post("/fault", "{\"rest_truncate\":true}");
    control.post("/fault", "{\"reset\":true}");
    ck_assert(request(emulator, "GET", "/emoticons/10804/troll.png", "").body == image);
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("emulator-rest");
    TCase *tc = tcase_create("rest");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, tokens_are_checked_and_rate_limits_announced);
    tcase_add_test(tc, rest_status_fault_answers_every_api_request_with_it);
    tcase_add_test(tc, the_read_state_is_kept_and_counted);
    tcase_add_test(tc, the_website_saves_preferences_for_the_next_startup);
    tcase_add_test(tc, rest_delay_fault_holds_every_response);
    tcase_add_test(tc, rest_truncate_fault_sends_half_the_body_then_closes);
    tcase_add_test(tc, shared_files_reach_the_room_and_the_person_and_can_be_fetched);
    tcase_add_test(tc, notifications_arrive_with_their_hipchat_fields);
    tcase_add_test(tc, emoticons_are_listed_and_cached_by_ver);
    tcase_add_test(tc, emoticon_images_are_served_with_their_content_type);
    tcase_add_test(tc, notifications_carry_card_sender_and_an_xhtml_body);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
