#include "core/text.hpp"

#include <glib.h>

#include <algorithm>
#include <cstdarg>

namespace hipchat::core {

namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

std::string_view trim(std::string_view text)
{
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

std::string ascii_lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return out;
}

std::string bare_jid(std::string_view jid)
{
    return std::string(jid.substr(0, jid.find('/')));
}

std::string jid_resource(std::string_view jid)
{
    const auto slash = jid.find('/');
    return slash == std::string_view::npos ? std::string() : std::string(jid.substr(slash + 1));
}

std::string fill_placeholders(std::string_view format,
                              std::initializer_list<std::string_view> values)
{
    std::string out;
    auto value = values.begin();
    for (std::size_t at = format.find("%s"); at != std::string_view::npos && value != values.end();
         at = format.find("%s"), ++value) {
        out.append(format.substr(0, at)).append(*value);
        format.remove_prefix(at + 2);
    }
    return out.append(format);
}

std::string casefold(std::string_view text)
{
    if (!g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr))
        return std::string(text);
    char *folded = g_utf8_casefold(text.data(), static_cast<gssize>(text.size()));
    std::string out = folded;
    g_free(folded);
    return out;
}

std::string printf_string(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *text = g_strdup_vprintf(format, args);
    va_end(args);
    std::string out = text;
    g_free(text);
    return out;
}

}  // namespace hipchat::core
