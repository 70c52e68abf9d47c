// Test support: builds a core::Element from XML text with libxml2, the way
// src/xmpp builds one from a received stanza (namespaces resolved, text
// concatenated). Used by unit tests and fuzz targets.
#pragma once

#include <optional>
#include <string_view>

#include "core/element.hpp"

namespace hipchat::test {

std::optional<core::Element> parse_element(std::string_view xml);

// Same, failing the running Check test when the fixture is not well-formed.
core::Element element(std::string_view xml);

}  // namespace hipchat::test
