// HipChat emulator: what the REST v2 handlers on the API host share (protocol
// reference §13): the request as a handler sees it, §13's error answers and
// JSON answers, the lookups of rooms and people by the keys REST paths use,
// the links and the paging every list carries. The handlers themselves live
// in rest-rooms.cpp, rest-users.cpp and rest-server.cpp, whose route table
// names them all.
#pragma once

#include <libsoup/soup.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "org.hpp"

namespace hipchat::emulator {

class XmppServer;

// One /v2/ request after its token, scope, faults and rate limit passed.
struct ApiCall {
    Organisation &org;
    XmppServer *xmpp;  // may be null (no XMPP server): nothing to announce then
    SoupServerMessage *message;
    User &user;                     // the token's owner
    std::vector<std::string> keys;  // the path's "*" parts, in order, unescaped
    GHashTable *query;              // may be null

    // A query parameter, or `fallback`.
    std::string param(const char *name, const char *fallback = "") const;
    // A query parameter as a number clamped to [low, high], or `fallback`
    // (also for text that is no number).
    int int_param(const char *name, int fallback, int low, int high) const;
    // Whether a query parameter is "true" (or, absent, `fallback`).
    bool bool_param(const char *name, bool fallback) const;
    // The request body (JSON), as text.
    std::string body() const;
};
using ApiHandler = void (*)(ApiCall &call);

// §13: {"error": {"code", "message", "type"}} with that status.
void api_error(SoupServerMessage *message, unsigned code, const char *type,
               const std::string &text);
// 200 (or `status`) with a JSON body; 204 without one.
void api_json(SoupServerMessage *message, const std::string &json, unsigned status = 200);
void api_no_content(SoupServerMessage *message);

// REST's keys (§11.1, §13): a room by id or name; a person by id, e-mail or
// @mention name. nullptr when none (people who left are none).
Room *find_room(Organisation &org, const std::string &key);
User *find_person(Organisation &org, const std::string &key);
// The same, answering 404 in §13's shape when there is none: "Room <key> not
// found" (hipchatter commit 5ecaf52: the real text since 2016 names the room)
// and "User not found".
Room *room_or_404(ApiCall &call, const std::string &key);
User *person_or_404(ApiCall &call, const std::string &key);

// https://<api_host>/v2/<path>
std::string api_url(const Organisation &org, const std::string &path);
// {"self": …} and any more (name, url) pairs, as a JSON object.
std::string links_json(const std::string &self,
                       const std::vector<std::pair<std::string, std::string>> &more = {});
// A person as lists and references show them: id, links, mention_name, name,
// version (REST-DOCS get_all_users; hipchat-go's User).
std::string user_ref_json(const Organisation &org, const User &user);
// ISO 8601 with microseconds and the UTC offset, as REST v2 dates look
// ("2014-11-23T21:23:49.807578+00:00", hipchat-go's room history test).
std::string rest_date(double unix_time);

// A page of a list (REST v2's start-index and max-results, default 100, at
// most 1000): offer() every item of the list in order, add() the ones it
// takes; json() is the page with its links (a "next" one when more follow).
class Page {
public:
    explicit Page(const ApiCall &call);
    bool offer();  // whether the next item of the list is on this page
    void add(std::string item_json) { items_.push_back(std::move(item_json)); }
    std::string json(const std::string &self) const;

private:
    int start_, max_;
    int index_ = 0;
    bool more_ = false;
    std::vector<std::string> items_;
};

// The JSON of a page whose `items` (already JSON) were chosen otherwise (the
// history counts its start from the newest).
std::string page_json(const std::vector<std::string> &items, int start, int max, bool more,
                      const std::string &self);

// A JSON object written member by member, in order.
class JsonObjectText {
public:
    JsonObjectText &text(const char *name, std::string_view value);
    JsonObjectText &number(const char *name, std::int64_t value);
    JsonObjectText &boolean(const char *name, bool value);
    JsonObjectText &raw(const char *name, const std::string &json);  // already JSON
    JsonObjectText &null(const char *name);
    std::string done() const { return out_ + "}"; }

private:
    JsonObjectText &key(const char *name);
    std::string out_ = "{";
};

}  // namespace hipchat::emulator
