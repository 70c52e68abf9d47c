#include "core/element.hpp"

#include <glib.h>

#include "core/namespaces.hpp"

namespace hipchat::core {

std::string_view Element::attribute(std::string_view key) const
{
    for (const auto &[name_, value] : attributes) {
        if (name_ == key)
            return value;
    }
    return {};
}

bool Element::has_attribute(std::string_view key) const
{
    for (const auto &attribute_ : attributes) {
        if (attribute_.first == key)
            return true;
    }
    return false;
}

const Element *Element::child(std::string_view child_name, std::string_view child_xmlns) const
{
    for (const auto &c : children) {
        if (c.name == child_name && (child_xmlns.empty() || c.xmlns == child_xmlns))
            return &c;
    }
    return nullptr;
}

std::string_view Element::child_text(std::string_view child_name) const
{
    const Element *c = child(child_name);
    return c != nullptr ? std::string_view(c->text) : std::string_view();
}

namespace {

// An <error>'s defined condition (the first child in `conditions`, or, from
// servers that leave the namespace out, the first child that is not <text>)
// and its <text>.
StanzaError read_error(const Element &error, std::string_view conditions)
{
    StanzaError out;
    std::string_view fallback;
    for (const auto &child : error.children) {
        if (child.name == "text") {
            if (out.text.empty())
                out.text = child.text;
        } else if (child.xmlns == conditions) {
            if (out.condition.empty())
                out.condition = child.name;
        } else if (fallback.empty()) {
            fallback = child.name;
        }
    }
    if (out.condition.empty())
        out.condition = std::string(fallback);
    return out;
}

}  // namespace

StanzaError parse_stanza_error(const Element &stanza)
{
    const Element *error = stanza.child("error");
    return error != nullptr ? read_error(*error, ns::stanzas) : StanzaError{};
}

StanzaError parse_stream_error(const Element &error)
{
    return read_error(error, ns::stream_errors);
}

bool parse_flag(std::string_view text)
{
    const std::string value(text);
    return value == "1" || g_ascii_strcasecmp(value.c_str(), "true") == 0;
}

}  // namespace hipchat::core
