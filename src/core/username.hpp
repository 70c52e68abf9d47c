// What the account's username means (protocol reference §2, §5): HipChat
// users log in with their e-mail address; bots and HipChat Server accounts may
// use their Jabber ID (`<group>_<user>@chat.hipchat.com`) instead.
#pragma once

#include <string_view>
#include <variant>

namespace hipchat::core {

enum class LoginKind {
    email,  // HipChat auth (§5.1) with the e-mail as login
    jid,    // a Jabber ID: HipChat auth where offered, else SASL PLAIN + bind (§5.3)
};

enum class UsernameProblem {
    empty,
    missing_domain,  // no '@': neither an e-mail nor a Jabber ID
    bad_character,   // a character the jabber module's JID parser rejects
};

struct UsernameRejected {
    UsernameProblem problem;
    char character = '\0';  // for bad_character
};

// Classifies a username; never throws.
std::variant<LoginKind, UsernameRejected> classify_username(std::string_view username);

}  // namespace hipchat::core
