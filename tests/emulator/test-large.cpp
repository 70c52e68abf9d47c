// The generated team for benchmarks (--large, --large-rooms,
// --large-history; docs/emulator.md): people, rooms, history and tokens, the
// same on every run, and quick to make at full size.
#include <map>
#include <string>
#include <vector>

#include "emulator-process.hpp"
#include "rest-client.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"
#include "text-match.hpp"

using hipchat::test::contains;
using hipchat::test::EmulatorProcess;
using hipchat::test::occurrences;
using hipchat::test::rest_request;
using hipchat::test::XmppTestClient;

namespace {

// The text of the first <name>…</name> in `xml`.
std::string element(const std::string &xml, const std::string &name)
{
    const auto start = xml.find("<" + name + ">");
    if (start == std::string::npos)
        return {};
    const auto from = start + name.size() + 2;
    return xml.substr(from, xml.find("</" + name + ">", from) - from);
}

// A disco#items answer's rooms: JID -> the item's XML.
std::map<std::string, std::string> rooms_of(const std::string &list)
{
    std::map<std::string, std::string> rooms;
    for (auto at = list.find("<item jid='"); at != std::string::npos;
         at = list.find("<item jid='", at + 1)) {
        const auto jid_end = list.find('\'', at + 11);
        rooms[list.substr(at + 11, jid_end - at - 11)] =
            list.substr(at, list.find("</item>", at) - at);
    }
    return rooms;
}

// Person N of the generated team, logged in.
void login(XmppTestClient &client, const EmulatorProcess &emulator, int n)
{
    client.login(emulator.ca_file(), "person" + std::to_string(n) + "@example.com",
                 "password" + std::to_string(n), "bench");
}

std::string room_list(XmppTestClient &client, const std::string &attributes = {})
{
    client.send(
        "<iq type='get' id='rooms' to='conf.hipchat.com'><query "
        "xmlns='http://jabber.org/protocol/disco#items'" +
        attributes +
        "><set xmlns='http://jabber.org/protocol/rsm'><max>1000</max></set></query></iq>");
    return client.expect("</query></iq>");
}

std::string history(XmppTestClient &client, const std::string &room, int max)
{
    client.send("<iq type='get' id='history' to='" + room +
                "'><query xmlns='http://hipchat.com/protocol/history' maxstanzas='" +
                std::to_string(max) + "' type='groupchat'/></iq>");
    return client.expect("id='history'");
}

// §7.1, §7.2, §7.4: realistic names and topics, a fifth private with
// members, a few archived.
START_TEST(large_team_has_rooms_private_ones_with_members_archived_ones_and_topics)
{
    EmulatorProcess emulator({"--large", "200", "--large-rooms", "100"});
    XmppTestClient one(emulator.xmpp_port());
    login(one, emulator, 1);
    XmppTestClient two(emulator.xmpp_port());
    login(two, emulator, 2);

    const std::string current = room_list(one);
    ck_assert_msg(contains(current,
                           "<item jid='10804_payments_team@conf.hipchat.com' "
                           "name='Payments Team'>"),
                  "%s", current.substr(0, 2000).c_str());
    ck_assert(!contains(current, "<is_archived/>"));
    const auto mine = rooms_of(room_list(one, " include_archived='true'"));
    const auto theirs = rooms_of(room_list(two, " include_archived='true'"));
    std::size_t archived = 0, untitled = 0, private_rooms = 0;
    std::string only_mine;
    for (const auto &[jid, item] : mine) {
        archived += contains(item, "<is_archived/>");
        untitled += contains(item, "<topic></topic>");
        if (contains(item, "<privacy>private</privacy>")) {
            ++private_rooms;
            if (theirs.count(jid) == 0)
                only_mine = jid;
        }
    }
    ck_assert_int_eq(mine.size(), 80 + private_rooms);  // every public room, and some private
    ck_assert_int_eq(archived, 2);                      // one in 37
    ck_assert_int_ge(private_rooms, 2);
    ck_assert_int_lt(untitled * 4, mine.size());  // most have topics
    ck_assert_msg(!only_mine.empty(), "person1 and person2 see the same private rooms");

    // A private room is for its members only (§7.4 [INFERRED]).
    two.send("<iq type='get' id='st'><query xmlns='http://hipchat.com/protocol/startup'/></iq>");
    two.send("<presence to='" + only_mine + "/" + element(two.expect("</iq>"), "name") + "'/>");
    ck_assert(contains(two.expect("</presence>"), "code='403'"));
    one.send("<iq type='get' id='st'><query xmlns='http://hipchat.com/protocol/startup'/></iq>");
    const std::string name = element(one.expect("</iq>"), "name");
    ck_assert_str_eq(name.c_str(), "Ben Adams 1");
    one.send("<presence to='" + only_mine + "/" + name + "'/>");
    ck_assert(contains(one.expect("</subject></message>"), "<status code='110'/>"));
}
END_TEST

// docs/emulator.md: the same size gives the same team, byte for byte.
START_TEST(large_team_is_the_same_on_every_run)
{
    const std::vector<std::string> args = {"--large",         "200", "--large-rooms", "100",
                                           "--large-history", "2000"};
    std::string seen[2];
    for (auto &answers : seen) {
        EmulatorProcess emulator(args);
        XmppTestClient client(emulator.xmpp_port());
        login(client, emulator, 1);
        client.send("<iq type='get' id='r'><query xmlns='jabber:iq:roster'/></iq>");
        answers = client.expect("</query></iq>");
        answers += room_list(client, " include_archived='true'");
        answers += history(client, "10804_payments_team@conf.hipchat.com", 100);
    }
    ck_assert_int_gt(seen[0].size(), 20000);
    ck_assert_msg(seen[0] == seen[1], "two runs differ");
}
END_TEST

// §8.2-§8.4, §9: --large-history messages in all, spread over the rooms
// (busier ones first), oldest first, with mentions and notifications.
START_TEST(large_team_history_is_spread_over_the_rooms_oldest_first)
{
    EmulatorProcess emulator({"--large", "20", "--large-rooms", "4", "--large-history", "300"});
    XmppTestClient client(emulator.xmpp_port());
    login(client, emulator, 1);
    const auto rooms = rooms_of(room_list(client));
    ck_assert_int_eq(rooms.size(), 4);
    std::size_t total = 0, jenkins = 0, mentions = 0;
    std::map<std::string, std::size_t> per_room;
    for (const auto &[jid, item] : rooms) {
        const std::string page = history(client, jid, 1000);
        const std::size_t n = occurrences(page, "<message ");
        per_room[jid] = n;
        total += n;
        jenkins += occurrences(page, "/Jenkins'");
        mentions += occurrences(page, "<body>@");
        // Oldest first: every ts after the one before.
        double last = 0;
        for (auto at = page.find(" ts='"); at != std::string::npos;
             at = page.find(" ts='", at + 1)) {
            const double ts = g_ascii_strtod(page.c_str() + at + 5, nullptr);
            ck_assert_msg(ts > last, "%s: %f after %f", jid.c_str(), ts, last);
            last = ts;
        }
        ck_assert(n == 0 || contains(page, "<delay xmlns='urn:xmpp:delay' stamp='"));
    }
    ck_assert_int_eq(total, 300);
    ck_assert_int_eq(jenkins, 6);  // one message in 50 (§8.4)
    ck_assert_int_gt(mentions, 0);
    ck_assert_int_gt(per_room["10804_payments_team@conf.hipchat.com"],
                     per_room["10804_billing_team@conf.hipchat.com"]);
    // The join backlog comes from the same history.
    client.send(
        "<presence to='10804_payments_team@conf.hipchat.com/Ben Adams 1'><x "
        "xmlns='http://jabber.org/protocol/muc'><history maxstanzas='5'/></x></presence>");
    ck_assert_int_eq(occurrences(client.expect("</subject></message>"), "<delay "), 5);
}
END_TEST

// §5.2, §13: person<N> has the API token token<N>, for XMPP and REST benchmarks.
START_TEST(large_team_tokens_work_for_xmpp_and_the_api_host)
{
    EmulatorProcess emulator({"--large", "50"});
    XmppTestClient client(emulator.xmpp_port());
    client.start_tls(emulator.ca_file());
    client.expect("</stream:features>");
    const std::string nul(1, '\0');
    client.send("<auth xmlns='http://hipchat.com' mechanism='oauth2'>" +
                XmppTestClient::base64(nul + "token7" + nul + "bench") + "</auth>");
    ck_assert(contains(client.expect("<success"), "jid='10804_7@chat.hipchat.com/bench'"));
    const auto r = rest_request(emulator, "POST", "/v2/room/1/notification", "token7",
                                "application/json", "{\"message\":\"bench\"}");
    ck_assert_int_eq(r.status, 204);
    ck_assert_str_eq(r.ratelimit_remaining.c_str(), "499");
    ck_assert_int_eq(rest_request(emulator, "GET", "/v2/file/x", "token8").status, 404);
    ck_assert_int_eq(rest_request(emulator, "GET", "/v2/file/x", "token51").status, 401);
}
END_TEST

// --large-unread: person1 keeps that many rooms open (§6.2), each with its
// last one to ten messages unread (§19.4).
START_TEST(large_team_unread_rooms_are_auto_joined_and_unread)
{
    EmulatorProcess emulator({"--large", "200", "--large-history", "4000", "--large-unread", "20"});
    const auto r =
        rest_request(emulator, "GET", "/v2/readstate?expand=items.unreadCount", "token1", "", "");
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(occurrences(r.body, "\"xmppJid\":"), 20);
    ck_assert_int_eq(occurrences(r.body, "\"count\":0,"), 0);
    for (int n = 1; n <= 10; ++n)
        ck_assert_msg(contains(r.body, "\"count\":" + std::to_string(n) + ","), "%d: %s", n,
                      r.body.c_str());
    XmppTestClient client(emulator.xmpp_port());
    login(client, emulator, 1);
    client.send("<iq type='get' id='s'><query xmlns='http://hipchat.com/protocol/startup'/></iq>");
    ck_assert_int_eq(occurrences(client.expect("</query></iq>"),
                                 "<x xmlns='http://hipchat.com/protocol/muc#room'>"),
                     20);
    const std::string nothing_read =
        rest_request(emulator, "GET", "/v2/readstate", "token2", "", "").body;
    ck_assert_str_eq(nothing_read.c_str(), "{\"items\":[]}");
}
END_TEST

// The benchmarks' size: 10,000 people, 5,000 rooms, 100,000 messages, ready in
// well under the EmulatorProcess limit and usable at once.
START_TEST(full_size_team_starts_within_seconds)
{
    const gint64 start = g_get_monotonic_time();
    EmulatorProcess emulator(
        {"--large", "10000", "--large-rooms", "5000", "--large-history", "100000"});
    const double seconds = (g_get_monotonic_time() - start) / 1e6;
    ck_assert_msg(seconds < 5, "ready after %.2f s", seconds);
    XmppTestClient client(emulator.xmpp_port());
    login(client, emulator, 1);
    client.send(
        "<iq type='get' id='rooms' to='conf.hipchat.com'><query "
        "xmlns='http://jabber.org/protocol/disco#items'/></iq>");
    const std::string page = client.expect("</query></iq>");
    ck_assert_int_eq(occurrences(page, "<item "), 100);
    const int rooms = std::atoi(element(page, "count").c_str());
    ck_assert_msg(rooms > 3800 && rooms < 5000, "%d rooms", rooms);
    ck_assert_int_eq(
        occurrences(history(client, "10804_payments_team@conf.hipchat.com", 50), "<message "), 50);
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("emulator-large");
    TCase *tc = tcase_create("large");
    tcase_set_timeout(tc, 40);
    tcase_add_test(tc, large_team_has_rooms_private_ones_with_members_archived_ones_and_topics);
    tcase_add_test(tc, large_team_is_the_same_on_every_run);
    tcase_add_test(tc, large_team_history_is_spread_over_the_rooms_oldest_first);
    tcase_add_test(tc, large_team_tokens_work_for_xmpp_and_the_api_host);
    tcase_add_test(tc, large_team_unread_rooms_are_auto_joined_and_unread);
    tcase_add_test(tc, full_size_team_starts_within_seconds);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
