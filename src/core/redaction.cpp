#include "core/redaction.hpp"

#include "core/xml-escape.hpp"

#include <glib.h>

#include <algorithm>

namespace hipchat::core {

namespace {

constexpr std::size_t shortest_form = 4;

std::string percent_encoded(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (g_ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

// Base64 of `secret` preceded by `offset` bytes, keeping only the characters
// that depend on the secret's bytes alone: that stretch appears in the base64
// of any payload containing the secret at this alignment.
std::string base64_stretch(std::string_view secret, std::size_t offset)
{
    std::string plain(offset, '\0');
    plain.append(secret);
    gchar *encoded = g_base64_encode(reinterpret_cast<const guchar *>(plain.data()), plain.size());
    std::string all(encoded);
    g_free(encoded);

    // Character i covers bits [6i, 6i+6); it depends only on the secret when
    // those bits lie within [8*offset, 8*(offset+len)).
    const std::size_t first_bit = 8 * offset, end_bit = 8 * (offset + secret.size());
    const std::size_t first = (first_bit + 5) / 6;
    const std::size_t end = end_bit / 6;
    if (end <= first)
        return {};
    return all.substr(first, end - first);
}

void add_form(std::vector<std::string> &forms, std::string form)
{
    if (form.size() >= shortest_form && std::find(forms.begin(), forms.end(), form) == forms.end())
        forms.push_back(std::move(form));
}

// Replaces the value that starts at `pos` and ends before the first character
// in `terminators` (or at the end).
void redact_value(std::string &text, std::size_t pos, std::string_view terminators)
{
    auto end = text.find_first_of(terminators, pos);
    if (end == std::string::npos)
        end = text.size();
    if (end > pos && text.compare(pos, end - pos, redacted_marker) != 0)
        text.replace(pos, end - pos, redacted_marker);
}

// key='value' or key="value"
void redact_attribute(std::string &text, std::string_view key)
{
    for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos + 1)) {
        const auto quote_pos = pos + key.size();
        if (quote_pos >= text.size() || (text[quote_pos] != '\'' && text[quote_pos] != '"'))
            continue;
        redact_value(text, quote_pos + 1, std::string_view(&text[quote_pos], 1));
    }
}

// <name ...>value</name>
void redact_element_text(std::string &text, std::string_view open)
{
    for (auto pos = text.find(open); pos != std::string::npos; pos = text.find(open, pos + 1)) {
        const auto after_name = pos + open.size();
        if (after_name >= text.size() || (text[after_name] != '>' && text[after_name] != ' '))
            continue;
        const auto close = text.find('>', pos);
        if (close == std::string::npos)
            return;
        if (text[close - 1] == '/')
            continue;  // <token/>
        redact_value(text, close + 1, "<");
    }
}

// "Bearer value", "auth_token=value"
void redact_after(std::string &text, std::string_view prefix, std::string_view terminators)
{
    for (auto pos = text.find(prefix); pos != std::string::npos; pos = text.find(prefix, pos + 1))
        redact_value(text, pos + prefix.size(), terminators);
}

}  // namespace

std::vector<std::string> secret_forms(std::string_view secret)
{
    std::vector<std::string> forms;
    if (secret.empty())
        return forms;
    add_form(forms, std::string(secret));
    add_form(forms, xml_escape(secret));
    add_form(forms, percent_encoded(secret));
    for (std::size_t offset = 0; offset < 3; ++offset)
        add_form(forms, base64_stretch(secret, offset));
    // Longest first, so a form containing another is replaced whole.
    std::sort(forms.begin(), forms.end(),
              [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
    return forms;
}

std::string redact(std::string_view input, const std::vector<std::string> &forms)
{
    std::string text(input);
    for (const auto &form : forms) {
        for (auto pos = text.find(form); pos != std::string::npos; pos = text.find(form, pos)) {
            text.replace(pos, form.size(), redacted_marker);
            pos += redacted_marker.size();
        }
    }
    redact_attribute(text, "oauth2_token=");
    redact_element_text(text, "<token");
    redact_element_text(text, "<auth");
    redact_element_text(text, "<password");
    redact_after(text, "Bearer ", " \t\r\n'\"<,;");
    redact_after(text, "auth_token=", " \t\r\n'\"<&;#");
    return text;
}

}  // namespace hipchat::core
