#include "core/files.hpp"

#include <glib.h>
#include <glib/gi18n-lib.h>

#include <algorithm>

#include "core/json.hpp"
#include "core/text.hpp"

namespace hipchat::core {

namespace {

// A header value in quotes: no quotes, backslashes or line breaks inside.
std::string quoted(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c == '"' || c == '\\' || c == '\r' || c == '\n')
            out += '_';
        else
            out += c;
    }
    return out;
}

}  // namespace

std::string json_string(std::string_view text)
{
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                out +=
                    printf_string("\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            else
                out += c;
        }
    }
    return out + "\"";
}

MultipartFrame share_file_frame(std::string_view file_name, std::string_view file_type,
                                std::string_view message, std::string_view boundary)
{
    const std::string type =
        file_type.empty() || file_type == "application/json"
            ? std::string(file_type.empty() ? "application/octet-stream" : "text/plain")
            : std::string(file_type);
    MultipartFrame frame;
    frame.content_type = "multipart/related; boundary=" + std::string(boundary);
    frame.head = "--" + std::string(boundary) +
                 "\r\nContent-Type: application/json; charset=UTF-8\r\n"
                 "Content-Disposition: attachment; name=\"metadata\"\r\n\r\n"
                 "{\"message\": " +
                 json_string(message) + "}\r\n--" + std::string(boundary) +
                 "\r\nContent-Type: " + type +
                 "\r\nContent-Disposition: attachment; name=\"file\"; filename=\"" +
                 quoted(file_name) + "\"\r\n\r\n";
    frame.tail = "\r\n--" + std::string(boundary) + "--\r\n";
    return frame;
}

std::string safe_file_name(std::string_view name)
{
    const auto slash = name.find_last_of("/\\");
    if (slash != std::string_view::npos)
        name.remove_prefix(slash + 1);
    char *valid = g_utf8_make_valid(name.data(), static_cast<gssize>(name.size()));
    std::string out;
    // Control characters (C0 and C1) and format characters go: the
    // bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069)
    // would show "evil\u202Etxt.exe" as "evilexe.txt", and zero-width ones
    // hide what a name really is. Line and paragraph separators too.
    for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
        const gunichar c = g_utf8_get_char(p);
        switch (g_unichar_type(c)) {
        case G_UNICODE_CONTROL:
        case G_UNICODE_FORMAT:
        case G_UNICODE_LINE_SEPARATOR:
        case G_UNICODE_PARAGRAPH_SEPARATOR:
            break;
        default:
            out.append(p, static_cast<std::size_t>(g_utf8_next_char(p) - p));
        }
    }
    g_free(valid);
    const auto first = out.find_first_not_of(". ");
    out = first == std::string::npos ? "" : out.substr(first);
    while (!out.empty() && (out.back() == ' ' || out.back() == '.'))
        out.pop_back();
    if (out.size() > 200) {
        const char *end = g_utf8_find_prev_char(out.data(), out.data() + 201);
        out.resize(end != nullptr ? static_cast<std::size_t>(end - out.data()) : 0);
    }
    return out.empty() ? "file" : out;
}

std::optional<RestError> parse_rest_error(std::string_view body)
{
    const auto json = parse_json(body);
    const JsonValue *error = json ? json->member("error") : nullptr;
    if (error == nullptr || error->object() == nullptr)
        return std::nullopt;
    RestError out;
    if (const JsonValue *code = error->member("code");
        code != nullptr && code->number() != nullptr && *code->number() >= 0 &&
        *code->number() < 1000)
        out.code = static_cast<unsigned>(*code->number());
    out.message = error->text("message");
    out.type = error->text("type");
    return out;
}

std::string describe_rest_failure(unsigned status, std::string_view body,
                                  std::string_view transport_error, std::int64_t reset,
                                  std::int64_t now)
{
    if (status == 0)
        // TRANSLATORS: %s is the network error, e.g. "Connection refused".
        return printf_string(_("HipChat could not be reached: %s"),
                             std::string(transport_error).c_str());
    const auto error = parse_rest_error(body);
    const std::string said = error && !error->message.empty() ? error->message : "";
    switch (status) {
    case 401:
        return _(
            "HipChat did not accept the login for files. Reconnect, or set a personal API "
            "token with the Send Message scope in the account's options.");
    case 403:
        return said.empty() ? std::string(_("HipChat refused: the login lacks the permission."))
                            // TRANSLATORS: %s is HipChat's reason, e.g. "This action requires
                            // one of the following scopes: [send_message]".
                            : printf_string(_("HipChat refused: %s"), said.c_str());
    case 429: {
        const std::int64_t minutes =
            reset > now ? std::max<std::int64_t>(1, (reset - now + 59) / 60) : 1;
        return printf_string(ngettext("Too many requests to HipChat: try again in %d minute.",
                                      "Too many requests to HipChat: try again in %d minutes.",
                                      static_cast<unsigned long>(minutes)),
                             static_cast<int>(minutes));
    }
    case 413:
        return _("The file is too large for HipChat.");
    case 503:
        return _("HipChat's file service is unavailable right now; try again later.");
    case 400:
        return said.empty() ? std::string(_("HipChat could not take the file."))
                            // TRANSLATORS: %s is HipChat's reason.
                            : printf_string(_("HipChat could not take the file: %s"), said.c_str());
    default:
        // TRANSLATORS: %u is the HTTP status, %s HipChat's reason (may be empty).
        return printf_string(_("HipChat answered with an error (%u) %s"), status, said.c_str());
    }
}

}  // namespace hipchat::core
