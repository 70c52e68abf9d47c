// A small, plain XML element tree for the core's parsers.
//
// The core never sees libpurple's xmlnode or libxml2: src/xmpp converts the
// stanzas it receives into Elements, and tests and fuzzers build them from
// text. Namespaces are resolved (each element carries its own xmlns).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hipchat::core {

struct Element {
    std::string name;
    std::string xmlns;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<Element> children;
    std::string text;  // the element's own character data, concatenated

    // The attribute's value, or "" when absent.
    std::string_view attribute(std::string_view key) const;
    bool has_attribute(std::string_view key) const;

    // The first child with this name (and namespace, when given), or nullptr.
    const Element *child(std::string_view child_name, std::string_view child_xmlns = {}) const;
    // The text of that child, or "" when absent.
    std::string_view child_text(std::string_view child_name) const;
};

// An XMPP stanza error (RFC 6120 §8.3): <error> with a defined condition in
// the stanzas namespace and an optional <text>.
struct StanzaError {
    std::string condition;  // e.g. "forbidden"; "" when the stanza has none
    std::string text;       // the server's <text>, "" when absent
};

// The error of `stanza` (an <iq>, <presence> or <message>). The condition is
// the first child of <error> in the stanzas namespace; servers that leave the
// namespace out are understood too (the first child that is not <text>).
StanzaError parse_stanza_error(const Element &stanza);

// A stream error (<stream:error>, RFC 6120 §4.9): the condition in the
// streams namespace, and the <text>.
StanzaError parse_stream_error(const Element &error);

// "1"/"true" (any case) are true; everything else false. HipChat writes
// booleans both ways (protocol reference §6.2).
bool parse_flag(std::string_view text);

}  // namespace hipchat::core
