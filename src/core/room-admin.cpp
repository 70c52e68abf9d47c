#include "core/room-admin.hpp"

#include <glib.h>
#include <glib/gi18n-lib.h>

#include "core/files.hpp"
#include "core/people.hpp"
#include "core/text.hpp"

namespace hipchat::core {

namespace {

NameProblem check_name(std::string_view name, std::string_view except_jid,
                       const std::vector<Room> &rooms)
{
    const std::string_view wanted = trim(name);
    if (wanted.empty())
        return NameProblem::empty;
    if (!g_utf8_validate(wanted.data(), static_cast<gssize>(wanted.size()), nullptr) ||
        g_utf8_strlen(wanted.data(), static_cast<gssize>(wanted.size())) >
            static_cast<glong>(max_room_name_length))
        return NameProblem::too_long;
    // The official client compares names case-insensitively.
    const std::string folded = casefold(wanted);
    for (const auto &room : rooms) {
        if (room.jid != except_jid && casefold(room.name) == folded)
            return NameProblem::taken;
    }
    return NameProblem::none;
}

}  // namespace

NameProblem check_new_room_name(std::string_view name, std::string_view new_jid,
                                const std::vector<Room> &rooms)
{
    const NameProblem problem = check_name(name, {}, rooms);
    if (problem != NameProblem::none)
        return problem;
    if (room_slug(name).empty())
        return NameProblem::no_address;
    for (const auto &room : rooms) {
        if (room.jid == new_jid)
            return NameProblem::taken;
    }
    return NameProblem::none;
}

NameProblem check_rename(std::string_view name, const Room &room, const std::vector<Room> &rooms)
{
    if (trim(name) == room.name)
        return NameProblem::same;
    return check_name(name, room.jid, rooms);
}

std::string describe_name_problem(NameProblem problem)
{
    switch (problem) {
    case NameProblem::none:
        return {};
    case NameProblem::empty:
        return _("Every room needs a name.");
    case NameProblem::too_long:
        // TRANSLATORS: HipChat's limit is 50 characters.
        return _("That name is too long: a room's name has at most 50 characters.");
    case NameProblem::taken:
        return _("That room name is already taken.");
    case NameProblem::same:
        return _("That's the same name.");
    case NameProblem::no_address:
        return _("A room's name needs a letter or a digit (its address is made of them).");
    }
    return {};
}

NewRoom parse_create_arguments(std::string_view text)
{
    NewRoom room;
    std::string_view rest = trim(text);
    for (const std::string_view privacy : {"private", "public"}) {
        const bool alone = rest.size() == privacy.size();
        if (rest.substr(0, privacy.size()) == privacy &&
            (alone || rest[privacy.size()] == ' ' || rest[privacy.size()] == '\t')) {
            room.is_private = privacy == "private";
            rest = trim(rest.substr(privacy.size()));
            break;
        }
    }
    const auto bar = rest.find('|');
    room.name = std::string(trim(rest.substr(0, bar)));
    if (bar != std::string_view::npos)
        room.topic = std::string(trim(rest.substr(bar + 1)));
    return room;
}

std::string room_update_body(const Room &room, bool archived)
{
    const char *flag_false = "false", *flag_true = "true";
    return "{\"name\":" + json_string(room.name) +
           ",\"privacy\":" + json_string(room.privacy.empty() ? "public" : room.privacy) +
           ",\"is_archived\":" + (archived ? flag_true : flag_false) +
           ",\"is_guest_accessible\":" + (room.guest_url.empty() ? flag_false : flag_true) +
           ",\"topic\":" + json_string(room.topic) +
           ",\"owner\":{\"id\":" + std::to_string(user_id_from_jid(room.owner)) +
           "},\"id\":" + std::to_string(room.id) + "}";
}

std::string describe_update_failure(unsigned status, std::string_view body,
                                    std::string_view transport_error, std::int64_t reset,
                                    std::int64_t now)
{
    const auto error = parse_rest_error(body);
    const std::string said = error ? std::string(trim(error->message)) : "";
    switch (status) {
    case 400:
        return !said.empty() ? said : _("HipChat did not accept the change.");
    case 401:
        return _(
            "HipChat did not accept the login. Reconnect, or set a personal API token with "
            "the Administer Room scope in the account's options.");
    case 404:
        return !said.empty() ? said : _("the room no longer exists.");
    case 503:
        return _("HipChat is unavailable right now; try again later.");
    default:
        return describe_rest_failure(status, body, transport_error, reset, now);
    }
}

std::string describe_admin_refusal(std::string_view condition, std::string_view text)
{
    if (condition == "forbidden")
        return _("only the room's owner and admins may.");
    const std::string_view said = trim(text);
    if (!said.empty())
        return std::string(said);
    if (condition == "not-allowed")
        return _("the server does not allow it.");
    if (condition == "conflict")
        return _("that room name is already taken.");
    if (condition == "item-not-found")
        return _("the room no longer exists.");
    if (condition == "bad-request" || condition == "not-acceptable")
        return _("the server did not accept it.");
    if (condition == "timeout")  // xmpp/iq's word for no answer
        return _("the server did not answer.");
    return condition.empty() ? _("the server refused.") : std::string(condition);
}

}  // namespace hipchat::core
