// The emulator's side of what a HipChat user does to messages and chats,
// through scripted raw-XMPP clients: edits and deletions (§8.7, §19.2),
// video call signals (§19.1, and the control interface's POST /call), the
// files and links IQs (§8.8, §8.5).
#include <string>

#include "control-client.hpp"
#include "emulator-process.hpp"
#include "rest-client.hpp"
#include "sample-org.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"
#include "text-match.hpp"

using hipchat::test::contains;
using hipchat::test::ControlClient;
using hipchat::test::EmulatorProcess;
using hipchat::test::XmppTestClient;

namespace sample = hipchat::test::sample;

namespace {

// The text between the first `open` and the next `close`, or "".
std::string between(const std::string &text, const std::string &open, const std::string &close)
{
    const auto at = text.find(open);
    if (at == std::string::npos)
        return {};
    const auto start = at + open.size();
    return text.substr(start, text.find(close, start) - start);
}

void join_dev(XmppTestClient &client, const char *nick)
{
    client.send(std::string("<presence to='") + sample::dev.jid + "/" + nick +
                "'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x>"
                "</presence>");
    client.expect("</subject></message>");
}

std::string history_of(XmppTestClient &client, const char *jid)
{
    client.send(std::string("<iq type='get' id='hist' to='") + jid +
                "'><query xmlns='http://hipchat.com/protocol/history' maxstanzas='50'/></iq>");
    return client.expect("id='hist'");
}

std::string edit(const std::string &to, const char *type, const std::string &mid,
                 const std::string &body, const char *id)
{
    // As the web client sends it (hipchat.js editMessage).
    return "<message to='" + to + "' type='" + type + "' id='" + id + "'><body>" + body +
           "</body><replace xmlns='urn:xmpp:message-correct:0' id='" + mid +
           "' ts='1'/><x xmlns='http://hipchat.com'><echo/></x></message>";
}

struct Two {
    EmulatorProcess emulator;
    XmppTestClient alice{emulator.xmpp_port()}, bob{emulator.xmpp_port()};
    Two()
    {
        alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
        bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    }
};

// §8.7, §19.2: an edit goes to everyone and changes the history; a deletion
// takes the message out of it.
START_TEST(room_edits_are_relayed_and_kept)
{
    Two t;
    join_dev(t.alice, sample::alice.name);
    join_dev(t.bob, sample::bob.name);
    t.alice.send(std::string("<message to='") + sample::dev.jid +
                 "' type='groupchat' id='m1'><body>teh plan</body></message>");
    const std::string mid = between(t.bob.expect("teh plan"), "mid='", "'");
    t.alice.expect("teh plan");
    t.alice.send(edit(sample::dev.jid, "groupchat", mid, "the plan", "e1"));
    for (XmppTestClient *client : {&t.alice, &t.bob}) {
        const std::string relayed = client->expect("</message>");
        ck_assert_msg(
            contains(relayed, "from='10804_dev@conf.hipchat.com/Alice Example'") &&
                contains(relayed, "id='e1'") &&
                contains(relayed, "from_jid='" + std::string(sample::alice.jid) + "'") &&
                contains(relayed, "<body>the plan</body>") &&
                contains(relayed, "<replace xmlns='urn:xmpp:message-correct:0' id='" + mid + "'") &&
                !contains(relayed, "mid='" + mid + "'"),
            "%s", relayed.c_str());
    }
    std::string history = history_of(t.bob, sample::dev.jid);
    ck_assert_msg(contains(history, "<body>the plan</body>") && !contains(history, "teh plan"),
                  "%s", history.c_str());

    // Only the sender's own: Bob may not touch it, nor edit what is not there.
    t.bob.send(edit(sample::dev.jid, "groupchat", mid, "mine now", "e2"));
    std::string refused = t.bob.expect("</message>");
    ck_assert_msg(contains(refused, "type='error'") && contains(refused, "id='e2'") &&
                      contains(refused, "<forbidden") &&
                      contains(refused, "You can only edit or delete your own messages."),
                  "%s", refused.c_str());
    t.bob.send(edit(sample::dev.jid, "groupchat", "no-such-mid", "x", "e3"));
    refused = t.bob.expect("</message>");
    ck_assert_msg(contains(refused, "type='error'") && contains(refused, "<item-not-found"), "%s",
                  refused.c_str());

    // A deletion is an edit with an empty body.
    t.alice.send(edit(sample::dev.jid, "groupchat", mid, "", "d1"));
    ck_assert(contains(t.bob.expect("</message>"), "id='" + mid + "'"));
    history = history_of(t.bob, sample::dev.jid);
    ck_assert_msg(!contains(history, "the plan"), "%s", history.c_str());
}
END_TEST

START_TEST(one_to_one_edits_are_relayed_and_kept)
{
    Two t;
    t.alice.send(std::string("<message to='") + sample::bob.jid +
                 "' type='chat' id='m1'><body>lunch at 12</body></message>");
    const std::string mid = between(t.bob.expect("lunch at 12"), "mid='", "'");
    t.alice.send(edit(sample::bob.jid, "chat", mid, "lunch at 1", "e1"));
    const std::string relayed = t.bob.expect("</message>");
    ck_assert_msg(contains(relayed, "<body>lunch at 1</body>") &&
                      contains(relayed, "id='" + mid + "'") &&
                      contains(relayed, std::string("from='") + sample::alice.jid + "/a'"),
                  "%s", relayed.c_str());
    ck_assert(contains(t.alice.expect("</message>"), "lunch at 1"));  // the echo it asked for
    const std::string history = history_of(t.alice, sample::bob.jid);
    ck_assert_msg(contains(history, "lunch at 1<") && !contains(history, "lunch at 12"), "%s",
                  history.c_str());
    t.bob.send(edit(sample::alice.jid, "chat", mid, "no lunch", "e2"));
    ck_assert(contains(t.bob.expect("</message>"), "<forbidden"));
}
END_TEST

// §19.1: invites and declines pass between people; the server answers the
// invite's id.
START_TEST(call_signals_are_relayed_and_invites_answered)
{
    Two t;
    t.alice.send(std::string("<message to='") + sample::bob.jid +
                 "' type='chat' id='c1'><x xmlns='http://hipchat.com/protocol/enso'><call><url>"
                 "https://www.hipchat.com/video/join/010804abc</url></call></x><body>join me: "
                 "https://www.hipchat.com/video/call/010804abc</body></message>");
    const std::string invite = t.bob.expect("</message>");
    ck_assert_msg(contains(invite, "<url>https://www.hipchat.com/video/join/010804abc</url>") &&
                      contains(invite, "mid='"),
                  "%s", invite.c_str());
    std::string answer = t.alice.expect("</message>");
    ck_assert_msg(contains(answer, "id='c1'") && contains(answer, "<trying/>") &&
                      contains(answer, std::string("from='") + sample::bob.jid + "'"),
                  "%s", answer.c_str());
    t.bob.send(std::string("<message to='") + sample::alice.jid +
               "' type='chat' id='d'><x xmlns='http://hipchat.com/protocol/enso'><decline>"
               "<reason>unsupported</reason></decline></x></message>");
    ck_assert(contains(t.alice.expect("</message>"), "<reason>unsupported</reason>"));
    // Carol has no session: the server declines for her.
    t.alice.send(std::string("<message to='") + sample::carol.jid +
                 "' type='chat' id='c2'><x xmlns='http://hipchat.com/protocol/enso'><call><url>"
                 "https://www.hipchat.com/video/join/1</url></call></x><body>x</body></message>");
    answer = t.alice.expect("</message>");
    ck_assert_msg(contains(answer, "id='c2'") && contains(answer, "<reason>offline</reason>"), "%s",
                  answer.c_str());
}
END_TEST

// The control interface's simulated caller (docs/emulator.md).
START_TEST(a_simulated_person_calls)
{
    Two t;
    const ControlClient control(t.emulator.control_port());
    control.post("/call", std::string("{\"from\":\"") + sample::bob.jid + "\",\"to\":\"" +
                              sample::alice.jid + "\"}");
    const std::string invite = t.alice.expect("</message>");
    const std::string url = between(invite, "<url>", "</url>");
    ck_assert_msg(url.starts_with("https://www.hipchat.com/video/join/010804") &&
                      url.size() == std::string("https://www.hipchat.com/video/join/").size() + 20,
                  "%s", invite.c_str());
    std::string body_url = url;
    body_url.replace(body_url.find("/join/"), 6, "/call/");
    ck_assert_msg(contains(invite, "You can still join the meeting in your browser: " + body_url),
                  "%s", invite.c_str());
    control.post("/call", std::string("{\"from\":\"") + sample::bob.jid + "\",\"to\":\"" +
                              sample::alice.jid +
                              "\",\"action\":\"decline\",\"reason\":\"on_a_call\"}");
    const std::string decline = t.alice.expect("</message>");
    ck_assert_msg(contains(decline, "<decline><reason>on_a_call</reason></decline>") &&
                      !contains(decline, "<body"),
                  "%s", decline.c_str());
    ck_assert_int_eq(control.post_status("/call", std::string("{\"from\":\"") + sample::bob.jid +
                                                      "\",\"to\":\"" + sample::alice.jid +
                                                      "\",\"action\":\"dance\"}"),
                     400);
    ck_assert_int_eq(control.post_status("/call", "{\"from\":\"nobody\",\"to\":\"x\"}"), 400);
}
END_TEST

// §8.8, §8.5: a chat's files and links, newest first.
START_TEST(files_and_links_of_a_chat)
{
    Two t;
    join_dev(t.alice, sample::alice.name);
    const std::string upload =
        "--b\r\nContent-Type: application/json\r\n\r\n{\"message\": \"Plan\"}\r\n--b\r\n"
        "Content-Type: text/plain\r\nContent-Disposition: attachment; name=\"file\"; "
        "filename=\"plan.txt\"\r\n\r\nhello\r\n--b--\r\n";
    ck_assert_int_eq(
        hipchat::test::rest_request(t.emulator, "POST", "/v2/room/22087/share/file",
                                    sample::alice.token, "multipart/related; boundary=b", upload)
            .status,
        204);
    t.alice.expect("plan.txt");
    t.alice.send(std::string("<message to='") + sample::dev.jid +
                 "' type='groupchat'><body>see https://example.com/a and "
                 "http://b.example/x.</body></message>");
    t.alice.expect("b.example");
    t.bob.send(std::string("<iq type='get' id='f' to='") + sample::dev.jid +
               "'><query xmlns='http://hipchat.com/protocol/files' limit='50'>"
               "<auth_scheme>bearer</auth_scheme></query></iq>");
    const std::string files = t.bob.expect("</iq>");
    ck_assert_msg(contains(files,
                           "<query xmlns='http://hipchat.com/protocol/files'>"
                           "<authenticated_file><id>") &&
                      contains(files, "<name>plan.txt</name>") &&
                      contains(files, "<desc>Plan</desc>") &&
                      contains(files, "<user_id>204364</user_id>"),
                  "%s", files.c_str());
    t.bob.send(std::string("<iq type='get' id='l' to='") + sample::dev.jid +
               "'><query xmlns='http://hipchat.com/protocol/links' limit='50'/></iq>");
    const std::string links = t.bob.expect("</iq>");
    const auto newer = links.find("<url>http://b.example/x.</url>");
    const auto older = links.find("<url>https://example.com/a</url>");
    ck_assert_msg(newer != std::string::npos && older != std::string::npos &&
                      contains(links, "<user_id>204364</user_id><url>") &&
                      !contains(links, "/v2/file/"),
                  "%s", links.c_str());
    // Older than anything: nothing; a date that is none: refused.
    t.bob.send(std::string("<iq type='get' id='l2' to='") + sample::dev.jid +
               "'><query xmlns='http://hipchat.com/protocol/links' before='2001-01-01T00:00:00Z'/>"
               "</iq>");
    ck_assert(!contains(t.bob.expect("</iq>"), "<item>"));
    t.bob.send(std::string("<iq type='get' id='l3' to='") + sample::dev.jid +
               "'><query xmlns='http://hipchat.com/protocol/links' before='soon'/></iq>");
    ck_assert(contains(t.bob.expect("</iq>"), "<bad-request"));
    // A private room's are its members' only; a 1:1's are the two people's.
    XmppTestClient carol(t.emulator.xmpp_port());
    carol.login(t.emulator.ca_file(), sample::carol.email, sample::carol.password, "c");
    carol.send(std::string("<iq type='get' id='f2' to='") + sample::ops.jid +
               "'><query xmlns='http://hipchat.com/protocol/files'/></iq>");
    ck_assert(contains(carol.expect("</iq>"), "<forbidden"));
    carol.send(std::string("<iq type='get' id='f3' to='") + sample::alice.jid +
               "'><query xmlns='http://hipchat.com/protocol/files'/></iq>");
    ck_assert(!contains(carol.expect("</iq>"), "authenticated_file"));
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("emulator-actions");
    TCase *tc = tcase_create("actions");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, room_edits_are_relayed_and_kept);
    tcase_add_test(tc, one_to_one_edits_are_relayed_and_kept);
    tcase_add_test(tc, call_signals_are_relayed_and_invites_answered);
    tcase_add_test(tc, a_simulated_person_calls);
    tcase_add_test(tc, files_and_links_of_a_chat);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
