// core/read-state.hpp and core/notify-levels.hpp: the read state's GET
// answer (§19.4) and the room overrides of the preferences (§19.6), both
// JSON from the server; what is read is written back.
#include "fuzz-support.hpp"

#include "core/notify-levels.hpp"
#include "core/read-state.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto text = hipchat::fuzz::text_of(data, size);
    if (const auto marks = parse_read_state(text)) {
        FUZZ_CHECK(marks->size() <= max_read_marks);
        std::vector<ReadUpdate> updates;
        std::vector<Dated> dated;
        for (const ReadMark &mark : *marks) {
            FUZZ_CHECK(mark.jid.find('@') != std::string::npos);
            updates.push_back({mark.jid, mark.mid, read_state_timestamp(mark.timestamp, mark.ts)});
            dated.push_back({mark.mid, mark.ts});
            FUZZ_CHECK(first_unread(dated, mark) <= dated.size());
        }
        (void)read_state_patch(updates);
    }
    const auto rooms = parse_room_overrides(text);
    FUZZ_CHECK(parse_room_overrides(room_overrides_json(rooms)) == rooms);
    return 0;
}
