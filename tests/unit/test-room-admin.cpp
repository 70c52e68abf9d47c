// core/room-admin: the official client's checks of room names, /create's
// arguments, the body of REST's room update, and refusals in words.
#include <check.h>

#include "assert-text.hpp"
#include "check-run.hpp"

#include "core/room-admin.hpp"

using namespace hipchat::core;

namespace {

std::vector<Room> team_rooms()
{
    Room dev;
    dev.jid = "10804_dev@conf.hipchat.com";
    dev.name = "Dev";
    Room cafe;
    cafe.jid = "10804_cafe@conf.hipchat.com";
    cafe.name = "Café";
    return {dev, cafe};
}

START_TEST(new_room_names_are_checked_as_the_official_client_does)
{
    const auto rooms = team_rooms();
    const char *jid = "10804_launch@conf.hipchat.com";
    ck_assert(check_new_room_name("Launch", jid, rooms) == NameProblem::none);
    ck_assert(check_new_room_name("  ", jid, rooms) == NameProblem::empty);
    // Case-insensitively, also beyond ASCII.
    ck_assert(check_new_room_name("dev", jid, rooms) == NameProblem::taken);
    ck_assert(check_new_room_name(" CAFÉ ", jid, rooms) == NameProblem::taken);
    // A name whose address is a room's already: joining it would only join that room.
    ck_assert(check_new_room_name("Dev!", "10804_dev@conf.hipchat.com", rooms) ==
              NameProblem::taken);
    // 50 characters (not bytes) at most.
    ck_assert(check_new_room_name(std::string(50, 'a'), jid, rooms) == NameProblem::none);
    ck_assert(check_new_room_name(std::string(51, 'a'), jid, rooms) == NameProblem::too_long);
    std::string umlauts;
    for (int i = 0; i < 50; ++i)
        umlauts += "ü";
    ck_assert(check_new_room_name(umlauts, jid, rooms) == NameProblem::none);
    ck_assert(check_new_room_name("\xff", jid, rooms) == NameProblem::too_long);
    // Nothing to make its address of (the slug would be empty).
    ck_assert(check_new_room_name("!!!", "10804_@conf.hipchat.com", rooms) ==
              NameProblem::no_address);
    ASSERT_TEXT(describe_name_problem(NameProblem::taken), "That room name is already taken.");
    ASSERT_TEXT(describe_name_problem(NameProblem::none), "");
}
END_TEST

START_TEST(renames_may_change_the_case_but_not_take_another_rooms_name)
{
    const auto rooms = team_rooms();
    ck_assert(check_rename("Dev", rooms[0], rooms) == NameProblem::same);
    ck_assert(check_rename("DEV", rooms[0], rooms) == NameProblem::none);
    ck_assert(check_rename("café", rooms[0], rooms) == NameProblem::taken);
    ck_assert(check_rename("Development", rooms[0], rooms) == NameProblem::none);
    ck_assert(check_rename("", rooms[0], rooms) == NameProblem::empty);
}
END_TEST

START_TEST(create_arguments_give_privacy_name_and_topic)
{
    NewRoom room = parse_create_arguments("Launch Team");
    ASSERT_TEXT(room.name, "Launch Team");
    ASSERT_TEXT(room.topic, "");
    ck_assert(!room.is_private);
    room = parse_create_arguments(" private  Launch Team | Countdown | T-3 ");
    ck_assert(room.is_private);
    ASSERT_TEXT(room.name, "Launch Team");
    ASSERT_TEXT(room.topic, "Countdown | T-3");
    room = parse_create_arguments("public Privateers");
    ck_assert(!room.is_private);
    ASSERT_TEXT(room.name, "Privateers");
    // A room called "privateers" is not a private room called "eers".
    room = parse_create_arguments("privateers");
    ck_assert(!room.is_private);
    ASSERT_TEXT(room.name, "privateers");
    room = parse_create_arguments("private");
    ck_assert(room.is_private);
    ASSERT_TEXT(room.name, "");
}
END_TEST

START_TEST(the_update_body_keeps_every_setting_and_sets_archived)
{
    Room room;
    room.id = 22087;
    room.name = "Dev \"core\"";
    room.privacy = "private";
    room.topic = "Ship it";
    room.owner = "10804_204364@chat.hipchat.com";
    room.guest_url = "https://www.hipchat.com/gX";
    ASSERT_TEXT(room_update_body(room, true),
                "{\"name\":\"Dev \\\"core\\\"\",\"privacy\":\"private\",\"is_archived\":true,"
                "\"is_guest_accessible\":true,\"topic\":\"Ship it\",\"owner\":{\"id\":204364},"
                "\"id\":22087}");
    room.guest_url.clear();
    room.privacy.clear();
    ASSERT_TEXT(room_update_body(room, false),
                "{\"name\":\"Dev \\\"core\\\"\",\"privacy\":\"public\",\"is_archived\":false,"
                "\"is_guest_accessible\":false,\"topic\":\"Ship it\",\"owner\":{\"id\":204364},"
                "\"id\":22087}");
}
END_TEST

START_TEST(refusals_are_said_in_words)
{
    ASSERT_TEXT(describe_admin_refusal("forbidden", "whatever"),
                "only the room's owner and admins may.");
    ASSERT_TEXT(describe_admin_refusal("not-allowed", " This room is archived. "),
                "This room is archived.");
    ASSERT_TEXT(describe_admin_refusal("conflict", ""), "that room name is already taken.");
    ASSERT_TEXT(describe_admin_refusal("item-not-found", ""), "the room no longer exists.");
    ASSERT_TEXT(describe_admin_refusal("undefined-condition", ""), "undefined-condition");
    ASSERT_TEXT(describe_admin_refusal("", ""), "the server refused.");
    ASSERT_TEXT(describe_admin_refusal("timeout", ""), "the server did not answer.");
}
END_TEST

START_TEST(failed_updates_are_said_in_words)
{
    const char *taken =
        "{\"error\":{\"code\":400,\"message\":\"The room name is already "
        "taken\",\"type\":\"Bad Request\"}}";
    ASSERT_TEXT(describe_update_failure(400, taken, "", 0, 0), "The room name is already taken");
    ASSERT_TEXT(describe_update_failure(400, "", "", 0, 0), "HipChat did not accept the change.");
    ASSERT_TEXT(describe_update_failure(403,
                                        "{\"error\":{\"code\":403,\"message\":\"This room is "
                                        "archived.\",\"type\":\"Forbidden\"}}",
                                        "", 0, 0),
                "HipChat refused: This room is archived.");
    ASSERT_TEXT(describe_update_failure(0, "", "Connection refused", 0, 0),
                "HipChat could not be reached: Connection refused");
    ASSERT_TEXT(describe_update_failure(404, "", "", 0, 0), "the room no longer exists.");
    ck_assert(describe_update_failure(401, "", "", 0, 0).find("Administer Room") !=
              std::string::npos);
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("room-admin");
    TCase *tc = tcase_create("room-admin");
    tcase_add_test(tc, new_room_names_are_checked_as_the_official_client_does);
    tcase_add_test(tc, renames_may_change_the_case_but_not_take_another_rooms_name);
    tcase_add_test(tc, create_arguments_give_privacy_name_and_topic);
    tcase_add_test(tc, the_update_body_keeps_every_setting_and_sets_archived);
    tcase_add_test(tc, refusals_are_said_in_words);
    tcase_add_test(tc, failed_updates_are_said_in_words);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
