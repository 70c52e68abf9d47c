// HipChat emulator: the HTTPS side on the API host (protocol reference §11,
// §13): the people's photos that roster photo_url points to, emoticon images
// (§12.1), file sharing (§11: share/file for rooms and people, GET
// /v2/file/{id}), room notifications (§13) and the read state (§19.4,
// rest-readstate.cpp), with bearer tokens, realistic error JSON and
// X-Ratelimit-* headers.
#pragma once

#include <libsoup/soup.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "org.hpp"
#include "rest-api.hpp"

namespace hipchat::emulator {

class XmppServer;

class RestServer {
public:
    // `certificate` is borrowed and must outlive the server.
    RestServer(Organisation &org, GTlsCertificate *certificate);
    ~RestServer();
    RestServer(const RestServer &) = delete;
    RestServer &operator=(const RestServer &) = delete;

    bool listen(guint16 port, std::string &error);  // 127.0.0.1, HTTPS
    guint16 port() const { return port_; }

    // Where uploads are announced (§8.8); borrowed, may stay null.
    void set_xmpp(XmppServer *xmpp) { xmpp_ = xmpp; }

    // Every request path served or refused, in order (control interface).
    const std::vector<std::string> &requests() const { return requests_; }

    // Fault injection for tests (docs/emulator.md, control interface);
    // `RestFaults{}` is none at all.
    struct RestFaults {
        // Photos served as 2 MiB images.
        bool oversized_photos = false;
        // Requests per token per five minutes before 429 (§13: 500).
        int rate_limit = 500;
        // Every /v2/ request (tokens checked first) answers this status with
        // §13's error JSON (400, 401, 403, 404, 429, 500 or 503); 0: none.
        int fail_status = 0;
        // Every response held this long before it is sent (a slow server).
        int delay_ms = 0;
        // Responses with a body announce their full Content-Length but only
        // the first half is sent, then the connection is closed.
        bool truncate = false;
    };
    RestFaults faults;

    struct StoredFile {
        std::string id;  // UUID, the last segment of https://<api_host>/v2/file/<id>
        std::string name, content_type, description, data;
        std::uint64_t user_id = 0;
        std::int64_t date = 0;  // Unix time
    };
    const std::vector<StoredFile> &files() const { return files_; }

    // §11.2 after the upload was read: keeps `file` (its id, user and date
    // filled in here) and announces it (§8.8) to `room` or to `person` and
    // `from`. The REST endpoints and the demo (main.cpp) both come here.
    void share(const User &from, Room *room, const User *person, StoredFile file);

private:
    // A response paused by the delay_ms or truncate fault until its timer fires.
    struct HeldResponse;
    void hold(SoupServerMessage *message, bool truncate);
    static gboolean release(gpointer data);

    static void on_request(SoupServer *server, SoupServerMessage *message, const char *path,
                           GHashTable *query, gpointer data);
    void serve(SoupServerMessage *message, const std::string &route, GHashTable *query);
    bool serve_photo(SoupServerMessage *message, const std::string &route);
    bool serve_emoticon(SoupServerMessage *message, const std::string &route);
    // The /v2/ API: the token, the faults and the rate limit, then the route
    // table (api_routes); each route's handler gets the room, person or file
    // its path names as `key`.
    void handle_api(SoupServerMessage *message, const std::string &route, GHashTable *query);
    bool within_rate_limit(SoupServerMessage *message, const std::string &token);
    struct ApiRoute;
    static const ApiRoute api_routes[];
    void share_to_room(SoupServerMessage *message, User &user, const std::string &key);
    void share_to_user(SoupServerMessage *message, User &user, const std::string &key);
    void notify_room(SoupServerMessage *message, User &user, const std::string &key);
    void get_file(SoupServerMessage *message, User &user, const std::string &key);
    void share_file(SoupServerMessage *message, User &user, Room *room, User *person);

    Organisation &org_;
    XmppServer *xmpp_ = nullptr;
    SoupServer *server_ = nullptr;
    guint16 port_ = 0;
    std::vector<std::string> requests_;
    std::vector<StoredFile> files_;
    struct Window {
        gint64 start = 0;  // monotonic µs
        int used = 0;
    };
    std::map<std::string, Window> rate_;               // token -> its current five-minute window
    std::vector<std::unique_ptr<HeldResponse>> held_;  // their timers are ours to cancel
};

}  // namespace hipchat::emulator
