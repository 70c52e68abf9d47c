#include "core/html.hpp"

#include "core/text.hpp"

#include "core/xml-escape.hpp"

#include <glib.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace hipchat::core {

namespace {

struct GFreeDeleter {
    void operator()(gchar *p) const { g_free(p); }
};

bool is_ascii_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_ascii_alnum(char c)
{
    return is_ascii_alpha(c) || (c >= '0' && c <= '9');
}

// HTML's white space (the tokenizer's and the renderer's).
bool is_html_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals_prefix(std::string_view text, std::string_view prefix)
{
    if (text.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (ascii_lower(text[i]) != prefix[i])
            return false;
    }
    return true;
}

void append_utf8(std::string &out, gunichar c)
{
    char buffer[8];
    const gint length = g_unichar_to_utf8(c, buffer);
    out.append(buffer, static_cast<std::size_t>(length));
}

// Named character references HTML content commonly uses (notification
// senders are templates and add-ons, not arbitrary documents). Others stay
// as literal text, escaped.
struct NamedEntity {
    std::string_view name;
    gunichar code;
};
constexpr NamedEntity named_entities[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},     {"iexcl", 0xA1},    {"cent", 0xA2},
    {"pound", 0xA3},    {"curren", 0xA4},   {"yen", 0xA5},      {"brvbar", 0xA6},
    {"sect", 0xA7},     {"uml", 0xA8},      {"copy", 0xA9},     {"ordf", 0xAA},
    {"laquo", 0xAB},    {"not", 0xAC},      {"shy", 0xAD},      {"reg", 0xAE},
    {"macr", 0xAF},     {"deg", 0xB0},      {"plusmn", 0xB1},   {"sup2", 0xB2},
    {"sup3", 0xB3},     {"acute", 0xB4},    {"micro", 0xB5},    {"para", 0xB6},
    {"middot", 0xB7},   {"cedil", 0xB8},    {"sup1", 0xB9},     {"ordm", 0xBA},
    {"raquo", 0xBB},    {"frac14", 0xBC},   {"frac12", 0xBD},   {"frac34", 0xBE},
    {"iquest", 0xBF},   {"Agrave", 0xC0},   {"Aacute", 0xC1},   {"Acirc", 0xC2},
    {"Atilde", 0xC3},   {"Auml", 0xC4},     {"Aring", 0xC5},    {"AElig", 0xC6},
    {"Ccedil", 0xC7},   {"Egrave", 0xC8},   {"Eacute", 0xC9},   {"Ecirc", 0xCA},
    {"Euml", 0xCB},     {"Igrave", 0xCC},   {"Iacute", 0xCD},   {"Icirc", 0xCE},
    {"Iuml", 0xCF},     {"ETH", 0xD0},      {"Ntilde", 0xD1},   {"Ograve", 0xD2},
    {"Oacute", 0xD3},   {"Ocirc", 0xD4},    {"Otilde", 0xD5},   {"Ouml", 0xD6},
    {"times", 0xD7},    {"Oslash", 0xD8},   {"Ugrave", 0xD9},   {"Uacute", 0xDA},
    {"Ucirc", 0xDB},    {"Uuml", 0xDC},     {"Yacute", 0xDD},   {"THORN", 0xDE},
    {"szlig", 0xDF},    {"agrave", 0xE0},   {"aacute", 0xE1},   {"acirc", 0xE2},
    {"atilde", 0xE3},   {"auml", 0xE4},     {"aring", 0xE5},    {"aelig", 0xE6},
    {"ccedil", 0xE7},   {"egrave", 0xE8},   {"eacute", 0xE9},   {"ecirc", 0xEA},
    {"euml", 0xEB},     {"igrave", 0xEC},   {"iacute", 0xED},   {"icirc", 0xEE},
    {"iuml", 0xEF},     {"eth", 0xF0},      {"ntilde", 0xF1},   {"ograve", 0xF2},
    {"oacute", 0xF3},   {"ocirc", 0xF4},    {"otilde", 0xF5},   {"ouml", 0xF6},
    {"divide", 0xF7},   {"oslash", 0xF8},   {"ugrave", 0xF9},   {"uacute", 0xFA},
    {"ucirc", 0xFB},    {"uuml", 0xFC},     {"yacute", 0xFD},   {"thorn", 0xFE},
    {"yuml", 0xFF},     {"OElig", 0x152},   {"oelig", 0x153},   {"Scaron", 0x160},
    {"scaron", 0x161},  {"Yuml", 0x178},    {"fnof", 0x192},    {"circ", 0x2C6},
    {"tilde", 0x2DC},   {"ensp", 0x2002},   {"emsp", 0x2003},   {"thinsp", 0x2009},
    {"zwnj", 0x200C},   {"zwj", 0x200D},    {"lrm", 0x200E},    {"rlm", 0x200F},
    {"ndash", 0x2013},  {"mdash", 0x2014},  {"lsquo", 0x2018},  {"rsquo", 0x2019},
    {"sbquo", 0x201A},  {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"bdquo", 0x201E},
    {"dagger", 0x2020}, {"Dagger", 0x2021}, {"bull", 0x2022},   {"hellip", 0x2026},
    {"permil", 0x2030}, {"prime", 0x2032},  {"Prime", 0x2033},  {"lsaquo", 0x2039},
    {"rsaquo", 0x203A}, {"euro", 0x20AC},   {"trade", 0x2122},  {"larr", 0x2190},
    {"uarr", 0x2191},   {"rarr", 0x2192},   {"darr", 0x2193},   {"harr", 0x2194},
    {"minus", 0x2212},  {"infin", 0x221E},  {"ne", 0x2260},     {"le", 0x2264},
    {"ge", 0x2265},     {"check", 0x2713},  {"hearts", 0x2665}, {"star", 0x2606},
};

// HTML maps numeric references in 0x80-0x9F to Windows-1252 (0 = none).
constexpr std::array<gunichar, 32> windows_1252 = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

constexpr gunichar replacement_char = 0xFFFD;

gunichar numeric_reference(std::uint32_t value)
{
    if (value >= 0x80 && value <= 0x9F)
        return windows_1252[value - 0x80] != 0 ? windows_1252[value - 0x80] : replacement_char;
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return replacement_char;
    return value;
}

// Decodes the character reference at text[pos] == '&' into `out`; returns the
// number of bytes consumed, or 0 when it is not one (then '&' is literal).
std::size_t decode_reference(std::string_view text, std::size_t pos, std::string &out)
{
    std::size_t i = pos + 1;
    if (i < text.size() && text[i] == '#') {
        ++i;
        const bool hex = i < text.size() && (text[i] == 'x' || text[i] == 'X');
        if (hex)
            ++i;
        const std::size_t digits_start = i;
        std::uint32_t value = 0;
        while (i < text.size()) {
            const char c = text[i];
            int digit = -1;
            if (c >= '0' && c <= '9')
                digit = c - '0';
            else if (hex && ascii_lower(c) >= 'a' && ascii_lower(c) <= 'f')
                digit = ascii_lower(c) - 'a' + 10;
            if (digit < 0)
                break;
            // Saturate: anything past U+10FFFF is replaced anyway.
            value = value > 0x10FFFF ? value : value * (hex ? 16 : 10) + digit;
            ++i;
        }
        if (i == digits_start)
            return 0;
        if (i < text.size() && text[i] == ';')
            ++i;
        append_utf8(out, numeric_reference(value));
        return i - pos;
    }
    const std::size_t name_start = i;
    while (i < text.size() && i - name_start <= 8 && is_ascii_alnum(text[i]))
        ++i;
    if (i >= text.size() || text[i] != ';' || i == name_start)
        return 0;
    const std::string_view name = text.substr(name_start, i - name_start);
    for (const auto &entity : named_entities) {
        if (entity.name == name) {
            append_utf8(out, entity.code);
            return i + 1 - pos;
        }
    }
    return 0;
}

std::string decode_references(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '&') {
            if (const std::size_t used = decode_reference(text, i, out)) {
                i += used;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

// ---- Tokens --------------------------------------------------------------

struct Tag {
    std::string name;  // lower case
    // href, src and alt only (nothing else survives); names lower case,
    // values decoded.
    std::vector<std::pair<std::string, std::string>> attributes;
    bool end = false;

    std::optional<std::string_view> attribute(std::string_view key) const
    {
        for (const auto &[k, v] : attributes) {
            if (k == key)
                return std::string_view(v);
        }
        return std::nullopt;
    }
};

// Elements whose content HTML does not parse as markup (raw text and RCDATA):
// after the start tag everything up to the matching end tag is content, and
// all of these are dropped with their content.
constexpr std::string_view raw_text_elements[] = {
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
};

// Elements dropped with everything inside them; their content is parsed (to
// find where they end) but never shown.
constexpr std::string_view dropped_elements[] = {
    "object", "form",  "button", "select", "head",     "template", "svg",    "math",
    "applet", "audio", "video",  "canvas", "frameset", "datalist", "option", "map",
};

template <std::size_t N>
bool one_of(std::string_view name, const std::string_view (&names)[N])
{
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// The document as a stream of text and tags; comments, doctypes and
// processing instructions are skipped, raw-text elements' content too.
// Anything unterminated at the end of the input (a tag, a comment) is
// dropped, never shown as text.
class Tokenizer {
public:
    explicit Tokenizer(std::string_view input) : input_(input) {}

    enum class Kind { text, tag, end_of_input };

    Kind next()
    {
        text_.clear();
        while (pos_ < input_.size()) {
            const std::size_t lt = input_.find('<', pos_);
            if (lt != pos_) {
                const std::size_t end = lt == std::string_view::npos ? input_.size() : lt;
                text_ = decode_references(input_.substr(pos_, end - pos_));
                pos_ = end;
                return Kind::text;
            }
            if (read_markup())
                return Kind::tag;
            if (literal_lt_) {
                literal_lt_ = false;
                text_ = "<";
                return Kind::text;
            }
        }
        return Kind::end_of_input;
    }

    const std::string &text() const { return text_; }
    const Tag &tag() const { return tag_; }

private:
    // At '<': reads a tag (true), skips a comment-like construct (false), or
    // finds a literal '<' (false, literal_lt_ set).
    bool read_markup()
    {
        const std::string_view rest = input_.substr(pos_);
        if (rest.substr(0, 4) == "<!--") {
            // From 2, so that "<!-->" and "<!--->" are (empty) comments too.
            const std::size_t close = rest.find("-->", 2);
            pos_ = close == std::string_view::npos ? input_.size() : pos_ + close + 3;
            return false;
        }
        const bool end_tag = rest.size() > 1 && rest[1] == '/';
        const std::size_t name_at = end_tag ? 2 : 1;
        if (rest.size() > 1 && (rest[1] == '!' || rest[1] == '?' ||
                                (end_tag && (rest.size() <= 2 || !is_ascii_alpha(rest[2]))))) {
            // Doctype, CDATA, processing instruction, or a bogus "</ x>":
            // skipped to the next '>'.
            const std::size_t close = rest.find('>', 1);
            pos_ = close == std::string_view::npos ? input_.size() : pos_ + close + 1;
            return false;
        }
        if (rest.size() <= name_at || !is_ascii_alpha(rest[name_at])) {
            // "a < b": text.
            ++pos_;
            literal_lt_ = true;
            return false;
        }
        std::size_t i = name_at;
        tag_ = Tag();
        tag_.end = end_tag;
        while (i < rest.size() && !is_html_space(rest[i]) && rest[i] != '/' && rest[i] != '>')
            tag_.name += ascii_lower(rest[i++]);
        if (!read_attributes(rest, i)) {
            pos_ = input_.size();  // unterminated: dropped
            return false;
        }
        pos_ += i;
        if (!tag_.end && one_of(tag_.name, raw_text_elements)) {
            // Nothing to report: the element goes with its content.
            skip_raw_text(tag_.name);
            return false;
        }
        return true;
    }

    // Attributes up to and including '>'; false at the end of the input.
    bool read_attributes(std::string_view rest, std::size_t &i)
    {
        while (true) {
            while (i < rest.size() && (is_html_space(rest[i]) || rest[i] == '/'))
                ++i;
            if (i >= rest.size())
                return false;
            if (rest[i] == '>') {
                ++i;
                return true;
            }
            std::string name;
            while (i < rest.size() && !is_html_space(rest[i]) && rest[i] != '/' && rest[i] != '>' &&
                   (rest[i] != '=' || name.empty()))
                name += ascii_lower(rest[i++]);
            while (i < rest.size() && is_html_space(rest[i]))
                ++i;
            std::string value;
            if (i < rest.size() && rest[i] == '=') {
                ++i;
                while (i < rest.size() && is_html_space(rest[i]))
                    ++i;
                if (i >= rest.size())
                    return false;
                if (rest[i] == '"' || rest[i] == '\'') {
                    const std::size_t close = rest.find(rest[i], i + 1);
                    if (close == std::string_view::npos)
                        return false;
                    value = decode_references(rest.substr(i + 1, close - i - 1));
                    i = close + 1;
                } else {
                    const std::size_t start = i;
                    while (i < rest.size() && !is_html_space(rest[i]) && rest[i] != '>')
                        ++i;
                    value = decode_references(rest.substr(start, i - start));
                }
            }
            // Only the attributes we may use are kept (so a tag with
            // thousands of attributes costs nothing); the first of
            // duplicates wins, as in HTML.
            if ((name == "href" || name == "src" || name == "alt") &&
                !tag_.attribute(name).has_value())
                tag_.attributes.emplace_back(std::move(name), std::move(value));
        }
    }

    // Past the content and end tag of a raw-text element (or to the end).
    void skip_raw_text(std::string_view name)
    {
        std::size_t i = pos_;
        while ((i = input_.find("</", i)) != std::string_view::npos) {
            const std::string_view candidate = input_.substr(i + 2);
            if (iequals_prefix(candidate, name) &&
                (candidate.size() == name.size() || is_html_space(candidate[name.size()]) ||
                 candidate[name.size()] == '/' || candidate[name.size()] == '>')) {
                const std::size_t close = input_.find('>', i);
                pos_ = close == std::string_view::npos ? input_.size() : close + 1;
                return;
            }
            i += 2;
        }
        pos_ = input_.size();
    }

    std::string_view input_;
    std::size_t pos_ = 0;
    std::string text_;
    Tag tag_;
    bool literal_lt_ = false;
};

// ---- Output ----------------------------------------------------------------

constexpr std::size_t max_depth = 32;
constexpr std::size_t max_dropped_depth = 256;

constexpr std::string_view formatting_elements[] = {
    "b", "strong", "i", "em", "u", "code", "pre", "blockquote",
};

// Tags that become line breaks around their content.
constexpr std::string_view block_elements[] = {
    "p",          "div",     "h1",      "h2",     "h3",     "h4",   "h5",    "h6",      "hr",
    "address",    "article", "section", "header", "footer", "nav",  "aside", "main",    "figure",
    "figcaption", "dl",      "dt",      "dd",     "center", "body", "html",  "caption",
};

class Renderer {
public:
    explicit Renderer(bool html) : html_(html) {}

    void text(std::string_view text)
    {
        if (!dropped_.empty() || dropped_overflow_ > 0)
            return;
        const bool pre = in_pre();
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (pre && (c == '\n' || c == '\r')) {
                if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                    ++i;
                line_break();
                continue;
            }
            if (is_html_space(c)) {
                if (pre)
                    emit_char(' ');
                else
                    pending_space_ = true;
                continue;
            }
            // Other C0 controls and DEL have no business in a message.
            if ((static_cast<unsigned char>(c) < 0x20) || c == 0x7F)
                continue;
            emit_char(c);
        }
    }

    void tag(const Tag &tag)
    {
        const std::string_view name = tag.name;
        if (!dropped_.empty() || dropped_overflow_ > 0) {
            // Inside a dropped element only its own nesting matters.
            if (!one_of(name, dropped_elements))
                return;
            if (!tag.end)
                push_dropped(tag.name);
            else
                pop_dropped(name);
            return;
        }
        if (tag.end)
            end_tag(name);
        else
            start_tag(tag);
    }

    void mark_truncated()
    {
        flush_space();
        out_ += "…";
        at_line_start_ = false;
        no_space_ = false;
    }

    std::string finish()
    {
        // Owed line breaks are dropped: nothing follows them.
        while (!open_.empty())
            close_top();
        return std::move(out_);
    }

private:
    struct Open {
        std::string name;
        std::string href;            // for a
        std::size_t tag_start = 0;   // out_ size before the start tag
        std::size_t text_start = 0;  // out_ size after it
    };
    struct List {
        bool ordered = false;
        unsigned items = 0;
    };

    bool in_pre() const
    {
        return std::any_of(open_.begin(), open_.end(),
                           [](const Open &o) { return o.name == "pre"; });
    }

    bool link_open() const
    {
        return std::any_of(open_.begin(), open_.end(), [](const Open &o) { return o.name == "a"; });
    }

    void emit_char(char c)
    {
        flush_space();
        if (html_) {
            switch (c) {
            case '&':
                out_ += "&amp;";
                break;
            case '<':
                out_ += "&lt;";
                break;
            case '>':
                out_ += "&gt;";
                break;
            case '"':
                out_ += "&quot;";
                break;
            default:
                out_ += c;
            }
        } else {
            out_ += c;
        }
        at_line_start_ = false;
        no_space_ = false;
    }

    // Our own text (markers, separators): as text, not collapsed.
    void emit_text(std::string_view text)
    {
        flush_space();
        out_ += html_ ? html_escape(text) : std::string(text);
        at_line_start_ = false;
        no_space_ = false;
    }

    // Before any content (text, our own text, an opening tag): the line
    // breaks owed, else the collapsed space owed. Breaks are owed rather
    // than written so that none trails the message or a closing tag
    // ("<b><p>x</p></b>" is "<b>x</b>", not "<b>x<br></b>").
    void flush_space()
    {
        if (breaks_ > 0) {
            for (; breaks_ > 0; --breaks_)
                out_ += html_ ? "<br>" : "\n";
        } else if (pending_space_ && !no_space_ && !at_line_start_) {
            out_ += ' ';
        }
        pending_space_ = false;
    }

    // An explicit line break (<br>, a newline in <pre>).
    void line_break()
    {
        // Bounded: a flood of <br> is not worth more than a screenful.
        if (breaks_ < 8)
            ++breaks_;
        at_line_start_ = true;
        no_space_ = true;
        pending_space_ = false;
    }

    // The break a block element implies, unless we are at a line start.
    void ensure_line_start()
    {
        if (!at_line_start_)
            line_break();
        pending_space_ = false;
    }

    void push_dropped(const std::string &name)
    {
        if (dropped_.size() < max_dropped_depth)
            dropped_.push_back(name);
        else
            ++dropped_overflow_;
    }

    void pop_dropped(std::string_view name)
    {
        if (dropped_overflow_ > 0) {
            --dropped_overflow_;
            return;
        }
        const auto it = std::find(dropped_.rbegin(), dropped_.rend(), name);
        if (it != dropped_.rend())
            dropped_.erase(std::next(it).base(), dropped_.end());
    }

    void open_element(std::string_view name, std::string href = {})
    {
        if (open_.size() >= max_depth)
            return;  // flattened: the text stays, the formatting does not nest deeper
        flush_space();
        const std::size_t tag_start = out_.size();
        if (html_) {
            out_ += '<';
            out_ += name;
            if (!href.empty())
                out_ += " href=\"" + html_escape(href) + "\"";
            out_ += '>';
        }
        open_.push_back({std::string(name), std::move(href), tag_start, out_.size()});
    }

    void close_top()
    {
        const Open top = std::move(open_.back());
        open_.pop_back();
        if (top.name != "a" && out_.size() == top.text_start) {
            out_.resize(top.tag_start);  // "<b></b>": nothing to format
            return;
        }
        std::string after;  // after the end tag
        if (top.name == "a") {
            const std::string_view link_text = std::string_view(out_).substr(top.text_start);
            std::string shown;
            if (link_text.empty()) {
                shown = html_ ? html_escape(top.href) : top.href;  // else invisible
            } else if (!html_ && link_text != top.href &&
                       "mailto:" + std::string(link_text) != top.href) {
                shown = " (" + top.href + ")";  // plain text: say where it goes
            } else if (html_) {
                // Text that passes for another address: name the real host.
                const std::string host = misleading_link_host(visible_text(link_text), top.href);
                if (!host.empty())
                    after = " (" + html_escape(host) + ")";
            }
            if (!shown.empty()) {
                out_ += shown;
                at_line_start_ = false;
                no_space_ = false;
            }
        }
        if (html_)
            out_ += "</" + top.name + ">" + after;
    }

    // Our own HTML output as the text it shows: tags dropped, references
    // decoded.
    static std::string visible_text(std::string_view html)
    {
        std::string text;
        bool in_tag = false;
        for (char c : html) {
            if (c == '<')
                in_tag = true;
            else if (c == '>')
                in_tag = false;
            else if (!in_tag)
                text += c;
        }
        return decode_references(text);
    }

    // Closes the innermost open `name` and everything opened inside it;
    // false when none is open.
    bool close_element(std::string_view name)
    {
        const auto it = std::find_if(open_.rbegin(), open_.rend(),
                                     [&](const Open &o) { return o.name == name; });
        if (it == open_.rend())
            return false;
        const std::size_t keep = static_cast<std::size_t>(open_.rend() - it) - 1;
        while (open_.size() > keep)
            close_top();
        return true;
    }

    void start_tag(const Tag &tag)
    {
        const std::string_view name = tag.name;
        if (one_of(name, dropped_elements)) {
            push_dropped(tag.name);
        } else if (name == "br") {
            line_break();
        } else if (name == "a") {
            close_element("a");  // HTML: a new link ends the one still open
            const auto href = tag.attribute("href");
            if (href && is_safe_url(*href))
                open_element("a", std::string(trim_url(*href)));
        } else if (name == "img") {
            image(tag);
        } else if (name == "ul" || name == "ol") {
            ensure_line_start();
            if (lists_.size() < max_depth)
                lists_.push_back({name == "ol", 0});
            else
                ++lists_overflow_;
        } else if (name == "li") {
            ensure_line_start();
            if (!lists_.empty() && lists_.back().ordered)
                emit_text(std::to_string(++lists_.back().items) + ". ");
            else
                emit_text("• ");
            no_space_ = true;
        } else if (name == "table") {
            ensure_line_start();
            if (tables_.size() < max_depth)
                tables_.push_back(0);
            else
                ++tables_overflow_;
        } else if (name == "tr") {
            ensure_line_start();
            if (!tables_.empty())
                tables_.back() = 0;
        } else if (name == "td" || name == "th") {
            if (!tables_.empty() && tables_.back()++ > 0) {
                pending_space_ = false;
                emit_text(" | ");
                no_space_ = true;
            }
        } else if (name == "pre" || name == "blockquote") {
            ensure_line_start();
            open_element(name);
        } else if (one_of(name, formatting_elements)) {
            open_element(name);
        } else if (one_of(name, block_elements)) {
            ensure_line_start();
        }
        // Anything else (span, font, unknown elements, and void elements such
        // as input, embed and meta): no tag, and its text, if any, is kept.
    }

    void end_tag(std::string_view name)
    {
        if (name == "br") {
            line_break();  // "</br>" is a <br> to browsers
        } else if (name == "a") {
            close_element("a");
        } else if (name == "ul" || name == "ol") {
            if (lists_overflow_ > 0)
                --lists_overflow_;
            else if (!lists_.empty())
                lists_.pop_back();
            ensure_line_start();
        } else if (name == "table") {
            if (tables_overflow_ > 0)
                --tables_overflow_;
            else if (!tables_.empty())
                tables_.pop_back();
            ensure_line_start();
        } else if (name == "li" || name == "tr") {
            ensure_line_start();
        } else if (name == "pre" || name == "blockquote") {
            if (close_element(name))
                ensure_line_start();
        } else if (one_of(name, formatting_elements)) {
            close_element(name);
        } else if (one_of(name, block_elements)) {
            ensure_line_start();
        }
    }

    void image(const Tag &tag)
    {
        const auto alt = tag.attribute("alt");
        const std::string label =
            alt && !alt->empty() ? "[image: " + std::string(*alt) + "]" : "[image]";
        const auto src = tag.attribute("src");
        const bool linkable = src && is_safe_url(*src, false) && !link_open();
        if (!linkable) {
            emit_text(collapse(label));
            return;
        }
        const std::string url(trim_url(*src));
        if (html_) {
            flush_space();
            out_ += "<a href=\"" + html_escape(url) + "\">" + html_escape(collapse(label)) + "</a>";
            at_line_start_ = false;
            no_space_ = false;
        } else {
            emit_text(collapse(label) + " (" + url + ")");
        }
    }

    // Alt text as one line.
    static std::string collapse(std::string_view text)
    {
        std::string out;
        bool space = false;
        for (char c : text) {
            if (is_html_space(c) || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
                space = true;
                continue;
            }
            if (space && !out.empty())
                out += ' ';
            space = false;
            out += c;
        }
        return out;
    }

    static std::string_view trim_url(std::string_view url)
    {
        while (!url.empty() && is_html_space(url.front()))
            url.remove_prefix(1);
        while (!url.empty() && is_html_space(url.back()))
            url.remove_suffix(1);
        return url;
    }

    bool html_;
    std::string out_;
    std::vector<Open> open_;
    std::vector<std::string> dropped_;
    std::size_t dropped_overflow_ = 0;
    std::vector<List> lists_;
    std::size_t lists_overflow_ = 0;
    std::vector<unsigned> tables_;  // cells so far in each table's current row
    std::size_t tables_overflow_ = 0;
    unsigned breaks_ = 0;  // line breaks owed (see flush_space)
    bool pending_space_ = false;
    bool at_line_start_ = true;  // nothing yet, or just after a line break
    bool no_space_ = true;       // a collapsed space here would be noise
};

// The input cut to max_html_input at a character boundary, as valid UTF-8.
std::string prepare(std::string_view html, bool &truncated)
{
    truncated = html.size() > max_html_input;
    if (html.empty())
        return {};
    if (truncated) {
        std::size_t cut = max_html_input;
        // Back over continuation bytes (10xxxxxx) to the start of a character.
        for (int i = 0; i < 3 && cut > 0 && (static_cast<unsigned char>(html[cut]) & 0xC0) == 0x80;
             ++i)
            --cut;
        html = html.substr(0, cut);
    }
    std::unique_ptr<gchar, GFreeDeleter> valid(
        g_utf8_make_valid(html.data(), static_cast<gssize>(html.size())));
    return valid ? std::string(valid.get()) : std::string();
}

std::string render(std::string_view html, bool as_html)
{
    bool truncated = false;
    const std::string input = prepare(html, truncated);
    Tokenizer tokenizer(input);
    Renderer renderer(as_html);
    for (auto kind = tokenizer.next(); kind != Tokenizer::Kind::end_of_input;
         kind = tokenizer.next()) {
        if (kind == Tokenizer::Kind::text)
            renderer.text(tokenizer.text());
        else
            renderer.tag(tokenizer.tag());
    }
    if (truncated)
        renderer.mark_truncated();
    return renderer.finish();
}

}  // namespace

std::string html_escape(std::string_view text)
{
    // &apos; for ' is valid HTML too, and libpurple decodes it.
    return xml_escape(text);
}

std::string text_to_html(std::string_view text)
{
    if (text.empty())
        return {};
    std::unique_ptr<gchar, GFreeDeleter> valid(
        g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())));
    const std::string escaped = html_escape(valid ? valid.get() : "");
    std::string out;
    out.reserve(escaped.size());
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        if (escaped[i] == '\r') {
            if (i + 1 < escaped.size() && escaped[i + 1] == '\n')
                ++i;
            out += "<br>";
        } else if (escaped[i] == '\n') {
            out += "<br>";
        } else {
            out += escaped[i];
        }
    }
    return out;
}

namespace {

// The host part of an authority or of text written like one: up to the
// first '/', '?', '#' or white space, after the last '@', without the port.
std::string host_part(std::string_view rest)
{
    const auto end = rest.find_first_of("/?#\\ \t\r\n");
    std::string_view authority = rest.substr(0, end);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos)
        authority.remove_prefix(at + 1);
    if (!authority.empty() && authority.front() == '[')  // an IPv6 literal
        return std::string(authority.substr(0, authority.find(']') + 1));
    authority = authority.substr(0, authority.find(':'));
    while (!authority.empty() && authority.back() == '.')
        authority.remove_suffix(1);
    std::string host(authority);
    for (char &c : host)
        c = ascii_lower(c);
    return host;
}

std::string_view without_scheme(std::string_view url)
{
    const auto colon = url.find("://");
    if (colon == std::string_view::npos)
        return url;
    for (std::size_t i = 0; i < colon; ++i) {
        if (!is_ascii_alnum(url[i]) && url[i] != '+' && url[i] != '-' && url[i] != '.')
            return url;
    }
    return url.substr(colon + 3);
}

}  // namespace

std::string url_host(std::string_view url)
{
    url = trim(url);
    const std::string_view rest = without_scheme(url);
    if (rest.size() == url.size())
        return {};
    return host_part(rest);
}

std::string misleading_link_host(std::string_view text, std::string_view href)
{
    text = trim(text);
    const std::string target = url_host(href);
    if (text.empty() || target.empty())
        return {};
    for (char c : text) {
        if (is_html_space(c))
            return {};  // words, not an address
    }
    // A URL, or a host name ("hipchat.example.com/login", "www.x.org"): at
    // least one dot before the path, and no '@' (an e-mail address).
    const std::string_view rest = without_scheme(text);
    const std::string host = host_part(rest);
    if (rest.size() == text.size() &&
        (host.find('.') == std::string::npos || rest.find('@') != std::string_view::npos))
        return {};
    if (host.empty() || host == target)
        return {};
    return target;
}

bool is_safe_url(std::string_view url, bool allow_mailto)
{
    while (!url.empty() && is_html_space(url.front()))
        url.remove_prefix(1);
    while (!url.empty() && is_html_space(url.back()))
        url.remove_suffix(1);
    for (char c : url) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return false;
    }
    if (iequals_prefix(url, "http://") || iequals_prefix(url, "https://"))
        return url.size() > (url[4] == ':' ? 7 : 8);
    return allow_mailto && iequals_prefix(url, "mailto:") && url.size() > 7;
}

std::string sanitise_notification_html(std::string_view html)
{
    return render(html, true);
}

std::string html_to_plain_text(std::string_view html)
{
    return render(html, false);
}

}  // namespace hipchat::core
