// Small text helpers the core and the glue share: ASCII white space and case,
// and the parts of a JID.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace hipchat::core {

// Without leading and trailing spaces, tabs and line breaks.
std::string_view trim(std::string_view text);

// ASCII letters lowercased, everything else (UTF-8 included) as it is.
std::string ascii_lower(std::string_view text);

// "node@domain/resource" -> "node@domain"; the resource, or "" without one.
std::string bare_jid(std::string_view jid);
std::string jid_resource(std::string_view jid);

// `format` with its "%s" replaced by `values`, in order (text put in is
// never looked at again): no printf, so a translation with a stray '%'
// cannot misbehave, nor a value that holds "%s".
std::string fill_placeholders(std::string_view format,
                              std::initializer_list<std::string_view> values);

}  // namespace hipchat::core
