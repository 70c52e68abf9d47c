// Small text helpers the core and the glue share: ASCII white space and case,
// case folding, formatting, and the parts of a JID.
#pragma once

#include <glib.h>

#include <initializer_list>
#include <string>
#include <string_view>

namespace hipchat::core {

// Without leading and trailing spaces, tabs and line breaks.
std::string_view trim(std::string_view text);

// ASCII letters lowercased, everything else (UTF-8 included) as it is.
std::string ascii_lower(std::string_view text);

// Unicode case folding (g_utf8_casefold) for comparing names; invalid
// UTF-8 as it is.
std::string casefold(std::string_view text);

// g_strdup_printf as a std::string (for translated formats: "%s" and
// friends checked by the compiler).
std::string printf_string(const char *format, ...) G_GNUC_PRINTF(1, 2);

// "node@domain/resource" -> "node@domain"; the resource, or "" without one.
std::string bare_jid(std::string_view jid);
std::string jid_resource(std::string_view jid);

// `format` with its "%s" replaced by `values`, in order (text put in is
// never looked at again): no printf, so a translation with a stray '%'
// cannot misbehave, nor a value that holds "%s".
std::string fill_placeholders(std::string_view format,
                              std::initializer_list<std::string_view> values);

}  // namespace hipchat::core
