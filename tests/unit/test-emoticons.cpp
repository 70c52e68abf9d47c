// core/emoticons: the IQ's list, pushes, the cache file, (shortcut)s, images.
#include <string>

#include "core/emoticons.hpp"

#include <check.h>

#include "check-run.hpp"

#include "xml-fixture.hpp"

using namespace hipchat::core;
using hipchat::test::element;

namespace {

const char *reply =
    "<query xmlns='http://hipchat.com/protocol/emoticons' ver='2012-08-21T12:00Z'>"
    "<path_prefix>\n  https://cdn.example/img/emoticons/  \n</path_prefix>"
    "<item><id>2</id><path>lolwut.gif</path><shortcut>lolwut</shortcut><w>25</w><h>25</h>"
    "<type>global</type></item>"
    "<item><id>560651</id><path>10804/troll.png</path><shortcut>troll</shortcut><w>30</w>"
    "<h>26</h><type>group</type></item>"
    "<item><id>3</id><path>x.png</path><shortcut>bad shortcut</shortcut></item>"
    "<item><id>4</id><shortcut>nopath</shortcut></item>"
    "<item><id>5</id><path>big.png</path><shortcut>nodims</shortcut><w>huge</w></item>"
    "</query>";

START_TEST(the_list_comes_with_urls_and_sizes)
{
    const auto list = parse_emoticons(element(reply));
    ck_assert_str_eq(list.ver.c_str(), "2012-08-21T12:00Z");
    ck_assert_int_eq(list.items.size(), 3);
    ck_assert_str_eq(list.items[0].url.c_str(), "https://cdn.example/img/emoticons/lolwut.gif");
    ck_assert_int_eq(list.items[0].width, 25);
    ck_assert_str_eq(list.items[1].url.c_str(),
                     "https://cdn.example/img/emoticons/10804/troll.png");
    ck_assert_int_eq(list.items[1].id, 560651);
    ck_assert_int_eq(list.items[2].width, 30);  // the default for a missing or odd size
}
END_TEST

START_TEST(pushes_change_and_add_items)
{
    auto list = parse_emoticons(element(reply));
    apply_emoticon_push(
        list, parse_emoticons(element(
                  "<query xmlns='http://hipchat.com/protocol/emoticons' ver='v2'>"
                  "<path_prefix>https://cdn.example</path_prefix>"
                  "<item><id>2</id><path>lolwut2.gif</path><shortcut>lolwut</shortcut></item>"
                  "<item><id>9</id><path>new.png</path><shortcut>new</shortcut></item></query>")));
    ck_assert_str_eq(list.ver.c_str(), "v2");
    ck_assert_int_eq(list.items.size(), 4);
    ck_assert_str_eq(list.items[0].url.c_str(), "https://cdn.example/lolwut2.gif");
    ck_assert_str_eq(list.items[3].shortcut.c_str(), "new");
}
END_TEST

START_TEST(the_cache_file_round_trips_and_refuses_garbage)
{
    const auto list = parse_emoticons(element(reply));
    const auto back = deserialise_emoticons(serialise_emoticons(list));
    ck_assert(back.has_value());
    ck_assert_str_eq(back->ver.c_str(), list.ver.c_str());
    ck_assert_int_eq(back->items.size(), list.items.size());
    ck_assert_str_eq(back->items[1].url.c_str(), list.items[1].url.c_str());
    ck_assert_int_eq(back->items[1].height, 26);
    ck_assert(!deserialise_emoticons("").has_value());
    ck_assert(!deserialise_emoticons("something else\n").has_value());
    ck_assert(!deserialise_emoticons("hipchat-emoticons 1\nv\n1\tbad shortcut\t1\t1\tg\tu\n"));
    ck_assert(!deserialise_emoticons("hipchat-emoticons 1\nv\n1\tx\n"));
}
END_TEST

START_TEST(shortcuts_are_found_once_each)
{
    const auto list = parse_emoticons(element(reply));
    const auto found =
        emoticons_in("(troll) then (lolwut) and (troll) but not (nope) or (lol wut)", list);
    ck_assert_int_eq(found.size(), 2);
    ck_assert_str_eq(found[0].shortcut.c_str(), "troll");
    ck_assert_str_eq(found[1].shortcut.c_str(), "lolwut");
    ck_assert_int_eq(emoticons_in("((((", list).size(), 0);
}
END_TEST

START_TEST(images_are_recognised_by_their_bytes)
{
    const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x1e\0\0\0\x1a", 24);
    const auto p = sniff_image(png);
    ck_assert(p.has_value() && p->mime == "image/png" && p->width == 30 && p->height == 26);
    const auto g = sniff_image(std::string("GIF89a\x19\0\x19\0", 10));
    ck_assert(g.has_value() && g->mime == "image/gif" && g->width == 25);
    const std::string jpeg =
        std::string("\xff\xd8\xff\xe0\0\x04xx\xff\xc0\0\x11\x08\0\x20\0\x40\x03", 19);
    const auto j = sniff_image(jpeg);
    ck_assert(j.has_value() && j->mime == "image/jpeg" && j->width == 64 && j->height == 32);
    ck_assert(!sniff_image("<html>not an image</html>").has_value());
    ck_assert(!sniff_image(std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\0\0\0\0\0", 24)));
    ck_assert(!sniff_image(""));
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("emoticons");
    TCase *tc = tcase_create("emoticons");
    tcase_add_test(tc, the_list_comes_with_urls_and_sizes);
    tcase_add_test(tc, pushes_change_and_add_items);
    tcase_add_test(tc, the_cache_file_round_trips_and_refuses_garbage);
    tcase_add_test(tc, shortcuts_are_found_once_each);
    tcase_add_test(tc, images_are_recognised_by_their_bytes);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
