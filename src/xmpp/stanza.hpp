// Small helpers for libpurple's xmlnode: ownership, and conversion into the
// core's plain Element for parsing.
#pragma once

#include <xmlnode.h>

#include <memory>

#include "core/element.hpp"

namespace hipchat::xmpp {

struct XmlnodeFree {
    void operator()(xmlnode *node) const { xmlnode_free(node); }
};
// An xmlnode we own (freed with xmlnode_free).
using XmlnodePtr = std::unique_ptr<xmlnode, XmlnodeFree>;

// The element's name and namespace are `name` and `xmlns`.
bool is(xmlnode *node, const char *name, const char *xmlns);

// A deep copy as a core::Element; namespaces inherited from the parent where
// the node carries none.
core::Element to_element(xmlnode *node);

}  // namespace hipchat::xmpp
