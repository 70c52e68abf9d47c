// Files over HipChat's REST API (protocol reference §11, §8.8, §13): the
// multipart/related frame around an upload, what to call a downloaded file,
// and readable messages for REST errors. Pure: the plugin does the HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hipchat::core {

// The official client's limits (§11.2): 50 MB a file, 1,000 characters of
// description.
inline constexpr std::uint64_t max_upload_bytes = 50ull * 1024 * 1024;
inline constexpr std::size_t max_description_chars = 1000;

// What goes before and after the file's bytes in a share/file request: the
// JSON part ({"message": …}) first, then the file part's headers; the tail
// closes the body. `file_type` application/json is sent as text/plain, as
// the official client does ("can't contain two application/json parts").
struct MultipartFrame {
    std::string content_type;  // multipart/related; boundary=…
    std::string head, tail;
};

MultipartFrame share_file_frame(std::string_view file_name, std::string_view file_type,
                                std::string_view message, std::string_view boundary);

// `text` as a JSON string literal, quotes included.
std::string json_string(std::string_view text);

// A name safe to save a shared file under: the last path segment (either
// slash), invalid UTF-8 replaced, control and format characters
// (bidirectional overrides and isolates, zero-width ones) and leading dots
// removed, at most 200 bytes (whole UTF-8 characters), "file" when nothing
// is left.
std::string safe_file_name(std::string_view name);

// HipChat's REST error body: {"error": {"code": N, "message": "…", "type": "…"}} (§13).
struct RestError {
    unsigned code = 0;
    std::string message, type;
};
std::optional<RestError> parse_rest_error(std::string_view body);

// What a user should read when a REST request failed (§11.2, §13): `status`
// 0 is a transport failure described by `transport_error`; 429 says when to
// try again from X-Ratelimit-Reset (`reset`, Unix time, 0 when absent) and
// `now`. Translatable (gettext domain purple-hipchat).
std::string describe_rest_failure(unsigned status, std::string_view body,
                                  std::string_view transport_error, std::int64_t reset,
                                  std::int64_t now);

}  // namespace hipchat::core
