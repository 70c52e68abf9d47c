// HipChat emulator: what a chat shares (protocol reference §8.8, §8.5): the
// files IQ answers from the files shared over the API host
// (rest-server.cpp records them here), the links IQ from the links in the
// chat's messages. Both are sent to the chat's JID, a room's or a person's,
// as the official web client does (core/xmpp/plugins/chat_plugin.js
// getFiles, getLinks).
#pragma once

#include <string>

#include "core/element.hpp"
#include "org.hpp"
#include "server.hpp"

namespace hipchat::emulator {

class Connection;

// The chat of two people: their bare JIDs in order, space separated.
std::string chat_key(const std::string &a_jid, const std::string &b_jid);

// `file` (its id, name, description, size, user and date set) shared in
// `room`, or between its sharer and `person`.
void record_shared_file(XmppServer &server, const Room *room, const User *person,
                        SharedFileRecord file);

// §8.8's <authenticated_file> for `file`, in the file namespace when
// `with_xmlns` (in a message; inside the files IQ's query it has none).
std::string authenticated_file_xml(const Organisation &org, const SharedFileRecord &file,
                                   bool with_xmlns);

// <query xmlns='http://hipchat.com/protocol/files' limit='50' [before|after]>
// to a room or a person: the chat's files, newest first.
void files_iq(Connection &session, const core::Element &iq, const core::Element &query);
// <query xmlns='http://hipchat.com/protocol/links' limit [before|after]>:
// the http(s) links said in the chat, newest first.
void links_iq(Connection &session, const core::Element &iq, const core::Element &query);

}  // namespace hipchat::emulator
