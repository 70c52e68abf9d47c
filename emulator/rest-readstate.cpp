// HipChat emulator: the read state on the API host (protocol reference
// §19.4; the official web client's core/rest/readstate/): for each user,
// the last message read in each room and 1:1 chat, kept across the user's
// sessions (in the organisation's User), read with GET and changed with a
// JSON-patch PATCH by any of them. The 404 ("read state is off for the
// group") and 429 answers come from the rest_status and rate_limit faults,
// which act before any route.
#include "core/files.hpp"
#include "core/mentions.hpp"
#include "core/read-state.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"
#include "json-body.hpp"
#include "rest-readstate.hpp"

#include <json-glib/json-glib.h>

#include <algorithm>
#include <cstring>

namespace hipchat::emulator {

namespace {

// The messages of a conversation, oldest first: a room's history, or the
// 1:1 history of `user` with the person at `jid`; nullptr for neither.
const std::vector<HistoryMessage> *conversation(Organisation &org, const User &user,
                                                const std::string &jid)
{
    if (const Room *room = org.find_room_by_jid(jid))
        return &room->history;
    const User *other = org.find_user_by_jid(jid);
    if (other == nullptr)
        return nullptr;
    const std::uint64_t a = std::min(user.id, other->id), b = std::max(user.id, other->id);
    for (const auto &h : org.private_history)
        if (h.a == a && h.b == b)
            return &h.messages;
    static const std::vector<HistoryMessage> none;
    return &none;
}

// unreadCount: what others said after the mark, and how many of those
// mention the user (@MentionName, @"Full Name", @all, @here: §8.6) [INFERRED:
// the web client only reads these numbers; how the server counts is not
// known]. The history is scanned from its end, as far as the mark.
std::string unread_count(Organisation &org, const User &user, const std::string &jid,
                         const ReadMark &mark)
{
    int count = 0, mentions = 0;
    const std::string own = org.user_jid(user);
    if (const auto *messages = conversation(org, user, jid))
        for (auto m = messages->rbegin(); m != messages->rend() && m->ts > mark.ts; ++m) {
            if (m->mid == mark.mid)
                break;
            if (m->from_jid == own)
                continue;
            ++count;
            if (core::mentions_me(m->body, {user.mention_name, user.name},
                                  core::MentionScope::everyone))
                ++mentions;
        }
    return ",\"unreadCount\":{\"count\":" + std::to_string(count) +
           ",\"mentions\":" + std::to_string(mentions) +
           ",\"includesMention\":" + (mentions > 0 ? "true" : "false") + "}";
}

// The read state as GET answers it, with the counts when asked for
// (?expand=items.unreadCount, readstate_request.js getUrl).
std::string read_state_json(Organisation &org, const User &user, bool counts)
{
    std::string items;
    for (const auto &[jid, mark] : user.read_marks) {
        if (!items.empty())
            items += ',';
        items +=
            "{\"xmppJid\":" + core::json_string(jid) + ",\"mid\":" + core::json_string(mark.mid) +
            ",\"timestamp\":" + core::json_string(mark.timestamp.empty() ? "0.0" : mark.timestamp);
        if (counts)
            items += unread_count(org, user, jid, mark);
        items += "}";
    }
    return "{\"items\":[" + items + "]}";
}

bool wants_counts(const ApiCall &call)
{
    return call.param("expand") == "items.unreadCount";
}

// One operation of the patch, applied to `marks`; "" when applied, else why
// not.
std::string apply(Organisation &org, std::map<std::string, ReadMark> &marks, JsonObject *op)
{
    const std::string kind = text_member(op, "op");
    const std::string path = text_member(op, "path");
    const std::string jid = core::ascii_lower(path.empty() ? "" : path.substr(1));
    if (path.empty() || path.front() != '/' ||
        (org.find_room_by_jid(jid) == nullptr && org.find_user_by_jid(jid) == nullptr))
        return "Invalid path: " + path;
    if (kind == "remove") {
        marks.erase(jid);
        return {};
    }
    JsonNode *value = json_object_get_member(op, "value");
    if (kind != "add" || value == nullptr || !JSON_NODE_HOLDS_OBJECT(value))
        return "Expected an add with a value, or a remove";
    JsonObject *fields = json_node_get_object(value);
    const std::string stamp = text_member(fields, "timestamp", "0.0");
    const auto ts = core::parse_hipchat_ts(stamp);
    if (!ts)
        return "Invalid timestamp: " + stamp;
    marks[jid] = ReadMark{text_member(fields, "mid"), stamp, *ts};
    return {};
}

}  // namespace

// §19.4: GET /v2/readstate.
void rest_get_read_state(ApiCall &call)
{
    api_json(call.message, read_state_json(call.org, call.user, wants_counts(call)));
}

// §19.4: PATCH /v2/readstate, application/json-patch+json. The whole patch
// is checked before any of it applies. The answer is the read state as GET
// gives it [INFERRED: the web client reads a body when there is one, as
// after a GET].
void rest_patch_read_state(ApiCall &call)
{
    const std::string body = call.body();
    JsonParser *parser = json_parser_new();
    JsonNode *root =
        !body.empty() && json_parser_load_from_data(parser, body.data(),
                                                    static_cast<gssize>(body.size()), nullptr)
            ? json_parser_get_root(parser)
            : nullptr;
    std::string problem = root == nullptr || !JSON_NODE_HOLDS_ARRAY(root)
                              ? "Expected a JSON patch (an array of operations)"
                              : "";
    auto marks = call.user.read_marks;  // applied to a copy first: all or nothing
    JsonArray *ops = problem.empty() ? json_node_get_array(root) : nullptr;
    for (guint i = 0; problem.empty() && i < json_array_get_length(ops); ++i) {
        JsonNode *op = json_array_get_element(ops, i);
        problem = JSON_NODE_HOLDS_OBJECT(op) ? apply(call.org, marks, json_node_get_object(op))
                                             : "Expected an operation object";
    }
    g_object_unref(parser);
    if (!problem.empty()) {
        api_error(call.message, 400, "Bad Request", problem);
        return;
    }
    call.user.read_marks = std::move(marks);
    api_json(call.message, read_state_json(call.org, call.user, wants_counts(call)));
}

}  // namespace hipchat::emulator
