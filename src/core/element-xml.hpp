// A core::Element written back as XML text. The plugin never needs this
// (libpurple writes its own xmlnodes); the emulator does, to pass on the
// stanzas it parsed: a presence broadcast, a 1:1 message, an IQ routed to
// another client.
#pragma once

#include <string>
#include <string_view>

#include "core/element.hpp"

namespace hipchat::core {

// `element` as XML: attribute values in single quotes, values and text
// escaped (xml_escape). xmlns='…' is written only where an element's
// namespace differs from the one around it: for the outermost element that is
// `context_xmlns`, the default namespace of wherever the text goes (the
// stream's jabber:client for a stanza); for a child, its parent's. An
// element's text comes before its children (Element keeps no order between
// the two); one with neither is written <name/>.
std::string to_xml(const Element &element, std::string_view context_xmlns = {});

}  // namespace hipchat::core
