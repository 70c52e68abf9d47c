// HipChat emoticons (protocol reference §12): the list is asked for after
// login with the `ver` we saved (so an unchanged list costs one empty
// reply), kept current by pushes, and saved with the images in the purple
// user directory. In Pidgin a message's `(shortcut)`s become the team's
// images (custom smileys); Finch and bitlbee keep the text.
#pragma once

#include <conversation.h>
#include <plugin.h>

#include <map>
#include <string>
#include <vector>

#include "core/emoticons.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// What emoticons.cpp keeps for a connection (Session::state<EmoticonsState>()):
// the team's list, and the conversations waiting for an image being
// downloaded, by shortcut.
struct EmoticonsState {
    core::EmoticonList list;
    std::string dir;  // where the list and images are kept (made on first use)
    struct Waiter {
        PurpleConversationType type;
        std::string conversation;
        std::string smile;  // "(shortcut)"
    };
    std::map<std::string, std::vector<Waiter>> fetches;
};

// After login: loads the saved list and asks the server whether it changed.
void request_emoticons(Session &session);

// Before `text` is written to `conv`: offers the UI the images of the
// emoticons it names, downloading the ones not on disk yet.
void prepare_emoticons(Session &session, PurpleConversation *conv, const std::string &text);

// The server's emoticon pushes (router.hpp, Trust::server).
void register_emoticon_routes();

}  // namespace hipchat::xmpp
