// core/shared: the files and links IQs' results (§8.8, §8.5) as the
// official web client reads them (chat_plugin.js, file.js fromXMPP,
// application_store.js), and the file forms messages carry.
#include <check.h>

#include "check-run.hpp"

#include <string>

#include "assert-text.hpp"
#include "core/shared.hpp"
#include "xml-fixture.hpp"

using namespace hipchat::core;
using hipchat::test::element;

namespace {

START_TEST(authenticated_files_newest_first)
{
    const auto files = parse_listed_files(element(
        "<query xmlns='http://hipchat.com/protocol/files'>"
        "<authenticated_file><id>old</id><desc>Notes</desc><date>2016-01-04T22:28:11Z</date>"
        "<name>notes.txt</name><size>12</size><group_id>10804</group_id><user_id>204365</user_id>"
        "<auth_scheme>bearer</auth_scheme></authenticated_file>"
        "<authenticated_file><id>new</id><date>2016-01-05T08:00:00Z</date>"
        "<name>a/b/plan.pdf</name><size>2048</size><user_id>204364</user_id></authenticated_file>"
        "<authenticated_file><id>new</id><date>2016-01-05T08:00:00Z</date><name>again</name>"
        "</authenticated_file>"
        "<item><name>legacy.png</name></item>"  // the legacy form is not mixed in
        "<authenticated_file><name>no id</name></authenticated_file>"
        "</query>"));
    ck_assert_uint_eq(files.size(), 2);
    ASSERT_TEXT(files[0].file.name, "plan.pdf");
    ASSERT_TEXT(files[0].file.id, "new");
    ck_assert(files[0].file.authenticated && files[0].file.url.empty());
    ck_assert_uint_eq(files[0].file.size, 2048);
    ck_assert_uint_eq(files[0].user_id, 204364);
    ASSERT_TEXT(files[1].file.description, "Notes");
    ck_assert_int_eq(files[1].date, 1451946491);
}
END_TEST

START_TEST(legacy_files_by_their_address)
{
    // file.js's example of the legacy files IQ.
    const auto files = parse_listed_files(element(
        "<query xmlns='http://hipchat.com/protocol/files'>"
        "<item><id>2</id><name>10803/29833/randomchars/lolwut.png</name>"
        "<thumbnail>10803/29833/rnd/lolwut_thumb.png</thumbnail><bucket>b</bucket>"
        "<size>1803</size><desc>OMG LOLWUT</desc><group_id>10803</group_id>"
        "<user_id>29833</user_id><date>2013-03-10T12:00:00Z</date><authenticated>0</authenticated>"
        "<file_url>https://s3.amazonaws.com/x/lolwut.png</file_url></item>"
        "<item><name>dup.png</name><file_url>https://s3.amazonaws.com/x/lolwut.png</file_url>"
        "<date>2012-01-01T00:00:00Z</date></item>"
        "<item><date>garbage</date><size>-1</size><name>odd.txt</name></item>"
        "</query>"));
    ck_assert_uint_eq(files.size(), 2);
    ASSERT_TEXT(files[0].file.name, "lolwut.png");
    ASSERT_TEXT(files[0].file.url, "https://s3.amazonaws.com/x/lolwut.png");
    ck_assert(!files[0].file.authenticated);
    ck_assert_uint_eq(files[0].user_id, 29833);
    // Malformed dates and sizes are unknown, not fatal.
    ASSERT_TEXT(files[1].file.name, "odd.txt");
    ck_assert_int_eq(files[1].date, 0);
    ck_assert_uint_eq(files[1].file.size, 0);
}
END_TEST

START_TEST(links_newest_first_web_addresses_only)
{
    // chat_plugin.js's example of the links IQ.
    const auto links = parse_listed_links(element(
        "<query xmlns='http://hipchat.com/protocol/links'>"
        "<item><id>246769778</id><group_id>10804</group_id><user_id>3197019</user_id>"
        "<url>https://austin.craigslist.org/hsh/5369067832.html</url>"
        "<date>2016-01-11T16:45:22Z</date></item>"
        "<item><id>2</id><url>http://newer.example/</url><date>2016-02-01T00:00:00Z</date></item>"
        "<item><url>https://austin.craigslist.org/hsh/5369067832.html</url>"
        "<date>2015-01-01T00:00:00Z</date></item>"
        "<item><url>javascript:alert(1)</url></item><item/>"
        "</query>"));
    ck_assert_uint_eq(links.size(), 2);
    ASSERT_TEXT(links[0].url, "http://newer.example/");
    ASSERT_TEXT(links[1].url, "https://austin.craigslist.org/hsh/5369067832.html");
    ck_assert_uint_eq(links[1].user_id, 3197019);
    ck_assert_int_eq(links[1].date, 1452530722);
}
END_TEST

START_TEST(listings_are_bounded)
{
    std::string xml = "<query xmlns='http://hipchat.com/protocol/links'>";
    for (int i = 0; i < 1000; ++i)
        xml += "<item><url>https://example.com/" + std::to_string(i) + "</url></item>";
    ck_assert_uint_eq(parse_listed_links(element(xml + "</query>")).size(), max_listed);
}
END_TEST

START_TEST(the_file_in_a_message_body)
{
    ASSERT_TEXT(url_in_body("Notes: https://api/v2/file/abc and https://other/", "abc"),
                "https://api/v2/file/abc");
    ASSERT_TEXT(url_in_body("see https://one/ https://two/<b>", ""), "https://two/");
    ASSERT_TEXT(url_in_body("no address", "abc"), "");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("shared");
    TCase *tc = tcase_create("shared");
    tcase_add_test(tc, authenticated_files_newest_first);
    tcase_add_test(tc, legacy_files_by_their_address);
    tcase_add_test(tc, links_newest_first_web_addresses_only);
    tcase_add_test(tc, listings_are_bounded);
    tcase_add_test(tc, the_file_in_a_message_body);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
