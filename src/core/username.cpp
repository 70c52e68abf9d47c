#include "core/username.hpp"

#include <algorithm>

namespace hipchat::core {

namespace {

// JID node "<group id>_<user id>", both numeric (§3).
bool is_hipchat_jid_node(std::string_view node)
{
    const auto underscore = node.find('_');
    if (underscore == std::string_view::npos || underscore == 0 || underscore + 1 == node.size())
        return false;
    auto digits = [](std::string_view s) {
        return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    return digits(node.substr(0, underscore)) && digits(node.substr(underscore + 1));
}

// The jabber module parses the username as a JID, so characters that
// nodeprep prohibits in the local part fail there with "Invalid XMPP ID";
// '/' would start a resource. Catch them first with a HipChat-worded message.
constexpr std::string_view forbidden_in_node = "\"&'/:<>@";

}  // namespace

std::variant<LoginKind, UsernameRejected> classify_username(std::string_view username)
{
    if (username.empty())
        return UsernameRejected{UsernameProblem::empty};

    const auto at = username.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == username.size())
        return UsernameRejected{UsernameProblem::missing_domain};

    const auto node = username.substr(0, at);
    const auto domain = username.substr(at + 1);
    for (char c : node) {
        if (forbidden_in_node.find(c) != std::string_view::npos || c == ' ' || c == '\t')
            return UsernameRejected{UsernameProblem::bad_character, c};
    }
    for (char c : domain) {
        if (c == '/' || c == '@' || c == ' ' || c == '\t')
            return UsernameRejected{UsernameProblem::bad_character, c};
    }
    return is_hipchat_jid_node(node) ? LoginKind::jid : LoginKind::email;
}

}  // namespace hipchat::core
