// core/username: what a HipChat account's username means.
#include <check.h>

#include "check-run.hpp"

#include "core/username.hpp"

using hipchat::core::classify_username;
using hipchat::core::LoginKind;
using hipchat::core::UsernameProblem;
using hipchat::core::UsernameRejected;

namespace {

LoginKind kind_of(const char *username)
{
    const auto result = classify_username(username);
    ck_assert_msg(std::holds_alternative<LoginKind>(result), "'%s' was rejected", username);
    return std::get<LoginKind>(result);
}

UsernameRejected rejection_of(const char *username)
{
    const auto result = classify_username(username);
    ck_assert_msg(std::holds_alternative<UsernameRejected>(result), "'%s' was accepted", username);
    return std::get<UsernameRejected>(result);
}

START_TEST(email_addresses_use_the_hipchat_login)
{
    ck_assert(kind_of("alice@example.com") == LoginKind::email);
    ck_assert(kind_of("first.last+hipchat@mail.example.co.uk") == LoginKind::email);
    // Looks numeric but is not "<group>_<user>".
    ck_assert(kind_of("12345@example.com") == LoginKind::email);
    ck_assert(kind_of("12_ab@example.com") == LoginKind::email);
}
END_TEST

START_TEST(hipchat_jids_are_recognised)
{
    ck_assert(kind_of("12345_67890@chat.hipchat.com") == LoginKind::jid);
    ck_assert(kind_of("1_123@chat.btf.hipchat.com") == LoginKind::jid);
}
END_TEST

START_TEST(empty_and_domainless_usernames_are_rejected)
{
    ck_assert(rejection_of("").problem == UsernameProblem::empty);
    ck_assert(rejection_of("alice").problem == UsernameProblem::missing_domain);
    ck_assert(rejection_of("12345_67890").problem == UsernameProblem::missing_domain);
    ck_assert(rejection_of("@example.com").problem == UsernameProblem::missing_domain);
    ck_assert(rejection_of("alice@").problem == UsernameProblem::missing_domain);
}
END_TEST

START_TEST(characters_the_jid_parser_rejects_are_named)
{
    const auto apostrophe = rejection_of("o'brien@example.com");
    ck_assert(apostrophe.problem == UsernameProblem::bad_character);
    ck_assert_int_eq(apostrophe.character, '\'');

    ck_assert_int_eq(rejection_of("a b@example.com").character, ' ');
    ck_assert_int_eq(rejection_of("alice@example.com/pidgin").character, '/');
    ck_assert_int_eq(rejection_of("a&b@example.com").character, '&');
    // The last '@' separates the domain, so an earlier one is in the node.
    ck_assert_int_eq(rejection_of("a@b@example.com").character, '@');
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("username");
    TCase *tc = tcase_create("classify");
    tcase_add_test(tc, email_addresses_use_the_hipchat_login);
    tcase_add_test(tc, hipchat_jids_are_recognised);
    tcase_add_test(tc, empty_and_domainless_usernames_are_rejected);
    tcase_add_test(tc, characters_the_jid_parser_rejects_are_named);
    suite_add_tcase(suite, tc);

    return hipchat::test::run_suite(suite);
}
