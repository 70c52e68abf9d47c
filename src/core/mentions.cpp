#include "core/mentions.hpp"

#include <glib.h>

#include <memory>

namespace hipchat::core {

namespace {

constexpr std::size_t npos = std::string::npos;

struct GFreeDeleter {
    void operator()(gchar *p) const { g_free(p); }
};

// Text case-folded character by character, remembering where each folded
// character came from, so a match found in the folded text can be mapped
// back to the original bytes and bounded by the original's characters.
struct Folded {
    std::string text;
    // For each byte of `text` (and one past the end): the offset in the
    // original of the character that starts there, or npos inside a
    // character (a multi-byte fold such as "ß" → "ss" has one start).
    std::vector<std::size_t> origin;
    // For each start: whether that original character is a word character.
    std::vector<bool> word;

    bool is_start(std::size_t i) const { return i < origin.size() && origin[i] != npos; }
};

bool is_word_char(gunichar c)
{
    if (c < 0x80)
        return g_ascii_isalnum(static_cast<gchar>(c)) || c == '_';
    // Non-ASCII letters and digits, and the marks that combine with them,
    // belong to the word (a deliberate widening of JavaScript's \w, §8.6).
    return g_unichar_isalnum(c) || g_unichar_ismark(c);
}

Folded fold(std::string_view text)
{
    Folded out;
    out.text.reserve(text.size());
    out.origin.reserve(text.size() + 1);
    out.word.reserve(text.size() + 1);
    std::size_t pos = 0;
    while (pos < text.size()) {
        const gunichar c =
            g_utf8_get_char_validated(text.data() + pos, static_cast<gssize>(text.size() - pos));
        std::size_t length = 1;
        const std::size_t start = out.text.size();
        // (gunichar)-1 and -2: invalid or truncated; NUL is reported as -2.
        if (c == static_cast<gunichar>(-1) || c == static_cast<gunichar>(-2)) {
            out.text += text[pos];
        } else {
            length = static_cast<std::size_t>(g_unichar_to_utf8(c, nullptr));
            // g_utf8_casefold on one valid character: it allocates; names and
            // bodies are short (bodies are capped at 2^15 characters, §8.2).
            std::unique_ptr<gchar, GFreeDeleter> folded(
                g_utf8_casefold(text.data() + pos, static_cast<gssize>(length)));
            out.text += folded.get();
        }
        const bool word =
            c != static_cast<gunichar>(-1) && c != static_cast<gunichar>(-2) && is_word_char(c);
        out.origin.push_back(pos);
        out.word.push_back(word);
        for (std::size_t i = start + 1; i < out.text.size(); ++i) {
            out.origin.push_back(npos);
            out.word.push_back(false);
        }
        pos += length;
    }
    out.origin.push_back(text.size());
    out.word.push_back(false);
    return out;
}

std::string strip_at(std::string_view name)
{
    if (!name.empty() && name.front() == '@')
        name.remove_prefix(1);
    return std::string(name);
}

// Whether the character before folded byte `i` is absent or not a word
// character (the boundary before an '@').
bool boundary_before(const Folded &f, std::size_t i)
{
    if (i == 0)
        return true;
    std::size_t j = i - 1;
    while (j > 0 && !f.is_start(j))
        --j;
    return !f.word[j];
}

// Whether folded byte `i` is the end, or the start of a non-word character.
bool boundary_at(const Folded &f, std::size_t i)
{
    return f.is_start(i) && !f.word[i];
}

// Whether `needle` (already folded) occurs at `i` and ends on a boundary.
bool matches_at(const Folded &f, std::size_t i, std::string_view needle)
{
    return !needle.empty() && f.text.compare(i, needle.size(), needle) == 0 &&
           boundary_at(f, i + needle.size());
}

// Whether `needle` ("@name", folded) occurs word-bounded on both sides.
bool contains_mention(const Folded &f, std::string_view needle)
{
    for (std::size_t i = f.text.find(needle); i != npos; i = f.text.find(needle, i + 1)) {
        if (f.is_start(i) && boundary_before(f, i) && boundary_at(f, i + needle.size()))
            return true;
    }
    return false;
}

}  // namespace

bool mentions_me(std::string_view body, const MentionIdentity &me, MentionScope scope)
{
    // Every form starts with '@' (and case folding never makes one): most
    // messages are done with here, before the costly folding.
    if (body.find('@') == std::string_view::npos)
        return false;
    const Folded folded = fold(body);
    const std::string mention = strip_at(me.mention_name);
    if (!mention.empty() && contains_mention(folded, "@" + fold(mention).text))
        return true;
    if (!me.full_name.empty() && contains_mention(folded, "@\"" + fold(me.full_name).text + "\""))
        return true;
    if (scope == MentionScope::everyone)
        return contains_mention(folded, "@all") || contains_mention(folded, "@here");
    return false;
}

std::string rewrite_mentions_for_sending(std::string_view text,
                                         const std::vector<MentionIdentity> &people)
{
    struct Person {
        std::string full;     // folded
        std::string mention;  // folded
        std::string replacement;
    };
    std::vector<Person> candidates;
    for (const auto &person : people) {
        const std::string mention = strip_at(person.mention_name);
        if (mention.empty() || person.full_name.empty())
            continue;
        candidates.push_back({fold(person.full_name).text, fold(mention).text, "@" + mention});
    }
    if (candidates.empty())
        return std::string(text);

    const Folded f = fold(text);
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t copied = 0;  // original bytes before this are in `out`
    std::size_t i = 0;       // folded scan position

    // Tab completion's "Full Name: " at the very start. ':' and ',' are
    // ASCII, so they are one byte in both the folded and the original text.
    const Person *leading = nullptr;
    for (const auto &person : candidates) {
        const std::size_t end = person.full.size();
        if (f.text.compare(0, end, person.full) == 0 && f.is_start(end) && end < f.text.size() &&
            (f.text[end] == ':' || f.text[end] == ',') &&
            (leading == nullptr || person.full.size() > leading->full.size()))
            leading = &person;
    }
    if (leading != nullptr) {
        i = leading->full.size() + 1;
        if (i < f.text.size() && f.text[i] == ' ')
            ++i;
        out += leading->replacement;
        if (i < f.text.size())
            out += ' ';
        copied = f.origin[i];
    }

    for (i = f.text.find('@', i); i != npos; i = f.text.find('@', i)) {
        const std::size_t name_start = i + 1;
        // '@' is ASCII and always starts a character. `@"Full Name"` is
        // already HipChat's own form.
        if (!boundary_before(f, i) || (name_start < f.text.size() && f.text[name_start] == '"')) {
            i = name_start;
            continue;
        }
        const Person *best = nullptr;
        std::size_t longest_mention = 0;
        for (const auto &person : candidates) {
            if (matches_at(f, name_start, person.full) &&
                (best == nullptr || person.full.size() > best->full.size()))
                best = &person;
            if (matches_at(f, name_start, person.mention) &&
                person.mention.size() > longest_mention)
                longest_mention = person.mention.size();
        }
        if (best == nullptr || best->full.size() <= longest_mention) {
            i = name_start;
            continue;
        }
        out.append(text.substr(copied, f.origin[i] - copied));
        out += best->replacement;
        i = name_start + best->full.size();
        copied = f.origin[i];
    }
    out.append(text.substr(copied));
    return out;
}

}  // namespace hipchat::core
