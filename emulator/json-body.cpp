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

std::vector<std::pair<std::string, std::string>> member_texts(JsonObject *object)
{
    std::vector<std::pair<std::string, std::string>> result;
    GList *names = object != nullptr ? json_object_get_members(object) : nullptr;
    for (GList *n = names; n != nullptr; n = n->next) {
        const char *name = static_cast<const char *>(n->data);
        JsonNode *node = json_object_get_member(object, name);
        std::string text;
        if (JSON_NODE_HOLDS_OBJECT(node) || JSON_NODE_HOLDS_ARRAY(node)) {
            gchar *json = json_to_string(node, FALSE);
            text = json;
            g_free(json);
        } else if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING) {
            text = json_node_get_string(node);
        } else if (JSON_NODE_HOLDS_VALUE(node) &&
                   json_node_get_value_type(node) == G_TYPE_BOOLEAN) {
            text = json_node_get_boolean(node) ? "true" : "false";
        } else if (JSON_NODE_HOLDS_VALUE(node)) {
            text = std::to_string(json_node_get_int(node));
        }
        result.emplace_back(name, text);
    }
    g_list_free(names);
    return result;
}

}  // namespace hipchat::emulator
