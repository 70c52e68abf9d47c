// What a chat shares: files (protocol reference §8.8) as messages carry
// them and as the files IQ lists them, and links (§8.5) as the links IQ
// lists them. Evidence: the official web client's core/models/file.js
// fromXMPP, core/xmpp/plugins/chat_plugin.js and stores/application_store.js
// handleFileQueryResponse / handleLinkQueryResponse.
//
// Pure: src/xmpp/messages.cpp reads files out of messages, src/xmpp/lists.cpp
// the IQs' results.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/element.hpp"

namespace hipchat::core {

// A file shared in the conversation (§8.8), from either form the server
// emits.
struct SharedFile {
    std::string name;         // the file's name (the last path segment)
    std::string url;          // where to get it; may be empty for an authenticated file
    std::string description;  // <desc>
    std::string id;           // the authenticated file's id (or the legacy form's, when given)
    std::uint64_t size = 0;   // bytes, 0 when unknown
    // An `authenticated_file`: fetching `url` (https://{api_host}/v2/file/{id})
    // needs `Authorization: Bearer <token>` (§8.8).
    bool authenticated = false;
};

// The legacy form, <x muc#room><file> in a message or an <item> of the
// files IQ: name (its last path segment), file_url, desc, size, id.
SharedFile read_legacy_file(const Element &file);
// An <authenticated_file>: id, name, desc, size; `url` is left to the
// caller (a message's body names it, file.js builds it from the id).
SharedFile read_authenticated_file(const Element &file);
// The authenticated file's URL in a message body's "description: https://…"
// line (§8.8): the https URL naming the file's id, else the last one.
std::string url_in_body(std::string_view body, std::string_view id);

// A file or a link as a chat's files or links IQ lists it.
struct ListedFile {
    SharedFile file;
    std::int64_t date = 0;      // <date>, Unix seconds; 0 when absent or malformed
    std::uint64_t user_id = 0;  // who shared it; 0 when unknown
};
struct ListedLink {
    std::string url;
    std::int64_t date = 0;
    std::uint64_t user_id = 0;
};

// The most items a listing keeps, however many the server sends (the
// official client asks for 100 at a time, app_config.js fetching_files_limit).
inline constexpr std::size_t max_listed = 200;

// A files IQ result's <query>: its <authenticated_file>s, or when it has
// none its <item>s (chat_plugin.js _processFilesResponse), newest first,
// one per file (the same id, or the same address for legacy files: the
// official client's uniqBy url), at most max_listed. Items with neither a
// name nor an address are left out.
std::vector<ListedFile> parse_listed_files(const Element &query);
// A links IQ result's <query>: its <item>s' <url>, <date> and <user_id>,
// newest first, one per address, at most max_listed; only http(s) addresses
// (anything else must not become a link).
std::vector<ListedLink> parse_listed_links(const Element &query);

}  // namespace hipchat::core
