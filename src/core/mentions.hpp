// @mentions (protocol reference §8.6): deciding whether a received body pings
// us, and turning what a user typed after tab completion into mentions
// HipChat's server recognises.
//
// HipChat has no mention markup: the server and clients look for
// `@MentionName`, `@all`, `@here` and `@"Full Name"` in plain text, matched
// case-insensitively and word-bounded. The official web client's pattern is
// `(?=[^\w]|^)@(name)(?=[^\w]|$)`; its leading lookahead tests the '@' itself
// and so never rejects anything, but its evident intent (and what users
// expect: no ping from `email@AliceExample.com`) is a boundary before the '@'
// too, which is what we apply.
//
// Word characters are ASCII letters, digits and '_' (JavaScript's \w) plus
// every non-ASCII letter, digit and combining mark, so `@Zoë` is not matched
// inside `@Zoëlle`. Case-insensitivity is Unicode case folding
// (g_utf8_casefold) applied character by character; invalid UTF-8 bytes are
// compared as themselves and count as non-word characters.
//
// Formatted messages (`/code`, `/quote`, `/pre`, HTML notifications) get no
// mention processing (§8.6); the caller checks core::Rendered::formatted
// before calling mentions_me().
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hipchat::core {

// Who can be mentioned: a roster item's or our own (startup IQ) names.
struct MentionIdentity {
    std::string mention_name;  // without '@' (a leading '@' is tolerated and ignored)
    std::string full_name;     // the display name, also the MUC nick (§1)
};

// The two sets the official client matches (§8.6).
enum class MentionScope {
    everyone,     // "mentions me": own @mention, @all, @here, @"Full Name"
    direct_only,  // "just me" (the quiet notification level): own @mention, @"Full Name"
};

// True when `body` (plain text, not HTML) mentions `me` within `scope`.
// An empty mention name or full name never matches (`@` or `@""` alone ping
// nobody).
bool mentions_me(std::string_view body, const MentionIdentity &me, MentionScope scope);

// What to send for `text`, plain text a user typed, so the server sees
// mentions where the user meant them (§8.6 "auto-rewrite Full Name →
// @MentionName", pidgin-hipchat PR #2):
//  * a full name at the very start followed by ':' or ',' (Pidgin's and
//    bitlbee's tab completion: `Bob Test: hi`) becomes `@BobTest hi`; one
//    space after the ':'/',' is absorbed, and `Bob Test:` alone becomes
//    `@BobTest`;
//  * `@Full Name` anywhere, where the '@' starts a word and the name is
//    followed by a non-word character or the end, becomes `@MentionName`.
//    The longest matching full name wins; when a mention name matches at
//    least as much text (`@Alice` is someone's mention name and another
//    person's full name) the text is left alone, since HipChat already
//    reads it as that mention;
//  * `@"Full Name"` is left alone: HipChat understands it.
// Full names are matched case-insensitively. People without a mention name
// or full name are skipped. Nothing else in `text` changes.
std::string rewrite_mentions_for_sending(std::string_view text,
                                         const std::vector<MentionIdentity> &people);

}  // namespace hipchat::core
