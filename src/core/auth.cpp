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

std::vector<std::string> auth_payload_fields(std::string_view base64)
{
    gsize length = 0;
    guchar *bytes = g_base64_decode(std::string(base64).c_str(), &length);
    const std::string_view plain(reinterpret_cast<const char *>(bytes), length);
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (auto nul = plain.find('\0'); nul != std::string_view::npos;
         nul = plain.find('\0', start)) {
        fields.emplace_back(plain.substr(start, nul - start));
        start = nul + 1;
    }
    fields.emplace_back(plain.substr(start));
    g_free(bytes);
    return fields;
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

bool is_plausible_jid(std::string_view jid)
{
    // (g_utf8_validate also refuses an embedded NUL.)
    if (jid.empty() || !g_utf8_validate(jid.data(), static_cast<gssize>(jid.size()), nullptr))
        return false;
    for (const char *p = jid.data(), *end = jid.data() + jid.size(); p < end;
         p = g_utf8_next_char(p)) {
        const gunichar c = g_utf8_get_char(p);
        if (g_unichar_isspace(c) || g_unichar_iscntrl(c))
            return false;
    }
    const auto slash = jid.find('/');
    if (slash != std::string_view::npos && slash + 1 == jid.size())
        return false;  // "node@domain/": an empty resource
    const std::string_view bare = jid.substr(0, slash);
    const auto at = bare.find('@');
    return at != std::string_view::npos && at != 0 && at + 1 != bare.size() &&
           bare.find('@', at + 1) == std::string_view::npos;
}

bool is_plausible_host(std::string_view host)
{
    const auto colon = host.find(':');
    if (colon != std::string_view::npos) {
        const std::string_view port = host.substr(colon + 1);
        if (port.empty() || port.size() > 5)
            return false;
        unsigned value = 0;
        for (const char c : port) {
            if (!g_ascii_isdigit(c))
                return false;
            value = value * 10 + static_cast<unsigned>(c - '0');
        }
        if (value == 0 || value > 65535)
            return false;
        host = host.substr(0, colon);
    }
    std::size_t label = 0;  // characters in the current label
    for (const char c : host) {
        if (c == '.') {
            if (label == 0)
                return false;
            label = 0;
        } else if (g_ascii_isalnum(c) || c == '-') {
            ++label;
        } else {
            return false;
        }
    }
    return label != 0;
}

std::optional<AuthSuccess> parse_auth_success(const Element &success)
{
    const std::string_view jid = success.attribute("jid");
    if (!is_plausible_jid(jid))
        return std::nullopt;
    auto host = [&](std::string_view name) {
        const std::string_view value = success.attribute(name);
        return is_plausible_host(value) ? std::string(value) : std::string();
    };
    AuthSuccess result;
    result.jid = std::string(jid);
    result.hosts.api_host = host("api_host");
    result.hosts.chat_host = host("chat_host");
    result.hosts.muc_host = host("muc_host");
    result.hosts.web_host = host("web_host");
    result.oauth2_token = std::string(success.attribute("oauth2_token"));
    return result;
}

AuthFailure parse_auth_failure(const Element &failure)
{
    AuthFailure result;
    for (const auto &child : failure.children) {
        if (child.name != "text") {
            result.condition = child.name;
            break;
        }
    }
    if (const Element *text = failure.child("text"))
        result.text = text->text;
    return result;
}

}  // namespace hipchat::core
