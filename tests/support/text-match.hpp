// Test support: looking for text in what the plugin wrote or sent.
#pragma once

#include <cstddef>
#include <string>

namespace hipchat::test {

inline bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

inline std::size_t occurrences(const std::string &text, const std::string &part)
{
    std::size_t count = 0;
    for (auto pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + 1))
        ++count;
    return count;
}

}  // namespace hipchat::test
