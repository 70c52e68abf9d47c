// core/json: the strict little JSON reader behind REST errors and cards.
#include <string>

#include "core/json.hpp"

#include <check.h>

#include "check-run.hpp"

using namespace hipchat::core;

namespace {

START_TEST(values_of_every_kind_are_read)
{
    const auto v = parse_json(
        " {\"s\":\"a\\u00e9\\ud83d\\ude00\\n\", \"n\":-12.5e1, \"t\":true, \"f\":false, "
        "\"z\":null, \"a\":[1,[],{}], \"o\":{\"k\":\"v\"}} ");
    ck_assert(v.has_value());
    const std::string s = v->text("s");  // (a temporary's c_str() would dangle in the macro)
    ck_assert_str_eq(s.c_str(), "a\xc3\xa9\xf0\x9f\x98\x80\n");
    ck_assert(v->member("n")->number() != nullptr && *v->member("n")->number() == -125.0);
    ck_assert(std::get<bool>(v->member("t")->value));
    ck_assert(!std::get<bool>(v->member("f")->value));
    ck_assert(std::holds_alternative<std::nullptr_t>(v->member("z")->value));
    ck_assert_int_eq(std::get<JsonArray>(v->member("a")->value).size(), 3);
    const std::string k = v->member("o")->text("k");
    ck_assert_str_eq(k.c_str(), "v");
    ck_assert(v->member("missing") == nullptr);
    ck_assert(v->text("n").empty());  // not a string
}
END_TEST

START_TEST(malformed_json_is_refused)
{
    for (const char *bad :
         {"", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "01", "1.", "-", "\"\\x\"",
          "\"\\u12\"", "\"tab\there\"", "nul", "{} {}", "\"\xff\"", "{'a':1}"})
        ck_assert_msg(!parse_json(bad).has_value(), "accepted: %s", bad);
    std::string deep(100, '[');
    deep += std::string(100, ']');
    ck_assert(!parse_json(deep).has_value());
    ck_assert(parse_json(deep, 200).has_value());
    // Lone surrogates and NUL are replaced, not refused.
    const auto replaced = parse_json("\"a\\ud800b\\u0000\"");
    ck_assert(replaced && replaced->string() != nullptr);
    ck_assert_str_eq(replaced->string()->c_str(),
                     "a\xef\xbf\xbd"
                     "b\xef\xbf\xbd");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("json");
    TCase *tc = tcase_create("json");
    tcase_add_test(tc, values_of_every_kind_are_read);
    tcase_add_test(tc, malformed_json_is_refused);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
