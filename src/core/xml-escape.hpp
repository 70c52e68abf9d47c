// XML character escaping for text and attribute values (both quote styles).
#pragma once

#include <string>
#include <string_view>

namespace hipchat::core {

std::string xml_escape(std::string_view text);

}  // namespace hipchat::core
