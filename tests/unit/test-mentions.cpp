// core/mentions: who an @mention pings (§8.6), and rewriting what users type.
#include <check.h>

#include "check-run.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "core/mentions.hpp"

using namespace hipchat::core;

namespace {

const MentionIdentity alice{"AliceExample", "Alice Example"};

void expect_mention(std::string_view body, const MentionIdentity &me, MentionScope scope,
                    bool expected)
{
    ck_assert_msg(mentions_me(body, me, scope) == expected, "'%.*s' %s %s", int(body.size()),
                  body.data(), expected ? "should mention" : "should not mention",
                  me.mention_name.c_str());
}

// For both scopes.
void expect_direct(std::string_view body, bool expected)
{
    expect_mention(body, alice, MentionScope::everyone, expected);
    expect_mention(body, alice, MentionScope::direct_only, expected);
}

void expect_rewrite(const char *text, const std::vector<MentionIdentity> &people,
                    const char *expected)
{
    const std::string out = rewrite_mentions_for_sending(text, people);
    ck_assert_msg(out == expected, "'%s' became '%s', not '%s'", text, out.c_str(), expected);
}

START_TEST(own_mention_name_pings_word_bounded)
{
    expect_direct("hello @AliceExample", true);
    expect_direct("@AliceExample", true);
    expect_direct("@AliceExample: look", true);
    expect_direct("@AliceExample's review", true);
    expect_direct("(@AliceExample)", true);
    expect_direct("hi @AliceExample.", true);
    expect_direct("line one\n@AliceExample", true);
    expect_direct("@AliceExample\u2014thanks", true);          // an em dash is not a word character
    expect_direct("@bob @AliceExampleX @AliceExample", true);  // a later match counts
}
END_TEST

START_TEST(mention_names_match_without_case)
{
    expect_direct("@aliceexample", true);
    expect_direct("@ALICEEXAMPLE hi", true);
    expect_direct("@aLiCeExAmPlE", true);
}
END_TEST

START_TEST(no_ping_inside_words)
{
    expect_direct("email@AliceExample.com", false);  // '@' preceded by a word character
    expect_direct("x_@AliceExample", false);
    expect_direct("@AliceExampleX", false);
    expect_direct("@AliceExample2", false);
    expect_direct("@AliceExample_", false);
    expect_direct("@AliceExample\u00e9", false);  // a non-ASCII letter continues the word
    expect_direct("\u00e9@AliceExample", false);
    expect_direct("AliceExample", false);
    expect_direct("@Alice", false);
    expect_direct("@ AliceExample", false);
    expect_direct("", false);
}
END_TEST

START_TEST(quoted_full_name_pings)
{
    expect_direct("@\"Alice Example\" can you look?", true);
    expect_direct("hey @\"alice example\"", true);
    expect_direct("(@\"Alice Example\")", true);
    // The bare full name never pings in the official clients (§8.6).
    expect_direct("Alice Example: hi", false);
    expect_direct("@Alice Example hi", false);
    expect_direct("@\"Alice Example", false);
    expect_direct("@\"Alice Examples\"", false);
    expect_direct("x@\"Alice Example\"", false);
}
END_TEST

START_TEST(all_and_here_only_for_everyone)
{
    for (const char *body : {"@all", "@ALL hands", "standup @here!", "(@here)", "@all: lunch"}) {
        expect_mention(body, alice, MentionScope::everyone, true);
        expect_mention(body, alice, MentionScope::direct_only, false);
    }
    for (const char *body : {"@allison", "@heres", "mail@all", "all here"})
        expect_mention(body, alice, MentionScope::everyone, false);
}
END_TEST

START_TEST(empty_names_never_match)
{
    const MentionIdentity nobody{"", ""};
    for (const char *body : {"@", "@ hi", "@\"\"", "a @ b", ""})
        expect_mention(body, nobody, MentionScope::direct_only, false);
    expect_mention("@all", nobody, MentionScope::everyone, true);
    // A leading '@' in the stored name is tolerated.
    expect_mention("hi @AliceExample", {"@AliceExample", ""}, MentionScope::direct_only, true);
    expect_mention("@", {"@", ""}, MentionScope::direct_only, false);
}
END_TEST

START_TEST(unicode_names_and_bad_bytes)
{
    const MentionIdentity zoe{"Zo\u00eb", "Zo\u00eb \u00dcnal"};
    expect_mention("@ZO\u00cb hi", zoe, MentionScope::direct_only, true);
    expect_mention("@Zo\u00eblle", zoe, MentionScope::direct_only, false);
    expect_mention("@\"zo\u00eb \u00fcnal\"", zoe, MentionScope::direct_only, true);
    // Invalid UTF-8 is a non-word character, never a crash.
    expect_direct("\xff@AliceExample", true);
    expect_direct("@AliceExample\xff\xfe", true);
    expect_direct("@AliceExam\xffple", false);
    expect_direct(std::string_view("@AliceExample\0x", 15), true);
    expect_direct(std::string_view("\0@AliceExample", 14), true);
}
END_TEST

const std::vector<MentionIdentity> people = {
    {"BobTest", "Bob Test"},
    {"AliceExample", "Alice Example"},
    {"BobT", "Bob"},
    {"", "Carol Jones"},  // no mention name: skipped
    {"DaveNoName", ""},   // no full name: skipped
    {"Zoe", "Zo\u00eb \u00dcnal"},
};

START_TEST(leading_full_name_from_tab_completion)
{
    expect_rewrite("Bob Test: hi", people, "@BobTest hi");
    expect_rewrite("Bob Test, hi", people, "@BobTest hi");
    expect_rewrite("Bob Test:hi", people, "@BobTest hi");
    expect_rewrite("Bob Test:  two spaces", people, "@BobTest  two spaces");
    expect_rewrite("Bob Test:", people, "@BobTest");
    expect_rewrite("bob test: hi", people, "@BobTest hi");
    expect_rewrite("Bob: hi", people, "@BobT hi");  // the longest full name wins
    expect_rewrite("Bob Tester: hi", people, "Bob Tester: hi");
    expect_rewrite("Bob Test hi", people, "Bob Test hi");
    expect_rewrite("hi Bob Test: x", people, "hi Bob Test: x");
    expect_rewrite(" Bob Test: hi", people, " Bob Test: hi");
    expect_rewrite("Carol Jones: hi", people, "Carol Jones: hi");
    expect_rewrite("Zo\u00eb \u00dcnal: hallo", people, "@Zoe hallo");
}
END_TEST

START_TEST(at_full_name_anywhere)
{
    expect_rewrite("@Bob Test how are you", people, "@BobTest how are you");
    expect_rewrite("ping @bob test, @Alice Example!", people, "ping @BobTest, @AliceExample!");
    expect_rewrite("(@Bob Test)", people, "(@BobTest)");
    expect_rewrite("@Bob Test", people, "@BobTest");
    expect_rewrite("@Bob hi", people, "@BobT hi");
    expect_rewrite("@Bob Testing", people, "@BobT Testing");  // "Bob Test" does not end there
    expect_rewrite("@zo\u00eb \u00fcnal hi", people, "@Zoe hi");
    expect_rewrite("Bob Test: ask @alice example about it", people,
                   "@BobTest ask @AliceExample about it");
}
END_TEST

START_TEST(everything_else_is_left_alone)
{
    expect_rewrite("@\"Bob Test\" hi", people, "@\"Bob Test\" hi");
    expect_rewrite("@Alice Examples", people, "@Alice Examples");
    expect_rewrite("@Bobby", people, "@Bobby");
    expect_rewrite("mail bob@Bob Test", people, "mail bob@Bob Test");
    expect_rewrite("@BobTest hi", people, "@BobTest hi");
    expect_rewrite("@Carol Jones hi", people, "@Carol Jones hi");
    expect_rewrite("a  b\n<c> & @ @@ @", people, "a  b\n<c> & @ @@ @");
    expect_rewrite("Bob Test: hi", {}, "Bob Test: hi");
    expect_rewrite("", people, "");
    expect_rewrite("\xff@Bob Test\xfe", people, "\xff@BobTest\xfe");
}
END_TEST

START_TEST(a_matching_mention_name_wins_over_a_full_name)
{
    // "@Alice" is Alice Brown's mention name and Alice W's full name: HipChat
    // already reads it as Alice Brown's mention, so it stays.
    const std::vector<MentionIdentity> two_alices = {{"AliceW", "Alice"}, {"Alice", "Alice Brown"}};
    expect_rewrite("@Alice hi", two_alices, "@Alice hi");
    expect_rewrite("@Alice Brown hi", two_alices, "@Alice hi");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("mentions");
    TCase *tc = tcase_create("mentions");
    tcase_add_test(tc, own_mention_name_pings_word_bounded);
    tcase_add_test(tc, mention_names_match_without_case);
    tcase_add_test(tc, no_ping_inside_words);
    tcase_add_test(tc, quoted_full_name_pings);
    tcase_add_test(tc, all_and_here_only_for_everyone);
    tcase_add_test(tc, empty_names_never_match);
    tcase_add_test(tc, unicode_names_and_bad_bytes);
    tcase_add_test(tc, leading_full_name_from_tab_completion);
    tcase_add_test(tc, at_full_name_anywhere);
    tcase_add_test(tc, everything_else_is_left_alone);
    tcase_add_test(tc, a_matching_mention_name_wins_over_a_full_name);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
