#include "org.hpp"

#include "core/text.hpp"

#include <json-glib/json-glib.h>

#include <algorithm>
#include <cstdio>

namespace hipchat::emulator {

namespace {

std::string string_member(JsonObject *object, const char *name, const char *fallback = "")
{
    if (!json_object_has_member(object, name))
        return fallback;
    JsonNode *node = json_object_get_member(object, name);
    if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING)
        return json_node_get_string(node);
    return fallback;
}

std::vector<std::string> strings_member(JsonObject *object, const char *name)
{
    std::vector<std::string> result;
    if (!json_object_has_member(object, name))
        return result;
    JsonNode *node = json_object_get_member(object, name);
    if (!JSON_NODE_HOLDS_ARRAY(node))
        return result;
    JsonArray *array = json_node_get_array(node);
    for (guint i = 0; i < json_array_get_length(array); ++i) {
        JsonNode *item = json_array_get_element(array, i);
        if (JSON_NODE_HOLDS_VALUE(item) && json_node_get_value_type(item) == G_TYPE_STRING)
            result.emplace_back(json_node_get_string(item));
    }
    return result;
}

std::int64_t int_member(JsonObject *object, const char *name, std::int64_t fallback = 0)
{
    if (!json_object_has_member(object, name))
        return fallback;
    JsonNode *node = json_object_get_member(object, name);
    return JSON_NODE_HOLDS_VALUE(node) ? json_node_get_int(node) : fallback;
}

bool bool_member(JsonObject *object, const char *name)
{
    if (!json_object_has_member(object, name))
        return false;
    JsonNode *node = json_object_get_member(object, name);
    return JSON_NODE_HOLDS_VALUE(node) && json_node_get_boolean(node);
}

double double_member(JsonObject *object, const char *name)
{
    if (!json_object_has_member(object, name))
        return 0;
    JsonNode *node = json_object_get_member(object, name);
    return JSON_NODE_HOLDS_VALUE(node) ? json_node_get_double(node) : 0;
}

// Each element of the array member `name` that is an object.
std::vector<JsonObject *> objects_member(JsonObject *object, const char *name)
{
    std::vector<JsonObject *> result;
    if (!json_object_has_member(object, name))
        return result;
    JsonNode *node = json_object_get_member(object, name);
    if (!JSON_NODE_HOLDS_ARRAY(node))
        return result;
    JsonArray *array = json_node_get_array(node);
    for (guint i = 0; i < json_array_get_length(array); ++i) {
        JsonNode *item = json_array_get_element(array, i);
        if (JSON_NODE_HOLDS_OBJECT(item))
            result.push_back(json_node_get_object(item));
    }
    return result;
}

HistoryMessage read_message(JsonObject *object)
{
    HistoryMessage m;
    m.mid = string_member(object, "mid");
    m.ts = double_member(object, "ts");
    m.from_jid = string_member(object, "from_jid");
    m.from_name = string_member(object, "from_name");
    m.body = string_member(object, "body");
    m.notification_type = string_member(object, "notification_type");
    m.color = string_member(object, "color");
    m.message_format = string_member(object, "message_format");
    m.notify = bool_member(object, "notify");
    m.card = string_member(object, "card");
    if (json_object_has_member(object, "notification_sender")) {
        JsonNode *node = json_object_get_member(object, "notification_sender");
        if (JSON_NODE_HOLDS_OBJECT(node)) {
            m.sender_type = string_member(json_node_get_object(node), "type");
            m.sender_id = string_member(json_node_get_object(node), "id");
        }
    }
    return m;
}

}  // namespace

std::string Organisation::user_jid(const User &u) const
{
    return std::to_string(group_id) + "_" + std::to_string(u.id) + "@" + hosts.chat_host;
}

std::string Organisation::room_jid(const Room &r) const
{
    return std::to_string(group_id) + "_" + r.slug + "@" + hosts.muc_host;
}

namespace {

// The first element matching `match`, or nullptr.
template <typename Items, typename Match>
auto first(Items &items, Match match) -> typename Items::value_type *
{
    const auto it = std::find_if(items.begin(), items.end(), match);
    return it == items.end() ? nullptr : &*it;
}

}  // namespace

User *Organisation::find_user_by_email(std::string_view email)
{
    const std::string wanted = core::ascii_lower(email);
    return first(users, [&](const User &u) { return core::ascii_lower(u.email) == wanted; });
}

User *Organisation::find_user_by_id(std::uint64_t id)
{
    return first(users, [&](const User &u) { return u.id == id; });
}

namespace {

// Every user JID is "<group>_<id>@<chat host>" and every room JID
// "<group>_<slug>@<muc host>" (§3): the node after the group prefix, or
// nullopt when `jid` has another shape. Saves building every JID of a large
// team on each lookup.
std::optional<std::string> node_after_group(std::string_view jid, std::uint64_t group_id,
                                            const std::string &host)
{
    const std::string wanted = core::bare_jid(jid);
    const std::string prefix = std::to_string(group_id) + "_", suffix = "@" + host;
    if (wanted.size() <= prefix.size() + suffix.size() || wanted.rfind(prefix, 0) != 0 ||
        wanted.compare(wanted.size() - suffix.size(), suffix.size(), suffix) != 0)
        return std::nullopt;
    return wanted.substr(prefix.size(), wanted.size() - prefix.size() - suffix.size());
}

}  // namespace

User *Organisation::find_user_by_jid(std::string_view jid)
{
    const auto node = node_after_group(jid, group_id, hosts.chat_host);
    if (!node || node->find_first_not_of("0123456789") != std::string::npos || node->size() > 19)
        return nullptr;
    User *user = find_user_by_id(std::stoull(*node));
    return user != nullptr && user_jid(*user) == core::bare_jid(jid) ? user : nullptr;
}

User *Organisation::find_user_by_token(std::string_view token)
{
    return first(users, [&](const User &u) {
        return !token.empty() &&
               std::find(u.tokens.begin(), u.tokens.end(), token) != u.tokens.end();
    });
}

Room *Organisation::find_room_by_jid(std::string_view jid)
{
    const auto slug = node_after_group(jid, group_id, hosts.muc_host);
    return slug ? first(rooms, [&](const Room &r) { return r.slug == *slug; }) : nullptr;
}

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

}  // namespace

Organisation generate_organisation(const LargeTeam &size)
{
    static const char *const first_names[] = {
        "Ada",  "Ben",   "Cleo", "Dan",   "Eva",  "Femi",   "Gus",   "Hana",  "Ira",
        "Jon",  "Kai",   "Lena", "Mateo", "Nora", "Omar",   "Priya", "Quinn", "Rosa",
        "Sven", "Tariq", "Uma",  "Vera",  "Wei",  "Ximena", "Yusuf", "Zoe"};
    static const char *const last_names[] = {
        "Adams", "Baker", "Chen",    "Diaz",   "Evans",  "Fischer", "Garcia", "Hill",
        "Ito",   "Jones", "Khan",    "Lopez",  "Moreau", "Novak",   "Okafor", "Petrov",
        "Quist", "Rossi", "Schmidt", "Tanaka", "Umar",   "Varga",   "Wright", "Yilmaz"};
    static const char *const titles[] = {
        "Engineer",    "Designer",     "Product manager",  "Support agent",   "SRE",
        "QA engineer", "Data analyst", "Engineering lead", "Technical writer"};
    struct Zone {
        const char *name;
        double offset;
    };
    static const Zone zones[] = {
        {"UTC", 0.0},          {"Europe/Berlin", 1.0},        {"America/New_York", -5.0},
        {"Asia/Kolkata", 5.5}, {"America/Los_Angeles", -8.0}, {"Asia/Tokyo", 9.0}};
    static const char *const areas[] = {
        "Payments", "Search",    "Mobile",   "Billing",   "Platform", "Growth",     "Security",
        "Data",     "Identity",  "Checkout", "Infra",     "Web",      "Android",    "iOS",
        "Support",  "Marketing", "Sales",    "Legal",     "Finance",  "Design",     "Docs",
        "QA",       "Release",   "Ops",      "Analytics", "Partners", "Onboarding", "Storage",
        "Network",  "Desktop",   "API",      "Edge",      "Ads",      "Maps",       "Video",
        "Chat",     "Email",     "Calendar", "Reports",   "Pricing"};
    static const char *const kinds[] = {"Team",     "Standup",  "Dev",     "Alerts", "Oncall",
                                        "Releases", "Planning", "Reviews", "Lounge", "Incidents",
                                        "Guild",    "Triage",   "Demos",   "Help",   "Launch",
                                        "Roadmap",  "Retro",    "Bugs",    "Builds", "Social"};
    static const char *const topics[] = {"Standup at 9:30, notes in the wiki",
                                         "Ship it",
                                         "Release train leaves on Thursdays",
                                         "Ask us anything",
                                         "Pager rotation in the channel header",
                                         "Weekly sync on Mondays",
                                         "Be kind, be brief",
                                         "",
                                         "Incidents first, chatter second",
                                         "Q3 goals: see the doc"};
    static const char *const lines[] = {"Morning! Anything blocking?",
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

    Organisation org;
    org.group_id = 10804;
    org.group_name = "Large Team";
    org.group_uri_domain = "large.hipchat.com";
    org.emoticons_ver = "1";
    for (std::size_t i = 1; i <= size.people; ++i) {
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
    if (size.people == 0)
        return org;

    Sequence sequence{0x48495043484154ULL};   // fixed seed: the same team on every run
    constexpr std::int64_t now = 1764000000;  // "now" for the generated team (2025-11-24)
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
        if (j % 5 == 0) {
            // A fifth private (§7.1): the owner and a few members; person1, the
            // benchmarks' login, in one private room out of ten.
            r.privacy = "private";
            r.members.push_back(r.owner);
            for (std::size_t m = 0, count = 2 + sequence.below(7); m < count; ++m) {
                const std::uint64_t id = sequence.below(size.people) + 1;
                if (std::find(r.members.begin(), r.members.end(), id) == r.members.end())
                    r.members.push_back(id);
            }
            if (j % 50 == 5 && std::find(r.members.begin(), r.members.end(), 1) == r.members.end())
                r.members.push_back(1);
        }
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

    // History: message k is older than k+1, so every room's list stays oldest
    // first; busier rooms first (the room index is a squared uniform draw).
    // Archived rooms were archived long before (last_active) and get none.
    if (org.rooms.empty())
        return org;
    constexpr double spacing = 45.0;
    const double start = static_cast<double>(now) - spacing * static_cast<double>(size.history);
    std::size_t build = 1000;
    for (std::size_t k = 0; k < size.history; ++k) {
        const double u = static_cast<double>(sequence.next() >> 11) / 9007199254740992.0;
        std::size_t index =
            std::min(org.rooms.size() - 1, static_cast<std::size_t>(u * u * org.rooms.size()));
        if (org.rooms[index].archived)
            index = (index + 1) % org.rooms.size();  // never archived: j % 37 == 0 only
        Room &room = org.rooms[index];
        HistoryMessage m;
        m.mid = generated_mid(sequence);
        m.ts = start + spacing * static_cast<double>(k) + static_cast<double>(k % 1000) / 1000.0;
        if (k % 50 == 49) {
            // §8.4: a build notification, HTML.
            const bool passed = sequence.below(4) != 0;
            m.from_name = "Jenkins";
            m.notification_type = "notification";
            m.message_format = "html";
            m.color = passed ? "green" : "red";
            m.notify = !passed;
            m.body = "<b>" + room.name + " #" + std::to_string(++build) + "</b> " +
                     (passed ? "passed" : "failed");
        } else {
            // Generated ids are positions + 1: no search through a large team.
            const User *from = &org.users[sequence.below(org.users.size())];
            if (room.privacy == "private")
                from = &org.users[room.members[sequence.below(room.members.size())] - 1];
            m.from_jid = org.user_jid(*from);
            m.from_name = from->name;
            m.body = pick(lines, static_cast<std::size_t>(sequence.next() >> 8));
            if (k % 13 == 0) {
                // §8.6: a mention of someone else in the team.
                const User &other = org.users[sequence.below(org.users.size())];
                m.body = "@" + other.mention_name + " " + m.body;
            }
        }
        room.last_active = std::max(room.last_active, static_cast<std::int64_t>(m.ts));
        room.history.push_back(std::move(m));
    }
    return org;
}

std::optional<Organisation> load_organisation(const std::string &path, std::string &error)
{
    JsonParser *parser = json_parser_new();
    GError *gerror = nullptr;
    if (!json_parser_load_from_file(parser, path.c_str(), &gerror)) {
        error = path + ": " + (gerror != nullptr ? gerror->message : "cannot read");
        g_clear_error(&gerror);
        g_object_unref(parser);
        return std::nullopt;
    }
    JsonNode *root = json_parser_get_root(parser);
    if (root == nullptr || !JSON_NODE_HOLDS_OBJECT(root)) {
        error = path + ": the top level must be an object";
        g_object_unref(parser);
        return std::nullopt;
    }
    JsonObject *top = json_node_get_object(root);
    Organisation org;
    org.group_id = static_cast<std::uint64_t>(int_member(top, "group_id", 1));
    org.group_name = string_member(top, "group_name", "Example Inc");
    org.group_uri_domain = string_member(top, "group_uri_domain");
    org.emoticons_ver = string_member(top, "emoticons_ver", "1");
    gchar *dir = g_path_get_dirname(path.c_str());
    org.data_dir = dir;
    g_free(dir);

    for (JsonObject *o : objects_member(top, "users")) {
        User u;
        u.id = static_cast<std::uint64_t>(int_member(o, "id"));
        u.email = string_member(o, "email");
        u.password = string_member(o, "password");
        u.tokens = strings_member(o, "tokens");
        u.name = string_member(o, "name");
        u.mention_name = string_member(o, "mention_name");
        u.title = string_member(o, "title");
        u.timezone = string_member(o, "timezone", "UTC");
        u.utc_offset = double_member(o, "utc_offset");
        u.photo = string_member(o, "photo");
        u.mobile = string_member(o, "mobile");
        u.is_admin = bool_member(o, "is_admin");
        u.auto_join = strings_member(o, "auto_join");
        if (u.id == 0 || u.email.empty() || u.name.empty()) {
            error = path + ": every user needs a non-zero id, an email and a name";
            g_object_unref(parser);
            return std::nullopt;
        }
        org.users.push_back(std::move(u));
    }
    for (JsonObject *o : objects_member(top, "rooms")) {
        Room r;
        r.id = static_cast<std::uint64_t>(int_member(o, "id"));
        r.slug = string_member(o, "slug");
        r.name = string_member(o, "name");
        r.topic = string_member(o, "topic");
        r.privacy = string_member(o, "privacy", "public");
        r.owner = static_cast<std::uint64_t>(int_member(o, "owner"));
        for (JsonObject *m : objects_member(o, "history"))
            r.history.push_back(read_message(m));
        r.archived = bool_member(o, "archived");
        r.guest_url = string_member(o, "guest_url");
        r.last_active = int_member(o, "last_active");
        r.version = string_member(o, "version", "00000000");
        if (json_object_has_member(o, "members")) {
            JsonNode *node = json_object_get_member(o, "members");
            if (JSON_NODE_HOLDS_ARRAY(node)) {
                JsonArray *array = json_node_get_array(node);
                for (guint i = 0; i < json_array_get_length(array); ++i) {
                    JsonNode *element = json_array_get_element(array, i);
                    if (JSON_NODE_HOLDS_VALUE(element) &&
                        json_node_get_value_type(element) == G_TYPE_INT64)
                        r.members.push_back(static_cast<std::uint64_t>(json_node_get_int(element)));
                }
            }
        }
        if (r.id == 0 || r.slug.empty() || r.name.empty()) {
            error = path + ": every room needs a non-zero id, a slug and a name";
            g_object_unref(parser);
            return std::nullopt;
        }
        org.rooms.push_back(std::move(r));
    }
    for (JsonObject *o : objects_member(top, "emoticons")) {
        Emoticon e;
        e.id = static_cast<std::uint64_t>(int_member(o, "id"));
        e.shortcut = string_member(o, "shortcut");
        e.path = string_member(o, "path");
        e.type = string_member(o, "type", "group");
        e.width = static_cast<int>(int_member(o, "width", 30));
        e.height = static_cast<int>(int_member(o, "height", 30));
        e.file = string_member(o, "file");
        if (e.id == 0 || e.shortcut.empty() || e.path.empty()) {
            error = path + ": every emoticon needs a non-zero id, a shortcut and a path";
            g_object_unref(parser);
            return std::nullopt;
        }
        org.emoticons.push_back(std::move(e));
    }
    g_object_unref(parser);
    // History entries may leave out the sender's name (filled from from_jid)
    // and the mid (a fresh UUID).
    for (auto &room : org.rooms)
        for (auto &m : room.history) {
            if (m.from_name.empty())
                if (const User *u = org.find_user_by_jid(m.from_jid))
                    m.from_name = u->name;
            if (m.mid.empty()) {
                gchar *uuid = g_uuid_string_random();
                m.mid = uuid;
                g_free(uuid);
            }
        }
    if (org.users.empty()) {
        error = path + ": no users";
        return std::nullopt;
    }
    return org;
}

}  // namespace hipchat::emulator
