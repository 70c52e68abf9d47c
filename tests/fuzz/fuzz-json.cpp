// core/json.hpp and core/files.hpp: JSON as HipChat's REST API answers it
// (§13 error bodies), read and turned into a sentence; the same text as a
// shared file's name to make safe.
#include "fuzz-support.hpp"

#include "core/files.hpp"
#include "core/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto text = hipchat::fuzz::text_of(data, size);
    if (const auto value = parse_json(text)) {
        (void)value->text("message");
        (void)value->member("error");
    }
    (void)parse_rest_error(text);
    for (const unsigned status : {0u, 400u, 401u, 403u, 429u, 503u, 500u})
        (void)describe_rest_failure(status, text, text, 1000, 900);
    (void)safe_file_name(text);
    (void)share_file_frame(text, text, text, "hcb_fuzz");
    return 0;
}
