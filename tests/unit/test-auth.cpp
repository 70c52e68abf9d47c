// core/auth: the HipChat auth payloads and the stream header's address.
#include <check.h>

#include "check-run.hpp"
#include <glib.h>

#include <string>

#include "core/auth.hpp"

using namespace hipchat::core;

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

}  // namespace

int main()
{
    Suite *suite = suite_create("auth");
    TCase *tc = tcase_create("auth");
    tcase_add_test(tc, password_payload_is_nul_email_nul_password_nul_resource);
    tcase_add_test(tc, token_payload_is_nul_token_nul_resource);
    tcase_add_test(tc, wipe_clears_the_secret);
    tcase_add_test(tc, stream_header_is_readdressed);
    tcase_add_test(tc, other_text_is_not_a_stream_header);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
