#include "core/auth.hpp"

#include <glib.h>

#include <algorithm>

namespace hipchat::core {

namespace {

std::string base64_of_fields(std::initializer_list<std::string_view> fields)
{
    std::string plain;
    for (auto field : fields) {
        plain.push_back('\0');
        plain.append(field);
    }
    gchar *encoded = g_base64_encode(reinterpret_cast<const guchar *>(plain.data()), plain.size());
    std::string result(encoded);
    std::fill(encoded, encoded + result.size(), '\0');
    g_free(encoded);
    wipe(plain);
    return result;
}

}  // namespace

std::string password_auth_payload(std::string_view login, std::string_view password,
                                  std::string_view resource)
{
    return base64_of_fields({login, password, resource});
}

std::string token_auth_payload(std::string_view token, std::string_view resource)
{
    return base64_of_fields({token, resource});
}

void wipe(std::string &secret) noexcept
{
    // volatile so the stores are not optimised away before the free.
    volatile char *p = secret.data();
    for (std::size_t i = 0; i < secret.size(); ++i)
        p[i] = '\0';
    secret.clear();
}

std::optional<std::string> readdress_stream_header(std::string_view header, std::string_view host)
{
    constexpr std::string_view opening = "<stream:stream ";
    if (header.substr(0, opening.size()) != opening)
        return std::nullopt;
    const auto end_of_tag = header.find('>');
    if (end_of_tag == std::string_view::npos)
        return std::nullopt;

    for (const char quote : {'\'', '"'}) {
        const std::string attribute = std::string(" to=") + quote;
        const auto start = header.find(attribute);
        if (start == std::string_view::npos || start > end_of_tag)
            continue;
        const auto value_start = start + attribute.size();
        const auto value_end = header.find(quote, value_start);
        if (value_end == std::string_view::npos || value_end > end_of_tag)
            return std::nullopt;
        std::string result(header.substr(0, value_start));
        result.append(host);
        result.append(header.substr(value_end));
        return result;
    }
    return std::nullopt;
}

}  // namespace hipchat::core
