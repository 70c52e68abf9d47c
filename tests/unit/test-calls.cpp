// core/calls: the video call signals of §19.1 as the official web client
// sends them (core/hipchat.js sendVideoMessage), and the texts around them.
#include <check.h>

#include "check-run.hpp"

#include <string>
#include <string_view>

#include "assert-text.hpp"
#include "core/calls.hpp"
#include "xml-fixture.hpp"

using namespace hipchat::core;
using hipchat::test::element;

namespace {

std::optional<CallSignal> call_in(std::string_view xml)
{
    return parse_call(element(xml));
}

START_TEST(an_invite_as_the_web_client_sends_it)
{
    const auto invite = call_in(
        "<message type='chat' from='10804_204365@chat.hipchat.com/web' id='42'>"
        "<x xmlns='http://hipchat.com/protocol/enso'><call>"
        "<url> https://hipchat.com/video/join/010804abcdefghijklmn? </url></call></x>"
        "<body>I'm calling you … https://hipchat.com/video/call/010804abcdefghijklmn?</body>"
        "</message>");
    ck_assert(invite && invite->action == CallAction::invite && invite->enso);
    ASSERT_TEXT(invite->url, "https://hipchat.com/video/join/010804abcdefghijklmn?");
    ASSERT_TEXT(browser_call_url(invite->url),
                "https://hipchat.com/video/call/010804abcdefghijklmn?");
}
END_TEST

START_TEST(declines_and_the_other_signals)
{
    const auto decline = call_in(
        "<message><x xmlns='http://hipchat.com/protocol/enso'>"
        "<decline><reason>unsupported</reason></decline></x></message>");
    ck_assert(decline && decline->action == CallAction::decline);
    ASSERT_TEXT(decline->reason, "unsupported");
    ck_assert(
        call_in("<message><x xmlns='http://hipchat.com/protocol/enso'><accept/></x></message>")
            ->action == CallAction::accept);
    ck_assert(
        call_in("<message><x xmlns='http://hipchat.com/protocol/enso'><hangup/></x></message>")
            ->action == CallAction::hangup);
    ck_assert(
        call_in("<message><x xmlns='http://hipchat.com/protocol/enso'><ringing/></x></message>")
            ->action == CallAction::progress);
    // AddLive, the older service: audio and video children, no URL.
    const auto addlive = call_in(
        "<message><x xmlns='http://hipchat.com/protocol/addlive'>"
        "<call><audio/><video/></call></x></message>");
    ck_assert(addlive && addlive->action == CallAction::invite && !addlive->enso);
    ck_assert(addlive->url.empty());
}
END_TEST

START_TEST(what_is_not_a_call)
{
    ck_assert(!call_in("<message><body>hi</body></message>"));
    ck_assert(!call_in("<message><x xmlns='http://hipchat.com/protocol/enso'/></message>"));
    ck_assert(
        !call_in("<message><x xmlns='http://hipchat.com/protocol/enso'><dance/></x></message>"));
    ck_assert(
        !call_in("<message><x xmlns='http://hipchat.com/protocol/muc#room'><call/></x></message>"));
    // The server's refusal is an undelivered message, not a signal.
    ck_assert(
        !call_in("<message type='error'><x xmlns='http://hipchat.com/protocol/enso'>"
                 "<call/></x><error type='cancel'/></message>"));
    ck_assert(
        !call_in("<presence><x xmlns='http://hipchat.com/protocol/enso'><call/></x></presence>"));
    // Only web addresses are offered to a browser.
    ck_assert(browser_call_url("javascript:alert(1)").empty());
    ck_assert(browser_call_url("").empty());
}
END_TEST

START_TEST(a_new_conference_as_the_web_client_names_it)
{
    // video_module.js _generateConferenceId: six digits of group, 14 random.
    ASSERT_TEXT(conference_url("www.hipchat.com", 10804, "abcdefghij0123"),
                "https://www.hipchat.com/video/join/010804abcdefghij0123");
    ASSERT_TEXT(conference_url("chat.example.com", 12345678, "x"),
                "https://chat.example.com/video/join/12345678x");
    const std::string suffix = conference_suffix();
    ck_assert_uint_eq(suffix.size(), 14);
    ck_assert(suffix.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") ==
              std::string::npos);
    ck_assert(conference_suffix() != suffix);
    ASSERT_TEXT(call_invite_body("https://h/video/call/1"),
                "I'm calling you using the new HipChat video experience, but you need to update "
                "your HipChat app to see it. You can still join the meeting in your browser: "
                "https://h/video/call/1");
}
END_TEST

START_TEST(declines_read_as_the_web_client_says_them)
{
    ASSERT_TEXT(declined_text("unsupported", "Bob Test"),
                "Bob Test is using a HipChat client that doesn't support video calls.");
    ASSERT_TEXT(declined_text("offline", "Bob Test"),
                "It looks like Bob Test isn't available to accept video calls at the moment.");
    ASSERT_TEXT(declined_text("on_a_call", "Bob"), "Bob is currently in another video call.");
    ASSERT_TEXT(declined_text("decline", "Bob"), "Bob declined to join the video call.");
    ASSERT_TEXT(declined_text("whatever", "100%s"), "100%s declined to join the video call.");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("calls");
    TCase *tc = tcase_create("calls");
    tcase_add_test(tc, an_invite_as_the_web_client_sends_it);
    tcase_add_test(tc, declines_and_the_other_signals);
    tcase_add_test(tc, what_is_not_a_call);
    tcase_add_test(tc, a_new_conference_as_the_web_client_names_it);
    tcase_add_test(tc, declines_read_as_the_web_client_says_them);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
