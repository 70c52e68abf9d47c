// A small, strict JSON reader for what HipChat sends as JSON: REST error
// bodies (§13) and notification cards (§8.4). The core has no JSON library
// (json-glib needs GObject), so this is ours: RFC 8259 values, bounded depth,
// no exceptions; anything malformed gives nullopt.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hipchat::core {

struct JsonValue;
using JsonObject = std::map<std::string, JsonValue, std::less<>>;
using JsonArray = std::vector<JsonValue>;

struct JsonValue {
    std::variant<std::nullptr_t, bool, double, std::string, JsonArray, JsonObject> value;

    const JsonObject *object() const { return std::get_if<JsonObject>(&value); }
    const std::string *string() const { return std::get_if<std::string>(&value); }
    const double *number() const { return std::get_if<double>(&value); }
    // The member `key` of an object, or nullptr (also for non-objects).
    const JsonValue *member(std::string_view key) const;
    // The member's text when it is a string, else "".
    std::string text(std::string_view key) const;
};

// The value `text` holds (surrounding white space allowed), or nullopt for
// malformed JSON, invalid escapes or UTF-8, or nesting deeper than `max_depth`.
std::optional<JsonValue> parse_json(std::string_view text, int max_depth = 32);

}  // namespace hipchat::core
