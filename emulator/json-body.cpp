#include "json-body.hpp"

namespace hipchat::emulator {

namespace {

JsonNode *member(JsonObject *object, const char *name)
{
    return object != nullptr ? json_object_get_member(object, name) : nullptr;
}

}  // namespace

JsonObject *parse_object(JsonParser *parser, const char *data, gsize length)
{
    if (data == nullptr || length == 0 ||
        !json_parser_load_from_data(parser, data, static_cast<gssize>(length), nullptr))
        return nullptr;
    JsonNode *root = json_parser_get_root(parser);
    return root != nullptr && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : nullptr;
}

std::string text_member(JsonObject *object, const char *name, const char *fallback)
{
    JsonNode *node = member(object, name);
    if (node == nullptr || !JSON_NODE_HOLDS_VALUE(node) ||
        json_node_get_value_type(node) != G_TYPE_STRING)
        return fallback;
    return json_node_get_string(node);
}

bool bool_member(JsonObject *object, const char *name)
{
    JsonNode *node = member(object, name);
    return node != nullptr && JSON_NODE_HOLDS_VALUE(node) &&
           json_node_get_value_type(node) == G_TYPE_BOOLEAN && json_node_get_boolean(node);
}

std::int64_t int_member(JsonObject *object, const char *name, std::int64_t fallback)
{
    JsonNode *node = member(object, name);
    if (node == nullptr || !JSON_NODE_HOLDS_VALUE(node) ||
        json_node_get_value_type(node) != G_TYPE_INT64)
        return fallback;
    return json_node_get_int(node);
}

std::string object_member_json(JsonObject *object, const char *name)
{
    JsonNode *node = member(object, name);
    if (node == nullptr || !JSON_NODE_HOLDS_OBJECT(node))
        return {};
    gchar *json = json_to_string(node, FALSE);
    std::string out = json;
    g_free(json);
    return out;
}

}  // namespace hipchat::emulator
