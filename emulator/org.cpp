#include "org.hpp"

#include "core/read-state.hpp"
#include "core/text.hpp"
#include "json-body.hpp"

#include <json-glib/json-glib.h>

#include <algorithm>

namespace hipchat::emulator {

namespace {

std::string string_member(JsonObject *object, const char *name, const char *fallback = "")
{
    if (!json_object_has_member(object, name))
        return fallback;
    JsonNode *node = json_object_get_member(object, name);
    if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING)
        return json_node_get_string(node);
    return fallback;
}

std::vector<std::string> strings_member(JsonObject *object, const char *name)
{
    std::vector<std::string> result;
    if (!json_object_has_member(object, name))
        return result;
    JsonNode *node = json_object_get_member(object, name);
    if (!JSON_NODE_HOLDS_ARRAY(node))
        return result;
    JsonArray *array = json_node_get_array(node);
    for (guint i = 0; i < json_array_get_length(array); ++i) {
        JsonNode *item = json_array_get_element(array, i);
        if (JSON_NODE_HOLDS_VALUE(item) && json_node_get_value_type(item) == G_TYPE_STRING)
            result.emplace_back(json_node_get_string(item));
    }
    return result;
}

std::int64_t int_member(JsonObject *object, const char *name, std::int64_t fallback = 0)
{
    if (!json_object_has_member(object, name))
        return fallback;
    JsonNode *node = json_object_get_member(object, name);
    return JSON_NODE_HOLDS_VALUE(node) ? json_node_get_int(node) : fallback;
}

bool bool_member(JsonObject *object, const char *name)
{
    if (!json_object_has_member(object, name))
        return false;
    JsonNode *node = json_object_get_member(object, name);
    return JSON_NODE_HOLDS_VALUE(node) && json_node_get_boolean(node);
}

double double_member(JsonObject *object, const char *name)
{
    if (!json_object_has_member(object, name))
        return 0;
    JsonNode *node = json_object_get_member(object, name);
    return JSON_NODE_HOLDS_VALUE(node) ? json_node_get_double(node) : 0;
}

// Each element of the array member `name` that is an object.
std::vector<JsonObject *> objects_member(JsonObject *object, const char *name)
{
    std::vector<JsonObject *> result;
    if (!json_object_has_member(object, name))
        return result;
    JsonNode *node = json_object_get_member(object, name);
    if (!JSON_NODE_HOLDS_ARRAY(node))
        return result;
    JsonArray *array = json_node_get_array(node);
    for (guint i = 0; i < json_array_get_length(array); ++i) {
        JsonNode *item = json_array_get_element(array, i);
        if (JSON_NODE_HOLDS_OBJECT(item))
            result.push_back(json_node_get_object(item));
    }
    return result;
}

// §19.6: a user's preferences, each member's value as text (objects such as
// roomNotificationOverrides as JSON text), in the file's order.
std::vector<std::pair<std::string, std::string>> preferences_member(JsonObject *object)
{
    if (!json_object_has_member(object, "preferences") ||
        !JSON_NODE_HOLDS_OBJECT(json_object_get_member(object, "preferences")))
        return {};
    return member_texts(json_object_get_object_member(object, "preferences"));
}

HistoryMessage read_message(JsonObject *object)
{
    HistoryMessage m;
    m.mid = string_member(object, "mid");
    m.ts = double_member(object, "ts");
    m.from_jid = string_member(object, "from_jid");
    m.from_name = string_member(object, "from_name");
    m.body = string_member(object, "body");
    m.notification_type = string_member(object, "notification_type");
    m.color = string_member(object, "color");
    m.message_format = string_member(object, "message_format");
    m.notify = bool_member(object, "notify");
    m.card = string_member(object, "card");
    m.topic_change = string_member(object, "type") == "topic";
    if (json_object_has_member(object, "notification_sender")) {
        JsonNode *node = json_object_get_member(object, "notification_sender");
        if (JSON_NODE_HOLDS_OBJECT(node)) {
            m.sender_type = string_member(json_node_get_object(node), "type");
            m.sender_id = string_member(json_node_get_object(node), "id");
        }
    }
    return m;
}

}  // namespace

std::string Organisation::user_jid(const User &u) const
{
    return std::to_string(group_id) + "_" + std::to_string(u.id) + "@" + hosts.chat_host;
}

std::string Organisation::room_jid(const Room &r) const
{
    return std::to_string(group_id) + "_" + r.slug + "@" + hosts.muc_host;
}

namespace {

// The first element matching `match`, or nullptr.
template <typename Items, typename Match>
auto first(Items &items, Match match) -> typename Items::value_type *
{
    const auto it = std::find_if(items.begin(), items.end(), match);
    return it == items.end() ? nullptr : &*it;
}

}  // namespace

User *Organisation::find_user_by_email(std::string_view email)
{
    const std::string wanted = core::ascii_lower(email);
    return first(users, [&](const User &u) { return core::ascii_lower(u.email) == wanted; });
}

User *Organisation::find_user_by_id(std::uint64_t id)
{
    return first(users, [&](const User &u) { return u.id == id; });
}

namespace {

// Every user JID is "<group>_<id>@<chat host>" and every room JID
// "<group>_<slug>@<muc host>" (§3): the node after the group prefix, or
// nullopt when `jid` has another shape. Saves building every JID of a large
// team on each lookup.
std::optional<std::string> node_after_group(std::string_view jid, std::uint64_t group_id,
                                            const std::string &host)
{
    const std::string wanted = core::bare_jid(jid);
    const std::string prefix = std::to_string(group_id) + "_", suffix = "@" + host;
    if (wanted.size() <= prefix.size() + suffix.size() || wanted.rfind(prefix, 0) != 0 ||
        wanted.compare(wanted.size() - suffix.size(), suffix.size(), suffix) != 0)
        return std::nullopt;
    return wanted.substr(prefix.size(), wanted.size() - prefix.size() - suffix.size());
}

}  // namespace

User *Organisation::find_user_by_jid(std::string_view jid)
{
    const auto node = node_after_group(jid, group_id, hosts.chat_host);
    if (!node || node->find_first_not_of("0123456789") != std::string::npos || node->size() > 19)
        return nullptr;
    User *user = find_user_by_id(std::stoull(*node));
    return user != nullptr && user_jid(*user) == core::bare_jid(jid) ? user : nullptr;
}

User *Organisation::find_user_by_token(std::string_view token)
{
    return first(users, [&](const User &u) {
        return !token.empty() &&
               (std::find(u.tokens.begin(), u.tokens.end(), token) != u.tokens.end() ||
                std::find(u.session_tokens.begin(), u.session_tokens.end(), token) !=
                    u.session_tokens.end());
    });
}

Room *Organisation::find_room_by_jid(std::string_view jid)
{
    const auto slug = node_after_group(jid, group_id, hosts.muc_host);
    return slug ? first(rooms, [&](const Room &r) { return r.slug == *slug; }) : nullptr;
}

namespace {

// The users, rooms and emoticons of `top` into `org`; false, with `error`
// naming the file and the rule, for one that breaks the rules.
bool read_users(JsonObject *top, Organisation &org, const std::string &path, std::string &error)
{
    for (JsonObject *o : objects_member(top, "users")) {
        User u;
        u.id = static_cast<std::uint64_t>(int_member(o, "id"));
        u.email = string_member(o, "email");
        u.password = string_member(o, "password");
        u.tokens = strings_member(o, "tokens");
        if (json_object_has_member(o, "token_scopes"))
            u.token_scopes = strings_member(o, "token_scopes");
        u.name = string_member(o, "name");
        u.mention_name = string_member(o, "mention_name");
        u.title = string_member(o, "title");
        u.timezone = string_member(o, "timezone", "UTC");
        u.utc_offset = double_member(o, "utc_offset");
        u.photo = string_member(o, "photo");
        u.mobile = string_member(o, "mobile");
        u.is_admin = bool_member(o, "is_admin");
        u.auto_join = strings_member(o, "auto_join");
        u.preferences = preferences_member(o);
        for (JsonObject *mark : objects_member(o, "read_state"))
            u.read_marks[core::ascii_lower(string_member(mark, "jid"))].mid =
                string_member(mark, "mid");
        if (u.id == 0 || u.email.empty() || u.name.empty()) {
            error = path + ": every user needs a non-zero id, an email and a name";
            return false;
        }
        org.users.push_back(std::move(u));
    }
    return true;
}

bool read_rooms(JsonObject *top, Organisation &org, const std::string &path, std::string &error)
{
    for (JsonObject *o : objects_member(top, "rooms")) {
        Room r;
        r.id = static_cast<std::uint64_t>(int_member(o, "id"));
        r.slug = string_member(o, "slug");
        r.name = string_member(o, "name");
        r.topic = string_member(o, "topic");
        r.privacy = string_member(o, "privacy", "public");
        r.owner = static_cast<std::uint64_t>(int_member(o, "owner"));
        for (JsonObject *m : objects_member(o, "history"))
            r.history.push_back(read_message(m));
        r.archived = bool_member(o, "archived");
        r.guest_url = string_member(o, "guest_url");
        r.last_active = int_member(o, "last_active");
        r.version = string_member(o, "version", "00000000");
        if (json_object_has_member(o, "members")) {
            JsonNode *node = json_object_get_member(o, "members");
            if (JSON_NODE_HOLDS_ARRAY(node)) {
                JsonArray *array = json_node_get_array(node);
                for (guint i = 0; i < json_array_get_length(array); ++i) {
                    JsonNode *element = json_array_get_element(array, i);
                    if (JSON_NODE_HOLDS_VALUE(element) &&
                        json_node_get_value_type(element) == G_TYPE_INT64)
                        r.members.push_back(static_cast<std::uint64_t>(json_node_get_int(element)));
                }
            }
        }
        if (r.id == 0 || r.slug.empty() || r.name.empty()) {
            error = path + ": every room needs a non-zero id, a slug and a name";
            return false;
        }
        org.rooms.push_back(std::move(r));
    }
    return true;
}

bool read_emoticons(JsonObject *top, Organisation &org, const std::string &path, std::string &error)
{
    for (JsonObject *o : objects_member(top, "emoticons")) {
        Emoticon e;
        e.id = static_cast<std::uint64_t>(int_member(o, "id"));
        e.shortcut = string_member(o, "shortcut");
        e.path = string_member(o, "path");
        e.type = string_member(o, "type", "group");
        e.width = static_cast<int>(int_member(o, "width", 30));
        e.height = static_cast<int>(int_member(o, "height", 30));
        e.file = string_member(o, "file");
        if (e.id == 0 || e.shortcut.empty() || e.path.empty()) {
            error = path + ": every emoticon needs a non-zero id, a shortcut and a path";
            return false;
        }
        org.emoticons.push_back(std::move(e));
    }
    return true;
}

// The organisation `parser` reads from `path`, or nullopt with `error` set.
std::optional<Organisation> read_organisation(JsonParser *parser, const std::string &path,
                                              std::string &error)
{
    GError *gerror = nullptr;
    if (!json_parser_load_from_file(parser, path.c_str(), &gerror)) {
        error = path + ": " + (gerror != nullptr ? gerror->message : "cannot read");
        g_clear_error(&gerror);
        return std::nullopt;
    }
    JsonNode *root = json_parser_get_root(parser);
    if (root == nullptr || !JSON_NODE_HOLDS_OBJECT(root)) {
        error = path + ": the top level must be an object";
        return std::nullopt;
    }
    JsonObject *top = json_node_get_object(root);
    Organisation org;
    org.group_id = static_cast<std::uint64_t>(int_member(top, "group_id", 1));
    org.group_name = string_member(top, "group_name", "Example Inc");
    org.group_uri_domain = string_member(top, "group_uri_domain");
    org.emoticons_ver = string_member(top, "emoticons_ver", "1");
    gchar *dir = g_path_get_dirname(path.c_str());
    org.data_dir = dir;
    g_free(dir);
    if (!read_users(top, org, path, error) || !read_rooms(top, org, path, error) ||
        !read_emoticons(top, org, path, error))
        return std::nullopt;
    return org;
}

// A user's read_state names a message of a room's history by its mid: the
// mark's time is that message's. False, with `error` set, for any other.
bool resolve_read_marks(Organisation &org, const std::string &path, std::string &error)
{
    for (User &u : org.users)
        for (auto &[jid, mark] : u.read_marks) {
            const Room *room = org.find_room_by_jid(jid);
            const auto found =
                room == nullptr
                    ? std::vector<HistoryMessage>::const_iterator{}
                    : std::find_if(room->history.begin(), room->history.end(),
                                   [&](const HistoryMessage &m) { return m.mid == mark.mid; });
            if (room == nullptr || mark.mid.empty() || found == room->history.end()) {
                error = path + ": " + u.email + "'s read_state names \"" + mark.mid + "\" in " +
                        jid + ", which is not a message of that room's history";
                return false;
            }
            mark.ts = found->ts;
            mark.timestamp = core::read_state_timestamp("", found->ts);
        }
    return true;
}

}  // namespace

std::optional<Organisation> load_organisation(const std::string &path, std::string &error)
{
    JsonParser *parser = json_parser_new();
    auto org = read_organisation(parser, path, error);
    g_object_unref(parser);
    if (!org)
        return std::nullopt;
    // History entries may leave out the sender's name (filled from from_jid)
    // and the mid (a fresh UUID).
    for (auto &room : org->rooms)
        for (auto &m : room.history) {
            if (m.from_name.empty())
                if (const User *u = org->find_user_by_jid(m.from_jid))
                    m.from_name = u->name;
            if (m.mid.empty()) {
                gchar *uuid = g_uuid_string_random();
                m.mid = uuid;
                g_free(uuid);
            }
        }
    if (org->users.empty()) {
        error = path + ": no users";
        return std::nullopt;
    }
    if (!resolve_read_marks(*org, path, error))
        return std::nullopt;
    return org;
}

}  // namespace hipchat::emulator
