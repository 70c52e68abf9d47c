// Room administration (protocol reference §7.4–§7.8, §19.7): the rules the
// official client checks before it asks the server (create_room_form.js,
// rename_room_form.js), what /create's arguments mean, the body of REST's room
// update that archives and restores a room, and the server's refusals in
// words. Pure logic; the requests themselves are xmpp/room-admin's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/rooms.hpp"

namespace hipchat::core {

// The official client's bounds (create_room_form.js: maxLength 50;
// AppConfig.max_topic_text_length, §7.6: 250), in characters.
inline constexpr std::size_t max_room_name_length = 50;
inline constexpr std::size_t max_topic_length = 250;

enum class NameProblem {
    none,
    empty,
    too_long,
    taken,       // another room has it (case-insensitively), or its address
    same,        // a rename to the name the room has
    no_address,  // nothing of it makes a JID's node (§3: letters, digits, '-')
};

// A new room's name, and the JID joining it would create from it (§3's
// slug; §7.4: joining an existing room's JID would only join that room).
NameProblem check_new_room_name(std::string_view name, std::string_view new_jid,
                                const std::vector<Room> &rooms);
// A new name for `room`.
NameProblem check_rename(std::string_view name, const Room &room, const std::vector<Room> &rooms);
// What the official client says for each problem (form_error_strings.js),
// translatable; "" for none.
std::string describe_name_problem(NameProblem problem);

// What "/create [private|public] <name> [| <topic>]" asks for. A leading
// "private" or "public" is the privacy (public when absent), the rest up to
// the first '|' the name, after it the topic; both trimmed.
struct NewRoom {
    std::string name;
    std::string topic;
    bool is_private = false;
};
NewRoom parse_create_arguments(std::string_view text);

// The JSON body of PUT /v2/room/{id} as the official client sends it to
// archive or restore a room (application_store.js handleArchiveRoom): every
// setting of the room as it is, is_archived as asked.
std::string room_update_body(const Room &room, bool archived);

// What a user should read when REST's room update failed (§13): the
// server's own message for 400, 403 and 404 when it sent one, else
// describe_rest_failure's words (transport errors, 429), translatable.
std::string describe_update_failure(unsigned status, std::string_view body,
                                    std::string_view transport_error, std::int64_t reset,
                                    std::int64_t now);

// Why the server refused an administration request, from its error's
// condition and text, to follow "Could not …: " (translatable): for
// `forbidden` HipChat's rule (owners and admins), else the server's own text
// when it sent one, else the condition in words.
std::string describe_admin_refusal(std::string_view condition, std::string_view text);

}  // namespace hipchat::core
