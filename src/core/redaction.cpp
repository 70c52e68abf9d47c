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

// A secret's place in a text: [begin, end), and what ends its value when it
// runs to the end of the text (more of it may follow in the next chunk).
struct Span {
    std::size_t begin, end;
    std::string_view terminators;  // "" for a known secret's form
};

// The value that starts at `pos` and ends before the first character in
// `terminators` (or at the end).
void add_value(std::vector<Span> &spans, std::string_view text, std::size_t pos,
               std::string_view terminators)
{
    auto end = text.find_first_of(terminators, pos);
    if (end == std::string_view::npos)
        end = text.size();
    if (end > pos)
        spans.push_back({pos, end, terminators});
}

// key='value' or key="value"
void add_attribute(std::vector<Span> &spans, std::string_view text, std::string_view key)
{
    for (auto pos = text.find(key); pos != std::string_view::npos; pos = text.find(key, pos + 1)) {
        const auto quote_pos = pos + key.size();
        if (quote_pos >= text.size() || (text[quote_pos] != '\'' && text[quote_pos] != '"'))
            continue;
        add_value(spans, text, quote_pos + 1, text[quote_pos] == '\'' ? "'" : "\"");
    }
}

// <name ...>value</name>
void add_element_text(std::vector<Span> &spans, std::string_view text, std::string_view open)
{
    for (auto pos = text.find(open); pos != std::string_view::npos;
         pos = text.find(open, pos + 1)) {
        const auto after_name = pos + open.size();
        if (after_name >= text.size() || (text[after_name] != '>' && text[after_name] != ' '))
            continue;
        const auto close = text.find('>', pos);
        if (close == std::string_view::npos)
            return;
        if (text[close - 1] == '/')
            continue;  // <token/>
        add_value(spans, text, close + 1, "<");
    }
}

// "Bearer value", "auth_token=value"
void add_after(std::vector<Span> &spans, std::string_view text, std::string_view prefix,
               std::string_view terminators)
{
    for (auto pos = text.find(prefix); pos != std::string_view::npos;
         pos = text.find(prefix, pos + 1))
        add_value(spans, text, pos + prefix.size(), terminators);
}

// Every secret in `text`: the known forms, and the values of HipChat's
// secret-carrying places.
std::vector<Span> secret_spans(std::string_view text, const std::vector<std::string> &forms)
{
    std::vector<Span> spans;
    for (const auto &form : forms) {
        for (auto pos = text.find(form); pos != std::string_view::npos;
             pos = text.find(form, pos + 1))
            spans.push_back({pos, pos + form.size(), {}});
    }
    add_attribute(spans, text, "oauth2_token=");
    add_element_text(spans, text, "<token");
    add_element_text(spans, text, "<auth");
    add_element_text(spans, text, "<password");
    add_after(spans, text, "Bearer ", " \t\r\n'\"<,;");
    add_after(spans, text, "auth_token=", " \t\r\n'\"<&;#");
    return spans;
}

// `text` with each span (merged where they touch) replaced by the marker.
std::string mask(std::string_view text, std::vector<Span> spans)
{
    std::sort(spans.begin(), spans.end(),
              [](const Span &a, const Span &b) { return a.begin < b.begin; });
    std::string out;
    std::size_t done = 0;
    for (std::size_t i = 0; i < spans.size();) {
        std::size_t begin = spans[i].begin, end = spans[i].end;
        for (++i; i < spans.size() && spans[i].begin <= end; ++i)
            end = std::max(end, spans[i].end);
        begin = std::max(begin, done);
        if (end <= begin)
            continue;
        out.append(text.substr(done, begin - done));
        out.append(redacted_marker);
        done = end;
    }
    out.append(text.substr(done));
    return out;
}

// How much of a chunk a carry keeps: more than a secret-carrying place's
// opening ("oauth2_token='", "<token expiration='…' ttl='…'>") needs.
constexpr std::size_t carry_bytes = 256;
// A value left open at a chunk's end waits this many chunks for its end.
constexpr int pending_chunks = 8;

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
    return mask(input, secret_spans(input, forms));
}

std::string ChunkRedactor::redact(std::string_view chunk, const std::vector<std::string> &forms)
{
    // A chunk that opens an element while a value is left open is another
    // stream's (or that value ended with the last chunk): the value does not
    // run on into it.
    const bool another_element = !pending_.empty() && !chunk.empty() && chunk.front() == '<';
    const std::string joined = (another_element ? std::string() : carry_) + std::string(chunk);
    const std::size_t offset = joined.size() - chunk.size();
    std::vector<Span> spans;
    // What the last chunk left open: its value goes on at this chunk's start,
    // up to its end (or, as the chunk may be another stream's that came in
    // between, the first '<' that cannot be part of it).
    if (!pending_.empty()) {
        const std::string stops = pending_ + "<";
        const auto end = chunk.find_first_of(stops);
        if (end == std::string_view::npos) {
            spans.push_back({offset, joined.size(), {}});
        } else {
            if (end > 0)
                spans.push_back({offset, offset + end, {}});
            if (end > 0 || pending_.find(chunk[end]) != std::string::npos)
                pending_.clear();
        }
        if (!pending_.empty() && ++pending_age_ > pending_chunks)
            pending_.clear();
    }
    for (const Span &span : secret_spans(joined, forms)) {
        if (span.end <= offset)
            continue;  // the carry's own, masked when it was printed
        spans.push_back({std::max(span.begin, offset), span.end, span.terminators});
        if (span.end == joined.size() && !span.terminators.empty()) {
            pending_ = std::string(span.terminators);
            pending_age_ = 0;
        }
    }
    // A known secret's form whose start ends this chunk: its rest may be
    // in the next.
    for (const auto &form : forms) {
        for (std::size_t length = std::min(form.size() - 1, chunk.size()); length >= 4; --length) {
            if (joined.compare(joined.size() - length, length, form, 0, length) == 0) {
                spans.push_back({joined.size() - length, joined.size(), {}});
                break;
            }
        }
    }
    for (Span &span : spans) {
        span.begin -= offset;
        span.end -= offset;
    }
    carry_ = joined.substr(joined.size() - std::min(joined.size(), carry_bytes));
    return mask(chunk, std::move(spans));
}

}  // namespace hipchat::core
