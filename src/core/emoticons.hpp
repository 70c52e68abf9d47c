// HipChat emoticons (protocol reference §12): the emoticons IQ's list with
// its `ver`, pushes, our on-disk copy of the list, finding `(shortcut)`s in
// a message, and checking that a downloaded image is a small PNG, GIF or
// JPEG. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/element.hpp"
#include "core/namespaces.hpp"

namespace hipchat::core {

struct Emoticon {
    std::uint64_t id = 0;
    std::string shortcut;         // without parentheses: "allthethings"
    std::string url;              // path_prefix + "/" + path
    int width = 30, height = 30;  // §12.1: 30x30 when missing
    std::string type;             // "global" or "group"
};

struct EmoticonList {
    std::string ver;  // opaque; sent back to get an empty reply while current
    std::vector<Emoticon> items;
};

// A reply or push <query>. Items without a shortcut or a path are skipped;
// shortcuts are restricted to letters, digits and '_' (HipChat's own are).
EmoticonList parse_emoticons(const Element &query);

// A push (§12.1) changes or adds the items it names (by id, else shortcut)
// and, when it carries one, the ver.
void apply_emoticon_push(EmoticonList &list, const EmoticonList &push);

// The list as text for the cache file, and back (nullopt when malformed).
std::string serialise_emoticons(const EmoticonList &list);
std::optional<EmoticonList> deserialise_emoticons(std::string_view text);

// The emoticons whose `(shortcut)` appears in `text`, each once, in order.
std::vector<Emoticon> emoticons_in(std::string_view text, const EmoticonList &list);

// What a downloaded image really is, from its first bytes.
struct ImageInfo {
    std::string mime;  // image/png, image/gif or image/jpeg
    int width = 0, height = 0;
};
std::optional<ImageInfo> sniff_image(std::string_view bytes);

}  // namespace hipchat::core
