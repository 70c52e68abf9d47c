#include "xmpp/people.hpp"

#include <account.h>
#include <buddyicon.h>
#include <conversation.h>
#include <debug.h>
#include <server.h>
#include <signals.h>
#include <util.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/namespaces.hpp"
#include "core/people.hpp"
#include "core/rooms.hpp"
#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/jabber-api.hpp"
#include "xmpp/router.hpp"
#include "xmpp/session.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

constexpr std::size_t max_avatar_bytes = 1024 * 1024;
constexpr int max_avatars_in_flight = 4;

PeopleState &people(Session &session)
{
    return session.state<PeopleState>();
}

// --- Avatars -------------------------------------------------------------

void fetch_next_avatars(Session &session)
{
    PeopleState &state = people(session);
    while (state.avatars_in_flight < max_avatars_in_flight && !state.avatar_queue.empty()) {
        net::HttpClient *http = session.http();
        if (http == nullptr) {
            state.avatar_queue.clear();
            return;
        }
        auto fetch = std::move(state.avatar_queue.front());
        state.avatar_queue.pop_front();
        ++state.avatars_in_flight;
        http->get(fetch.url, "", max_avatar_bytes,
                  [id = session.id(), fetch](net::HttpResponse response) {
                      Session *s = Session::find(id);
                      if (s == nullptr)
                          return;
                      --people(*s).avatars_in_flight;
                      if (response.status == 200 && response.error.empty() &&
                          g_str_has_prefix(response.content_type.c_str(), "image/") &&
                          !response.body.empty()) {
                          // libpurple takes the data and keeps the URL as the
                          // icon's checksum: an unchanged photo is not fetched
                          // again, even after a restart.
                          purple_buddy_icons_set_for_user(
                              s->account(), fetch.jid.c_str(),
                              g_memdup2(response.body.data(), response.body.size()),
                              response.body.size(), fetch.url.c_str());
                      } else {
                          purple_debug_warning("hipchat", "Photo of %s not used: HTTP %u %s %s\n",
                                               fetch.jid.c_str(), response.status,
                                               response.content_type.c_str(),
                                               response.error.c_str());
                      }
                      fetch_next_avatars(*s);
                  });
    }
}

// `queued`: the JIDs in the session's avatar queue, kept alongside it by the
// caller for a whole roster (searching the queue for each person would be
// quadratic in the team's size).
void want_avatar(Session &session, PurpleBuddy *buddy, const std::string &url,
                 std::unordered_set<std::string> &queued)
{
    if (url.empty())
        return;
    const char *checksum = purple_buddy_icons_get_checksum_for_user(buddy);
    if (checksum != nullptr && url == checksum)
        return;  // the icon we have came from this very URL
    if (!queued.insert(purple_buddy_get_name(buddy)).second)
        return;
    people(session).avatar_queue.push_back({purple_buddy_get_name(buddy), url});
    fetch_next_avatars(session);
}

// --- Finding buddies ---------------------------------------------------------

// The name libpurple's buddy hashes would use for `jid` (jabber_normalize:
// nodeprep and nameprep, the resource dropped), when that is simply the
// lowercased JID: ASCII letters, digits, '.', '-' and '_' in the node, one
// '@', letters, digits, '.' and '-' in the domain, as HipChat's JIDs are
// (§3: "<group>_<user>@chat.hipchat.com"). nullopt for anything else.
std::optional<std::string> plain_jid_key(std::string_view jid)
{
    std::string key(jid);
    bool in_domain = false;
    // Spelled out, not g_ascii_tolower (a call per character): this runs
    // for every person, several times, at every login.
    for (char &c : key) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        else if (c == '@' && !in_domain)
            in_domain = true;
        else if (c != '_' || in_domain)
            return std::nullopt;
    }
    if (!in_domain || key.front() == '@' || key.back() == '@')
        return std::nullopt;
    return key;
}

// This account's buddies, gathered once for a whole roster. purple_find_buddy
// normalises the name through the module's stringprep (libidn) on every call;
// three lookups per person were a quarter of the CPU time of signing in again
// with 1,000 people (docs/PERFORMANCE.md). Plain JIDs (plain_jid_key) are
// answered from the index, exactly as libpurple would; anything else, or an
// account with a buddy whose name is not plain, or a roster push of a few
// people, goes to libpurple.
class BuddyIndex {
public:
    BuddyIndex(PurpleAccount *account, std::size_t lookups) : account_(account)
    {
        if (lookups < min_lookups)
            return;
        indexed_ = true;
        GSList *buddies = purple_find_buddies(account, nullptr);
        for (GSList *l = buddies; l != nullptr && indexed_; l = l->next)
            add(static_cast<PurpleBuddy *>(l->data));
        g_slist_free(buddies);
    }

    PurpleBuddy *find(const std::string &jid) const
    {
        if (indexed_) {
            if (const auto key = plain_jid_key(jid)) {
                const auto it = by_key_.find(*key);
                return it != by_key_.end() ? it->second : nullptr;
            }
        }
        return purple_find_buddy(account_, jid.c_str());
    }

    // A buddy just added to the buddy list.
    void add(PurpleBuddy *buddy)
    {
        if (!indexed_)
            return;
        if (auto key = plain_jid_key(purple_buddy_get_name(buddy))) {
            by_key_.emplace(std::move(*key), buddy);
        } else {
            indexed_ = false;  // a name the index cannot vouch for: libpurple decides
            by_key_.clear();
        }
    }

private:
    // Below this many lookups, building the index costs more than it saves.
    static constexpr std::size_t min_lookups = 32;

    PurpleAccount *account_;
    bool indexed_ = false;
    std::unordered_map<std::string, PurpleBuddy *> by_key_;
};

void set_setting(PurpleBlistNode *node, const char *key, const std::string &value)
{
    // Unchanged on every login after the first: no rewrite, no save.
    if (!purple_strequal(purple_blist_node_get_string(node, key), value.c_str()))
        purple_blist_node_set_string(node, key, value.c_str());
}

// --- Roster ----------------------------------------------------------------

// Adding at the end of a group. libpurple's own calls (purple_blist_add_buddy
// with a group and no contact) walk the group to its last child for every
// buddy they add, quadratic in the team's size: half the CPU time of signing
// in with 10,000 people (docs/PERFORMANCE.md). A roster adds its new people
// one after the other, so the end is found once and carried along.
struct GroupEnd {
    PurpleGroup *group = nullptr;
    PurpleBlistNode *last = nullptr;  // the group's last child; nullptr: empty
};

// The group called `name` (created if missing) and its last child.
GroupEnd group_end(const std::string &name)
{
    GroupEnd end;
    end.group = purple_find_group(name.c_str());
    if (end.group == nullptr) {
        end.group = purple_group_new(name.c_str());
        purple_blist_add_group(end.group, nullptr);
    }
    for (PurpleBlistNode *node = reinterpret_cast<PurpleBlistNode *>(end.group)->child;
         node != nullptr; node = node->next)
        end.last = node;
    return end;
}

// Moves this account's contacts and chats from `from` to the end of the group
// `to`, and removes `from` once empty. purple_blist_rename_group would rename
// the group for every account in it, and builds its lists by appending
// (quadratic again, a third of a second for 10,000 people); inserting each
// node after the one moved before it is constant time. The move goes through
// purple_blist_add_contact/add_chat, so the buddy hashes, the UI and the
// saved buddy list follow.
void move_to_group(PurpleAccount *account, PurpleGroup *from, const std::string &to)
{
    GroupEnd end = group_end(to);
    if (end.group == from)
        return;
    PurpleBlistNode *node = reinterpret_cast<PurpleBlistNode *>(from)->child;
    while (node != nullptr) {
        PurpleBlistNode *next = node->next;
        if (PURPLE_BLIST_NODE_IS_CONTACT(node)) {
            auto *first = reinterpret_cast<PurpleBuddy *>(node->child);
            if (first != nullptr && purple_buddy_get_account(first) == account) {
                purple_blist_add_contact(reinterpret_cast<PurpleContact *>(node), end.group,
                                         end.last);
                end.last = node;
            }
        } else if (PURPLE_BLIST_NODE_IS_CHAT(node)) {
            auto *chat = reinterpret_cast<PurpleChat *>(node);
            if (purple_chat_get_account(chat) == account) {
                purple_blist_add_chat(chat, end.group, end.last);
                end.last = node;
            }
        }
        node = next;
    }
    if (reinterpret_cast<PurpleBlistNode *>(from)->child == nullptr)
        purple_blist_remove_group(from);
}

// After the module has added the buddies: the full name as server alias, the
// HipChat extras as node settings, and the photo.
void apply_roster(Session &session, const std::vector<core::RosterItem> &items)
{
    const BuddyIndex buddies(session.account(), items.size());
    std::unordered_set<std::string> queued;
    for (const auto &fetch : people(session).avatar_queue)
        queued.insert(fetch.jid);
    for (const auto &item : items) {
        if (item.removed)
            continue;
        PurpleBuddy *buddy = buddies.find(item.jid);
        if (buddy == nullptr)
            continue;
        auto *node = reinterpret_cast<PurpleBlistNode *>(buddy);
        set_setting(node, full_name_setting, item.name);
        set_setting(node, mention_name_setting, item.mention_name);
        set_setting(node, email_setting, item.email);
        want_avatar(session, buddy, item.photo_url, queued);
    }
}

// The module sees a person it has no buddy for (one without a name, which
// it adds itself) in the team's group `group`. Everyone else has no group in
// `query`: the module then leaves their buddy where it is (a group of the
// user's own making too; with one, it would move them back into the team's
// at every login) and skips its own checks of each buddy's groups and
// aliases (case-folded comparisons: almost half of what signing in again
// cost above stock; docs/PERFORMANCE.md).
void group_for_the_module(xmlnode *query, const BuddyIndex &buddies, const std::string &group)
{
    for (xmlnode *item = xmlnode_get_child(query, "item"); item != nullptr;
         item = xmlnode_get_next_twin(item)) {
        const char *jid = xmlnode_get_attrib(item, "jid");
        if (jid == nullptr || buddies.find(jid) != nullptr ||
            g_strcmp0(xmlnode_get_attrib(item, "subscription"), "remove") == 0 ||
            xmlnode_get_child(item, "group") != nullptr)
            continue;
        xmlnode_insert_data(xmlnode_new_child(item, "group"), group.c_str(), -1);
    }
}

// A roster (the whole team, or a push of a few people): the module adds and
// updates the buddies after us, so this changes the stanza for it and
// passes it on.
Outcome on_roster(Session &session, Incoming &in)
{
    xmlnode *query = in.payload;
    auto items = core::parse_roster(to_element(query));
    people(session).full_names.clear();  // people may have been renamed
    const std::string group = team_name(session);
    // Full names become server aliases before any presence of these people
    // is processed: bitlbee fixes a buddy's IRC nick (nick_format
    // %full_name) only while the buddy is offline. New people are therefore
    // added here, in the team's group; the module then finds them in place.
    PurpleConnection *gc = session.connection();
    PurpleAccount *account = session.account();
    BuddyIndex buddies(account, items.size());
    GroupEnd team_end;
    // We are in the team's roster too, and go first: the module shows our
    // own buddy online (as it does when the roster names us), so the group
    // has someone online while everyone else is added. Pidgin walks a group
    // with nobody online on every buddy added to it (for offline buddies
    // shown by choice), which with 10,000 people is most of a login's CPU.
    const std::string self = own_bare_jid(session);
    const auto own = std::find_if(items.begin(), items.end(), [&](const auto &i) {
        return g_ascii_strcasecmp(i.jid.c_str(), self.c_str()) == 0;
    });
    if (own != items.end())
        std::rotate(items.begin(), own, own + 1);
    const auto own_first = own != items.end() ? items.begin() + 1 : items.begin();
    for (auto it = items.begin(); it != items.end(); ++it) {
        const auto &item = *it;
        if (it == own_first && own_first != items.begin())
            if (JabberStream *js = stream_of(session))
                jabber_presence_fake_to_self(js, nullptr);
        if (item.removed || item.name.empty())
            continue;
        PurpleBuddy *buddy = buddies.find(item.jid);
        const bool added = buddy == nullptr;
        if (added) {
            if (team_end.group == nullptr)
                team_end = group_end(group);
            // What purple_blist_add_buddy does with a group and no contact,
            // less its walk to the group's last child: a new contact at the
            // end, the buddy in it.
            PurpleContact *contact = purple_contact_new();
            purple_blist_add_contact(contact, team_end.group, team_end.last);
            team_end.last = reinterpret_cast<PurpleBlistNode *>(contact);
            buddy = purple_buddy_new(account, item.jid.c_str(), item.name.c_str());
            purple_blist_add_buddy(buddy, contact, nullptr, nullptr);
            buddies.add(buddy);
        }
        // A new buddy has its full name as the alias it was made with (and as
        // a setting, apply_roster): no server alias on top, which would be a
        // second redraw of the whole group per person in Pidgin (its group
        // header counts the group's buddies on every update;
        // docs/PERFORMANCE.md). An unchanged name (every login after the
        // first) is left alone; a rename goes through serv_got_alias, for
        // every copy of the buddy, and tells an open conversation "X is now
        // known as Y".
        if (added || purple_strequal(full_name(buddy), item.name.c_str()))
            continue;
        serv_got_alias(gc, item.jid.c_str(), item.name.c_str());
        // The roster's name is also the buddy's alias, as the module makes
        // it for a roster name that changed (below, it no longer sees one).
        purple_serv_got_private_alias(gc, item.jid.c_str(), item.name.c_str());
    }
    group_for_the_module(query, buddies, group);
    session.defer(0, [items = std::move(items)](Session &s) { apply_roster(s, items); });
    return Outcome::pass;
}

// The answer to the module's roster request, and only that: an unsolicited
// result (anyone may send one) is the module's to drop.
Outcome on_roster_result(Session &session, Incoming &in)
{
    PeopleState &state = people(session);
    const char *id = xmlnode_get_attrib(in.node, "id");
    if (state.roster_request_id.empty() || g_strcmp0(id, state.roster_request_id.c_str()) != 0) {
        purple_debug_warning("hipchat", "Ignoring a roster result we did not ask for (%s)\n",
                             id != nullptr ? id : "no id");
        return Outcome::pass;
    }
    state.roster_request_id.clear();
    return on_roster(session, in);
}

// The module's roster request: its id tells its answer from a forged one.
void note_roster_request(Session &session, xmlnode *iq)
{
    if (g_strcmp0(xmlnode_get_attrib(iq, "type"), "get") != 0 ||
        xmlnode_get_child_with_namespace(iq, "query", ns::roster) == nullptr)
        return;
    if (const char *id = xmlnode_get_attrib(iq, "id"))
        people(session).roster_request_id = id;
}

}  // namespace

// --- Who we are ------------------------------------------------------------------

std::string team_name(Session &session)
{
    if (!people(session).team_name.empty())
        return people(session).team_name;
    const char *saved = purple_account_get_string(session.account(), team_setting, nullptr);
    return saved != nullptr && *saved ? saved : _("HipChat");
}

const std::string &own_name(Session &session)
{
    return people(session).own_name;
}

const std::string &own_mention_name(Session &session)
{
    return people(session).own_mention_name;
}

std::uint64_t team_id(Session &session)
{
    const PeopleState &state = people(session);
    return state.group_id != 0 ? state.group_id : core::group_id_from_jid(own_jid(session));
}

void adopt_own_names(Session &session, const std::string &name, const std::string &mention_name)
{
    PeopleState &state = people(session);
    state.own_name = name;
    state.own_mention_name = mention_name;
}

void adopt_team(Session &session, const std::string &name, std::uint64_t id)
{
    PeopleState &state = people(session);
    if (id != 0)
        state.group_id = id;
    if (name.empty())
        return;
    const std::string old_group = team_name(session);
    state.team_name = name;
    purple_account_set_string(session.account(), team_setting, name.c_str());
    if (old_group != name) {
        if (PurpleGroup *group = purple_find_group(old_group.c_str()))
            move_to_group(session.account(), group, name);
    }
}

void settle_names(Session &session)
{
    PeopleState &state = people(session);
    state.names_settled = true;
    // Each waiter may queue more work; take the list first.
    auto waiting = std::move(state.waiting_for_names);
    state.waiting_for_names.clear();
    for (auto &work : waiting)
        util::guard("waiting for our names", [&] { work(session); });
}

void when_names_settled(Session &session, std::function<void(Session &)> work)
{
    PeopleState &state = people(session);
    if (state.names_settled)
        work(session);
    else
        state.waiting_for_names.push_back(std::move(work));
}

// --- Others --------------------------------------------------------------------------

std::string full_name_of(Session &session, const std::string &jid)
{
    if (jid.empty())
        return {};
    PeopleState &state = people(session);
    if (const auto known = state.full_names.find(jid); known != state.full_names.end())
        return known->second;
    PurpleBuddy *buddy = purple_find_buddy(session.account(), jid.c_str());
    if (buddy == nullptr)
        return {};
    const std::string full = full_name(buddy);
    state.full_names.emplace(jid, full);
    return full;
}

const char *full_name(PurpleBuddy *buddy)
{
    // Until the roster is applied (a turn after the module added the buddy),
    // the alias the buddy was made with is the roster's name.
    const char *kept =
        purple_blist_node_get_string(reinterpret_cast<PurpleBlistNode *>(buddy), full_name_setting);
    return kept != nullptr && *kept ? kept : purple_buddy_get_alias(buddy);
}

std::string email_of(Session &session, const std::string &jid)
{
    PurpleBuddy *buddy = purple_find_buddy(session.account(), jid.c_str());
    const char *email = buddy != nullptr
                            ? purple_blist_node_get_string(
                                  reinterpret_cast<PurpleBlistNode *>(buddy), email_setting)
                            : nullptr;
    return email != nullptr ? email : "";
}

std::string find_person(PurpleAccount *account, const std::string &who)
{
    std::string wanted = who;
    if (!wanted.empty() && wanted.front() == '@')
        wanted.erase(0, 1);
    if (wanted.find('@') != std::string::npos)
        return core::bare_jid(wanted);
    char *folded = g_utf8_casefold(wanted.c_str(), -1);
    const std::string key = folded;
    g_free(folded);
    auto same = [&key](const char *text) {
        if (text == nullptr)
            return false;
        char *f = g_utf8_casefold(text, -1);
        const bool equal = key == f;
        g_free(f);
        return equal;
    };
    std::string found;
    GSList *buddies = purple_find_buddies(account, nullptr);
    for (GSList *b = buddies; b != nullptr && found.empty(); b = b->next) {
        auto *buddy = static_cast<PurpleBuddy *>(b->data);
        const char *mention = purple_blist_node_get_string(
            reinterpret_cast<PurpleBlistNode *>(buddy), mention_name_setting);
        if (same(full_name(buddy)) || same(purple_buddy_get_alias(buddy)) || same(mention))
            found = purple_buddy_get_name(buddy);
    }
    g_slist_free(buddies);
    return found;
}

namespace {

void add_pair(PurpleNotifyUserInfo *info, const char *label, const std::string &value)
{
    if (!value.empty())
        purple_notify_user_info_add_pair_plaintext(info, label, value.c_str());
}

}  // namespace

void tooltip_text(PurpleBuddy *buddy, PurpleNotifyUserInfo *info, gboolean full)
{
    util::guard("tooltip_text", [&] {
        jabber_tooltip_text(buddy, info, full);
        const char *mention = purple_blist_node_get_string(
            reinterpret_cast<PurpleBlistNode *>(buddy), mention_name_setting);
        if (mention != nullptr && *mention)
            add_pair(info, _("Mention name"), std::string("@") + mention);
    });
}

void get_info(PurpleConnection *gc, const char *who)
{
    util::guard("get_info", [&] {
        Session *session = Session::find(gc);
        // Room occupants by nick ("room/Full Name") and non-HipChat
        // servers: the module's vCard lookup. An occupant's real JID (from
        // get_cb_real_name, rooms are never anonymous, §7.4) is a person.
        if (session == nullptr || who == nullptr ||
            (std::string(who).find('/') != std::string::npos && is_room_jid(*session, who))) {
            jabber_buddy_get_info(gc, who);
            return;
        }
        xmlnode *query = xmlnode_new("query");
        xmlnode_set_namespace(query, ns::profile);
        send_iq(*session, "get", core::bare_jid(who), query,
                [who = std::string(who)](Session &s, const IqReply &reply) {
                    const auto profile = reply.ok && reply.payload()
                                             ? core::parse_profile(*reply.payload())
                                             : std::nullopt;
                    if (!profile) {
                        jabber_buddy_get_info(s.connection(), who.c_str());
                        return;
                    }
                    PurpleNotifyUserInfo *info = purple_notify_user_info_new();
                    add_pair(info, _("Full name"), profile->name);
                    if (!profile->mention_name.empty())
                        add_pair(info, _("Mention name"), "@" + profile->mention_name);
                    add_pair(info, _("E-mail"), profile->email);
                    add_pair(info, _("Title"), profile->title);
                    add_pair(info, _("Time zone"), profile->timezone);
                    if (profile->utc_offset)
                        add_pair(info, _("Local time"),
                                 core::local_time_text(std::time(nullptr), *profile->utc_offset));
                    add_pair(
                        info, _("Photo"),
                        profile->photo_large.empty() ? profile->photo_small : profile->photo_large);
                    purple_notify_userinfo(s.connection(), who.c_str(), info, nullptr, nullptr);
                    purple_notify_user_info_destroy(info);
                });
    });
}

void register_people_routes()
{
    // §6.3: the team's roster, and the server's pushes when people join,
    // change or leave. Pushes from anyone else change nothing (a colleague
    // can send IQs to our full JID).
    add_route({"iq", ns::roster, "result", Precedence::pushes, Trust::server, "roster",
               on_roster_result});
    add_route(
        {"iq", ns::roster, "set", Precedence::pushes, Trust::server, "roster push", on_roster});
    add_outgoing("iq", note_roster_request);
}

}  // namespace hipchat::xmpp
