// HipChat emulator: the organisation it serves (people, rooms, history,
// emoticons), loaded from the JSON format documented in docs/emulator.md.
//
// Plain data plus lookups; no networking here. The XMPP server, the REST
// server and the control interface all work on one Organisation owned by
// main().
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hipchat::emulator {

// Service hosts announced on <success> (protocol reference §5.5) and used to
// build every JID. chat_host is also the XMPP stream 'from'.
struct Hosts {
    std::string chat_host = "chat.hipchat.com";
    std::string muc_host = "conf.hipchat.com";
    std::string api_host = "api.hipchat.com";  // main() usually sets host:port of the REST server
    std::string web_host = "www.hipchat.com";
};

// §19.4: the last message a user has read in a conversation (a room, or a
// 1:1 chat, filed under the other person's JID).
struct ReadMark {
    std::string mid;        // "" for none (the web client's READSTATE_NULL_MID)
    std::string timestamp;  // as the client sent it: Unix seconds, six decimals
    double ts = 0;
};

struct User {
    std::uint64_t id = 0;  // numeric user id: the part after '_' in the JID (§3)
    std::string email;     // login for the HipChat auth (§5.1)
    std::string password;
    std::vector<std::string> tokens;  // personal API tokens accepted by mechanism='oauth2' and REST
    std::vector<std::string> token_scopes = {"send_message", "send_notification", "view_group",
                                             "view_messages", "view_room"};
    // Tokens minted on <success> (§5.1): the session's own, with which the
    // official client also creates, updates and deletes rooms over REST
    // (dal.room.js), so every scope; accepted where personal ones are.
    std::vector<std::string> session_tokens;
    std::string name;          // full name = MUC nickname (§1)
    std::string mention_name;  // @mention handle
    std::string title;
    std::string timezone = "UTC";  // profile IQ <timezone>
    double utc_offset = 0.0;       // profile IQ <timezone utc_offset=...>
    std::string photo;             // file name of the avatar image under the data dir, may be empty
    std::string mobile;            // "iphone", "android" or empty (roster attribute, §6.3)
    bool is_admin = false;
    bool is_guest = false;
    std::vector<std::string>
        auto_join;  // startup autoJoin: room JIDs or user JIDs, in order (§6.2)
    // Left the team (a roster push with subscription='remove', §6.3): no longer in the
    // roster and cannot log in. Kept in the organisation because sessions point at it.
    bool departed = false;
    // §19.6: the preferences the startup reply carries besides autoJoin, by
    // key, as text (roomNotificationOverrides is JSON text), in order.
    std::vector<std::pair<std::string, std::string>> preferences;
    // §19.4: the read state, by conversation JID; kept across the user's
    // sessions (and changed by any of them).
    std::map<std::string, ReadMark> read_marks;
};

struct HistoryMessage {
    std::string mid;        // server message UUID
    double ts = 0;          // Unix time with microseconds (rendered as "%.6f")
    std::string from_jid;   // sender's bare user JID, or empty for a notification
    std::string from_name;  // resource shown for the sender (full name or integration label)
    std::string body;
    // Integration notifications (§8.4); empty when an ordinary message.
    std::string notification_type;  // "notification" | "system" | ...
    std::string color;
    std::string message_format;  // "html" | "text"
    bool notify = false;
    std::string card;         // §8.4 <card>: JSON text, may be empty
    std::string sender_type;  // §8.4 <notification_sender type id>: "addon", "user", ... or empty
    std::string sender_id;
    // XML after the body, kept for history and backlog as it went out live: a
    // shared file's element (§8.8; the web client's file_helper.js parsed
    // delayed file messages, 78-97). Empty for most messages.
    std::string file_payload;
    // A topic change (§7.6, §19.7): `body` is the new topic. The room's
    // history holds them as REST's did (type "topic", message_processor.js
    // formatAPIMessages 336-338); XMPP gives them as delayed <subject>s.
    bool topic_change = false;
};

// A room's webhook (REST v2 create_room_webhook): HipChat POSTs the event
// to `url`.
struct Webhook {
    std::uint64_t id = 0;
    std::string url, pattern, event, name;
    std::uint64_t creator = 0;  // user id
    std::int64_t created = 0;   // Unix time
};

struct Room {
    std::uint64_t id = 0;
    std::string slug;  // JID node is "<group_id>_<slug>" (§3); never changes on rename
    std::string name;
    std::string topic;
    std::string privacy = "public";      // "public" | "private"
    std::uint64_t owner = 0;             // user id
    std::vector<std::uint64_t> members;  // private rooms: who may join and list it
    bool archived = false;
    std::string guest_url;
    std::int64_t last_active = 0;         // Unix time
    std::int64_t created = 0;             // Unix time; 0: unknown (the organisation's rooms)
    std::string version;                  // 8-char room version hash (§7.1)
    std::vector<HistoryMessage> history;  // oldest first
    std::vector<Webhook> webhooks;        // made over REST
};

// One-to-one history between two users, oldest first.
struct PrivateHistory {
    std::uint64_t a = 0, b = 0;  // user ids, a < b
    std::vector<HistoryMessage> messages;
};

struct Emoticon {
    std::uint64_t id = 0;
    std::string shortcut;  // "(shortcut)" in text
    std::string path;  // relative to the emoticon path_prefix; "group" ones start with the group id
    std::string type = "group";  // "global" | "group"
    int width = 30, height = 30;
    std::string file;  // image file under the data dir
};

struct Organisation {
    std::uint64_t group_id = 1;
    std::string group_name;
    std::string group_uri_domain;  // e.g. "example.hipchat.com"
    Hosts hosts;
    std::deque<User> users;  // a deque: sessions keep pointers while people are added
    std::vector<Room> rooms;
    std::vector<PrivateHistory> private_history;
    std::vector<Emoticon> emoticons;
    std::string emoticons_ver;  // opaque version for the emoticons IQ (§12.1)
    std::string data_dir;       // where image files named above live

    // JIDs (§3).
    std::string user_jid(const User &u) const;  // "<group>_<id>@<chat_host>"
    std::string room_jid(const Room &r) const;  // "<group>_<slug>@<muc_host>"

    // Lookups; nullptr when absent. Pointers stay valid until users/rooms change size.
    User *find_user_by_email(std::string_view email);  // ASCII case ignored
    User *find_user_by_id(std::uint64_t id);
    User *find_user_by_jid(std::string_view jid);  // bare or full JID
    User *find_user_by_token(std::string_view token);
    Room *find_room_by_jid(std::string_view jid);  // bare room JID
};

// Load from a JSON file. On failure returns std::nullopt and sets `error` to a
// message naming the file and what is wrong (never throws).
std::optional<Organisation> load_organisation(const std::string &path, std::string &error);

}  // namespace hipchat::emulator
