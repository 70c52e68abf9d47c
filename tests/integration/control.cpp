#include "control.hpp"

#include <libsoup/soup.h>

#include <check.h>

namespace hipchat::test {

std::string Control::request(const char *method, const std::string &path,
                             const std::string *json) const
{
    const std::string url = "http://127.0.0.1:" + std::to_string(port_) + path;
    SoupSession *session = soup_session_new();
    SoupMessage *message = soup_message_new(method, url.c_str());
    ck_assert_msg(message != nullptr, "bad control URL %s", url.c_str());
    if (json != nullptr) {
        GBytes *body = g_bytes_new(json->data(), json->size());
        soup_message_set_request_body_from_bytes(message, "application/json", body);
        g_bytes_unref(body);
    }
    GError *error = nullptr;
    GBytes *reply = soup_session_send_and_read(session, message, nullptr, &error);
    ck_assert_msg(reply != nullptr, "control %s %s: %s", method, path.c_str(),
                  error != nullptr ? error->message : "?");
    const unsigned status = soup_message_get_status(message);
    gsize size = 0;
    const auto *data = static_cast<const char *>(g_bytes_get_data(reply, &size));
    std::string text(data != nullptr ? data : "", size);
    g_bytes_unref(reply);
    g_object_unref(message);
    g_object_unref(session);
    ck_assert_msg(status >= 200 && status < 300, "control %s %s: HTTP %u %s", method, path.c_str(),
                  status, text.c_str());
    return text;
}

std::string Control::get(const std::string &path) const
{
    return request("GET", path, nullptr);
}

std::string Control::post(const std::string &path, const std::string &json) const
{
    return request("POST", path, &json);
}

}  // namespace hipchat::test
