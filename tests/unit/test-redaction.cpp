// core/redaction: no password or token survives into a log line, in any form.
#include <check.h>

#include "check-run.hpp"
#include <glib.h>

#include <string>

#include "core/auth.hpp"
#include "core/redaction.hpp"
#include "text-match.hpp"

using namespace hipchat::core;
using hipchat::test::contains;

namespace {

START_TEST(plain_and_escaped_forms_are_redacted)
{
    const auto forms = secret_forms("p&ss<w>rd");
    const std::string out =
        redact("pw=p&ss<w>rd xml=p&amp;ss&lt;w&gt;rd url=p%26ss%3Cw%3Erd", forms);
    ck_assert_msg(!contains(out, "ss<w>") && !contains(out, "ss&lt;w") && !contains(out, "%3Cw"),
                  "left: %s", out.c_str());
    ck_assert(contains(out, "pw=[redacted]"));
}
END_TEST

START_TEST(base64_at_every_alignment_is_redacted)
{
    const std::string secret = "correct horse battery";
    const auto forms = secret_forms(secret);
    // The secret inside auth payloads, shifted by the login's length.
    for (const char *login : {"a", "ab", "abc", "alice@example.com"}) {
        const std::string payload = password_auth_payload(login, secret, "res");
        const std::string out = redact("Sending: " + payload, forms);
        ck_assert_msg(out != "Sending: " + payload, "payload for %s not redacted", login);
        // What is left cannot decode back to the secret.
        ck_assert(!contains(out, secret));
    }
}
END_TEST

START_TEST(secret_carrying_places_are_redacted_whatever_their_value)
{
    const std::vector<std::string> none;
    const std::string success =
        "Recv (ssl)(200): <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl' jid='1_2@chat/x' "
        "oauth2_token='Zm9vYmFyYmF6cXV4' api_host='api'/>";
    const std::string out = redact(success, none);
    ck_assert(!contains(out, "Zm9vYmFyYmF6cXV4"));
    ck_assert(contains(out, "oauth2_token='[redacted]'"));
    ck_assert(contains(out, "api_host='api'"));

    ck_assert(!contains(redact("<token expiration='1' ttl='3600'>EXSFBabokEfqKS9</token>", none),
                        "EXSFBabokEfqKS9"));
    ck_assert(!contains(
        redact("<auth xmlns='http://hipchat.com' mechanism='oauth2'>AFRP</auth>", none), "AFRP"));
    ck_assert(!contains(redact("Authorization: Bearer abc.def-123\r\n", none), "abc.def"));
    ck_assert(!contains(redact("GET /v2/file/1?auth_token=sekrit&x=1", none), "sekrit"));
    ck_assert(!contains(redact("oauth2_token=\"dq\"", none), "dq\""));
}
END_TEST

// Each chunk through `reads`, joined as the log shows them.
std::string printed(ChunkRedactor &reads, std::initializer_list<std::string> chunks,
                    const std::vector<std::string> &forms = {})
{
    std::string log;
    for (const auto &chunk : chunks)
        log += reads.redact(chunk, forms) + "|";
    return log;
}

START_TEST(secrets_split_between_reads_are_redacted)
{
    const std::string token = "Zm9vYmFyYmF6cXV4";
    // Split inside the value, inside the attribute's name, and over three reads.
    for (const auto &[a, b] : std::initializer_list<std::pair<std::size_t, std::size_t>>{
             {40, 60}, {30, 60}, {44, 48}, {52, 53}}) {
        const std::string success =
            "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl' "
            "oauth2_token='" +
            token + "' api_host='api'/>";
        ChunkRedactor reads;
        const std::string log =
            printed(reads, {success.substr(0, a), success.substr(a, b - a), success.substr(b)});
        for (std::size_t i = 0; i + 4 <= token.size(); ++i)
            ck_assert_msg(!contains(log, token.substr(i, 4)), "split %zu/%zu left %s", a, b,
                          log.c_str());
        ck_assert_msg(contains(log, "api_host='api'"), "%s", log.c_str());
    }
    // The startup reply's <token>, split in its text.
    ChunkRedactor reads;
    const std::string log =
        printed(reads, {"<token expiration='1' ttl='3600'>EXSFBab", "okEfqKS9</token><x/>"});
    ck_assert_msg(!contains(log, "okEfqKS9") && contains(log, "</token><x/>"), "%s", log.c_str());
}
END_TEST

START_TEST(a_split_secret_survives_another_streams_read_in_between)
{
    ChunkRedactor reads;
    const std::string log = printed(
        reads, {"<success oauth2_token='ABCDEFGH", "<presence from='b@x/y'/>", "IJKLMNOP'/>"});
    ck_assert_msg(!contains(log, "IJKL"), "%s", log.c_str());
    ck_assert_msg(contains(log, "<presence from='b@x/y'/>"), "%s", log.c_str());
}
END_TEST

START_TEST(a_known_secret_split_between_reads_is_redacted)
{
    const std::string secret = "alice-demo-token";
    ChunkRedactor reads;
    const std::string log = printed(reads, {"<token>nothing</token> alice-dem", "o-token and more"},
                                    secret_forms(secret));
    ck_assert_msg(!contains(log, "alice-dem") && !contains(log, "o-token"), "%s", log.c_str());
    ck_assert(contains(log, "and more"));
}
END_TEST

START_TEST(ordinary_text_is_left_alone)
{
    const std::vector<std::string> none;
    const std::string text =
        "<features><auth xmlns='http://hipchat.com'/><authrestartlogic xmlns='http://hipchat.com'/>"
        "<token/></features> tokens=3";
    const std::string out = redact(text, none);
    ck_assert_str_eq(out.c_str(), text.c_str());
    // Very short secrets are not redacted as text (they would eat ordinary words).
    ck_assert(secret_forms("ab").empty());
    ck_assert(secret_forms("").empty());
}
END_TEST

START_TEST(hostile_input_does_not_break_redaction)
{
    const std::vector<std::string> forms = secret_forms("secret1");
    for (const char *text : {"oauth2_token=", "oauth2_token='", "<token", "<token>", "<auth ",
                             "Bearer ", "auth_token=", "<token>secret1", "secret1secret1"}) {
        const std::string out = redact(text, forms);
        ck_assert(!contains(out, "secret1"));
    }
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("redaction");
    TCase *tc = tcase_create("redaction");
    tcase_add_test(tc, plain_and_escaped_forms_are_redacted);
    tcase_add_test(tc, base64_at_every_alignment_is_redacted);
    tcase_add_test(tc, secret_carrying_places_are_redacted_whatever_their_value);
    tcase_add_test(tc, ordinary_text_is_left_alone);
    tcase_add_test(tc, secrets_split_between_reads_are_redacted);
    tcase_add_test(tc, a_split_secret_survives_another_streams_read_in_between);
    tcase_add_test(tc, a_known_secret_split_between_reads_is_redacted);
    tcase_add_test(tc, hostile_input_does_not_break_redaction);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
