// core/mentions.hpp: mentions_me and rewrite_mentions_for_sending (§8.6).
// Input: body NUL my mention name NUL my full name NUL people, one per line
// as "mention name<TAB>full name".
#include "fuzz-support.hpp"

#include "core/mentions.hpp"

#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto f = hipchat::fuzz::fields(hipchat::fuzz::text_of(data, size), 4);
    const auto &body = f[0];
    const MentionIdentity me{std::string(f[1]), std::string(f[2])};

    const bool direct = mentions_me(body, me, MentionScope::direct_only);
    const bool everyone = mentions_me(body, me, MentionScope::everyone);
    // "everyone" is "direct_only" plus @all and @here.
    FUZZ_CHECK(!direct || everyone);

    std::vector<MentionIdentity> people;
    bool anyone_named = false;
    for (const auto line : hipchat::fuzz::split(f[3], '\n')) {
        const auto tab = line.find('\t');
        if (tab == std::string_view::npos)
            continue;
        people.push_back({std::string(line.substr(0, tab)), std::string(line.substr(tab + 1))});
        anyone_named = anyone_named ||
                       (!people.back().mention_name.empty() && !people.back().full_name.empty());
    }
    people.push_back(me);
    anyone_named = anyone_named || (!me.mention_name.empty() && !me.full_name.empty());

    const std::string sent = rewrite_mentions_for_sending(body, people);
    // "People without a mention name or full name are skipped. Nothing else
    // in `text` changes."
    if (!anyone_named)
        FUZZ_CHECK(sent == body);
    return 0;
}
