// core/html: escaping, and notification HTML (§8.4) made safe for libpurple.
#include <check.h>

#include "check-run.hpp"
#include <glib.h>

#include <string>
#include <string_view>

#include "core/html.hpp"
#include "text-match.hpp"

using namespace hipchat::core;
using hipchat::test::occurrences;

namespace {

void expect_eq(const std::string &got, std::string_view expected)
{
    ck_assert_msg(got == expected, "got '%s'\n  not '%.*s'", got.c_str(), int(expected.size()),
                  expected.data());
}

void expect_html(std::string_view input, std::string_view expected)
{
    const std::string out = sanitise_notification_html(input);
    ck_assert_msg(out == expected, "'%.*s'\n  gave '%s'\n  not  '%.*s'", int(input.size()),
                  input.data(), out.c_str(), int(expected.size()), expected.data());
}

void expect_plain(std::string_view input, std::string_view expected)
{
    const std::string out = html_to_plain_text(input);
    ck_assert_msg(out == expected, "'%.*s'\n  gave '%s'\n  not  '%.*s'", int(input.size()),
                  input.data(), out.c_str(), int(expected.size()), expected.data());
}

std::string repeat(std::string_view part, std::size_t times)
{
    std::string out;
    for (std::size_t i = 0; i < times; ++i)
        out += part;
    return out;
}

START_TEST(escaping)
{
    expect_eq(html_escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
    expect_eq(html_escape(""), "");
    expect_eq(text_to_html("a < b\nc\r\nd\re & f"), "a &lt; b<br>c<br>d<br>e &amp; f");
    expect_eq(text_to_html("bad \xff byte"), "bad \xef\xbf\xbd byte");
    expect_eq(text_to_html(""), "");
}
END_TEST

START_TEST(safe_urls)
{
    for (const char *good : {"http://x", "HTTPS://example.com/a?b", "mailto:a@b", " https://x "})
        ck_assert_msg(is_safe_url(good), "%s refused", good);
    for (const char *bad :
         {"", "http://", "https://", "mailto:", "javascript:alert(1)", " javascript:x",
          "JaVaScRiPt:x", "data:text/html,x", "vbscript:x", "ftp://x", "//evil.example",
          "/relative", "https://a\nb", "https://a\tb", "java\tscript:x", "file:///etc/passwd"})
        ck_assert_msg(!is_safe_url(bad), "%s accepted", bad);
    ck_assert(!is_safe_url("mailto:a@b", false));
    ck_assert(is_safe_url("https://x", false));
}
END_TEST

START_TEST(allowed_formatting_is_kept)
{
    expect_html("<b>Build #42</b> failed", "<b>Build #42</b> failed");
    expect_html("<strong>a</strong> <em>b</em> <i>c</i> <u>d</u> <code>e</code>",
                "<strong>a</strong> <em>b</em> <i>c</i> <u>d</u> <code>e</code>");
    expect_html("<B>loud</B>", "<b>loud</b>");
    expect_html("<blockquote>q</blockquote>", "<blockquote>q</blockquote>");
    expect_html("plain text", "plain text");
    expect_html("", "");
    // Nothing to format: no empty tags.
    expect_html("<b></b>x<i> </i>", "x");
    expect_html("<b><i></i></b>", "");
}
END_TEST

START_TEST(attributes_are_dropped)
{
    expect_html("<b onclick=\"evil()\" style='x' class=y>x</b>", "<b>x</b>");
    expect_html("<i onmouseover=alert(1)>x</i>", "<i>x</i>");
    expect_html("<span style=\"color:red\"><font color=red face=x>t</font></span>", "t");
    // Thousands of attributes cost nothing and hide nothing.
    expect_html("<a " + repeat("x=1 ", 10000) + "href=https://e.example/>l</a>",
                "<a href=\"https://e.example/\">l</a>");
    expect_html("<a href=https://first.example/ HREF=javascript:x>l</a>",
                "<a href=\"https://first.example/\">l</a>");
}
END_TEST

START_TEST(only_web_and_mail_links_survive)
{
    expect_html(
        "<a href=\"https://example.com/a?b=1&amp;c=2\" onclick=\"x\" target=_blank>site</a>",
        "<a href=\"https://example.com/a?b=1&amp;c=2\">site</a>");
    expect_html("<a href='mailto:bob@example.com'>Bob</a>",
                "<a href=\"mailto:bob@example.com\">Bob</a>");
    expect_html("<a href=\" https://ok.example/ \">ok</a>",
                "<a href=\"https://ok.example/\">ok</a>");
    expect_html("<a href=\"javascript:alert(1)\">click</a>", "click");
    expect_html("<a href=\"JaVaScRiPt:alert(1)\">click</a>", "click");
    expect_html("<a href=\"&#106;avascript:alert(1)\">click</a>", "click");
    expect_html("<a href=\"java&#x09;script:alert(1)\">click</a>", "click");
    expect_html("<a href=\"data:text/html,<script>alert(1)</script>\">d</a>", "d");
    expect_html("<a href=\"/relative\">r</a>", "r");
    expect_html("<a>no href</a>", "no href");
    // A quote in the URL cannot break out of the attribute.
    expect_html("<a href='https://x.example/\"onmouseover=\"x'>q</a>",
                "<a href=\"https://x.example/&quot;onmouseover=&quot;x\">q</a>");
    // An empty link shows its URL; a link inside a link ends the first.
    expect_html("<a href=\"https://e.example/\"></a>",
                "<a href=\"https://e.example/\">https://e.example/</a>");
    expect_html(
        "<a href=\"https://a.example/\">one <a href=\"https://b.example/\">two</a> three</a>",
        "<a href=\"https://a.example/\">one</a> <a href=\"https://b.example/\">two</a> three");
}
END_TEST

START_TEST(dangerous_elements_are_dropped_with_their_content)
{
    expect_html("<script>alert(1)</script>hi", "hi");
    expect_html("<SCRIPT type=\"x\">a</b>b</SCRIPT >ok", "ok");
    expect_html("<script>var s = '<b>not a tag</b>';</script>after", "after");
    expect_html("<style>b { color: red }</style>x", "x");
    expect_html("<iframe src=\"https://evil.example/\">fallback</iframe>", "");
    expect_html("<object data=x><param name=a>text</object>after", "after");
    expect_html("<form action=x><input name=p><button>Go</button>label</form>done", "done");
    expect_html("<textarea><b>x</b></textarea>y", "y");
    expect_html("<select><option>1</option></select>z", "z");
    expect_html("<embed src=x>e", "e");
    expect_html("<b>x<script>y</script>z</b>", "<b>xz</b>");
    expect_html("<svg><script>alert(1)</script><text>t</text></svg>ok", "ok");
    // Never closed: everything after is gone.
    expect_html("a<script>never closed <b>b", "a");
    expect_html("a<form><b>b", "a");
    // Nested dropped elements end where they end.
    expect_html("<form><form>x</form>y</form>z", "z");
    // Split-tag tricks stay text.
    expect_html("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)");
}
END_TEST

START_TEST(entities_are_decoded_and_escaped_again)
{
    expect_html("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;");
    expect_html("&amp;lt;b&amp;gt;", "&amp;lt;b&amp;gt;");
    expect_html(
        "Tom &amp; Jerry &quot;q&quot; &apos;x&apos; &copy; &hellip; &#169; &#xA9; &#x1F600;",
        "Tom &amp; Jerry &quot;q&quot; 'x' \u00a9 \u2026 \u00a9 \u00a9 \U0001F600");
    expect_html("a&nbsp;b", "a\u00a0b");
    expect_html("&#0;&#xD800;&#x110000;&#99999999999;", "\ufffd\ufffd\ufffd\ufffd");
    expect_html("&#150; &#x80;", "\u2013 \u20ac");  // Windows-1252, as browsers do
    expect_html("&unknown; &amp &#; &#x; & x", "&amp;unknown; &amp;amp &amp;#; &amp;#x; &amp; x");
    expect_html("1 < 2 > 0 \"q\"", "1 &lt; 2 &gt; 0 &quot;q&quot;");
    expect_html("a<3 a <", "a&lt;3 a &lt;");
    expect_html("&#60;b&#62;not bold&#60;/b&#62;", "&lt;b&gt;not bold&lt;/b&gt;");
}
END_TEST

START_TEST(blocks_become_line_breaks)
{
    expect_html("<p>one</p><p>two</p>", "one<br>two");
    expect_html("intro<p>para</p>end", "intro<br>para<br>end");
    expect_html("<div>a</div><div>b</div>", "a<br>b");
    expect_html("<h1>Title</h1>body", "Title<br>body");
    expect_html("a<hr>b", "a<br>b");
    expect_html("line1<br>line2<br/>line3<BR /></br>", "line1<br>line2<br>line3");
    expect_html("a<br><br>b", "a<br><br>b");
    expect_html("<b><p>x</p></b>y", "<b>x</b><br>y");
    expect_html("  a \n\t b  ", "a b");
    expect_html("a" + repeat("<br>", 50) + "b", "a" + repeat("<br>", 8) + "b");
}
END_TEST

START_TEST(lists_become_lines)
{
    expect_html("<ul><li>one</li><li>two</li></ul>after", "\u2022 one<br>\u2022 two<br>after");
    expect_html("<ol><li>first<li>second</ol>", "1. first<br>2. second");
    expect_html("<ul>\n  <li> one </li>\n</ul>", "\u2022 one");
    expect_html("Items:<ul><li>a<ul><li>b</li></ul></li></ul>", "Items:<br>\u2022 a<br>\u2022 b");
    expect_html("<li>stray</li>", "\u2022 stray");
}
END_TEST

START_TEST(tables_become_text)
{
    expect_html(
        "<table><tr><th>Name</th><th>State</th></tr>"
        "<tr><td>web</td><td>up</td></tr></table>",
        "Name | State<br>web | up");
    expect_html("Status:<table><tbody><tr><td> a </td><td>b</td><td>c</td></tr></tbody></table>x",
                "Status:<br>a | b | c<br>x");
    expect_html("<table><tr><td>1<td>2<tr><td>3<td>4</table>", "1 | 2<br>3 | 4");
}
END_TEST

START_TEST(images_become_links)
{
    expect_html("<img src=\"https://example.com/cat.png\" alt=\"a cat\" onerror=\"x\">",
                "<a href=\"https://example.com/cat.png\">[image: a cat]</a>");
    expect_html("see <img src='https://e.example/i.png'/> here",
                "see <a href=\"https://e.example/i.png\">[image]</a> here");
    expect_html("<img src=\"javascript:x\" alt=\"y\">", "[image: y]");
    expect_html("<img src=\"data:image/png;base64,xx\">", "[image]");
    expect_html("<img src=\"mailto:a@b\">", "[image]");
    expect_html("<img alt=\"<b>&amp;\">", "[image: &lt;b&gt;&amp;]");
    expect_html("<a href=\"https://e.example/\"><img src=\"https://e.example/i.png\" alt=logo></a>",
                "<a href=\"https://e.example/\">[image: logo]</a>");
    ck_assert(sanitise_notification_html("<IMG SRC=https://e.x/a.png>").find("<img") ==
              std::string::npos);
}
END_TEST

START_TEST(preformatted_text_keeps_its_lines)
{
    expect_html("<pre>a  b\nc</pre>", "<pre>a  b<br>c</pre>");
    expect_html("x<pre>y</pre>z", "x<br><pre>y</pre><br>z");
    expect_html("<pre>a\n</pre>", "<pre>a</pre>");
    expect_html("<pre><b>x</b>\r\ny</pre>", "<pre><b>x</b><br>y</pre>");
}
END_TEST

START_TEST(unbalanced_tags_are_balanced)
{
    expect_html("<b><i>x", "<b><i>x</i></b>");
    expect_html("<b>a<i>b</b>c</i>", "<b>a<i>b</i></b>c");
    expect_html("</b>stray</i>", "stray");
    expect_html("<b>bold <u>under", "<b>bold <u>under</u></b>");
    expect_html("<a href=\"https://e.example/\">link <b>bold",
                "<a href=\"https://e.example/\">link <b>bold</b></a>");
}
END_TEST

START_TEST(nesting_is_bounded)
{
    expect_html(repeat("<b>", 100) + "x" + repeat("</b>", 100),
                repeat("<b>", 32) + "x" + repeat("</b>", 32));
    expect_html(repeat("<i>", 1000) + "x", repeat("<i>", 32) + "x" + repeat("</i>", 32));
    expect_html(repeat("<ul><li>", 100) + "x", repeat("\u2022 <br>", 99) + "\u2022 x");
    expect_html(repeat("<form>", 1000) + "x" + repeat("</form>", 1000) + "y", "y");
}
END_TEST

START_TEST(comments_doctypes_and_unterminated_markup_are_dropped)
{
    expect_html("a<!-- <script>alert(1)</script> -->b", "ab");
    expect_html("a<!---->b<!-->c", "abc");
    expect_html(
        "<!DOCTYPE html><html><head><title>T</title><meta charset=utf-8></head>"
        "<body>hi</body></html>",
        "hi");
    expect_html("<?xml version=\"1.0\"?>x", "x");
    expect_html("a<!-- never closed <b>b", "a");
    expect_html("hello <b class=\"x", "hello");
    expect_html("a <b", "a");
    expect_html("a </b", "a");
}
END_TEST

START_TEST(bad_bytes_and_controls)
{
    expect_html(
        "a\xff"
        "b",
        "a\ufffd"
        "b");
    expect_html(
        "a\x01\x7f"
        "b",
        "ab");
    expect_html(std::string_view("a\0b", 3),
                "a\ufffd"
                "b");
}
END_TEST

START_TEST(huge_input_is_cut)
{
    const std::string out = sanitise_notification_html(repeat("a", 70000));
    expect_eq(out, (repeat("a", max_html_input) + "\u2026"));

    expect_html("<b>" + repeat("x", 70000), "<b>" + repeat("x", max_html_input - 3) + "\u2026</b>");

    // Cut at a character boundary, never inside "é".
    const std::string cut = sanitise_notification_html("a" + repeat("\u00e9", 40000));
    ck_assert(g_utf8_validate(cut.c_str(), static_cast<gssize>(cut.size()), nullptr));
    expect_eq(cut, ("a" + repeat("\u00e9", 32767) + "\u2026"));

    // Hostile and large: still bounded and balanced.
    const std::string nested =
        sanitise_notification_html(repeat("<b><i><a href=https://x>", 20000));
    ck_assert_int_lt(nested.size(), 4 * max_html_input);
    ck_assert_int_eq(occurrences(nested, "<a "), occurrences(nested, "</a>"));
    ck_assert_int_eq(occurrences(nested, "<b>"), occurrences(nested, "</b>"));
    ck_assert_int_eq(occurrences(nested, "<i>"), occurrences(nested, "</i>"));
    ck_assert(nested.find("\u2026") != std::string::npos);
}
END_TEST

START_TEST(plain_text_for_bitlbee)
{
    expect_plain("<p>Build <b>#42</b> failed</p><ul><li>a</li><li>b</li></ul>",
                 "Build #42 failed\n\u2022 a\n\u2022 b");
    expect_plain("<a href=\"https://e.example/\">site</a>", "site (https://e.example/)");
    expect_plain("<a href=\"https://e.example/\">https://e.example/</a>", "https://e.example/");
    expect_plain("<a href=\"mailto:bob@e.example\">bob@e.example</a>", "bob@e.example");
    expect_plain("<a href=\"javascript:x\">js</a>", "js");
    expect_plain("<img src=\"https://e.example/c.png\" alt=\"cat\">",
                 "[image: cat] (https://e.example/c.png)");
    expect_plain("&lt;b&gt; &amp; <script>x</script>", "<b> &");
    expect_plain("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
                 "a | b\nc | d");
    expect_plain("a<br>b", "a\nb");
}
END_TEST

START_TEST(links_whose_text_is_another_address_name_their_real_host)
{
    // The audit's case: the text says HipChat, the link goes elsewhere.
    expect_html("<a href=\"https://evil.example/login\">https://hipchat.example.com/login</a>",
                "<a href=\"https://evil.example/login\">https://hipchat.example.com/login</a>"
                " (evil.example)");
    // A host name without a scheme, nested formatting, user info and ports.
    expect_html("<a href=\"http://evil.example:8080/\"><b>www.hipchat.com</b></a>",
                "<a href=\"http://evil.example:8080/\"><b>www.hipchat.com</b></a> (evil.example)");
    expect_html("<a href=\"https://hipchat.com@evil.example/x\">hipchat.com/x</a>",
                "<a href=\"https://hipchat.com@evil.example/x\">hipchat.com/x</a> (evil.example)");
    expect_html("<a href=\"https://hipchat.com.evil.example/\">hipchat.com</a>",
                "<a href=\"https://hipchat.com.evil.example/\">hipchat.com</a>"
                " (hipchat.com.evil.example)");
    // Honest links stay as they are: the same host (any path or case), or
    // words that are no address.
    expect_html("<a href=\"https://Example.com/a?b=1\">https://example.com/a</a>",
                "<a href=\"https://Example.com/a?b=1\">https://example.com/a</a>");
    expect_html("<a href=\"https://ci.example/42\">Build #42</a>",
                "<a href=\"https://ci.example/42\">Build #42</a>");
    expect_html("<a href=\"https://ci.example/42\">build.log</a> is long",
                "<a href=\"https://ci.example/42\">build.log</a> (ci.example) is long");
    expect_html("<a href=\"mailto:bob@example.com\">bob@example.com</a>",
                "<a href=\"mailto:bob@example.com\">bob@example.com</a>");
    // Plain text (bitlbee) writes every other target out already.
    expect_plain("<a href=\"https://evil.example/login\">https://hipchat.example.com/login</a>",
                 "https://hipchat.example.com/login (https://evil.example/login)");
}
END_TEST

START_TEST(url_hosts)
{
    expect_eq(url_host("https://User@Host.Example:443/p"), "host.example");
    expect_eq(url_host("http://[::1]:80/"), "[::1]");
    expect_eq(url_host("hipchat.com/login"), "");
    expect_eq(misleading_link_host("a.example", "https://a.example./"), "");
    expect_eq(misleading_link_host("two words.example", "https://x.example/"), "");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("html");
    TCase *tc = tcase_create("html");
    tcase_add_test(tc, escaping);
    tcase_add_test(tc, safe_urls);
    tcase_add_test(tc, allowed_formatting_is_kept);
    tcase_add_test(tc, attributes_are_dropped);
    tcase_add_test(tc, only_web_and_mail_links_survive);
    tcase_add_test(tc, dangerous_elements_are_dropped_with_their_content);
    tcase_add_test(tc, entities_are_decoded_and_escaped_again);
    tcase_add_test(tc, blocks_become_line_breaks);
    tcase_add_test(tc, lists_become_lines);
    tcase_add_test(tc, tables_become_text);
    tcase_add_test(tc, images_become_links);
    tcase_add_test(tc, preformatted_text_keeps_its_lines);
    tcase_add_test(tc, unbalanced_tags_are_balanced);
    tcase_add_test(tc, nesting_is_bounded);
    tcase_add_test(tc, comments_doctypes_and_unterminated_markup_are_dropped);
    tcase_add_test(tc, bad_bytes_and_controls);
    tcase_add_test(tc, huge_input_is_cut);
    tcase_add_test(tc, plain_text_for_bitlbee);
    tcase_add_test(tc, links_whose_text_is_another_address_name_their_real_host);
    tcase_add_test(tc, url_hosts);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
