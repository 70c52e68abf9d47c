// Shared by the fuzz targets (tests/fuzz/fuzz-*.cpp).
//
// Each target defines LLVMFuzzerTestOneInput(). The clang build
// (-Dfuzz=true) links it with libFuzzer; the gcc builds link it with
// replay-main.cpp, which runs it on the seed corpus and the regression inputs
// as an ordinary unit test (also under ASan/UBSan in the sanitizer build).
//
// A target checks only what the code under test promises in its header (a
// documented contract, e.g. "the result is valid UTF-8"), besides not
// crashing, not leaking and no undefined behaviour. FUZZ_CHECK aborts, so
// libFuzzer saves the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#define FUZZ_CHECK(condition)                                                                     \
    do {                                                                                          \
        if (!(condition)) {                                                                       \
            std::fprintf(stderr, "%s:%d: contract broken: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                         \
        }                                                                                         \
    } while (false)

namespace hipchat::fuzz {

inline std::string_view text_of(const std::uint8_t *data, std::size_t size)
{
    return {reinterpret_cast<const char *>(data), size};
}

// The input as `count` fields separated by NUL bytes (seed files write them
// as `printf 'a\0b'`): missing fields are empty, the last one keeps any
// further NULs.
inline std::vector<std::string_view> fields(std::string_view input, std::size_t count)
{
    std::vector<std::string_view> out;
    while (out.size() + 1 < count) {
        const auto nul = input.find('\0');
        if (nul == std::string_view::npos)
            break;
        out.push_back(input.substr(0, nul));
        input.remove_prefix(nul + 1);
    }
    out.push_back(input);
    out.resize(count);
    return out;
}

// `text` split at `separator` (for lists inside one field).
inline std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> out;
    for (;;) {
        const auto at = text.find(separator);
        out.push_back(text.substr(0, at));
        if (at == std::string_view::npos)
            return out;
        text.remove_prefix(at + 1);
    }
}

}  // namespace hipchat::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);
