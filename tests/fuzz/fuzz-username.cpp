// core::classify_username (core/username.hpp). Input: the username.
#include "fuzz-support.hpp"

#include "core/username.hpp"

#include <variant>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto username = hipchat::fuzz::text_of(data, size);
    const auto result = classify_username(username);
    if (std::holds_alternative<LoginKind>(result)) {
        // Both kinds are "node@domain" with neither part empty.
        const auto at = username.rfind('@');
        FUZZ_CHECK(at != std::string_view::npos && at > 0 && at + 1 < username.size());
    } else {
        const auto &rejected = std::get<UsernameRejected>(result);
        FUZZ_CHECK((rejected.problem == UsernameProblem::empty) == username.empty());
        if (rejected.problem == UsernameProblem::bad_character)
            FUZZ_CHECK(username.find(rejected.character) != std::string_view::npos);
    }
    return 0;
}
