// core/element-xml: an Element written back as XML text, as the emulator
// passes stanzas on.
#include <string>
#include <vector>

#include "assert-text.hpp"
#include "check-run.hpp"
#include "core/element-xml.hpp"
#include "xml-fixture.hpp"

#include <check.h>

using namespace hipchat::core;
using hipchat::test::element;

namespace {

bool same(const Element &a, const Element &b)
{
    if (a.name != b.name || a.xmlns != b.xmlns || a.attributes != b.attributes ||
        a.text != b.text || a.children.size() != b.children.size())
        return false;
    for (std::size_t i = 0; i < a.children.size(); ++i) {
        if (!same(a.children[i], b.children[i]))
            return false;
    }
    return true;
}

START_TEST(a_stanza_in_the_stream_namespace_leaves_it_out)
{
    const Element message = element(
        "<message xmlns='jabber:client' to='a@b/c' type='chat'><body>hi</body>"
        "<x xmlns='http://hipchat.com'><echo/></x></message>");
    ASSERT_TEXT(to_xml(message, "jabber:client"),
                "<message to='a@b/c' type='chat'><body>hi</body>"
                "<x xmlns='http://hipchat.com'><echo/></x></message>");
}
END_TEST

START_TEST(without_a_context_the_outermost_namespace_is_written)
{
    ASSERT_TEXT(to_xml(element("<query xmlns='jabber:iq:last' seconds='3'/>")),
                "<query xmlns='jabber:iq:last' seconds='3'/>");
    // A child back in an outer namespace says so again.
    ASSERT_TEXT(to_xml(element("<a xmlns='x'><b xmlns='y'><c xmlns='x'/></b></a>")),
                "<a xmlns='x'><b xmlns='y'><c xmlns='x'/></b></a>");
    Element bare;
    bare.name = "r";
    ASSERT_TEXT(to_xml(bare), "<r/>");
}
END_TEST

START_TEST(a_child_in_no_namespace_is_written_with_an_empty_one)
{
    Element parent;
    parent.name = "presence";
    parent.xmlns = "jabber:client";
    parent.children.emplace_back();
    parent.children.back().name = "odd";
    ASSERT_TEXT(to_xml(parent, "jabber:client"), "<presence><odd xmlns=''/></presence>");
}
END_TEST

START_TEST(text_and_attribute_values_are_escaped)
{
    const Element body = element(
        "<body xmlns='jabber:client' title=\"it's &quot;x&quot;\">a &lt;b&gt; &amp; c</body>");
    ASSERT_TEXT(to_xml(body, "jabber:client"),
                "<body title='it&apos;s &quot;x&quot;'>a &lt;b&gt; &amp; c</body>");
}
END_TEST

START_TEST(written_text_parses_back_to_the_same_element)
{
    for (const char *xml : {
             "<iq xmlns='jabber:client' type='get' id='1'><query "
             "xmlns='http://jabber.org/protocol/disco#info'/></iq>",
             "<presence xmlns='jabber:client'><show>away</show><status>Out &amp; about</status>"
             "<query xmlns='jabber:iq:last' seconds='600'/></presence>",
             "<message xmlns='jabber:client' to='r@conf'><x "
             "xmlns='http://jabber.org/protocol/muc#user'><invite to='p@chat'><reason>Join "
             "us</reason></invite></x></message>",
         }) {
        const Element original = element(xml);
        ck_assert_msg(same(element(to_xml(original)), original), "changed: %s", xml);
        ASSERT_TEXT(to_xml(original), xml);
    }
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("element-xml");
    TCase *tc = tcase_create("element-xml");
    tcase_add_test(tc, a_stanza_in_the_stream_namespace_leaves_it_out);
    tcase_add_test(tc, without_a_context_the_outermost_namespace_is_written);
    tcase_add_test(tc, a_child_in_no_namespace_is_written_with_an_empty_one);
    tcase_add_test(tc, text_and_attribute_values_are_escaped);
    tcase_add_test(tc, written_text_parses_back_to_the_same_element);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
