// core/redaction.hpp: the forms of a secret and redacting a log line.
// Input: secret NUL log text.
#include "fuzz-support.hpp"

#include "core/redaction.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto f = hipchat::fuzz::fields(hipchat::fuzz::text_of(data, size), 2);
    const auto &secret = f[0], &text = f[1];

    const auto forms = secret_forms(secret);
    // "Forms shorter than four characters are left out".
    for (const auto &form : forms)
        FUZZ_CHECK(form.size() >= 4);

    const std::string out = redact(text, forms);
    // Every occurrence of the secret itself is replaced. (It can reappear
    // only by touching or lying inside a marker: a secret with a bracket,
    // or one that is part of "[redacted]".)
    const bool can_touch_marker = secret.find_first_of("[]") != std::string_view::npos ||
                                  redacted_marker.find(secret) != std::string_view::npos;
    if (secret.size() >= 4 && !can_touch_marker)
        FUZZ_CHECK(out.find(secret) == std::string::npos);
    return 0;
}
