// People (protocol reference §6, §10): the roster's HipChat extras on buddies,
// the team as the buddy-list group, the startup IQ, Get Info from the profile
// IQ, mention names in tooltips, and buddy icons from photo_url.
#pragma once

#include <blist.h>
#include <connection.h>
#include <notify.h>
#include <plugin.h>

#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// Blist node settings on each buddy (user-visible through plugins and bitlbee).
inline constexpr const char *mention_name_setting = "mention_name";
inline constexpr const char *email_setting = "email";
// Account setting: the team's name from the last startup, so the first
// roster of a login lands in the right group before startup answers.
inline constexpr const char *team_setting = "team_name";

void tooltip_text(PurpleBuddy *buddy, PurpleNotifyUserInfo *info, gboolean full);
void get_info(PurpleConnection *gc, const char *who);

// Asks for our own full name, mention name, team and autojoin list (§6.2),
// falling back to the profile IQ; at sign-on.
void request_startup(Session &session);

void connect_people_signals(PurplePlugin *plugin);

}  // namespace hipchat::xmpp
