// The emulator's HTTPS API host (§11, §13) and the emoticons IQ (§12.1).
#include <libsoup/soup.h>

#include <string>

#include "control-client.hpp"
#include "emulator-process.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"

using hipchat::test::control_request;
using hipchat::test::EmulatorProcess;
using hipchat::test::XmppTestClient;

namespace {

constexpr const char *bob_jid = "10804_204365@chat.hipchat.com";

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

struct Response {
    unsigned status = 0;
    std::string body;
    std::string ratelimit_remaining;
};

// One blocking HTTPS request trusting the emulator's CA.
Response request(const EmulatorProcess &emulator, const char *method, const std::string &path,
                 const std::string &token, const std::string &content_type = {},
                 const std::string &body = {})
{
    GTlsDatabase *database = g_tls_file_database_new(emulator.ca_file().c_str(), nullptr);
    ck_assert(database != nullptr);
    SoupSession *session = soup_session_new_with_options("tls-database", database, nullptr);
    g_object_unref(database);
    const std::string url =
        "https://127.0.0.1:" + std::to_string(emulator.rest_port()) + path;
    SoupMessage *message = soup_message_new(method, url.c_str());
    ck_assert(message != nullptr);
    if (!token.empty())
        soup_message_headers_replace(soup_message_get_request_headers(message), "Authorization",
                                     ("Bearer " + token).c_str());
    if (!content_type.empty()) {
        GBytes *bytes = g_bytes_new(body.data(), body.size());
        soup_message_set_request_body_from_bytes(message, content_type.c_str(), bytes);
        g_bytes_unref(bytes);
    }
    GError *error = nullptr;
    GBytes *answer = soup_session_send_and_read(session, message, nullptr, &error);
    ck_assert_msg(answer != nullptr, "%s", error != nullptr ? error->message : "");
    Response r;
    r.status = soup_message_get_status(message);
    gsize size = 0;
    const auto *data = static_cast<const char *>(g_bytes_get_data(answer, &size));
    r.body.assign(data != nullptr ? data : "", size);
    const char *remaining = soup_message_headers_get_one(
        soup_message_get_response_headers(message), "X-Ratelimit-Remaining");
    r.ratelimit_remaining = remaining != nullptr ? remaining : "";
    g_bytes_unref(answer);
    g_object_unref(message);
    g_object_unref(session);
    return r;
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
    Response r = request(emulator, "GET", "/v2/file/nothing", "");
    ck_assert_int_eq(r.status, 401);
    ck_assert_msg(contains(r.body, "\"message\":\"Invalid OAuth session\"") &&
                      contains(r.body, "\"type\":\"Unauthorized\""),
                  "%s", r.body.c_str());
    ck_assert_int_eq(request(emulator, "GET", "/v2/file/x", "wrong-token").status, 401);
    r = request(emulator, "GET", "/v2/file/nothing", "alice-demo-token");
    ck_assert_int_eq(r.status, 404);
    ck_assert_str_eq(r.ratelimit_remaining.c_str(), "499");  // the 401s used no quota

    control_request(emulator.control_port(), "POST", "/fault", "{\"rate_limit\":2}");
    ck_assert_int_eq(request(emulator, "GET", "/v2/file/x", "alice-demo-token").status, 404);
    ck_assert_int_eq(request(emulator, "GET", "/v2/file/x", "alice-demo-token").status, 429);
    // A token minted on <success> (§5.1) is accepted too.
    XmppTestClient client(emulator.xmpp_port());
    const std::string success =
        client.login(emulator.ca_file(), "bob@example.com", "bob-demo-password");
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
    alice.login(emulator.ca_file(), "alice@example.com", "alice-demo-password", "a");
    alice.send(
        "<presence to='10804_dev@conf.hipchat.com/Alice Example'><x "
        "xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
    alice.expect("</subject></message>");

    Response r = request(emulator, "POST", "/v2/room/22087/share/file", "alice-demo-token",
                         multipart, upload("Release notes", "hello file"));
    ck_assert_int_eq(r.status, 204);
    std::string message = alice.expect("</message>");
    ck_assert_msg(contains(message, "from='10804_dev@conf.hipchat.com/Alice Example'") &&
                      contains(message, "<authenticated_file xmlns='http://hipchat.com/protocol/file'>") &&
                      contains(message, "<name>notes.txt</name>") &&
                      contains(message, "<size>10</size>") &&
                      contains(message, "<body>Release notes: https://127.0.0.1:"),
                  "%s", message.c_str());
    const auto at = message.find("<id>") + 4;
    const std::string id = message.substr(at, message.find("</id>", at) - at);
    r = request(emulator, "GET", "/v2/file/" + id, "alice-demo-token");
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body.c_str(), "hello file");

    // To a person, by e-mail: both see it.
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), "bob@example.com", "bob-demo-password", "b");
    r = request(emulator, "POST", "/v2/user/bob@example.com/share/file", "alice-demo-token",
                multipart, upload("", "x"));
    ck_assert_int_eq(r.status, 204);
    message = bob.expect("</message>");
    ck_assert(contains(message, "type='chat'") && contains(message, "<body>File uploaded: https://"));
    ck_assert(contains(alice.expect("</message>"), std::string("to='") + bob_jid + "'"));

    ck_assert_int_eq(request(emulator, "POST", "/v2/room/NoSuchRoom/share/file",
                             "alice-demo-token", multipart, upload("", "x"))
                         .status,
                     404);
    ck_assert_int_eq(request(emulator, "POST", "/v2/room/22087/share/file", "alice-demo-token",
                             "application/json", "{}")
                         .status,
                     400);
}
END_TEST

// §13, §8.4
START_TEST(notifications_arrive_with_their_hipchat_fields)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), "alice@example.com", "alice-demo-password", "a");
    alice.send(
        "<presence to='10804_dev@conf.hipchat.com/Alice Example'><x "
        "xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
    alice.expect("</subject></message>");
    Response r = request(emulator, "POST", "/v2/room/Dev/notification", "alice-demo-token",
                         "application/json",
                         "{\"message\":\"<b>Build #43</b> failed\",\"color\":\"red\","
                         "\"notify\":true,\"from\":\"Jenkins\"}");
    ck_assert_int_eq(r.status, 204);
    const std::string message = alice.expect("</message>");
    ck_assert_msg(contains(message, "from='10804_dev@conf.hipchat.com/Jenkins'") &&
                      contains(message, "&lt;b&gt;Build #43&lt;/b&gt; failed") &&
                      contains(message, "<type>notification</type><notify>1</notify>"
                                        "<color>red</color><message_format>html</message_format>"),
                  "%s", message.c_str());
    control_request(emulator.control_port(), "POST", "/notification",
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
    alice.login(emulator.ca_file(), "alice@example.com", "alice-demo-password");
    alice.send("<iq type='get' id='e1'><query xmlns='http://hipchat.com/protocol/emoticons'/></iq>");
    const std::string list = alice.expect("</iq>");
    ck_assert_msg(contains(list, "ver='2026-11-01T09:00Z'") && contains(list, "<path_prefix>https://") &&
                      contains(list, "<shortcut>allthethings</shortcut>") &&
                      contains(list, "<path>10804/troll.png</path>") &&
                      contains(list, "<type>group</type>"),
                  "%s", list.c_str());
    alice.send(
        "<iq type='get' id='e2'><query xmlns='http://hipchat.com/protocol/emoticons' "
        "ver='2026-11-01T09:00Z'/></iq>");
    ck_assert(contains(alice.expect("id='e2'"), "/>"));
    alice.send("<iq type='get' id='u1'><query xmlns='http://hipchat.com/protocol/users#hash'/></iq>");
    ck_assert(contains(alice.expect("</iq>"), "type='result'"));
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("emulator-rest");
    TCase *tc = tcase_create("rest");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, tokens_are_checked_and_rate_limits_announced);
    tcase_add_test(tc, shared_files_reach_the_room_and_the_person_and_can_be_fetched);
    tcase_add_test(tc, notifications_arrive_with_their_hipchat_fields);
    tcase_add_test(tc, emoticons_are_listed_and_cached_by_ver);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
