#include "rest-server.hpp"

#include "core/files.hpp"
#include "core/namespaces.hpp"
#include "core/timestamp.hpp"
#include "core/xml-escape.hpp"
#include "json-body.hpp"
#include "rest-api.hpp"
#include "rest-readstate.hpp"
#include "rest-room-members.hpp"
#include "rest-rooms.hpp"
#include "rest-users.hpp"
#include "soup-listen.hpp"
#include "xmpp/messages.hpp"
#include "xmpp/server.hpp"
#include "xmpp/shared.hpp"
#include "xmpp/stanza.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace hipchat::emulator {

namespace {

std::vector<std::string> split_path(const std::string &path)
{
    std::vector<std::string> parts;
    gchar **pieces = g_strsplit(path.c_str(), "/", -1);
    for (gchar **p = pieces; *p != nullptr; ++p) {
        if (**p == '\0')
            continue;
        gchar *plain = g_uri_unescape_string(*p, nullptr);
        parts.emplace_back(plain != nullptr ? plain : *p);
        g_free(plain);
    }
    g_strfreev(pieces);
    return parts;
}

// The image type from the file's first bytes, which do not depend on the
// machine's MIME database (§12.1 serves PNG and GIF emoticons).
const char *image_type(const gchar *data, gsize length)
{
    if (length >= 8 && std::memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (length >= 6 && (std::memcmp(data, "GIF87a", 6) == 0 || std::memcmp(data, "GIF89a", 6) == 0))
        return "image/gif";
    if (length >= 3 && std::memcmp(data, "\xff\xd8\xff", 3) == 0)
        return "image/jpeg";
    return "application/octet-stream";
}

// §13: Authorization: Bearer TOKEN, or ?auth_token=TOKEN; "" for neither.
std::string bearer_token(SoupServerMessage *message, GHashTable *query)
{
    SoupMessageHeaders *headers = soup_server_message_get_request_headers(message);
    if (const char *authorization = soup_message_headers_get_one(headers, "Authorization");
        authorization != nullptr && g_ascii_strncasecmp(authorization, "Bearer ", 7) == 0)
        return authorization + 7;
    const char *param = query != nullptr
                            ? static_cast<const char *>(g_hash_table_lookup(query, "auth_token"))
                            : nullptr;
    return param != nullptr ? param : "";
}

// The fault rest_status: §13's answer for that status, instead of serving.
// False when the fault is off.
bool fail_by_fault(SoupServerMessage *message, int status)
{
    static const struct {
        int status;
        const char *type, *text;
    } answers[] = {
        {400, "Bad Request", "The request could not be understood"},
        {401, "Unauthorized", "Invalid OAuth session"},
        {403, "Forbidden", "This action requires one of the following scopes: [send_message]"},
        {404, "Not Found", "The resource is not enabled for this group"},
        {429, "Too Many Requests", "You have exceeded the rate limit"},
        {500, "Internal Server Error", "An internal error occurred"},
        {503, "Service Unavailable", "The service is temporarily unavailable"},
    };
    for (const auto &answer : answers)
        if (answer.status == status) {
            api_error(message, static_cast<unsigned>(status), answer.type, answer.text);
            return true;
        }
    return false;
}

// Whether `token` has one of `scopes` ("a, b"): a session's (minted on
// <success>) every one, a personal one its owner's.
bool has_scope(const User &user, const std::string &token, const std::string &scopes)
{
    if (std::find(user.session_tokens.begin(), user.session_tokens.end(), token) !=
        user.session_tokens.end())
        return true;
    return std::any_of(user.token_scopes.begin(), user.token_scopes.end(), [&](const auto &s) {
        const auto at = scopes.find(s);
        return at != std::string::npos && (at == 0 || scopes[at - 1] == ' ') &&
               (at + s.size() == scopes.size() || scopes[at + s.size()] == ',');
    });
}

// Whether the answer has a body to send (not a 204, not for a HEAD).
bool has_body(SoupServerMessage *message)
{
    return soup_server_message_get_response_body(message)->length > 0 &&
           std::strcmp(soup_server_message_get_method(message), "HEAD") != 0;
}

// The fault "truncate": the response as libsoup would send it, announcing the
// whole body's Content-Length, but only the first half of the body, then the
// connection closed (with TLS's close_notify): a download cut short. libsoup
// cannot send less than it announces, so the connection is taken over and
// the response written here. The message must be paused (not yet written).
void send_truncated(SoupServerMessage *message)
{
    const unsigned status = soup_server_message_get_status(message);
    const char *reason = soup_server_message_get_reason_phrase(message);
    std::string response =
        std::string(soup_server_message_get_http_version(message) == SOUP_HTTP_1_0 ? "HTTP/1.0 "
                                                                                   : "HTTP/1.1 ") +
        std::to_string(status) + " " +
        (reason != nullptr ? reason : soup_status_get_phrase(status)) + "\r\n";
    // libsoup adds the framing headers when it writes; here they are ours. No
    // "Connection: close": clients (libsoup among them) take a short body on
    // a connection announced as closing for the whole; on a kept-alive one it
    // is an error, as when the network fails mid-body.
    soup_message_headers_foreach(
        soup_server_message_get_response_headers(message),
        [](const char *name, const char *value, gpointer data) {
            if (g_ascii_strcasecmp(name, "Content-Length") != 0 &&
                g_ascii_strcasecmp(name, "Transfer-Encoding") != 0 &&
                g_ascii_strcasecmp(name, "Connection") != 0)
                *static_cast<std::string *>(data) += std::string(name) + ": " + value + "\r\n";
        },
        &response);
    SoupMessageBody *body = soup_server_message_get_response_body(message);
    GBytes *bytes = soup_message_body_flatten(body);
    gsize length = 0;
    const auto *data = static_cast<const char *>(g_bytes_get_data(bytes, &length));
    response += "Content-Length: " + std::to_string(length) + "\r\n\r\n";
    response.append(data, length / 2);
    g_bytes_unref(bytes);

    // Taking the connection ends libsoup's part: it neither writes nor closes.
    GIOStream *stream = soup_server_message_steal_connection(message);
    if (stream == nullptr)
        return;
    // Written and closed asynchronously, so a client that does not read
    // cannot stall the server; the text and the stream live until then.
    struct Cut {
        GIOStream *stream;
        std::string text;
    };
    auto *cut = new Cut{stream, std::move(response)};
    g_output_stream_write_all_async(
        g_io_stream_get_output_stream(stream), cut->text.data(), cut->text.size(),
        G_PRIORITY_DEFAULT, nullptr,
        [](GObject *out, GAsyncResult *result, gpointer data) {
            auto *cut = static_cast<Cut *>(data);
            g_output_stream_write_all_finish(G_OUTPUT_STREAM(out), result, nullptr, nullptr);
            g_io_stream_close_async(
                cut->stream, G_PRIORITY_DEFAULT, nullptr,
                [](GObject *stream, GAsyncResult *closed, gpointer) {
                    g_io_stream_close_finish(G_IO_STREAM(stream), closed, nullptr);
                    g_object_unref(stream);
                },
                nullptr);
            delete cut;  // the close callback owns the stream's reference now
        },
        cut);
}

}  // namespace

struct RestServer::HeldResponse {
    RestServer &server;
    // Our own reference: libsoup drops its one when the connection ends.
    SoupServerMessage *message;
    bool truncate;
    // The connection was closed under the paused message (the server
    // disconnecting it): nothing to send, and unpausing would be a GLib
    // critical. (A client that leaves is noticed only when libsoup writes,
    // which it copes with.)
    bool disconnected = false;
    gulong on_disconnected = 0;
    guint timer = 0;

    HeldResponse(RestServer &owner, SoupServerMessage *held, bool cut)
        : server(owner), message(SOUP_SERVER_MESSAGE(g_object_ref(held))), truncate(cut)
    {
        on_disconnected = g_signal_connect_swapped(
            message, "disconnected",
            G_CALLBACK(+[](HeldResponse *self) { self->disconnected = true; }), this);
    }
    ~HeldResponse()
    {
        if (timer != 0)
            g_source_remove(timer);
        g_signal_handler_disconnect(message, on_disconnected);
        g_object_unref(message);
    }
    HeldResponse(const HeldResponse &) = delete;
    HeldResponse &operator=(const HeldResponse &) = delete;
};

RestServer::RestServer(Organisation &org, GTlsCertificate *certificate) : org_(org)
{
    server_ = soup_server_new("tls-certificate", certificate, nullptr);
    soup_server_add_handler(server_, nullptr, on_request, this, nullptr);
}

RestServer::~RestServer()
{
    held_.clear();  // their timers first: they must not fire on a server that is gone
    soup_server_disconnect(server_);
    g_object_unref(server_);
}

bool RestServer::listen(guint16 port, std::string &problem)
{
    port_ = listen_on_loopback(server_, port, SOUP_SERVER_LISTEN_HTTPS, problem);
    return port_ != 0;
}

void RestServer::on_request(SoupServer *, SoupServerMessage *message, const char *path,
                            GHashTable *query, gpointer data)
{
    auto *self = static_cast<RestServer *>(data);
    const std::string route = path != nullptr ? path : "";
    self->requests_.push_back(route);
    self->serve(message, route, query);
    // The faults act on the answer as it stands, whatever path made it.
    const bool truncate = self->faults.truncate && has_body(message);
    if (self->faults.delay_ms > 0 || truncate)
        self->hold(message, truncate);
}

// The faults delay_ms and truncate: the answer is ready but waits, paused,
// for the timer (at once for a truncation alone, which libsoup must not start
// writing either).
void RestServer::hold(SoupServerMessage *message, bool truncate)
{
    soup_server_message_pause(message);
    auto held = std::make_unique<HeldResponse>(*this, message, truncate);
    held->timer = g_timeout_add(static_cast<guint>(faults.delay_ms), release, held.get());
    held_.push_back(std::move(held));
}

gboolean RestServer::release(gpointer data)
{
    auto *held = static_cast<HeldResponse *>(data);
    held->timer = 0;
    if (!held->disconnected) {
        if (held->truncate)
            send_truncated(held->message);
        else
            soup_server_message_unpause(held->message);
    }
    auto &all = held->server.held_;
    all.erase(
        std::find_if(all.begin(), all.end(), [held](const auto &h) { return h.get() == held; }));
    return G_SOURCE_REMOVE;
}

void RestServer::serve(SoupServerMessage *message, const std::string &route, GHashTable *query)
{
    const std::string method = soup_server_message_get_method(message);
    if (route == "/v2/capabilities" && method == "GET") {
        rest_capabilities(message, org_);  // the one API request without a token
        return;
    }
    if (route.rfind("/v2/", 0) == 0) {
        handle_api(message, route, query);
        return;
    }
    if (method != "GET") {
        api_error(message, 405, "Method Not Allowed", "Only GET is served here");
        return;
    }
    if (!serve_photo(message, route) && !serve_emoticon(message, route))
        api_error(message, 404, "Not Found", "No such resource");
}

// Photos (§6.3 photo_url): /avatars/<file>, exactly a user's photo.
bool RestServer::serve_photo(SoupServerMessage *message, const std::string &route)
{
    const std::string prefix = "/avatars/";
    if (route.rfind(prefix, 0) != 0)
        return false;
    const std::string file = "avatars/" + route.substr(prefix.size());
    const bool known = std::any_of(org_.users.begin(), org_.users.end(),
                                   [&](const User &u) { return u.photo == file; });
    gchar *contents = nullptr;
    gsize length = 0;
    const std::string full = org_.data_dir + "/" + file;
    if (known && faults.oversized_photos) {
        std::string huge(2 * 1024 * 1024, '\0');
        huge.replace(0, 8, "\x89PNG\r\n\x1a\n");
        soup_server_message_set_status(message, 200, nullptr);
        soup_server_message_set_response(message, "image/png", SOUP_MEMORY_COPY, huge.data(),
                                         huge.size());
        return true;
    }
    if (!known || !g_file_get_contents(full.c_str(), &contents, &length, nullptr))
        return false;
    soup_server_message_set_status(message, 200, nullptr);
    soup_server_message_set_response(message, "image/png", SOUP_MEMORY_TAKE, contents, length);
    return true;
}

// Emoticon images (§12.1): path_prefix is https://<api_host>/emoticons.
bool RestServer::serve_emoticon(SoupServerMessage *message, const std::string &route)
{
    const std::string prefix = "/emoticons/";
    if (route.rfind(prefix, 0) != 0)
        return false;
    const std::string wanted = route.substr(prefix.size());
    for (const auto &e : org_.emoticons) {
        gchar *contents = nullptr;
        gsize length = 0;
        if (e.path == wanted && !e.file.empty() &&
            g_file_get_contents((org_.data_dir + "/" + e.file).c_str(), &contents, &length,
                                nullptr)) {
            soup_server_message_set_status(message, 200, nullptr);
            soup_server_message_set_response(message, image_type(contents, length),
                                             SOUP_MEMORY_TAKE, contents, length);
            return true;
        }
    }
    return false;
}

// The /v2/ API (§11, §13): one handler per (method, path), "*" the room,
// person, file or webhook the path names; the token scopes of which each
// needs one ("a, b"), if any. A row's handler is a RestServer member (given
// the first "*") or an ApiHandler (rest-api.hpp: given them all, the query
// and the XMPP server).
struct RestServer::ApiRoute {
    const char *method;
    const char *path;
    const char *scope;
    void (RestServer::*handle)(SoupServerMessage *message, User &user, const std::string &key);
    ApiHandler call = nullptr;
};

const RestServer::ApiRoute RestServer::api_routes[] = {
    {"POST", "/v2/room/*/share/file", "send_message", &RestServer::share_to_room},  // §11.1
    {"POST", "/v2/user/*/share/file", "send_message", &RestServer::share_to_user},
    {"POST", "/v2/room/*/notification", "send_notification", &RestServer::notify_room},  // §13
    {"GET", "/v2/file/*", nullptr, &RestServer::get_file},                               // §8.8
    // REST v2 (§13, docs/emulator.md): rest-rooms.cpp, rest-room-members.cpp, rest-users.cpp.
    {"GET", "/v2/room", "view_group, view_room", nullptr, rest_list_rooms},
    {"POST", "/v2/room", "manage_rooms", nullptr, rest_create_room},
    {"GET", "/v2/room/*", "view_group, view_room", nullptr, rest_get_room},
    {"PUT", "/v2/room/*", "admin_room, manage_rooms", nullptr, rest_update_room},
    {"DELETE", "/v2/room/*", "manage_rooms", nullptr, rest_delete_room},
    {"GET", "/v2/room/*/history", "view_messages", nullptr, rest_room_history},
    {"GET", "/v2/room/*/history/latest", "view_messages", nullptr, rest_room_latest},
    {"GET", "/v2/room/*/member", "admin_room, view_room", nullptr, rest_list_members},
    {"PUT", "/v2/room/*/member/*", "admin_room", nullptr, rest_add_member},
    {"DELETE", "/v2/room/*/member/*", "admin_room", nullptr, rest_remove_member},
    {"GET", "/v2/room/*/participant", "view_group, view_room", nullptr, rest_list_participants},
    {"POST", "/v2/room/*/invite/*", "admin_room", nullptr, rest_invite},
    {"PUT", "/v2/room/*/topic", "admin_room", nullptr, rest_set_topic},
    {"POST", "/v2/room/*/message", "send_message", nullptr, rest_send_room_message},
    {"POST", "/v2/room/*/webhook", "admin_room", nullptr, rest_create_webhook},
    {"GET", "/v2/room/*/webhook", "admin_room", nullptr, rest_list_webhooks},
    {"GET", "/v2/room/*/webhook/*", "admin_room", nullptr, rest_get_webhook},
    {"DELETE", "/v2/room/*/webhook/*", "admin_room", nullptr, rest_delete_webhook},
    {"GET", "/v2/user", "view_group", nullptr, rest_list_users},
    {"GET", "/v2/user/*", "view_group", nullptr, rest_get_user},
    {"POST", "/v2/user/*/message", "send_message", nullptr, rest_send_private_message},
    {"GET", "/v2/user/*/history/latest", "view_messages", nullptr, rest_private_latest},
    {"GET", "/v2/emoticon", "view_group", nullptr, rest_list_emoticons},
    {"GET", "/v2/emoticon/*", "view_group", nullptr, rest_get_emoticon},
    {"GET", "/v2/readstate", nullptr, nullptr, rest_get_read_state},      // §19.4
    {"PATCH", "/v2/readstate", nullptr, nullptr, rest_patch_read_state},  // §19.4
};

void RestServer::handle_api(SoupServerMessage *message, const std::string &route, GHashTable *query)
{
    const std::string token = bearer_token(message, query);
    User *user = token.empty() ? nullptr : org_.find_user_by_token(token);
    if (user == nullptr || user->departed) {  // §6.3: people who left have no session
        // The real text (§11.3).
        api_error(message, 401, "Unauthorized", "Invalid OAuth session");
        return;
    }
    if (fail_by_fault(message, faults.fail_status) || !within_rate_limit(message, token))
        return;
    const std::string method = soup_server_message_get_method(message);
    const auto parts = split_path(route);
    for (const ApiRoute &api : api_routes) {
        const auto pattern = split_path(api.path);
        if (method != api.method || pattern.size() != parts.size() ||
            !std::equal(parts.begin(), parts.end(), pattern.begin(),
                        [](const auto &part, const auto &p) { return p == "*" || p == part; }))
            continue;
        if (api.scope != nullptr && !has_scope(*user, token, api.scope)) {
            api_error(message, 403, "Forbidden",
                      std::string("This action requires one of the following scopes: [") +
                          api.scope + "]");
            return;
        }
        std::vector<std::string> keys;
        for (std::size_t i = 0; i < pattern.size(); ++i)
            if (pattern[i] == "*")
                keys.push_back(parts[i]);
        if (api.call == nullptr) {
            (this->*api.handle)(message, *user, keys.front());
        } else if (xmpp_ != nullptr) {
            ApiCall call{org_, xmpp_, message, *user, std::move(keys), query};
            api.call(call);
        } else {
            api_error(message, 503, "Service Unavailable",
                      "The service is temporarily unavailable");
        }
        return;
    }
    api_error(message, 404, "Not Found", "No such resource");
}

// §13: 500 requests per five minutes per token, announced on every answer.
// False (and 429) past the limit.
bool RestServer::within_rate_limit(SoupServerMessage *message, const std::string &token)
{
    Window &window = rate_[token];
    const gint64 now = g_get_monotonic_time();
    const gint64 five_minutes = gint64{300} * G_USEC_PER_SEC;
    if (window.start == 0 || now - window.start >= five_minutes)
        window = Window{now, 0};
    ++window.used;
    SoupMessageHeaders *response = soup_server_message_get_response_headers(message);
    const std::int64_t reset =
        g_get_real_time() / G_USEC_PER_SEC + (window.start + five_minutes - now) / G_USEC_PER_SEC;
    soup_message_headers_replace(response, "X-Ratelimit-Limit",
                                 std::to_string(faults.rate_limit).c_str());
    soup_message_headers_replace(
        response, "X-Ratelimit-Remaining",
        std::to_string(std::max(0, faults.rate_limit - window.used)).c_str());
    soup_message_headers_replace(response, "X-Ratelimit-Reset", std::to_string(reset).c_str());
    if (window.used <= faults.rate_limit)
        return true;
    api_error(message, 429, "Too Many Requests", "You have exceeded the rate limit");
    return false;
}

void RestServer::share_to_room(SoupServerMessage *message, User &user, const std::string &key)
{
    if (Room *room = find_room(org_, key))
        share_file(message, user, room, nullptr);
    else
        api_error(message, 404, "Not Found", "Room " + key + " not found");
}

void RestServer::share_to_user(SoupServerMessage *message, User &user, const std::string &key)
{
    if (User *person = find_person(org_, key))
        share_file(message, user, nullptr, person);
    else
        api_error(message, 404, "Not Found", "User not found");
}

// §8.8: the authenticated file URL (a thumbnail is the file itself here).
void RestServer::get_file(SoupServerMessage *message, User &, const std::string &key)
{
    for (const auto &f : files_)
        if (f.id == key) {
            soup_server_message_set_status(message, 200, nullptr);
            soup_server_message_set_response(message, f.content_type.c_str(), SOUP_MEMORY_COPY,
                                             f.data.data(), f.data.size());
            return;
        }
    api_error(message, 404, "Not Found", "File not found");
}

void RestServer::share_file(SoupServerMessage *message, User &user, Room *room, User *person)
{
    // §11.2: multipart/related, the JSON part first, the file second.
    SoupMessageHeaders *headers = soup_server_message_get_request_headers(message);
    SoupMessageBody *body = soup_server_message_get_request_body(message);
    GBytes *bytes = soup_message_body_flatten(body);
    SoupMultipart *multipart = soup_multipart_new_from_message(headers, bytes);
    g_bytes_unref(bytes);
    if (multipart == nullptr || soup_multipart_get_length(multipart) < 2) {
        if (multipart != nullptr)
            soup_multipart_free(multipart);
        api_error(message, 400, "Bad Request", "Expected a multipart/related body with a file");
        return;
    }
    StoredFile file;
    SoupMessageHeaders *part_headers = nullptr;
    GBytes *part = nullptr;
    if (soup_multipart_get_part(multipart, 0, &part_headers, &part)) {
        JsonParser *parser = json_parser_new();
        gsize size = 0;
        const auto *data = static_cast<const char *>(g_bytes_get_data(part, &size));
        file.description = text_member(parse_object(parser, data, size), "message");
        g_object_unref(parser);
    }
    if (file.description.size() > 1000) {  // §11.2
        soup_multipart_free(multipart);
        api_error(message, 400, "Bad Request", "The message is longer than 1000 characters");
        return;
    }
    soup_multipart_get_part(multipart, 1, &part_headers, &part);
    char *disposition = nullptr;
    GHashTable *params = nullptr;
    if (soup_message_headers_get_content_disposition(part_headers, &disposition, &params)) {
        if (const char *name = static_cast<const char *>(g_hash_table_lookup(params, "filename")))
            file.name = name;
        g_free(disposition);
        g_hash_table_destroy(params);
    }
    const char *type = soup_message_headers_get_content_type(part_headers, nullptr);
    file.content_type = type != nullptr ? type : "application/octet-stream";
    gsize size = 0;
    const auto *data = static_cast<const char *>(g_bytes_get_data(part, &size));
    file.data.assign(data != nullptr ? data : "", size);
    soup_multipart_free(multipart);
    if (file.name.empty())
        file.name = "upload";
    share(user, room, person, std::move(file));
    api_no_content(message);  // §11.2: only 204 is success
}

void RestServer::share(const User &user, Room *room, const User *person, StoredFile file)
{
    gchar *uuid = g_uuid_string_random();
    file.id = uuid;
    g_free(uuid);
    file.user_id = user.id;
    file.date = g_get_real_time() / G_USEC_PER_SEC;
    files_.push_back(file);

    // §8.8: the authenticated form, announced to the room or to both people,
    // and listed by the files IQ from now on.
    const std::string url = "https://" + org_.hosts.api_host + "/v2/file/" + file.id;
    const std::string text =
        (file.description.empty() ? std::string("File uploaded") : file.description) + ": " + url;
    const SharedFileRecord record{"",      file.id,  file.name, file.description, file.data.size(),
                                  user.id, file.date};
    const std::string extra = authenticated_file_xml(org_, record, true);
    if (xmpp_ != nullptr) {
        record_shared_file(*xmpp_, room, person, record);
        if (room != nullptr) {
            HistoryMessage m;
            m.from_jid = org_.user_jid(user);
            m.from_name = xmpp_->room_nick(user);
            m.body = text;
            post_to_room(*xmpp_, *room, std::move(m), "", extra);
        } else if (person != nullptr) {
            post_to_user(*xmpp_, user, *person, text, extra, true);
        }
    }
}

void RestServer::notify_room(SoupServerMessage *message, User &user, const std::string &key)
{
    Room *room = find_room(org_, key);
    if (room == nullptr) {
        api_error(message, 404, "Not Found", "Room " + key + " not found");
        return;
    }
    SoupMessageBody *body = soup_server_message_get_request_body(message);
    JsonParser *parser = json_parser_new();
    JsonObject *object = body != nullptr ? parse_object(parser, body->data, body->length) : nullptr;
    HistoryMessage m;
    m.body = text_member(object, "message");
    m.message_format = text_member(object, "message_format", "html");
    m.color = text_member(object, "color", "yellow");
    m.notification_type = "notification";
    m.notify = bool_member(object, "notify");
    // §8.2: the resource is the REST `from` label; without one, the token's owner.
    m.from_name = text_member(
        object, "from", xmpp_ != nullptr ? xmpp_->room_nick(user).c_str() : user.name.c_str());
    // §13 lists `card` among the fields; it travels as JSON text (§8.4).
    m.card = object_member_json(object, "card");
    g_object_unref(parser);
    if (m.body.empty() || m.body.size() > 10000) {
        api_error(message, 400, "Bad Request", "message must be 1 to 10000 characters");
        return;
    }
    if (xmpp_ != nullptr)
        post_to_room(*xmpp_, *room, std::move(m), "");
    api_no_content(message);
}

}  // namespace hipchat::emulator
