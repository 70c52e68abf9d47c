#include "xml-fixture.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <string>

// Last: check.h defines a `fail` macro that breaks the C++ headers.
#include <check.h>

namespace hipchat::test {

namespace {

core::Element convert(xmlNode *node)
{
    core::Element element;
    element.name = reinterpret_cast<const char *>(node->name);
    if (node->ns != nullptr && node->ns->href != nullptr)
        element.xmlns = reinterpret_cast<const char *>(node->ns->href);
    for (xmlAttr *attribute = node->properties; attribute != nullptr; attribute = attribute->next) {
        xmlChar *value = xmlNodeListGetString(node->doc, attribute->children, 1);
        element.attributes.emplace_back(
            reinterpret_cast<const char *>(attribute->name),
            value != nullptr ? reinterpret_cast<const char *>(value) : "");
        xmlFree(value);
    }
    for (xmlNode *child = node->children; child != nullptr; child = child->next) {
        if (child->type == XML_ELEMENT_NODE)
            element.children.push_back(convert(child));
        else if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
            element.text += reinterpret_cast<const char *>(child->content);
    }
    return element;
}

}  // namespace

std::optional<core::Element> parse_element(std::string_view xml)
{
    xmlDoc *doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "fixture.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == nullptr)
        return std::nullopt;
    std::optional<core::Element> result;
    if (xmlNode *root = xmlDocGetRootElement(doc))
        result = convert(root);
    xmlFreeDoc(doc);
    return result;
}

core::Element element(std::string_view xml)
{
    auto parsed = parse_element(xml);
    ck_assert_msg(parsed.has_value(), "fixture is not well-formed XML: %.*s", int(xml.size()),
                  xml.data());
    return std::move(*parsed);
}

}  // namespace hipchat::test
