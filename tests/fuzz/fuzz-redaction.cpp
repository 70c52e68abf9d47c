// core/redaction.hpp: the forms of a secret and redacting a log line.
// Input: secret NUL log text (also cut into three reads, where its first two
// bytes say).
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

    // The same text as three reads of a stream, cut where its first bytes
    // say: printed one after the other, the secret still never shows.
    const std::size_t cut1 =
        text.empty() ? 0 : static_cast<unsigned char>(text[0]) % (text.size() + 1);
    const std::size_t cut2 =
        text.size() < 2 ? cut1
                        : cut1 + static_cast<unsigned char>(text[1]) % (text.size() - cut1 + 1);
    ChunkRedactor reads;
    const std::string chunked = reads.redact(text.substr(0, cut1), forms) +
                                reads.redact(text.substr(cut1, cut2 - cut1), forms) +
                                reads.redact(text.substr(cut2), forms);
    if (secret.size() >= 4 && !can_touch_marker)
        FUZZ_CHECK(chunked.find(secret) == std::string::npos);
    return 0;
}
