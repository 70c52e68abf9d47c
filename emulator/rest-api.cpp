#include "rest-api.hpp"

#include "core/files.hpp"
#include "xmpp/people.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace hipchat::emulator {

namespace {

bool all_digits(const std::string &text)
{
    return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::string ApiCall::param(const char *name, const char *fallback) const
{
    const auto *value =
        query != nullptr ? static_cast<const char *>(g_hash_table_lookup(query, name)) : nullptr;
    return value != nullptr ? value : fallback;
}

int ApiCall::int_param(const char *name, int fallback, int low, int high) const
{
    const std::string text = param(name);
    if (!all_digits(text) || text.size() > 9)
        return fallback;
    return std::clamp(std::atoi(text.c_str()), low, high);
}

bool ApiCall::bool_param(const char *name, bool fallback) const
{
    const std::string text = param(name);
    return text.empty() ? fallback : text == "true";
}

std::string ApiCall::body() const
{
    SoupMessageBody *request = soup_server_message_get_request_body(message);
    return request != nullptr && request->data != nullptr
               ? std::string(request->data, static_cast<std::size_t>(request->length))
               : std::string();
}

void api_error(SoupServerMessage *message, unsigned code, const char *type, const std::string &text)
{
    const std::string json = "{\"error\":{\"code\":" + std::to_string(code) +
                             ",\"message\":" + core::json_string(text) + ",\"type\":\"" + type +
                             "\"}}";
    soup_server_message_set_status(message, code, nullptr);
    soup_server_message_set_response(message, "application/json", SOUP_MEMORY_COPY, json.data(),
                                     json.size());
}

void api_json(SoupServerMessage *message, const std::string &json, unsigned status)
{
    soup_server_message_set_status(message, status, nullptr);
    soup_server_message_set_response(message, "application/json", SOUP_MEMORY_COPY, json.data(),
                                     json.size());
}

void api_no_content(SoupServerMessage *message)
{
    soup_server_message_set_status(message, 204, nullptr);
    // libsoup writes a 204 without Content-Length (RFC 7230 forbids one),
    // then takes a response without a length as ending with the connection
    // and closes it: a client reusing the connection (Node's keep-alive
    // agent, curl) has its next request fail. HipChat's API host kept it
    // open, so once the headers are out the length is put back for libsoup's
    // keep-alive check.
    g_signal_connect(message, "wrote-headers", G_CALLBACK(+[](SoupServerMessage *written) {
                         soup_message_headers_set_content_length(
                             soup_server_message_get_response_headers(written), 0);
                     }),
                     nullptr);
}

Room *find_room(Organisation &org, const std::string &key)
{
    for (auto &r : org.rooms)
        if ((all_digits(key) && std::to_string(r.id) == key) || r.name == key)
            return &r;
    return nullptr;
}

User *find_person(Organisation &org, const std::string &key)
{
    for (auto &u : org.users)
        if (!u.departed && ((all_digits(key) && std::to_string(u.id) == key) || u.email == key ||
                            "@" + u.mention_name == key))
            return &u;
    return nullptr;
}

Room *room_or_404(ApiCall &call, const std::string &key)
{
    Room *room = find_room(call.org, key);
    if (room == nullptr)
        api_error(call.message, 404, "Not Found", "Room " + key + " not found");
    return room;
}

User *person_or_404(ApiCall &call, const std::string &key)
{
    User *person = find_person(call.org, key);
    if (person == nullptr)
        api_error(call.message, 404, "Not Found", "User not found");
    return person;
}

std::string api_url(const Organisation &org, const std::string &path)
{
    return "https://" + org.hosts.api_host + "/v2/" + path;
}

std::string links_json(const std::string &self,
                       const std::vector<std::pair<std::string, std::string>> &more)
{
    JsonObjectText links;
    links.text("self", self);
    for (const auto &[name, url] : more)
        links.text(name.c_str(), url);
    return links.done();
}

std::string user_ref_json(const Organisation &org, const User &user)
{
    return JsonObjectText()
        .number("id", static_cast<std::int64_t>(user.id))
        .raw("links", links_json(api_url(org, "user/" + std::to_string(user.id))))
        .text("mention_name", user.mention_name)
        .text("name", user.name)
        .text("version", user_version(user))
        .done();
}

std::string rest_date(double unix_time)
{
    const double whole = std::floor(unix_time);
    GDateTime *date = g_date_time_new_from_unix_utc(static_cast<gint64>(whole));
    gchar *text = g_date_time_format(date, "%Y-%m-%dT%H:%M:%S");
    const int micros = static_cast<int>(std::lround((unix_time - whole) * 1e6)) % 1000000;
    char fraction[16];
    g_snprintf(fraction, sizeof fraction, ".%06d+00:00", micros);
    std::string out = std::string(text) + fraction;
    g_free(text);
    g_date_time_unref(date);
    return out;
}

Page::Page(const ApiCall &call)
    : start_(call.int_param("start-index", 0, 0, 1 << 30)),
      max_(call.int_param("max-results", 100, 0, 1000))
{
}

bool Page::offer()
{
    const int at = index_++ - start_;
    more_ = more_ || at >= max_;
    return at >= 0 && at < max_;
}

std::string Page::json(const std::string &self) const
{
    return page_json(items_, start_, max_, more_, self);
}

std::string page_json(const std::vector<std::string> &items, int start, int max, bool more,
                      const std::string &self)
{
    std::string list = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        list += (i > 0 ? "," : "") + items[i];
    std::vector<std::pair<std::string, std::string>> next;
    if (more)
        next.emplace_back("next", self + "?start-index=" + std::to_string(start + max) +
                                      "&max-results=" + std::to_string(max));
    return JsonObjectText()
        .raw("items", list + "]")
        .number("startIndex", start)
        .number("maxResults", max)
        .raw("links", links_json(self, next))
        .done();
}

JsonObjectText &JsonObjectText::key(const char *name)
{
    if (out_.size() > 1)
        out_ += ",";
    out_ += core::json_string(name) + ":";
    return *this;
}

JsonObjectText &JsonObjectText::text(const char *name, std::string_view value)
{
    key(name).out_ += core::json_string(value);
    return *this;
}

JsonObjectText &JsonObjectText::number(const char *name, std::int64_t value)
{
    key(name).out_ += std::to_string(value);
    return *this;
}

JsonObjectText &JsonObjectText::boolean(const char *name, bool value)
{
    key(name).out_ += value ? "true" : "false";
    return *this;
}

JsonObjectText &JsonObjectText::raw(const char *name, const std::string &json)
{
    key(name).out_ += json;
    return *this;
}

JsonObjectText &JsonObjectText::null(const char *name)
{
    key(name).out_ += "null";
    return *this;
}

}  // namespace hipchat::emulator
