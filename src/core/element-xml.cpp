#include "core/element-xml.hpp"

#include "core/xml-escape.hpp"

namespace hipchat::core {

namespace {

void write(const Element &element, std::string_view context_xmlns, std::string &out)
{
    out += '<';
    out += element.name;
    if (element.xmlns != context_xmlns)
        out += " xmlns='" + xml_escape(element.xmlns) + "'";
    for (const auto &[key, value] : element.attributes)
        out += " " + key + "='" + xml_escape(value) + "'";
    if (element.children.empty() && element.text.empty()) {
        out += "/>";
        return;
    }
    out += '>';
    out += xml_escape(element.text);
    for (const auto &child : element.children)
        write(child, element.xmlns, out);
    out += "</" + element.name + ">";
}

}  // namespace

std::string to_xml(const Element &element, std::string_view context_xmlns)
{
    std::string out;
    write(element, context_xmlns, out);
    return out;
}

}  // namespace hipchat::core
