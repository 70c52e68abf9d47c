// People (protocol reference §6, §10): the roster's HipChat extras on buddies,
// the team as the buddy-list group, who we are (our full name, which rooms
// need as nick, and mention name), Get Info from the profile IQ, mention
// names in tooltips, and buddy icons from photo_url.
#pragma once

#include <account.h>
#include <blist.h>
#include <connection.h>
#include <notify.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "xmpp/session.hpp"

namespace hipchat::xmpp {

// Blist node settings on each buddy (user-visible through plugins and bitlbee).
inline constexpr const char *mention_name_setting = "mention_name";
inline constexpr const char *email_setting = "email";
inline constexpr const char *full_name_setting = "full_name";
// Account setting: the team's name from the last startup, so the first
// roster of a login lands in the right group before startup answers.
inline constexpr const char *team_setting = "team_name";

// What people.cpp keeps for a connection (Session::state<PeopleState>()).
struct PeopleState {
    // Who we are, from startup or the profile (§6.2, §6.4).
    std::string own_name;  // full name: our nick in rooms
    std::string own_mention_name;
    std::string team_name;
    std::uint64_t group_id = 0;  // the team's id, for guessing room JIDs (§3)
    // Startup (or the profile after it) has answered, or failed: our names
    // are as known as they will be. Joins wait for this (rooms need the
    // full name as nick, §1).
    bool names_settled = false;
    std::vector<std::function<void(Session &)>> waiting_for_names;

    // People's names by bare JID, as shown (purple_find_buddy runs
    // stringprep on every call); forgotten when a roster arrives.
    std::map<std::string, std::string> full_names;
    // The module's roster request: only its answer is a roster (§6.3).
    std::string roster_request_id;

    struct AvatarFetch {
        std::string jid, url;
    };
    std::deque<AvatarFetch> avatar_queue;
    int avatars_in_flight = 0;
};

// --- Who we are ----------------------------------------------------------------

const std::string &own_name(Session &session);
// The team's name (HipChat rosters have no groups, §6.3: the buddy list
// group everyone goes into), or the last one known, or "HipChat".
std::string team_name(Session &session);
const std::string &own_mention_name(Session &session);
// The team's group id: from startup, else from our JID (§3); 0 when unknown.
std::uint64_t team_id(Session &session);
// Our names as startup or the profile gave them (empty: unknown).
void adopt_own_names(Session &session, const std::string &name, const std::string &mention_name);
// The team's name (the buddy list group, moved there when it changes) and id.
void adopt_team(Session &session, const std::string &name, std::uint64_t id);
// Our names are as known as they will be: runs the work waiting for them.
void settle_names(Session &session);
// Runs `work` once our names are settled (at once if they are).
void when_names_settled(Session &session, std::function<void(Session &)> work);

// --- Others ------------------------------------------------------------------------

// A person's full name (the roster's name, kept on the buddy), or "".
std::string full_name_of(Session &session, const std::string &bare_jid);
const char *full_name(PurpleBuddy *buddy);
// A person's e-mail address from the roster, or "".
std::string email_of(Session &session, const std::string &bare_jid);
// The JID of a person of the team named by JID, full name or @mention name,
// or "".
std::string find_person(PurpleAccount *account, const std::string &who);

// --- prpl operations ---------------------------------------------------------------

void tooltip_text(PurpleBuddy *buddy, PurpleNotifyUserInfo *info, gboolean full);
void get_info(PurpleConnection *gc, const char *who);

// The roster routes (results of the module's request, pushes from the
// server) and the hook that notes the module's roster request.
void register_people_routes();

}  // namespace hipchat::xmpp
