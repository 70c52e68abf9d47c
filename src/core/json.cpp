#include "core/json.hpp"

#include <glib.h>

#include <charconv>
#include <cstdlib>

namespace hipchat::core {

namespace {

class Reader {
public:
    Reader(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

    std::optional<JsonValue> document()
    {
        auto value = parse(0);
        skip_space();
        if (!value || pos_ != text_.size())
            return std::nullopt;
        return value;
    }

private:
    void skip_space()
    {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                       text_[pos_] == '\n' || text_[pos_] == '\r'))
            ++pos_;
    }

    bool literal(std::string_view word)
    {
        if (text_.substr(pos_, word.size()) != word)
            return false;
        pos_ += word.size();
        return true;
    }

    std::optional<JsonValue> parse(int depth)
    {
        if (depth > max_depth_)
            return std::nullopt;
        skip_space();
        if (pos_ >= text_.size())
            return std::nullopt;
        const char c = text_[pos_];
        if (c == '{')
            return object(depth);
        if (c == '[')
            return array(depth);
        if (c == '"') {
            auto s = string();
            if (!s)
                return std::nullopt;
            return JsonValue{std::move(*s)};
        }
        if (literal("true"))
            return JsonValue{true};
        if (literal("false"))
            return JsonValue{false};
        if (literal("null"))
            return JsonValue{nullptr};
        return number();
    }

    std::optional<JsonValue> object(int depth)
    {
        ++pos_;  // {
        JsonObject members;
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == '}') {
            ++pos_;
            return JsonValue{std::move(members)};
        }
        while (true) {
            skip_space();
            if (pos_ >= text_.size() || text_[pos_] != '"')
                return std::nullopt;
            auto key = string();
            skip_space();
            if (!key || pos_ >= text_.size() || text_[pos_] != ':')
                return std::nullopt;
            ++pos_;
            auto value = parse(depth + 1);
            if (!value)
                return std::nullopt;
            members.insert_or_assign(std::move(*key), std::move(*value));
            skip_space();
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < text_.size() && text_[pos_] == '}') {
                ++pos_;
                return JsonValue{std::move(members)};
            }
            return std::nullopt;
        }
    }

    std::optional<JsonValue> array(int depth)
    {
        ++pos_;  // [
        JsonArray items;
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == ']') {
            ++pos_;
            return JsonValue{std::move(items)};
        }
        while (true) {
            auto value = parse(depth + 1);
            if (!value)
                return std::nullopt;
            items.push_back(std::move(*value));
            skip_space();
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < text_.size() && text_[pos_] == ']') {
                ++pos_;
                return JsonValue{std::move(items)};
            }
            return std::nullopt;
        }
    }

    std::optional<unsigned> hex4()
    {
        if (pos_ + 4 > text_.size())
            return std::nullopt;
        unsigned value = 0;
        const auto [end, error] =
            std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, value, 16);
        if (error != std::errc() || end != text_.data() + pos_ + 4)
            return std::nullopt;
        pos_ += 4;
        return value;
    }

    std::optional<std::string> string()
    {
        ++pos_;  // "
        std::string out;
        while (pos_ < text_.size()) {
            const unsigned char c = static_cast<unsigned char>(text_[pos_++]);
            if (c == '"') {
                if (!g_utf8_validate(out.data(), static_cast<gssize>(out.size()), nullptr))
                    return std::nullopt;
                return out;
            }
            if (c < 0x20)
                return std::nullopt;
            if (c != '\\') {
                out += static_cast<char>(c);
                continue;
            }
            if (pos_ >= text_.size())
                return std::nullopt;
            const char e = text_[pos_++];
            switch (e) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '/':
                out += '/';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                auto unit = hex4();
                if (!unit)
                    return std::nullopt;
                gunichar code = *unit;
                const std::size_t before_low = pos_;
                if (code >= 0xD800 && code <= 0xDBFF && literal("\\u")) {  // a surrogate pair
                    auto low = hex4();
                    if (!low)
                        return std::nullopt;
                    if (*low >= 0xDC00 && *low <= 0xDFFF)
                        code = 0x10000 + ((code - 0xD800) << 10) + (*low - 0xDC00);
                    else
                        pos_ = before_low;  // a lone high surrogate; read the next escape again
                }
                // Lone surrogates and NUL (which would cut C strings short) become U+FFFD.
                if ((code >= 0xD800 && code <= 0xDFFF) || code == 0)
                    code = 0xFFFD;
                char utf8[6];
                out.append(utf8, static_cast<std::size_t>(g_unichar_to_utf8(code, utf8)));
                break;
            }
            default:
                return std::nullopt;
            }
        }
        return std::nullopt;
    }

    std::optional<JsonValue> number()
    {
        const std::size_t start = pos_;
        if (pos_ < text_.size() && text_[pos_] == '-')
            ++pos_;
        const std::size_t digits = pos_;
        while (pos_ < text_.size() && g_ascii_isdigit(text_[pos_]))
            ++pos_;
        if (pos_ == digits || (text_[digits] == '0' && pos_ - digits > 1))
            return std::nullopt;
        if (pos_ < text_.size() && text_[pos_] == '.') {
            const std::size_t fraction = ++pos_;
            while (pos_ < text_.size() && g_ascii_isdigit(text_[pos_]))
                ++pos_;
            if (pos_ == fraction)
                return std::nullopt;
        }
        if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-'))
                ++pos_;
            const std::size_t exponent = pos_;
            while (pos_ < text_.size() && g_ascii_isdigit(text_[pos_]))
                ++pos_;
            if (pos_ == exponent)
                return std::nullopt;
        }
        const std::string literal_text(text_.substr(start, pos_ - start));
        return JsonValue{g_ascii_strtod(literal_text.c_str(), nullptr)};  // locale-free
    }

    std::string_view text_;
    int max_depth_;
    std::size_t pos_ = 0;
};

}  // namespace

const JsonValue *JsonValue::member(std::string_view key) const
{
    const JsonObject *members = object();
    if (members == nullptr)
        return nullptr;
    const auto it = members->find(key);
    return it == members->end() ? nullptr : &it->second;
}

std::string JsonValue::text(std::string_view key) const
{
    const JsonValue *m = member(key);
    const std::string *s = m != nullptr ? m->string() : nullptr;
    return s != nullptr ? *s : std::string();
}

std::optional<JsonValue> parse_json(std::string_view text, int max_depth)
{
    return Reader(text, max_depth).document();
}

}  // namespace hipchat::core
