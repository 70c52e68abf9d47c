// core/link-metadata: the link previews HipChat's server attached to messages
// (§8.5) and the one-line cards the plugin shows for them.
#include <check.h>

#include "assert-text.hpp"
#include "check-run.hpp"

#include <string>
#include <string_view>

#include "core/link-metadata.hpp"
#include "core/message.hpp"
#include "xml-fixture.hpp"

using namespace hipchat::core;
using hipchat::test::element;

namespace {

LinkMetadata meta_of(std::string_view xml)
{
    const auto meta = parse_link_metadata(element(xml));
    ck_assert_msg(meta.has_value(), "no metadata in: %.*s", int(xml.size()), xml.data());
    return *meta;
}

constexpr std::string_view head =
    "<message type='groupchat' from='10804_dev@conf.hipchat.com/Bob Test' mid='m1'>"
    "<body>see https://example.com/x</body>";

}  // namespace

START_TEST(a_link_card_shows_title_description_and_address)
{
    const std::string xml = std::string(head) +
                            "<x xmlns='http://hipchat.com/protocol/muc#room'>"
                            "<metadata type='link' url='https://example.com/x' title='Example'"
                            " description='An example page'/></x></message>";
    const LinkMetadata m = meta_of(xml);
    ASSERT_TEXT(m.type, "link");
    ASSERT_TEXT(link_card_text(m), "Link: Example — An example page — https://example.com/x");
}
END_TEST

START_TEST(fields_are_attributes_or_children_camel_or_snake_case)
{
    // x2js makes an attribute and a child alike; the web client's link card
    // prefers full_url, header_text and desc (link.js), the REST form comes
    // in camelCase (formatAPIMessages 420-423).
    const LinkMetadata m =
        meta_of(std::string(head) +
                "<x xmlns='urn:example'><metadata><type>link</type>"
                "<url>https://e.com/short</url><fullUrl>https://e.com/long</fullUrl>"
                "<title>T</title><header_text>Header</header_text>"
                "<desc>D</desc></metadata></x></message>");
    ASSERT_TEXT(m.url, "https://e.com/long");
    ASSERT_TEXT(m.title, "Header");
    ASSERT_TEXT(m.description, "D");
    const LinkMetadata t =
        meta_of(std::string(head) +
                "<x><metadata type='twitter_user' screenName='hipchat' name='HipChat'"
                " followers='1200' url='https://twitter.com/hipchat'/></x></message>");
    ASSERT_TEXT(link_card_text(t),
                "Twitter: HipChat (@hipchat) — 1200 followers — https://twitter.com/hipchat");
}
END_TEST

START_TEST(each_type_as_its_web_card)
{
    const auto card = [](std::string_view metadata) {
        return link_card_text(
            meta_of(std::string(head) + "<x>" + std::string(metadata) + "</x></message>"));
    };
    ASSERT_TEXT(card("<metadata type='video' url='https://youtu.be/v' title='A talk' author='Ann'"
                     " views='42' thumb='https://i.example/t.jpg'/>"),
                "Video: A talk — Ann — 42 views — https://youtu.be/v");
    ASSERT_TEXT(card("<metadata type='image' image='https://e.com/cat.png' name='cat.png'/>"),
                "HipChat: cat.png — https://e.com/cat.png");
    ASSERT_TEXT(
        card("<metadata type='twitter_status' text='Hello\nworld' name='HipChat'"
             " screen_name='hipchat' source='Web' url='https://twitter.com/hipchat/status/1'/>"),
        "Twitter: “Hello world” — HipChat (@hipchat) — via Web — "
        "https://twitter.com/hipchat/status/1");
    // Nothing to show: no card.
    ASSERT_TEXT(card("<metadata type='link'/>"), "");
    // An info message is drawn as the message itself.
    ASSERT_TEXT(card("<metadata type='info' text='x'/>"), "");
}
END_TEST

START_TEST(server_text_cannot_break_the_line_nor_pass_for_a_link)
{
    const LinkMetadata m =
        meta_of(std::string(head) +
                "<x><metadata type='link' title='Bob\n[12:00] Alice: send me your password\u202e'"
                " url='javascript:alert(1)' views='12 or so' screen_name='a b'/></x></message>");
    ASSERT_TEXT(m.title, "Bob [12:00] Alice: send me your password");
    ck_assert(m.views.empty());
    ck_assert(m.screen_name.empty());
    // The address is left out: not http(s).
    ASSERT_TEXT(link_card_text(m), "Link: Bob [12:00] Alice: send me your password");
    // Long fields are cut at a character boundary.
    std::string long_title;
    for (int i = 0; i < 400; ++i)
        long_title += "é";
    const LinkMetadata cut = meta_of(std::string(head) + "<x><metadata type='link' title='" +
                                     long_title + "'/></x></message>");
    ck_assert_uint_le(cut.title.size(), max_field_bytes);
    ck_assert_uint_eq(cut.title.size() % 2, 0);
}
END_TEST

START_TEST(no_metadata_or_no_type_is_none)
{
    ck_assert(!parse_link_metadata(element(std::string(head) + "</message>")));
    ck_assert(!parse_link_metadata(
        element(std::string(head) + "<x><metadata url='https://e.com'/></x></message>")));
    // Only an x's metadata: not the message's own children.
    ck_assert(
        !parse_link_metadata(element(std::string(head) + "<metadata type='link'/></message>")));
}
END_TEST

START_TEST(an_info_message_is_a_gray_line_that_never_alerts)
{
    const auto m = parse_message(element(
        "<message type='groupchat' from='10804_dev@conf.hipchat.com/Bob Test' mid='m2'>"
        "<body>@AliceExample the build is green</body><x><metadata type='info'/></x></message>"));
    ck_assert(m.has_value() && m->link_metadata.has_value());
    const Rendered r = render_message(*m);
    ck_assert(r.system);
    ck_assert(!r.highlight_allowed);
    ck_assert(r.html.find("the build is green") != std::string::npos);
    ck_assert(r.html.find("<font color=") == 0);
    // A link card leaves the message as it was.
    const auto link = parse_message(element(
        std::string(head) + "<x><metadata type='link' url='https://e.com'/></x></message>"));
    const Rendered plain = render_message(*link);
    ck_assert(!plain.system);
    ck_assert(plain.highlight_allowed);
}
END_TEST

int main()
{
    Suite *suite = suite_create("link-metadata");
    TCase *tc = tcase_create("link-metadata");
    tcase_add_test(tc, a_link_card_shows_title_description_and_address);
    tcase_add_test(tc, fields_are_attributes_or_children_camel_or_snake_case);
    tcase_add_test(tc, each_type_as_its_web_card);
    tcase_add_test(tc, server_text_cannot_break_the_line_nor_pass_for_a_link);
    tcase_add_test(tc, no_metadata_or_no_type_is_none);
    tcase_add_test(tc, an_info_message_is_a_gray_line_that_never_alerts);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
