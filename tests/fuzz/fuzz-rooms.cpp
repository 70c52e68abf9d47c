// core/rooms.hpp: the room list page (disco#items with HipChat's fields),
// room pushes, mediated invites (§7), and resolving what a user typed into a
// room JID. Input: the stanza as XML text; the same text is also taken as
// what a user typed and as a join error's condition.
#include "fuzz-support.hpp"

#include "core/rooms.hpp"
#include "xml-fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto text = hipchat::fuzz::text_of(data, size);

    std::vector<Room> rooms;
    if (const auto stanza = hipchat::test::parse_element(text)) {
        rooms = parse_room_page(*stanza).rooms;
        if (const auto pushed = parse_room_push(*stanza))
            rooms.push_back(*pushed);
        (void)parse_invite(*stanza);
        for (const auto &room : rooms) {
            (void)find_room_jid(room.name, rooms);
            (void)group_id_from_jid(room.jid);
        }
    }
    (void)room_slug(text);
    (void)group_id_from_jid(text);
    (void)find_room_jid(text, rooms);
    (void)guess_room_jid(text, 10804, "conf.hipchat.com");
    (void)guess_room_jid(text, 0, "conf.example");
    (void)classify_join_error(text);
    return 0;
}
