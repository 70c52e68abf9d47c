// core/auth: the HipChat auth payloads, the stream header's address, and
// what <success> and <failure> say.
#include <glib.h>

#include <string>
#include <vector>

#include "assert-text.hpp"
#include "check-run.hpp"
#include "core/auth.hpp"
#include "xml-fixture.hpp"

#include <check.h>

using namespace hipchat::core;
using hipchat::test::element;

namespace {

std::string decoded(const std::string &base64)
{
    gsize length = 0;
    guchar *bytes = g_base64_decode(base64.c_str(), &length);
    std::string result(reinterpret_cast<char *>(bytes), length);
    g_free(bytes);
    return result;
}

START_TEST(password_payload_is_nul_email_nul_password_nul_resource)
{
    // The protocol reference's example (§5.1).
    const std::string payload = password_auth_payload("alice@example.com", "s3cret", "pidgin");
    ck_assert_str_eq(payload.c_str(), "AGFsaWNlQGV4YW1wbGUuY29tAHMzY3JldABwaWRnaW4=");
    const std::string plain = decoded(password_auth_payload("a@b.c", "p\xc3\xa4ss word", ""));
    ck_assert(plain == std::string("\0a@b.c\0p\xc3\xa4ss word\0", 18));
}
END_TEST

START_TEST(token_payload_is_nul_token_nul_resource)
{
    // §5.2's layout (its own example string is wrong; this is the right one).
    const std::string payload = token_auth_payload("TOKEN123abc", "pidgin");
    ck_assert_str_eq(payload.c_str(), "AFRPS0VOMTIzYWJjAHBpZGdpbg==");
}
END_TEST

START_TEST(payload_fields_are_read_back)
{
    using Fields = std::vector<std::string>;
    ck_assert(auth_payload_fields(password_auth_payload("a@b.c", "p\xc3\xa4ss word", "pidgin")) ==
              (Fields{"", "a@b.c", "p\xc3\xa4ss word", "pidgin"}));
    ck_assert(auth_payload_fields(token_auth_payload("t0k", "")) == (Fields{"", "t0k", ""}));
    // SASL PLAIN's authzid\0authcid\0password, with an empty authzid.
    ck_assert(auth_payload_fields("AGJvYgBwdw==") == (Fields{"", "bob", "pw"}));
    ck_assert(auth_payload_fields("") == Fields{""});
    ck_assert(auth_payload_fields("!!!") == Fields{""});      // nothing decodable
    ck_assert(auth_payload_fields("YWJj") == Fields{"abc"});  // no NUL at all
}
END_TEST

START_TEST(wipe_clears_the_secret)
{
    std::string secret = "hunter2";
    wipe(secret);
    ck_assert(secret.empty());
}
END_TEST

START_TEST(stream_header_is_readdressed)
{
    const auto header = readdress_stream_header(
        "<stream:stream to='example.com' xmlns='jabber:client' "
        "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>",
        "chat.hipchat.com");
    ck_assert(header.has_value());
    ck_assert_str_eq(header->c_str(),
                     "<stream:stream to='chat.hipchat.com' xmlns='jabber:client' "
                     "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");

    const auto double_quoted =
        readdress_stream_header("<stream:stream to=\"a\" version=\"1.0\">", "b");
    ck_assert_str_eq(double_quoted->c_str(), "<stream:stream to=\"b\" version=\"1.0\">");
}
END_TEST

START_TEST(other_text_is_not_a_stream_header)
{
    ck_assert(!readdress_stream_header("<iq to='example.com' type='get'/>", "x").has_value());
    ck_assert(!readdress_stream_header("<stream:stream version='1.0'>", "x").has_value());
    ck_assert(!readdress_stream_header("<stream:stream to='unterminated", "x").has_value());
    ck_assert(!readdress_stream_header("", "x").has_value());
    ck_assert(!readdress_stream_header(" ", "x").has_value());
}
END_TEST

START_TEST(success_carries_the_jid_hosts_and_token)
{
    // The protocol reference's example (§5.5), with a token.
    const auto success = parse_auth_success(element(
        "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl' jid='1_1@chat.hipchat.com/android'"
        " api_host='api.hipchat.com' chat_host='chat.hipchat.com' muc_host='conf.hipchat.com'"
        " web_host='www.hipchat.com' oauth2_token='Zm9vYmFyYmF6cXV4'/>"));
    ck_assert(success.has_value());
    ASSERT_TEXT(success->jid, "1_1@chat.hipchat.com/android");
    ASSERT_TEXT(success->hosts.api_host, "api.hipchat.com");
    ASSERT_TEXT(success->hosts.chat_host, "chat.hipchat.com");
    ASSERT_TEXT(success->hosts.muc_host, "conf.hipchat.com");
    ASSERT_TEXT(success->hosts.web_host, "www.hipchat.com");
    ASSERT_TEXT(success->oauth2_token, "Zm9vYmFyYmF6cXV4");
}
END_TEST

START_TEST(success_without_token_or_hosts_leaves_them_empty)
{
    // Standard SASL may send none of the HipChat attributes (§5.3); we asked
    // for no token with mechanism='oauth2' (§5.2).
    const auto success = parse_auth_success(
        element("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl' jid='12345_67890@x.example'/>"));
    ck_assert(success.has_value());
    ASSERT_TEXT(success->jid, "12345_67890@x.example");
    ASSERT_TEXT(success->hosts.api_host, "");
    ASSERT_TEXT(success->hosts.chat_host, "");
    ASSERT_TEXT(success->hosts.muc_host, "");
    ASSERT_TEXT(success->hosts.web_host, "");
    ASSERT_TEXT(success->oauth2_token, "");

    const auto empty_token = parse_auth_success(element(
        "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl' jid='1_1@c.example' oauth2_token=''/>"));
    ck_assert(empty_token.has_value());
    ASSERT_TEXT(empty_token->oauth2_token, "");
}
END_TEST

START_TEST(success_without_a_jid_is_refused)
{
    ck_assert(!parse_auth_success(
        element("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl' api_host='api.hipchat.com'"
                " oauth2_token='secret'/>")));
    ck_assert(!parse_auth_success(element("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")));
    ck_assert(!parse_auth_success(element("<success jid=''/>")));
    // §5.5: the web client reads a JID from the text; we use the attribute only.
    ck_assert(!parse_auth_success(element("<success>1_1@chat.hipchat.com/android</success>")));
}
END_TEST

START_TEST(success_with_a_malformed_jid_is_refused)
{
    for (const char *jid : {"1_1", "chat.hipchat.com", "@chat.hipchat.com", "1_1@", "1_1@/android",
                            "1_1@chat.hipchat.com/", "a@b@c", "host/a@b", " 1_1@chat.hipchat.com",
                            "1_1@chat.hipchat.com ", "1 1@c", "1_1@chat.hipchat.com/my phone",
                            "1_1@c&#9;d", "1_1@c&#10;", "1_1@c\u00a0d", "1_1@c\u0085d"}) {
        const std::string xml = std::string("<success jid='") + jid + "' chat_host='c'/>";
        ck_assert_msg(!parse_auth_success(element(xml)).has_value(), "accepted jid %s", jid);
    }
    // The helper on its own, for what XML cannot carry.
    ck_assert(!is_plausible_jid(std::string("a@b\0c", 5)));
    ck_assert(!is_plausible_jid("a@b\x01"));
    ck_assert(!is_plausible_jid("a@\xff"));
    ck_assert(!is_plausible_jid(""));
}
END_TEST

START_TEST(plausible_jids_are_accepted)
{
    for (const char *jid : {"1_1@chat.hipchat.com", "1_1@chat.hipchat.com/android",
                            "alice@example.com/res/with/slashes", "alice@example.com/a@b",
                            "j\u00fcrgen@b\u00fccher.example/\u00e4"}) {
        const std::string xml = std::string("<success jid='") + jid + "'/>";
        const auto success = parse_auth_success(element(xml));
        ck_assert_msg(success.has_value(), "refused jid %s", jid);
        ASSERT_TEXT(success->jid, jid);
    }
}
END_TEST

START_TEST(implausible_hosts_are_dropped)
{
    // Each host attribute is judged on its own: the good ones stay.
    const auto success = parse_auth_success(
        element("<success jid='1_1@chat.hipchat.com/android' api_host='https://api.hipchat.com'"
                " chat_host='chat.hipchat.com' muc_host='conf.hipchat.com/rooms'"
                " web_host='www.hipchat.com:443' oauth2_token='t0ken'/>"));
    ck_assert(success.has_value());
    ASSERT_TEXT(success->hosts.api_host, "");
    ASSERT_TEXT(success->hosts.chat_host, "chat.hipchat.com");
    ASSERT_TEXT(success->hosts.muc_host, "");
    ASSERT_TEXT(success->hosts.web_host, "www.hipchat.com:443");
    ASSERT_TEXT(success->oauth2_token, "t0ken");

    for (const char *host : {"",
                             "api hipchat.com",
                             " api.hipchat.com",
                             "api.hipchat.com ",
                             "user@api.hipchat.com",
                             "api.hipchat.com/v2",
                             "api.hipchat.com?x",
                             "api.hipchat.com:",
                             "api.hipchat.com:0",
                             "api.hipchat.com:65536",
                             "api.hipchat.com:123456",
                             "api.hipchat.com:8a",
                             "api.hipchat.com:80:80",
                             ":443",
                             ".hipchat.com",
                             "api.hipchat.com.",
                             "api..hipchat.com",
                             "[::1]:443",
                             "b\u00fccher.example",
                             "api_host.example",
                             "api.hipchat.com&#9;"}) {
        const std::string xml =
            std::string("<success jid='1_1@c.example' api_host='") + host + "'/>";
        const auto dropped = parse_auth_success(element(xml));
        ck_assert(dropped.has_value());
        ck_assert_msg(dropped->hosts.api_host.empty(), "kept host '%s'", host);
    }
    // The emulator's REST address, and other shapes that are fine.
    for (const char *host : {"127.0.0.1:8443", "localhost", "api.hipchat.com:65535",
                             "API.HipChat.com", "xn--bcher-kva.example", "a-b.c-d.example:1"}) {
        const std::string xml =
            std::string("<success jid='1_1@c.example' api_host='") + host + "'/>";
        const auto kept = parse_auth_success(element(xml));
        ck_assert(kept.has_value());
        ASSERT_TEXT(kept->hosts.api_host, host);
    }
}
END_TEST

START_TEST(failure_condition_and_text)
{
    // §5.6's shapes.
    const auto bad_password = parse_auth_failure(
        element("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>"));
    ASSERT_TEXT(bad_password.condition, "not-authorized");
    ASSERT_TEXT(bad_password.text, "");

    const auto with_text = parse_auth_failure(
        element("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><text xml:lang='en'>No such user"
                "</text><invalid-authzid/></failure>"));
    ASSERT_TEXT(with_text.condition, "invalid-authzid");
    ASSERT_TEXT(with_text.text, "No such user");

    const auto text_after = parse_auth_failure(
        element("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><malformed-request/>"
                "<text>Bad &lt;payload&gt;</text></failure>"));
    ASSERT_TEXT(text_after.condition, "malformed-request");
    ASSERT_TEXT(text_after.text, "Bad <payload>");
}
END_TEST

START_TEST(failure_without_a_condition)
{
    const auto empty =
        parse_auth_failure(element("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"));
    ASSERT_TEXT(empty.condition, "");
    ASSERT_TEXT(empty.text, "");

    const auto only_text = parse_auth_failure(element(
        "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><text>Go away</text></failure>"));
    ASSERT_TEXT(only_text.condition, "");
    ASSERT_TEXT(only_text.text, "Go away");

    // Character data is not a condition.
    const auto character_data = parse_auth_failure(element("<failure>not-authorized</failure>"));
    ASSERT_TEXT(character_data.condition, "");
}
END_TEST

START_TEST(failure_with_unknown_children_takes_the_first)
{
    // Conditions we have no message for are named as they are, whatever
    // their namespace; only the first counts.
    const auto unknown = parse_auth_failure(
        element("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><text>x</text>"
                "<account-disabled/><not-authorized/></failure>"));
    ASSERT_TEXT(unknown.condition, "account-disabled");
    ASSERT_TEXT(unknown.text, "x");

    const auto foreign = parse_auth_failure(element(
        "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><reason xmlns='http://hipchat.com'>"
        "<text>nested</text></reason><text>outer</text></failure>"));
    ASSERT_TEXT(foreign.condition, "reason");
    ASSERT_TEXT(foreign.text, "outer");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("auth");
    TCase *tc = tcase_create("auth");
    tcase_add_test(tc, password_payload_is_nul_email_nul_password_nul_resource);
    tcase_add_test(tc, token_payload_is_nul_token_nul_resource);
    tcase_add_test(tc, payload_fields_are_read_back);
    tcase_add_test(tc, wipe_clears_the_secret);
    tcase_add_test(tc, stream_header_is_readdressed);
    tcase_add_test(tc, other_text_is_not_a_stream_header);
    tcase_add_test(tc, success_carries_the_jid_hosts_and_token);
    tcase_add_test(tc, success_without_token_or_hosts_leaves_them_empty);
    tcase_add_test(tc, success_without_a_jid_is_refused);
    tcase_add_test(tc, success_with_a_malformed_jid_is_refused);
    tcase_add_test(tc, plausible_jids_are_accepted);
    tcase_add_test(tc, implausible_hosts_are_dropped);
    tcase_add_test(tc, failure_condition_and_text);
    tcase_add_test(tc, failure_without_a_condition);
    tcase_add_test(tc, failure_with_unknown_children_takes_the_first);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
