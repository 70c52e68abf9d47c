// HipChat emulator: reading the JSON bodies of HTTP requests (the control
// interface's, the API host's), tolerant of absent or mistyped members: a
// test's bad request gets an error answer, never a crash (house style).
#pragma once

#include <json-glib/json-glib.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hipchat::emulator {

// The JSON object `data` holds, parsed by `parser` (which owns it: the
// caller unrefs the parser after use); nullptr for anything else.
JsonObject *parse_object(JsonParser *parser, const char *data, gsize length);

// A member's value when it has the type asked for, else the fallback. A null
// `object` has no members.
std::string text_member(JsonObject *object, const char *name, const char *fallback = "");
bool bool_member(JsonObject *object, const char *name);
std::int64_t int_member(JsonObject *object, const char *name, std::int64_t fallback);
// An object member written as JSON text (§8.4's card travels so); "" when
// the member is no object.
std::string object_member_json(JsonObject *object, const char *name);

// Every member of `object` with its value as text, in order: strings as
// they are, objects and arrays as JSON text, booleans "true" or "false",
// numbers in decimal (§19.6's preferences are kept so).
std::vector<std::pair<std::string, std::string>> member_texts(JsonObject *object);

}  // namespace hipchat::emulator
