#include "large-team.hpp"

#include "core/read-state.hpp"
#include "core/text.hpp"

#include <glib.h>

#include <algorithm>
#include <cstdio>

namespace hipchat::emulator {

namespace {

// SplitMix64: a fixed, portable sequence, so a generated team is the same on
// every run and every machine (std::uniform_int_distribution is not).
struct Sequence {
    std::uint64_t state;
    std::uint64_t next()
    {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

template <std::size_t N>
const char *pick(const char *const (&list)[N], std::size_t i)
{
    return list[i % N];
}

// The official web client's slug rule (§3, createRoomJid) for the ASCII names
// generated here: lowercase, letters, digits and hyphens kept, spaces to '_'.
std::string slug_of(const std::string &name)
{
    std::string slug;
    for (char c : core::ascii_lower(name))
        if (g_ascii_isalnum(c) || c == '-')
            slug += c;
        else if (c == ' ')
            slug += '_';
    return slug;
}

// A UUID-shaped mid (§8.2) that is the same on every run.
std::string generated_mid(Sequence &sequence)
{
    const std::uint64_t a = sequence.next(), b = sequence.next();
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-a%03x-%012llx", static_cast<unsigned>(a >> 32),
                  static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                  static_cast<unsigned>((b >> 48) & 0xfff),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return buf;
}

const char *const first_names[] = {"Ada",  "Ben",   "Cleo",   "Dan",   "Eva",  "Femi",  "Gus",
                                   "Hana", "Ira",   "Jon",    "Kai",   "Lena", "Mateo", "Nora",
                                   "Omar", "Priya", "Quinn",  "Rosa",  "Sven", "Tariq", "Uma",
                                   "Vera", "Wei",   "Ximena", "Yusuf", "Zoe"};
const char *const last_names[] = {"Adams",   "Baker",  "Chen",   "Diaz",   "Evans",  "Fischer",
                                  "Garcia",  "Hill",   "Ito",    "Jones",  "Khan",   "Lopez",
                                  "Moreau",  "Novak",  "Okafor", "Petrov", "Quist",  "Rossi",
                                  "Schmidt", "Tanaka", "Umar",   "Varga",  "Wright", "Yilmaz"};
const char *const titles[] = {
    "Engineer",    "Designer",     "Product manager",  "Support agent",   "SRE",
    "QA engineer", "Data analyst", "Engineering lead", "Technical writer"};
struct Zone {
    const char *name;
    double offset;
};
const Zone zones[] = {
    {"UTC", 0.0},          {"Europe/Berlin", 1.0},        {"America/New_York", -5.0},
    {"Asia/Kolkata", 5.5}, {"America/Los_Angeles", -8.0}, {"Asia/Tokyo", 9.0}};
const char *const areas[] = {
    "Payments", "Search",    "Mobile",   "Billing",   "Platform", "Growth",     "Security",
    "Data",     "Identity",  "Checkout", "Infra",     "Web",      "Android",    "iOS",
    "Support",  "Marketing", "Sales",    "Legal",     "Finance",  "Design",     "Docs",
    "QA",       "Release",   "Ops",      "Analytics", "Partners", "Onboarding", "Storage",
    "Network",  "Desktop",   "API",      "Edge",      "Ads",      "Maps",       "Video",
    "Chat",     "Email",     "Calendar", "Reports",   "Pricing"};
const char *const kinds[] = {"Team",     "Standup",  "Dev",     "Alerts", "Oncall",
                             "Releases", "Planning", "Reviews", "Lounge", "Incidents",
                             "Guild",    "Triage",   "Demos",   "Help",   "Launch",
                             "Roadmap",  "Retro",    "Bugs",    "Builds", "Social"};
const char *const topics[] = {"Standup at 9:30, notes in the wiki",
                              "Ship it",
                              "Release train leaves on Thursdays",
                              "Ask us anything",
                              "Pager rotation in the channel header",
                              "Weekly sync on Mondays",
                              "Be kind, be brief",
                              "",
                              "Incidents first, chatter second",
                              "Q3 goals: see the doc"};
const char *const lines[] = {"Morning! Anything blocking?",
                             "The deploy is done, please have a look.",
                             "I'll take the next ticket in the queue.",
                             "Can someone review my pull request?",
                             "Lunch in ten minutes, who's in?",
                             "The flaky test is fixed on main.",
                             "Standup notes are in the wiki.",
                             "Heads up: staging restarts at noon.",
                             "Thanks, that did the trick!",
                             "Let's move this to a call.",
                             "The dashboard looks good after the change.",
                             "I pushed a fix, waiting for CI.",
                             "Who owns the billing alerts?",
                             "Release notes are ready for review.",
                             "Back in an hour.",
                             "Numbers are up 3% this week."};

constexpr std::int64_t now = 1764000000;  // "now" for the generated team (2025-11-24)

void add_people(Organisation &org, std::size_t people)
{
    for (std::size_t i = 1; i <= people; ++i) {
        User u;
        u.id = i;
        const std::string n = std::to_string(i);
        u.email = "person" + n + "@example.com";
        u.password = "password" + n;
        u.tokens = {"token" + n};
        // The number keeps full names unique: they are the MUC nicks (§1).
        const std::string first = pick(first_names, i), last = pick(last_names, i / 26);
        u.name = first + " " + last + " " + n;
        u.mention_name = first + last + n;
        u.title = pick(titles, i * 7);
        const Zone &zone = zones[i % G_N_ELEMENTS(zones)];
        u.timezone = zone.name;
        u.utc_offset = zone.offset;
        u.mobile = i % 7 == 0 ? "iphone" : i % 11 == 0 ? "android" : "";
        u.is_admin = i == 1;  // the team's creator
        org.users.push_back(std::move(u));
    }
}

// A fifth of the rooms private (§7.1): the owner and a few members; person1,
// the benchmarks' login, in one private room out of ten.
void add_members(Room &r, std::size_t j, std::size_t people, Sequence &sequence)
{
    r.privacy = "private";
    r.members.push_back(r.owner);
    for (std::size_t m = 0, count = 2 + sequence.below(7); m < count; ++m) {
        const std::uint64_t id = sequence.below(people) + 1;
        if (std::find(r.members.begin(), r.members.end(), id) == r.members.end())
            r.members.push_back(id);
    }
    if (j % 50 == 5 && std::find(r.members.begin(), r.members.end(), 1) == r.members.end())
        r.members.push_back(1);
}

void add_rooms(Organisation &org, const LargeTeam &size, Sequence &sequence)
{
    const std::size_t names = G_N_ELEMENTS(areas) * G_N_ELEMENTS(kinds);
    for (std::size_t j = 1; j <= size.rooms; ++j) {
        Room r;
        r.id = j;
        const std::size_t k = j - 1;
        r.name = std::string(pick(areas, k)) + " " + pick(kinds, k / G_N_ELEMENTS(areas));
        if (k >= names)
            r.name += " " + std::to_string(k / names + 1);
        r.slug = slug_of(r.name);
        r.topic = pick(topics, j * 3);
        r.owner = sequence.below(size.people) + 1;
        if (j % 5 == 0)
            add_members(r, j, size.people, sequence);
        r.archived = j % 37 == 0;  // public and private ones
        if (j % 97 == 0)
            r.guest_url = "https://www.hipchat.com/g" + std::to_string(100000 + j);
        r.last_active = now - static_cast<std::int64_t>(j) * 600 - (r.archived ? 86400 * 400 : 0);
        char version[16];
        std::snprintf(version, sizeof version, "%08llX",
                      static_cast<unsigned long long>(sequence.next() & 0xffffffffULL));
        r.version = version;
        org.rooms.push_back(std::move(r));
    }
}

// Message `k` of the history in `room`: every 50th a build notification
// (§8.4, HTML), else a line from a member (anyone, for public rooms), one in
// 13 mentioning someone (§8.6).
HistoryMessage generated_message(const Organisation &org, const Room &room, std::size_t k,
                                 std::size_t &build, Sequence &sequence)
{
    HistoryMessage m;
    m.mid = generated_mid(sequence);
    if (k % 50 == 49) {
        const bool passed = sequence.below(4) != 0;
        m.from_name = "Jenkins";
        m.notification_type = "notification";
        m.message_format = "html";
        m.color = passed ? "green" : "red";
        m.notify = !passed;
        m.body = "<b>" + room.name + " #" + std::to_string(++build) + "</b> " +
                 (passed ? "passed" : "failed");
        return m;
    }
    // Generated ids are positions + 1: no search through a large team.
    const User *from = &org.users[sequence.below(org.users.size())];
    if (room.privacy == "private")
        from = &org.users[room.members[sequence.below(room.members.size())] - 1];
    m.from_jid = org.user_jid(*from);
    m.from_name = from->name;
    m.body = pick(lines, static_cast<std::size_t>(sequence.next() >> 8));
    if (k % 13 == 0) {
        const User &other = org.users[sequence.below(org.users.size())];
        m.body = "@" + other.mention_name + " " + m.body;
    }
    return m;
}

// Message k is older than k+1, so every room's list stays oldest first;
// busier rooms first (the room index is a squared uniform draw). Archived
// rooms were archived long before (last_active) and get none.
void add_history(Organisation &org, std::size_t history, Sequence &sequence)
{
    constexpr double spacing = 45.0;
    const double start = static_cast<double>(now) - spacing * static_cast<double>(history);
    std::size_t build = 1000;
    for (std::size_t k = 0; k < history; ++k) {
        const double u = static_cast<double>(sequence.next() >> 11) / 9007199254740992.0;
        std::size_t index =
            std::min(org.rooms.size() - 1, static_cast<std::size_t>(u * u * org.rooms.size()));
        if (org.rooms[index].archived)
            index = (index + 1) % org.rooms.size();  // never archived: j % 37 == 0 only
        Room &room = org.rooms[index];
        HistoryMessage m = generated_message(org, room, k, build, sequence);
        m.ts = start + spacing * static_cast<double>(k) + static_cast<double>(k % 1000) / 1000.0;
        room.last_active = std::max(room.last_active, static_cast<std::int64_t>(m.ts));
        room.history.push_back(std::move(m));
    }
}

// person1 (the benchmarks' login) keeps `count` rooms open: the first rooms
// with two messages or more that they may see, in order, each read up to
// its last one to ten messages (§6.2 autoJoin, §19.4 read state).
// Everyone's auto-join list (§6.2): the busiest public rooms, which come
// first (a benchmark team's people all start in the same rooms).
void add_auto_join(Organisation &org, std::size_t count)
{
    std::vector<std::string> auto_join;
    for (const Room &r : org.rooms) {
        if (auto_join.size() >= count)
            break;
        if (r.privacy == "public" && !r.archived)
            auto_join.push_back(org.room_jid(r));
    }
    for (User &u : org.users)
        u.auto_join = auto_join;
}

void add_unread(Organisation &org, std::size_t count)
{
    User &person1 = org.users.front();
    std::size_t added = 0;
    for (const Room &room : org.rooms) {
        if (added == count)
            break;
        const bool visible =
            room.privacy != "private" || room.owner == person1.id ||
            std::find(room.members.begin(), room.members.end(), person1.id) != room.members.end();
        if (!visible || room.archived || room.history.size() < 2)
            continue;
        const std::size_t unread = std::min<std::size_t>(1 + room.id % 10, room.history.size() - 1);
        const HistoryMessage &read = room.history[room.history.size() - 1 - unread];
        const std::string jid = org.room_jid(room);
        if (std::find(person1.auto_join.begin(), person1.auto_join.end(), jid) ==
            person1.auto_join.end())
            person1.auto_join.push_back(jid);
        ++added;
        person1.read_marks[jid] =
            ReadMark{read.mid, core::read_state_timestamp("", read.ts), read.ts};
    }
}

}  // namespace

Organisation generate_organisation(const LargeTeam &size)
{
    Organisation org;
    org.group_id = 10804;
    org.group_name = "Large Team";
    org.group_uri_domain = "large.hipchat.com";
    org.emoticons_ver = "1";
    add_people(org, size.people);
    if (size.people == 0)
        return org;
    Sequence sequence{0x48495043484154ULL};  // fixed seed: the same team on every run
    add_rooms(org, size, sequence);
    if (!org.rooms.empty())
        add_history(org, size.history, sequence);
    add_auto_join(org, size.auto_join);
    add_unread(org, size.unread_rooms);
    return org;
}

}  // namespace hipchat::emulator
