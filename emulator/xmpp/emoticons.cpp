#include "emoticons.hpp"

#include "core/namespaces.hpp"
#include "core/xml-escape.hpp"
#include "iq.hpp"
#include "server.hpp"
#include "stanza.hpp"
#include "stream.hpp"

namespace hipchat::emulator {

namespace {

using core::xml_escape;

// The emoticons query with `items`, under the current ver.
std::string emoticons_query(const Organisation &org, const std::vector<Emoticon> &items)
{
    std::string q = "<query" + xmlns(ns::emoticons) + " ver='" + xml_escape(org.emoticons_ver) +
                    "'><path_prefix>https://" + xml_escape(org.hosts.api_host) +
                    "/emoticons</path_prefix>";
    for (const auto &e : items)
        q += "<item><id>" + std::to_string(e.id) + "</id><path>" + xml_escape(e.path) +
             "</path><shortcut>" + xml_escape(e.shortcut) + "</shortcut><w>" +
             std::to_string(e.width) + "</w><h>" + std::to_string(e.height) + "</h><type>" +
             xml_escape(e.type) + "</type></item>";
    return q + "</query>";
}

}  // namespace

void emoticons_iq(Connection &session, const core::Element &iq, const core::Element &query)
{
    const Organisation &org = session.server().org();
    if (query.attribute("ver") == org.emoticons_ver)
        reply(session, iq, "");
    else
        reply(session, iq, emoticons_query(org, org.emoticons));
}

void push_emoticons(XmppServer &server, const std::vector<Emoticon> &changed)
{
    // §12.1 [OFFICIAL-CLIENT]: the web client merges a push's items into its
    // cached list ("pushes should not be saved as the entire list"), so a push
    // carries only what changed. The new ver and the path_prefix ride along
    // [INFERRED], so a client can cache by ver and build the image URLs.
    const std::string query = emoticons_query(server.org(), changed);
    for (Connection *session : server.live_sessions())
        push(*session, "emoticons", query);
}

}  // namespace hipchat::emulator
