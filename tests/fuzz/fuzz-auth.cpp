// core/auth.hpp: re-addressing the module's stream header, and the HipChat
// auth payloads (§5.1, §5.2). Input: header NUL host NUL login NUL password
// NUL resource.
#include "fuzz-support.hpp"

#include "core/auth.hpp"

#include <glib.h>

#include <string>

namespace {

std::string decoded(const std::string &base64)
{
    gsize length = 0;
    guchar *bytes = g_base64_decode(base64.c_str(), &length);
    std::string result(reinterpret_cast<const char *>(bytes), length);
    g_free(bytes);
    return result;
}

std::string nul_joined(std::initializer_list<std::string_view> parts)
{
    std::string out;
    for (auto part : parts) {
        out.push_back('\0');
        out.append(part);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace hipchat::core;
    const auto f = hipchat::fuzz::fields(hipchat::fuzz::text_of(data, size), 5);
    const auto &header = f[0], &host = f[1], &login = f[2], &password = f[3], &resource = f[4];

    if (const auto readdressed = readdress_stream_header(header, host)) {
        // Only stream headers are re-addressed, and to `host`.
        FUZZ_CHECK(readdressed->rfind("<stream:stream ", 0) == 0);
        FUZZ_CHECK(readdressed->find(host) != std::string::npos);
    }

    // base64("\0" login "\0" password "\0" resource), base64("\0" token "\0" resource).
    FUZZ_CHECK(decoded(password_auth_payload(login, password, resource)) ==
               nul_joined({login, password, resource}));
    FUZZ_CHECK(decoded(token_auth_payload(password, resource)) == nul_joined({password, resource}));

    std::string secret(password);
    wipe(secret);
    FUZZ_CHECK(secret.empty());
    return 0;
}
