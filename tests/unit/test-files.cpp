// core/files: the share/file frame, safe file names, REST error messages.
#include <string>

#include "core/files.hpp"

#include <check.h>

#include "assert-text.hpp"
#include "check-run.hpp"
#include "text-match.hpp"

using namespace hipchat::core;
using hipchat::test::contains;

namespace {

START_TEST(the_upload_is_json_first_then_the_file)
{
    const auto frame = share_file_frame("pla\"n.txt", "text/plain", "see \"this\"\n", "hcb_x");
    ck_assert_str_eq(frame.content_type.c_str(), "multipart/related; boundary=hcb_x");
    ASSERT_TEXT(frame.head,
                "--hcb_x\r\nContent-Type: application/json; charset=UTF-8\r\n"
                "Content-Disposition: attachment; name=\"metadata\"\r\n\r\n"
                "{\"message\": \"see \\\"this\\\"\\n\"}\r\n--hcb_x\r\nContent-Type: text/plain\r\n"
                "Content-Disposition: attachment; name=\"file\"; filename=\"pla_n.txt\"\r\n\r\n");
    ASSERT_TEXT(frame.tail, "\r\n--hcb_x--\r\n");
    // Two application/json parts are refused by the server (§11.2).
    ck_assert(
        contains(share_file_frame("a.json", "application/json", "", "b").head,
                 "Content-Type: text/plain\r\nContent-Disposition: attachment; name=\"file\""));
    ck_assert(contains(share_file_frame("a", "", "", "b").head, "application/octet-stream"));
    ASSERT_TEXT(json_string("\x01"), "\"\\u0001\"");
}
END_TEST

START_TEST(file_names_cannot_escape_or_hide)
{
    ASSERT_TEXT(safe_file_name("../../etc/passwd"), "passwd");
    ASSERT_TEXT(safe_file_name("C:\\Users\\x\\evil.exe"), "evil.exe");
    ASSERT_TEXT(safe_file_name("..."), "file");
    ASSERT_TEXT(safe_file_name(".bashrc"), "bashrc");
    ASSERT_TEXT(safe_file_name("a\nb\x1b[31mc.txt"), "ab[31mc.txt");
    ASSERT_TEXT(safe_file_name(""), "file");
    ASSERT_TEXT(safe_file_name("dir/"), "file");
    ASSERT_TEXT(safe_file_name("bad\xff.png"), "bad\xef\xbf\xbd.png");
    // Bidirectional overrides and isolates, zero-width and C1 characters:
    // "invoice<RLO>fdp.exe" shows as "invoiceexe.pdf".
    ASSERT_TEXT(safe_file_name("invoice\u202efdp.exe"), "invoicefdp.exe");
    ASSERT_TEXT(safe_file_name("a\u2066b\u2069c\u200bd\u200fe\ufefff\u0085g.txt"), "abcdefg.txt");
    ASSERT_TEXT(safe_file_name("\u202e.bashrc"), "bashrc");
    ASSERT_TEXT(safe_file_name("Grüße\u2028.txt"), "Grüße.txt");
    const std::string long_name = safe_file_name(std::string(150, 'x') + std::string(60, '\xc3'));
    ck_assert_int_le(long_name.size(), 200);
    std::string umlauts;
    for (int i = 0; i < 150; ++i)
        umlauts += "\xc3\xa4";  // ä, two bytes
    const std::string cut = safe_file_name(umlauts);
    ck_assert_int_eq(cut.size(), 200);  // 100 whole characters
}
END_TEST

START_TEST(rest_errors_read_as_sentences)
{
    const auto e = parse_rest_error(
        "{\"error\":{\"code\":403,\"message\":\"This action requires one of the following scopes: "
        "[send_message]\",\"type\":\"Forbidden\"}}");
    ck_assert(e.has_value());
    ck_assert_int_eq(e->code, 403);
    ck_assert_str_eq(e->type.c_str(), "Forbidden");
    ck_assert(!parse_rest_error("<html>502</html>").has_value());
    ck_assert(!parse_rest_error("{\"error\":\"x\"}").has_value());

    ck_assert(contains(describe_rest_failure(403,
                                             "{\"error\":{\"code\":403,\"message\":\"This "
                                             "action requires one of the following scopes: "
                                             "[send_message]\"}}",
                                             "", 0, 0),
                       "[send_message]"));
    ck_assert(contains(describe_rest_failure(401, "", "", 0, 0), "personal API token"));
    ck_assert(contains(describe_rest_failure(429, "", "", 1000 + 150, 1000), "in 3 minutes"));
    ck_assert(contains(describe_rest_failure(429, "", "", 0, 1000), "in 1 minute."));
    ck_assert(contains(describe_rest_failure(503, "garbage", "", 0, 0), "unavailable"));
    ck_assert(
        contains(describe_rest_failure(400, "{\"error\":{\"message\":\"No file\"}}", "", 0, 0),
                 "could not take the file: No file"));
    ck_assert(contains(describe_rest_failure(0, "", "Connection refused", 0, 0),
                       "could not be reached: Connection refused"));
    ck_assert(contains(describe_rest_failure(500, "", "", 0, 0), "(500)"));
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("files");
    TCase *tc = tcase_create("files");
    tcase_add_test(tc, the_upload_is_json_first_then_the_file);
    tcase_add_test(tc, file_names_cannot_escape_or_hide);
    tcase_add_test(tc, rest_errors_read_as_sentences);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
