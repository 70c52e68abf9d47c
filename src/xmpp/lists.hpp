// A chat's files and links (protocol reference §8.8, §8.5): /files and
// /links ask HipChat with the files and links IQs, as the official web
// client's right-hand panel does (chat_plugin.js getFiles, getLinks), and
// write the answer into the conversation, newest first, with the
// addresses; /download NAME (purple/files.cpp) also finds the files
// /files listed.
#pragma once

#include <conversation.h>

#include <string>
#include <vector>

#include "core/shared.hpp"
#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// Sends the IQ for `conv`'s room or person; "" or why it cannot.
std::string list_files(PurpleConversation *conv);
std::string list_links(PurpleConversation *conv);

// The files the last /files listed in a conversation (the room's JID or
// the person's bare JID), newest first, or nullptr.
const std::vector<core::SharedFile> *listed_files(Session &session,
                                                  const std::string &conversation);

// Where a shared file is fetched from (§8.8): HipChat's authenticated ones
// by id on the API host (file.js getAuthenticatedFileUrl), the old public
// ones as given; "" when neither is a web address.
std::string download_url(Session &session, const core::SharedFile &file);

}  // namespace hipchat::xmpp
