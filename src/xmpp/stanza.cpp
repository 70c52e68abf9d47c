#include "xmpp/stanza.hpp"

#include <glib.h>

namespace hipchat::xmpp {

bool is(xmlnode *node, const char *name, const char *xmlns)
{
    return node != nullptr && g_strcmp0(node->name, name) == 0 &&
           g_strcmp0(xmlnode_get_namespace(node), xmlns) == 0;
}

namespace {

core::Element convert(xmlnode *node, const char *parent_xmlns)
{
    core::Element element;
    element.name = node->name != nullptr ? node->name : "";
    const char *xmlns = xmlnode_get_namespace(node);
    if (xmlns == nullptr)
        xmlns = parent_xmlns;
    element.xmlns = xmlns != nullptr ? xmlns : "";
    std::size_t tags = 0, attributes = 0;
    for (xmlnode *child = node->child; child != nullptr; child = child->next) {
        tags += child->type == XMLNODE_TYPE_TAG;
        attributes += child->type == XMLNODE_TYPE_ATTRIB;
    }
    element.children.reserve(tags);
    element.attributes.reserve(attributes);
    for (xmlnode *child = node->child; child != nullptr; child = child->next) {
        switch (child->type) {
        case XMLNODE_TYPE_ATTRIB:
            element.attributes.emplace_back(child->name != nullptr ? child->name : "",
                                            child->data != nullptr ? child->data : "");
            break;
        case XMLNODE_TYPE_TAG:
            element.children.push_back(convert(child, xmlns));
            break;
        case XMLNODE_TYPE_DATA:
            if (child->data != nullptr)
                element.text.append(child->data, child->data_sz);
            break;
        }
    }
    return element;
}

}  // namespace

core::Element to_element(xmlnode *node)
{
    return convert(node, nullptr);
}

}  // namespace hipchat::xmpp
