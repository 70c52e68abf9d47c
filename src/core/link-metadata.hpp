// Link metadata (protocol reference §8.5): what HipChat's server attached to
// a message that holds a URL, <x …><metadata type='link|image|video|
// twitter_status|twitter_user|info' …/></x>, and the card the official web
// client drew from it after the message (message_processor.js
// formatXMPPMessages 187-228; the cards: components/chat_window/
// message_types/link.js, video.js, image/, twitter_status.js,
// twitter_user.js).
//
// Pure: no libpurple. Every field is the server's untrusted text, cut to
// max_field_bytes; the card is plain text for src/xmpp to escape.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/element.hpp"

namespace hipchat::core {

struct LinkMetadata {
    // "link", "image", "video", "twitter_status", "twitter_user", "info",
    // or another type as received.
    std::string type;
    // The fields the web client's cards show ("" when absent): the link's
    // url (full_url first) and title (header_text first), its description
    // (desc first); a video's author and views; an image's name; a tweet's
    // text, its author's name, screen_name and source; a Twitter user's
    // followers.
    std::string url, title, description, text;
    std::string author, views, name, screen_name, source, followers;
};

// Longest field kept, in bytes (cut at a character boundary): titles and
// descriptions are the linked page's, and a card is one line.
constexpr std::size_t max_field_bytes = 512;

// The metadata of the first x child of `message` that has a <metadata>
// (whatever the x's namespace: the web client looks at none), or nullopt.
// A field is the metadata's attribute or its child element of that name
// (the web client reads XML through x2js, where both are alike), in
// camelCase (fullUrl) or snake_case (full_url); white space (line breaks
// included) collapsed to one space. A metadata without a type is none.
std::optional<LinkMetadata> parse_link_metadata(const Element &message);

// The card's sender as the web client named it (utils.getSenderFromMeta):
// "Video", "Twitter", "Link", and "HipChat" for the rest.
std::string_view link_card_sender(std::string_view type);

// The card as one line of plain text, the sender first ("Link: Title —
// description — https://…"), the address written out (only an http or https
// one); "" for an info message (drawn as the message itself) or a card with
// nothing to show. Our words are translatable.
std::string link_card_text(const LinkMetadata &meta);

}  // namespace hipchat::core
