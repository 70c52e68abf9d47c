#include "control-server.hpp"

#include "core/files.hpp"
#include "core/timestamp.hpp"
#include "json-body.hpp"
#include "soup-listen.hpp"
#include "xmpp/emoticons.hpp"
#include "xmpp/guests.hpp"
#include "xmpp/messages.hpp"
#include "xmpp/people.hpp"
#include "xmpp/presence.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/video.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <type_traits>
#include <variant>

namespace hipchat::emulator {

namespace {

// One request, as its route's handler gets it.
struct Request {
    XmppServer &xmpp;
    RestServer &rest;
    SoupServerMessage *message;
    GHashTable *query;  // the URI's query, or nullptr
    JsonObject *body;   // the JSON object of the body, or nullptr for none
};

void respond(Request &r, unsigned status, const std::string &json)
{
    soup_server_message_set_status(r.message, status, nullptr);
    soup_server_message_set_response(r.message, "application/json", SOUP_MEMORY_COPY, json.data(),
                                     json.size());
}

void refuse(Request &r, const std::string &why)
{
    respond(r, 400, "{\"error\":" + core::json_string(why) + "}");
}

// A new emoticons ver (§12.1: opaque; the reference's look, to the second)
// that differs from `old`.
std::string next_emoticons_ver(const std::string &old)
{
    for (gint64 t = g_get_real_time() / G_USEC_PER_SEC;; ++t) {
        const std::string ver = core::format_xmpp_stamp(t);
        if (ver != old)
            return ver;
    }
}

// §8.4: an integration notification as POST /notification and each
// notification of POST /messages describe it.
HistoryMessage notification(JsonObject *object)
{
    HistoryMessage m;
    m.body = text_member(object, "message");
    m.from_name = text_member(object, "from", "Integration");
    m.message_format = text_member(object, "message_format", "html");
    m.color = text_member(object, "color", "yellow");
    m.notification_type = text_member(object, "type", "notification");
    m.notify = bool_member(object, "notify");
    return m;
}

// --- GET ----------------------------------------------------------------------

void get_status(Request &r)
{
    respond(r, 200, r.xmpp.status_json());
}

void get_rest_log(Request &r)
{
    std::string json = "{\"requests\":[";
    for (const auto &request : r.rest.requests())
        json += (json.back() == '[' ? "\"" : ",\"") + request + "\"";
    respond(r, 200, json + "]}");
}

void get_transcript(Request &r)
{
    const char *user = r.query != nullptr
                           ? static_cast<const char *>(g_hash_table_lookup(r.query, "user"))
                           : nullptr;
    respond(r, 200, r.xmpp.transcript_json(user != nullptr ? user : ""));
}

// A person as tests and benchmarks set up their clients (GET /user?email=E):
// the JID, the names and the auto-join list (§6.2).
void get_user(Request &r)
{
    const char *email = r.query != nullptr
                            ? static_cast<const char *>(g_hash_table_lookup(r.query, "email"))
                            : nullptr;
    const User *user = email != nullptr ? r.xmpp.org().find_user_by_email(email) : nullptr;
    if (user == nullptr) {
        respond(r, 404, "{\"error\":\"no such person\"}");
        return;
    }
    std::string auto_join;
    for (const auto &jid : user->auto_join)
        auto_join += (auto_join.empty() ? "" : ",") + core::json_string(jid);
    respond(r, 200,
            "{\"jid\":" + core::json_string(r.xmpp.org().user_jid(*user)) +
                ",\"name\":" + core::json_string(user->name) + ",\"mention_name\":" +
                core::json_string(user->mention_name) + ",\"auto_join\":[" + auto_join + "]}");
}

// --- POST /fault ------------------------------------------------------------------

// The members with rules of their own: each says why a value is refused,
// or "" when its fault is set.
std::string set_drop_after(Request &r)
{
    const std::string stage = text_member(r.body, "drop_after");
    const bool numbered_iq = stage.rfind("iq:", 0) == 0 && stage.size() > 3 &&
                             stage.find_first_not_of("0123456789", 3) == std::string::npos &&
                             std::atoi(stage.c_str() + 3) > 0;
    if (stage == "now") {
        r.xmpp.drop_all();
        return {};
    }
    if (stage != "features" && stage != "auth" && stage != "success" && stage != "iq" &&
        !numbered_iq)
        return "drop_after: features, auth, success, iq, iq:N or now";
    r.xmpp.faults.drop_after = stage;
    return {};
}

std::string set_rest_status(Request &r)
{
    const auto status = int_member(r.body, "rest_status", 0);
    if (status != 0 && status != 400 && status != 401 && status != 403 && status != 404 &&
        status != 429 && status != 500 && status != 503)
        return "rest_status: 0, 400, 401, 403, 404, 429, 500 or 503";
    r.rest.faults.fail_status = static_cast<int>(status);
    return {};
}

// {"xmlns": NS, "payload": TEXT}; null (or an empty xmlns) clears it.
std::string set_reply_iq(Request &r)
{
    JsonNode *node = json_object_get_member(r.body, "reply_iq");
    JsonObject *reply = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : nullptr;
    if (reply == nullptr && !JSON_NODE_HOLDS_NULL(node))
        return "reply_iq: an object with xmlns and payload, or null";
    r.xmpp.faults.reply_iq = {text_member(reply, "xmlns"), text_member(reply, "payload")};
    return {};
}

using RestFaults = RestServer::RestFaults;
using CheckedFault = std::string (*)(Request &r);

// A member of POST /fault and what it sets: a text, a flag or a number (of
// the XMPP server's faults or the API host's; a number is clamped to [min,
// max], `fallback` when it is no integer), or one with rules of its own.
struct FaultMember {
    const char *name;
    std::variant<std::string Faults::*, bool Faults::*, int Faults::*, bool RestFaults::*,
                 int RestFaults::*, CheckedFault>
        target;
    int min = 0, max = 0, fallback = 0;
};

// In the order they apply (docs/emulator.md, control interface).
const FaultMember fault_members[] = {
    {"drop_after", set_drop_after},
    {"delay_ms", &Faults::delay_ms, 0, 60000, 0},
    {"fail_auth_with", &Faults::fail_auth_with},
    {"oversized_photos", &RestFaults::oversized_photos},
    {"rate_limit", &RestFaults::rate_limit, 0, 1000000, 500},
    {"rest_delay_ms", &RestFaults::delay_ms, 0, 60000, 0},
    {"rest_truncate", &RestFaults::truncate},
    {"rest_status", set_rest_status},
    {"error_iq", &Faults::error_iq},
    {"ignore_iq", &Faults::ignore_iq},
    {"unsupported_iq", &Faults::unsupported_iq},
    {"reply_iq", set_reply_iq},
    {"success_without_jid", &Faults::success_without_jid},
};

// The faults a member pointer of F belongs to: the XMPP server's or the API host's.
template <typename F>
F &faults_of(Request &r)
{
    if constexpr (std::is_same_v<F, Faults>)
        return r.xmpp.faults;
    else
        return r.rest.faults;
}

template <typename... Handlers>
struct Overloaded : Handlers... {
    using Handlers::operator()...;
};

// Sets `member`'s fault from the request; why its value is refused, or "".
std::string apply(Request &r, const FaultMember &member)
{
    return std::visit(
        Overloaded{
            [&]<typename F>(std::string F::*text) {
                faults_of<F>(r).*text = text_member(r.body, member.name);
                return std::string();
            },
            [&]<typename F>(bool F::*flag) {
                faults_of<F>(r).*flag = bool_member(r.body, member.name);
                return std::string();
            },
            [&]<typename F>(int F::*number) {
                faults_of<F>(r).*number = static_cast<int>(CLAMP(
                    int_member(r.body, member.name, member.fallback), member.min, member.max));
                return std::string();
            },
            [&](CheckedFault set) { return set(r); },
        },
        member.target);
}

// {"reset": true} first, then each member given; a bad value stops there
// with 400 (what came before it stays set).
void post_fault(Request &r)
{
    if (r.body == nullptr) {
        refuse(r, "a JSON object is required");
        return;
    }
    if (bool_member(r.body, "reset")) {
        r.xmpp.faults = Faults{};
        r.rest.faults = RestServer::RestFaults{};
    }
    for (const FaultMember &member : fault_members) {
        if (!json_object_has_member(r.body, member.name))
            continue;
        if (const std::string refused = apply(r, member); !refused.empty()) {
            refuse(r, refused);
            return;
        }
    }
    respond(r, 200, "{}");
}

// --- POST: simulated people ---------------------------------------------------------

// {"user": JID, "show", "status"}: a simulated session's presence.
void post_presence(Request &r)
{
    const bool done = r.body != nullptr &&
                      simulate_presence(r.xmpp, text_member(r.body, "user"),
                                        text_member(r.body, "show"), text_member(r.body, "status"));
    if (done)
        respond(r, 200, "{}");
    else
        refuse(r, "unknown user or bad JSON");
}

// {"from": JID, "to": JID, "body"} 1:1, or {"from": JID, "room": JID, "body"};
// either with "metadata": {"type": …, field: text, …} (§8.5 [INFERRED]).
void post_message(Request &r)
{
    const std::string from = text_member(r.body, "from"), body = text_member(r.body, "body");
    const std::string room = text_member(r.body, "room");
    // §8.5: "metadata", an object, the link preview the server attached.
    std::string extra;
    if (r.body != nullptr && json_object_has_member(r.body, "metadata")) {
        JsonNode *node = json_object_get_member(r.body, "metadata");
        extra = JSON_NODE_HOLDS_OBJECT(node)
                    ? link_metadata_payload(member_texts(json_node_get_object(node)))
                    : "";
        if (extra.empty()) {
            refuse(r, "metadata: an object with a type and XML names");
            return;
        }
    }
    const bool done =
        r.body != nullptr &&
        (!room.empty() ? simulate_room_message(r.xmpp, from, room, body, extra)
                       : simulate_message(r.xmpp, from, text_member(r.body, "to"), body, extra));
    if (done)
        respond(r, 200, "{}");
    else
        refuse(r, "unknown user or bad JSON");
}

// §19.1: {"from": JID, "to": JID, "action": "call"|"decline"|"accept"|"hangup",
// "url", "reason"}: a video call signal from a simulated session of `from`.
void post_call(Request &r)
{
    const bool done = r.body != nullptr &&
                      simulate_call(r.xmpp, text_member(r.body, "from"), text_member(r.body, "to"),
                                    text_member(r.body, "action", "call"),
                                    text_member(r.body, "url"), text_member(r.body, "reason"));
    if (done)
        respond(r, 200, "{}");
    else
        refuse(r, "known from and to, action call, decline, accept or hangup");
}

// {"to": bare or full JID, "xml": TEXT}: TEXT as it is to that user's live
// sessions (or the one), for the malformed and oversized pushes, messages
// and presences a client must survive.
void post_stanza(Request &r)
{
    const std::string to = text_member(r.body, "to");
    const std::string xml = text_member(r.body, "xml");
    if (to.empty() || xml.empty()) {
        refuse(r, "a to JID and the xml to send are required");
        return;
    }
    const std::size_t sessions = r.xmpp.send_verbatim(to, xml);
    if (sessions == 0)
        respond(r, 404, "{\"error\":\"no live session of that JID\"}");
    else
        respond(r, 200, "{\"sessions\":" + std::to_string(sessions) + "}");
}

// The details POST /roster gives, where it gives them.
void update_details(User &user, JsonObject *body, bool with_email)
{
    for (auto [name, field] :
         {std::pair{"name", &user.name}, std::pair{"mention_name", &user.mention_name},
          std::pair{"email", with_email ? &user.email : nullptr}})
        if (field != nullptr && !text_member(body, name).empty())
            *field = text_member(body, name);
}

// {"action": "add"|"change"|"remove", "id": N, "name", "mention_name", "email"}:
// the team changes, then a roster push (§6.3).
void post_roster(Request &r)
{
    Organisation &org = r.xmpp.org();
    const std::string action = text_member(r.body, "action");
    const auto id =
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, int_member(r.body, "id", 0)));
    User *user = id != 0 ? org.find_user_by_id(id) : nullptr;
    if (action == "add" && user != nullptr && user->departed) {
        // Back in the team: the same id, the new details.
        user->departed = false;
        update_details(*user, r.body, true);
    } else if (action == "add" && user == nullptr && id != 0) {
        User added;
        added.id = id;
        added.name = text_member(r.body, "name");
        added.mention_name = text_member(r.body, "mention_name");
        added.email = text_member(r.body, "email");
        org.users.push_back(std::move(added));
        user = &org.users.back();
    } else if (action == "change" && user != nullptr) {
        update_details(*user, r.body, false);
    } else if (action == "remove" && user != nullptr && !user->departed) {
        // §6.3: gone from the roster and unable to log in; sessions stay
        // until they end (what HipChat did with them is [UNKNOWN]).
        user->departed = true;
    } else {
        refuse(r, "add a new id, or change/remove a known one");
        return;
    }
    push_roster(r.xmpp, *user, action == "remove");
    respond(r, 200, "{}");
}

// --- POST: rooms --------------------------------------------------------------------

// §16 item 11, §8.4: {"room": JID, "from": label, "message", "message_format",
// "color", "notify", "type", "card", "notification_sender"} as an integration
// notification in the room.
void post_notification(Request &r)
{
    Room *room =
        r.body != nullptr ? r.xmpp.org().find_room_by_jid(text_member(r.body, "room")) : nullptr;
    HistoryMessage m = notification(r.body);
    // The card is an object or JSON text already.
    m.card = text_member(r.body, "card", object_member_json(r.body, "card").c_str());
    if (JsonNode *sender =
            r.body != nullptr ? json_object_get_member(r.body, "notification_sender") : nullptr;
        sender != nullptr && JSON_NODE_HOLDS_OBJECT(sender)) {
        m.sender_type = text_member(json_node_get_object(sender), "type");
        m.sender_id = text_member(json_node_get_object(sender), "id");
    }
    if (room == nullptr || m.body.empty()) {
        refuse(r, "a known room and a message are required");
        return;
    }
    post_to_room(r.xmpp, *room, std::move(m), "");
    respond(r, 200, "{}");
}

// {"room": JID, "messages": [{"from": JID, "body"} | {"from": label, "message", …}]}:
// a batch for benchmarks, so that posting costs the client under test one
// request, not one per message; each entry is what POST /message or POST
// /notification (without card or sender) would post, in order, up to the
// first bad one.
void post_messages(Request &r)
{
    const std::string room_jid = text_member(r.body, "room");
    Room *room = r.body != nullptr ? r.xmpp.org().find_room_by_jid(room_jid) : nullptr;
    JsonNode *list = r.body != nullptr ? json_object_get_member(r.body, "messages") : nullptr;
    if (room == nullptr || list == nullptr || !JSON_NODE_HOLDS_ARRAY(list)) {
        refuse(r, "a known room and a messages array");
        return;
    }
    JsonArray *entries = json_node_get_array(list);
    const guint count = json_array_get_length(entries);
    for (guint i = 0; i < count; ++i) {
        JsonNode *node = json_array_get_element(entries, i);
        JsonObject *entry = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : nullptr;
        bool posted = false;
        if (entry != nullptr && json_object_has_member(entry, "body")) {
            posted = simulate_room_message(r.xmpp, text_member(entry, "from"), room_jid,
                                           text_member(entry, "body"));
        } else if (entry != nullptr && !text_member(entry, "message").empty()) {
            post_to_room(r.xmpp, *room, notification(entry), "");
            posted = true;
        }
        if (!posted) {
            respond(r, 400,
                    "{\"error\":\"message " + std::to_string(i) +
                        ": a known from with a body, or a notification's message\",\"posted\":" +
                        std::to_string(i) + "}");
            return;
        }
    }
    respond(r, 200, "{\"posted\":" + std::to_string(count) + "}");
}

// §12.1: {"id": N, "shortcut", "path", "type", "width", "height", "file"}
// adds an emoticon or changes the one with that id; a new ver, then a push.
void post_emoticons(Request &r)
{
    Organisation &org = r.xmpp.org();
    const auto id =
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, int_member(r.body, "id", 0)));
    auto known = std::find_if(org.emoticons.begin(), org.emoticons.end(),
                              [id](const Emoticon &e) { return e.id == id; });
    Emoticon e = known != org.emoticons.end() ? *known : Emoticon{};
    e.id = id;
    if (r.body != nullptr) {
        for (auto [name, field] : {std::pair{"shortcut", &e.shortcut}, std::pair{"path", &e.path},
                                   std::pair{"type", &e.type}, std::pair{"file", &e.file}})
            if (json_object_has_member(r.body, name))
                *field = text_member(r.body, name);
        e.width = static_cast<int>(CLAMP(int_member(r.body, "width", e.width), 1, 1000));
        e.height = static_cast<int>(CLAMP(int_member(r.body, "height", e.height), 1, 1000));
    }
    if (id == 0 || e.shortcut.empty() || e.path.empty() ||
        (e.type != "global" && e.type != "group") || e.file.find("..") != std::string::npos) {
        refuse(r,
               "an id, a shortcut, a path, type global or group, a file inside the data "
               "directory");
        return;
    }
    if (known != org.emoticons.end())
        *known = e;
    else
        org.emoticons.push_back(e);
    org.emoticons_ver = next_emoticons_ver(org.emoticons_ver);
    push_emoticons(r.xmpp, {e});
    respond(r, 200, "{\"ver\":\"" + org.emoticons_ver + "\"}");
}

// {"room": JID, "archived": true|false, "by": JID}: archived or restored on
// the website (§7.3 push, §8.9 message); "by" defaults to the owner.
void post_room(Request &r)
{
    Organisation &org = r.xmpp.org();
    Room *room = r.body != nullptr ? org.find_room_by_jid(text_member(r.body, "room")) : nullptr;
    User *by = r.body != nullptr && json_object_has_member(r.body, "by")
                   ? org.find_user_by_jid(text_member(r.body, "by"))
                   : (room != nullptr ? org.find_user_by_id(room->owner) : nullptr);
    if (room == nullptr || by == nullptr || !json_object_has_member(r.body, "archived")) {
        refuse(r, "a known room, archived and a known by");
        return;
    }
    set_archived(r.xmpp, *room, bool_member(r.body, "archived"), *by);
    respond(r, 200, "{}");
}

// {"room": JID, "name": "a guest"}: a guest comes in through the room's
// guest link (guests.hpp); {"room": JID, "jid": guest JID, "leave": true,
// "status": "…"}: the guest leaves.
void post_guest(Request &r)
{
    Room *room =
        r.body != nullptr ? r.xmpp.org().find_room_by_jid(text_member(r.body, "room")) : nullptr;
    if (room == nullptr) {
        refuse(r, "a known room");
        return;
    }
    if (json_object_has_member(r.body, "leave")) {
        if (guest_leaves(r.xmpp, *room, text_member(r.body, "jid"), text_member(r.body, "status")))
            respond(r, 200, "{}");
        else
            refuse(r, "no such guest in the room");
        return;
    }
    const Guest *guest = admit_guest(r.xmpp, *room, text_member(r.body, "name"));
    if (guest == nullptr) {
        respond(r, 403,
                "{\"error\":\"the room has no guest access, or the name is empty or taken\"}");
        return;
    }
    respond(r, 200,
            "{\"jid\":" + core::json_string(guest_jid(r.xmpp, *guest)) +
                ",\"mention_name\":" + core::json_string(guest->mention_name) + "}");
}

void post_disconnect(Request &r)
{
    r.xmpp.disconnect_all();
    respond(r, 200, "{}");
}

// Every request the control interface serves (docs/emulator.md); anything
// else is 404.
struct Route {
    const char *method;
    const char *path;
    void (*handle)(Request &r);
};

const Route routes[] = {
    {"GET", "/status", get_status},
    {"GET", "/rest-log", get_rest_log},
    {"GET", "/transcript", get_transcript},
    {"GET", "/user", get_user},
    {"POST", "/fault", post_fault},
    {"POST", "/presence", post_presence},
    {"POST", "/message", post_message},
    {"POST", "/call", post_call},  // video calls (§19.1)
    {"POST", "/stanza", post_stanza},
    {"POST", "/roster", post_roster},
    {"POST", "/notification", post_notification},
    {"POST", "/messages", post_messages},
    {"POST", "/emoticons", post_emoticons},
    {"POST", "/room", post_room},
    {"POST", "/guest", post_guest},
    {"POST", "/disconnect", post_disconnect},
};

}  // namespace

ControlServer::ControlServer(XmppServer &xmpp, RestServer &rest) : xmpp_(xmpp), rest_(rest) {}

ControlServer::~ControlServer()
{
    if (server_ != nullptr) {
        soup_server_disconnect(server_);
        g_object_unref(server_);
    }
}

bool ControlServer::listen(guint16 port, std::string &error)
{
    server_ = soup_server_new(nullptr, nullptr);
    soup_server_add_handler(server_, nullptr, on_request, this, nullptr);
    port_ = listen_on_loopback(server_, port, SoupServerListenOptions(0), error);
    return port_ != 0;
}

void ControlServer::on_request(SoupServer *, SoupServerMessage *message, const char *path,
                               GHashTable *query, gpointer data)
{
    auto *self = static_cast<ControlServer *>(data);
    const std::string method = soup_server_message_get_method(message);
    const std::string route = path != nullptr ? path : "";
    const auto it = std::find_if(std::begin(routes), std::end(routes), [&](const Route &r) {
        return method == r.method && route == r.path;
    });
    JsonParser *parser = json_parser_new();
    SoupMessageBody *body = soup_server_message_get_request_body(message);
    Request request{self->xmpp_, self->rest_, message, query,
                    body != nullptr ? parse_object(parser, body->data, body->length) : nullptr};
    if (it != std::end(routes))
        it->handle(request);
    else
        respond(request, 404, "{\"error\":\"no such endpoint\"}");
    g_object_unref(parser);
}

}  // namespace hipchat::emulator
