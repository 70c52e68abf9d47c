#include "core/element.hpp"

#include <glib.h>

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

bool parse_flag(std::string_view text)
{
    const std::string value(text);
    return value == "1" || g_ascii_strcasecmp(value.c_str(), "true") == 0;
}

}  // namespace hipchat::core
