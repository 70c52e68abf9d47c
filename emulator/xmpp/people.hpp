// HipChat emulator: the people (protocol reference §6): the roster, which is
// the whole team (§6.3), and its pushes; the startup IQ (§6.2); profiles
// (§6.4) and vCards; the users#hash and rooms#hash entity versions (§6.3).
#pragma once

#include "core/element.hpp"
#include "org.hpp"

namespace hipchat::emulator {

class Connection;
class XmppServer;

// The person's version (§6.3 roster `version`, REST v2's `version`): any
// stable string will do.
std::string user_version(const User &user);
// A person's photo URL on the API host (§6.3 photo_url); "" without a photo.
std::string photo_url(const Organisation &org, const User &user);

// The IQ handlers (iq.cpp's table).
void roster_iq(Connection &session, const core::Element &iq, const core::Element &query);
void startup_iq(Connection &session, const core::Element &iq, const core::Element &query);
void profile_iq(Connection &session, const core::Element &iq, const core::Element &query);
void vcard_iq(Connection &session, const core::Element &iq, const core::Element &query);
void entity_hash_iq(Connection &session, const core::Element &iq, const core::Element &query);

// A roster push (§6.3) to everyone connected: `user` added or changed, or
// removed (subscription='remove').
void push_roster(XmppServer &server, const User &user, bool removed);

}  // namespace hipchat::emulator
