#include "core/calls.hpp"

#include <glib.h>
#include <glib/gi18n-lib.h>

#include "core/html.hpp"
#include "core/namespaces.hpp"
#include "core/text.hpp"

namespace hipchat::core {

namespace {

std::optional<CallAction> action_named(std::string_view name)
{
    if (name == "call")
        return CallAction::invite;
    if (name == "accept")
        return CallAction::accept;
    if (name == "decline")
        return CallAction::decline;
    if (name == "hangup")
        return CallAction::hangup;
    if (name == "trying" || name == "ringing")
        return CallAction::progress;
    return std::nullopt;
}

}  // namespace

std::optional<CallSignal> parse_call(const Element &message)
{
    if (message.name != "message" || message.attribute("type") == "error")
        return std::nullopt;
    const Element *x = message.child("x", ns::enso);
    const bool enso = x != nullptr;
    if (x == nullptr)
        x = message.child("x", ns::addlive);
    if (x == nullptr || x->children.empty())
        return std::nullopt;
    const Element &what = x->children.front();
    const auto action = action_named(what.name);
    if (!action)
        return std::nullopt;
    CallSignal signal;
    signal.action = *action;
    signal.enso = enso;
    signal.url = std::string(trim(what.child_text("url")));
    signal.reason = std::string(trim(what.child_text("reason")));
    return signal;
}

std::string browser_call_url(std::string_view invite_url)
{
    std::string url(trim(invite_url));
    if (!is_safe_url(url, false))
        return {};
    // hipchat.js sendVideoMessage: data.url.replace('/join/', '/call/'), the
    // first occurrence.
    const std::size_t join = url.find("/join/");
    if (join != std::string::npos)
        url.replace(join, 6, "/call/");
    return url;
}

std::string conference_suffix()
{
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    for (int i = 0; i < 14; ++i)
        out += alphabet[g_random_int_range(0, sizeof alphabet - 1)];
    return out;
}

std::string conference_url(std::string_view web_host, std::uint64_t group_id,
                           std::string_view random)
{
    std::string group = std::to_string(group_id);
    if (group.size() < 6)
        group.insert(0, 6 - group.size(), '0');  // lodash padStart(group, 6, '0')
    return "https://" + std::string(web_host) + "/video/join/" + group + std::string(random);
}

std::string call_invite_body(std::string_view browser_url)
{
    return "I'm calling you using the new HipChat video experience, but you need to update your "
           "HipChat app to see it. You can still join the meeting in your browser: " +
           std::string(browser_url);
}

std::string declined_text(std::string_view reason, std::string_view name)
{
    const char *format = nullptr;
    if (reason == "offline")
        // TRANSLATORS: %s is a person; a video call could not reach them (§19.1).
        format = _("It looks like %s isn't available to accept video calls at the moment.");
    else if (reason == "on_a_call")
        // TRANSLATORS: %s is a person who is already in a video call.
        format = _("%s is currently in another video call.");
    else if (reason == "unsupported")
        // TRANSLATORS: %s is a person whose HipChat client cannot take video calls.
        format = _("%s is using a HipChat client that doesn't support video calls.");
    else
        // TRANSLATORS: %s is a person who declined a video call.
        format = _("%s declined to join the video call.");
    return fill_placeholders(format, {name});
}

}  // namespace hipchat::core
