// core/message: every <message> form of §8, who sent it, and how it renders.
#include <check.h>

#include "check-run.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#include "core/message.hpp"
#include "xml-fixture.hpp"

using namespace hipchat::core;
using hipchat::test::element;

namespace {

Message parsed(std::string_view xml)
{
    auto m = parse_message(element(xml));
    ck_assert_msg(m.has_value(), "not parsed: %.*s", int(xml.size()), xml.data());
    return std::move(*m);
}

void expect_str(const std::string &got, std::string_view expected)
{
    ck_assert_msg(got == expected, "got '%s'\n  not '%.*s'", got.c_str(), int(expected.size()),
                  expected.data());
}

Rendered render_body(std::string_view body)
{
    Message m;
    m.type = "groupchat";
    m.body = std::string(body);
    return render_message(m);
}

// Roster lookup by full name (the MUC nick, §1).
std::string lookup(std::string_view nick)
{
    return nick == "Bob Test" ? "10804_263@chat.hipchat.com" : "";
}

START_TEST(one_to_one_chat)
{
    // §8.1, as the web client sends it (chat state, echo, random id), with a
    // server-rewritten resource (§3).
    const Message m = parsed(
        "<message type='chat' to='10804_204364@chat.hipchat.com'"
        " from='10804_263@chat.hipchat.com/web||proxy|proxy-c303.hipchat.com|5262' id='8832'"
        " mid='96d28d5c-99ef-4e32-9b10-e56037fb826c' ts='1456172560.068233'>"
        "<body>hi &amp; bye\nline 2</body>"
        "<active xmlns='http://jabber.org/protocol/chatstates'/>"
        "<x xmlns='http://hipchat.com'><echo/></x></message>");
    expect_str(m.type, "chat");
    expect_str(m.id, "8832");
    expect_str(m.mid, "96d28d5c-99ef-4e32-9b10-e56037fb826c");
    expect_str(m.ts_text, "1456172560.068233");
    ck_assert(m.ts.has_value() && *m.ts == 1456172560.068233);
    expect_str(m.body, "hi & bye\nline 2");
    ck_assert(m.echo_requested);
    ck_assert(!m.delayed && !m.notification && !m.file && !m.correction && !m.room_state);
    ck_assert(!m.has_subject);
    expect_str(m.xhtml, "");

    const Rendered r = render_message(m);
    expect_str(r.html, "hi &amp; bye<br>line 2");
    ck_assert(!r.action && !r.system && !r.formatted && r.highlight_allowed);
    // A 1:1 comes from the person, not from a room.
    expect_str(sender_jid(m, "", lookup), "10804_263@chat.hipchat.com");
    expect_str(sender_jid(m, "10804_dev@conf.hipchat.com", lookup), "10804_263@chat.hipchat.com");
}
END_TEST

START_TEST(groupchat_message)
{
    // §8.2's received form.
    const Message m = parsed(
        "<message type='groupchat' from='10804_dev@conf.hipchat.com/Bob Test'"
        " to='10804_204364@chat.hipchat.com/pidgin' id='123'"
        " mid='96d28d5c-99ef-4e32-9b10-e56037fb826c' ts='1456172560.068233'"
        " from_jid='10804_263@chat.hipchat.com'>"
        "<body>hello @AliceExample</body></message>");
    expect_str(m.from, "10804_dev@conf.hipchat.com/Bob Test");
    expect_str(m.to, "10804_204364@chat.hipchat.com/pidgin");
    expect_str(m.from_jid, "10804_263@chat.hipchat.com");
    expect_str(m.id, "123");
    ck_assert(!m.echo_requested);
    expect_str(render_message(m).html, "hello @AliceExample");
    expect_str(sender_jid(m, "10804_dev@conf.hipchat.com", lookup), "10804_263@chat.hipchat.com");
}
END_TEST

START_TEST(history_message_with_delay)
{
    // §8.3 / §9: <delay stamp from_jid>, mid, ts and no id.
    const Message m = parsed(
        "<message type='groupchat' from='10804_dev@conf.hipchat.com/Bob Test'"
        " to='10804_204364@chat.hipchat.com/pidgin' mid='m-old' ts='1378691452.250000'>"
        "<body>old news</body>"
        "<delay xmlns='urn:xmpp:delay' stamp='2013-09-09T01:50:52Z'"
        " from_jid='11111_22222@chat.hipchat.com' from='10804_dev@conf.hipchat.com'/>"
        "</message>");
    ck_assert(m.delayed);
    ck_assert(m.delay_stamp.has_value());
    ck_assert_int_eq(*m.delay_stamp, 1378691452);
    expect_str(m.delay_from_jid, "11111_22222@chat.hipchat.com");
    expect_str(m.id, "");
    expect_str(sender_jid(m, "10804_dev@conf.hipchat.com", lookup), "11111_22222@chat.hipchat.com");

    // Legacy XEP-0091 delay.
    const Message legacy = parsed(
        "<message type='chat' from='1_2@chat.hipchat.com/x'><body>b</body>"
        "<x xmlns='jabber:x:delay' stamp='20130909T01:50:52'/></message>");
    ck_assert(legacy.delayed);
    ck_assert_int_eq(*legacy.delay_stamp, 1378691452);
}
END_TEST

START_TEST(sender_falls_back_in_order_of_trust)
{
    const std::string room = "10804_dev@conf.hipchat.com";
    Message m;
    m.from = room + "/Bob Test";
    // The from_jid attribute, bare.
    m.from_jid = "10804_9@chat.hipchat.com/res";
    m.delay_from_jid = "10804_8@chat.hipchat.com";
    expect_str(sender_jid(m, room, lookup), "10804_9@chat.hipchat.com");
    // Then <delay from_jid>.
    m.from_jid.clear();
    expect_str(sender_jid(m, room, lookup), "10804_8@chat.hipchat.com");
    // ...unless it is the room (in any case): then the nick's JID.
    m.delay_from_jid = "10804_DEV@conf.hipchat.com";
    expect_str(sender_jid(m, room, lookup), "10804_263@chat.hipchat.com");
    m.delay_from_jid.clear();
    expect_str(sender_jid(m, room + "/Alice Example", lookup), "10804_263@chat.hipchat.com");
    // An API notification's nick is nobody.
    m.from = room + "/Jenkins";
    expect_str(sender_jid(m, room, lookup), "");
    expect_str(sender_jid(m, room, {}), "");
    m.from = room;
    expect_str(sender_jid(m, room, lookup), "");
    m.from = room + "/";
    expect_str(sender_jid(m, room, lookup), "");
}
END_TEST

START_TEST(html_notification)
{
    // §8.4's fixture. The XHTML mixes text with elements, which an Element
    // cannot keep in order, so the body's copy of the HTML is used.
    const Message m = parsed(
        "<message type='groupchat' from='10804_dev@conf.hipchat.com/Jenkins'"
        " mid='4d1b0e38-1b1a-4bd5-a3b5-0ba1d6e5b3a1' ts='1456172560.068233'>"
        "<body>&lt;b&gt;Build #42&lt;/b&gt; failed</body>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'>"
        "<type>system</type><notify>0</notify><color>red</color>"
        "<message_format>html</message_format>"
        "<notification_sender type='addon' id='com.example.addon'/></x>"
        "<html xmlns='http://jabber.org/protocol/xhtml-im'>"
        "<body xmlns='http://www.w3.org/1999/xhtml'><b>Build #42</b> failed</body></html>"
        "</message>");
    ck_assert(m.notification.has_value());
    const Notification &n = *m.notification;
    expect_str(n.type, "system");
    expect_str(n.color, "red");
    expect_str(n.message_format, "html");
    expect_str(n.sender_type, "addon");
    expect_str(n.sender_id, "com.example.addon");
    ck_assert(!n.notify);
    expect_str(n.card_title, "");
    expect_str(m.body, "<b>Build #42</b> failed");
    expect_str(m.xhtml, "");
    ck_assert(!m.room_state && !m.file);

    const Rendered r = render_message(m);
    expect_str(r.html, "<font color=\"#c0392b\"><b>Build #42</b> failed</font>");
    // HTML: no emoticons, but its text may mention us (§8.6). A system
    // notification is the integration's like any other, not the room's line.
    ck_assert(!r.formatted && !r.emoticons && !r.system && !r.action);
    expect_str(r.mention_text, "Build #42 failed");
    // notify=0, but a system message may still alert on a mention (§8.4).
    ck_assert(r.highlight_allowed);
    expect_str(sender_jid(m, "10804_dev@conf.hipchat.com", lookup), "");
}
END_TEST

START_TEST(html_notification_prefers_clean_xhtml)
{
    const Message m = parsed(
        "<message type='groupchat' from='10804_dev@conf.hipchat.com/Deploy' mid='m' ts='2'>"
        "<body>Deployed: web</body>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><type>notification</type>"
        "<notify>0</notify><color>green</color><message_format>html</message_format></x>"
        "<html xmlns='http://jabber.org/protocol/xhtml-im'>"
        "<body xmlns='http://www.w3.org/1999/xhtml'><p><b>Deployed</b></p><ul><li>web</li></ul>"
        "<img src='https://e.example/i.png?a=1&amp;b=2' alt='i'/><script>alert(1)</script>"
        "</body></html></message>");
    expect_str(m.xhtml,
               "<p><b>Deployed</b></p><ul><li>web</li></ul>"
               "<img src=\"https://e.example/i.png?a=1&amp;b=2\" alt=\"i\"></img>"
               "<script>alert(1)</script>");
    const Rendered r = render_message(m);
    expect_str(r.html,
               "<font color=\"#2e8b57\"><b>Deployed</b><br>\u2022 web<br>"
               "<a href=\"https://e.example/i.png?a=1&amp;b=2\">[image: i]</a></font>");
    ck_assert(!r.formatted && !r.emoticons && !r.system);
    ck_assert(!r.highlight_allowed);

    // Mixed XHTML and no body: the best effort is better than nothing.
    const Message only_xhtml = parsed(
        "<message type='chat' from='1_2@chat.hipchat.com'>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><message_format>html</message_format></x>"
        "<html xmlns='http://jabber.org/protocol/xhtml-im'>"
        "<body xmlns='http://www.w3.org/1999/xhtml'>Build <b>#42</b></body></html></message>");
    expect_str(only_xhtml.xhtml, "Build <b>#42</b>");
    expect_str(render_message(only_xhtml).html, "Build <b>#42</b>");
}
END_TEST

START_TEST(html_notification_body_is_sanitised)
{
    const Message m = parsed(
        "<message type='groupchat' from='10804_dev@conf.hipchat.com/Evil' mid='m' ts='3'>"
        "<body>&lt;a href=\"javascript:alert(1)\" onclick=\"x\"&gt;win&lt;/a&gt;"
        "&lt;script&gt;steal()&lt;/script&gt;&amp;lt;tag&amp;gt;</body>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><message_format>html</message_format>"
        "<color>random</color></x></message>");
    // A message_format and a colour without a type: no integration's, an
    // ordinary message in HTML (message_processor.js setMessageTypeAndFormat).
    ck_assert(!m.notification && m.presentation);
    const Rendered r = render_message(m);
    expect_str(r.html, "win&lt;tag&gt;");
    ck_assert(!r.formatted && !r.emoticons && r.highlight_allowed && !r.system);
}
END_TEST

START_TEST(text_notification)
{
    const Message m = parsed(
        "<message type='groupchat' from='10804_dev@conf.hipchat.com/Bot' mid='m3' ts='4'>"
        "<body>&lt;b&gt;not bold&lt;/b&gt;\n@AliceExample</body>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><type>notification</type>"
        "<notify>0</notify><color>random</color><message_format>text</message_format></x>"
        "</message>");
    const Rendered r = render_message(m);
    expect_str(r.html, "&lt;b&gt;not bold&lt;/b&gt;<br>@AliceExample");
    ck_assert(!r.formatted && !r.system && !r.highlight_allowed);
}
END_TEST

START_TEST(card_notification)
{
    // Only the card's top-level title, description and url: the nested
    // "title"/"url"s of icons and attributes are not the card's.
    const Message m = parsed(
        "<message type='groupchat' from='10804_dev@conf.hipchat.com/JIRA' mid='m2' ts='5'>"
        "<body>Bug filed</body>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><type>notification</type>"
        "<notify>1</notify><color>purple</color><message_format>html</message_format>"
        "<card>{\"style\":\"application\",\"icon\":{\"url\":\"https://jira.example.com/i.png\"},"
        "\"attributes\":[{\"label\":\"Status\",\"value\":{\"label\":\"Open\",\"url\":\"https://x\","
        "\"title\":\"nested\"}}],\"url\":\"https://jira.example.com/browse/HC-1\","
        "\"format\":\"medium\",\"id\":\"db797a68\",\"n\":-1.5e3,\"ok\":true,\"none\":null,"
        "\"title\":\"HC-1: Crash \\u00e9 \\ud83d\\ude00 \\\"on\\\" join\","
        "\"description\":{\"format\":\"html\",\"value\":\"Reported by &lt;b&gt;Bob&lt;/b&gt;\"}}"
        "</card></x></message>");
    const Notification &n = *m.notification;
    expect_str(n.card_title, "HC-1: Crash \u00e9 \U0001F600 \"on\" join");
    expect_str(n.card_description, "Reported by <b>Bob</b>");
    expect_str(n.card_description_format, "html");
    expect_str(n.card_url, "https://jira.example.com/browse/HC-1");
    ck_assert(n.notify);
    const Rendered r = render_message(m);
    expect_str(
        r.html,
        "<font color=\"#8e44ad\">Bug filed<br><b>HC-1: Crash \u00e9 \U0001F600 &quot;on&quot; "
        "join</b>: Reported by <b>Bob</b> <a href=\"https://jira.example.com/browse/HC-1\">"
        "https://jira.example.com/browse/HC-1</a></font>");
    ck_assert(r.highlight_allowed);

    // A string description that repeats the body is not shown twice; a
    // card URL that is not http(s) is no link.
    const Message repeat = parsed(
        "<message type='groupchat' from='r@conf/x'><body>Same text</body>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><message_format>text</message_format>"
        "<card>{\"title\":\"T\",\"description\":\"Same text\",\"url\":\"javascript:x\"}</card>"
        "</x></message>");
    expect_str(repeat.notification->card_description, "Same text");
    expect_str(render_message(repeat).html, "Same text<br><b>T</b>");
}
END_TEST

void expect_no_card(const char *json)
{
    const std::string xml = std::string(
                                "<message><x xmlns='http://hipchat.com/protocol/muc#room'>"
                                "<card>") +
                            json + "</card></x></message>";
    const Message m = parsed(xml);
    ck_assert(m.notification.has_value());
    ck_assert_msg(m.notification->card_title.empty() && m.notification->card_url.empty() &&
                      m.notification->card_description.empty(),
                  "card read from %s", json);
}

START_TEST(odd_cards_are_ignored)
{
    expect_no_card("{\"title\":\"x\"");
    expect_no_card("{\"title\":\"x\"} trailing");
    expect_no_card("[{\"title\":\"x\"}]");
    expect_no_card("{\"title\":\"unterminated}");
    expect_no_card("{\"title\":\"bad \\q escape\"}");
    expect_no_card("{\"title\":\"short \\u12\"}");
    expect_no_card("{title:\"x\"}");
    expect_no_card("{\"title\" \"x\"}");
    expect_no_card("");
    expect_no_card("not json");
    expect_no_card((std::string("{\"a\":") + std::string(200, '[') + std::string(200, ']') +
                    ",\"title\":\"deep\"}")
                       .c_str());
    // Members of the wrong type are skipped, the rest kept.
    const Message m = parsed(
        "<message><x xmlns='http://hipchat.com/protocol/muc#room'><card>"
        "{\"title\":42,\"description\":[\"x\"],\"url\":\"https://ok.example/\"}"
        "</card></x></message>");
    expect_str(m.notification->card_title, "");
    expect_str(m.notification->card_description, "");
    expect_str(m.notification->card_url, "https://ok.example/");
    // Lone surrogates and NULs become U+FFFD.
    const Message s = parsed(
        "<message><x xmlns='http://hipchat.com/protocol/muc#room'><card>"
        "{\"title\":\"a\\ud800b\\u0000c\"}</card></x></message>");
    expect_str(s.notification->card_title, "a\ufffdb\ufffdc");
}
END_TEST

START_TEST(legacy_file_share)
{
    // §8.8, unauthenticated form.
    const Message m = parsed(
        "<message type='groupchat' from='1_example@conf.hipchat.com/Bob Test'"
        " mid='d3c3bd3c' ts='1456172560.068233'>"
        "<body>File uploaded: https://s3.amazonaws.com/uploads.hipchat.com/30/263/"
        "Lv6iCamVfouH9U3/dean_cain.jpg</body>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><file>"
        "<name>30/263/Lv6iCamVfouH9U3/dean_cain.jpg</name><desc>test</desc>"
        "<bucket>uploads.hipchat.com</bucket><endpoint>s3.amazonaws.com</endpoint>"
        "<size>12777</size><thumb>30/263/Lv6iCamVfouH9U3/dean_cain_thumb.jpg</thumb>"
        "<thumb_url>https://s3.amazonaws.com/uploads.hipchat.com/30/263/Lv6iCamVfouH9U3/"
        "dean_cain_thumb.jpg</thumb_url>"
        "<file_url>https://s3.amazonaws.com/uploads.hipchat.com/30/263/Lv6iCamVfouH9U3/"
        "dean_cain.jpg</file_url></file></x>"
        "<delay xmlns='urn:xmpp:delay' from_jid='30_263@chat.hipchat.com'"
        " stamp='2016-01-04T22:28:11Z'/></message>");
    ck_assert(m.file.has_value());
    ck_assert(!m.notification.has_value());
    const SharedFile &f = *m.file;
    expect_str(f.name, "dean_cain.jpg");
    expect_str(f.url,
               "https://s3.amazonaws.com/uploads.hipchat.com/30/263/Lv6iCamVfouH9U3/dean_cain.jpg");
    expect_str(f.description, "test");
    ck_assert_int_eq(f.size, 12777);
    ck_assert(!f.authenticated);
    ck_assert_int_eq(*m.delay_stamp, 1451946491);
    expect_str(sender_jid(m, "1_example@conf.hipchat.com", lookup), "30_263@chat.hipchat.com");
    expect_str(render_message(m).html,
               "<a href=\"https://s3.amazonaws.com/uploads.hipchat.com/30/263/Lv6iCamVfouH9U3/"
               "dean_cain.jpg\">dean_cain.jpg</a> (12.5 KB) \u2014 test");

    // The server's placeholder description is not repeated.
    const Message plain = parsed(
        "<message type='chat' from='1_2@chat.hipchat.com'><body>File uploaded: x</body>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><file><name>a/b/c.txt</name>"
        "<desc>File uploaded</desc><size>1</size><file_url>https://e.example/c.txt</file_url>"
        "</file></x></message>");
    expect_str(render_message(plain).html,
               "<a href=\"https://e.example/c.txt\">c.txt</a> (1 byte)");
}
END_TEST

START_TEST(authenticated_file_share)
{
    const Message m = parsed(
        "<message type='groupchat' from='10804_dev@conf.hipchat.com/Bob Test' mid='x' ts='6'>"
        "<body>User description: https://api.hipchat.com/v2/file/"
        "7c2f5173-c9f9-4840-8471-eca32ab8151b</body>"
        "<authenticated_file xmlns='http://hipchat.com/protocol/file'>"
        "<id>7c2f5173-c9f9-4840-8471-eca32ab8151b</id><desc>User description</desc>"
        "<date>2013-03-10T12:00:00Z</date><name>filename.txt</name><size>12777</size>"
        "<group_id>10803</group_id><user_id>29833</user_id><auth_scheme>bearer</auth_scheme>"
        "</authenticated_file></message>");
    const SharedFile &f = *m.file;
    expect_str(f.id, "7c2f5173-c9f9-4840-8471-eca32ab8151b");
    expect_str(f.name, "filename.txt");
    expect_str(f.url, "https://api.hipchat.com/v2/file/7c2f5173-c9f9-4840-8471-eca32ab8151b");
    expect_str(f.description, "User description");
    ck_assert_int_eq(f.size, 12777);
    ck_assert(f.authenticated);
    expect_str(render_message(m).html,
               "<a href=\"https://api.hipchat.com/v2/file/7c2f5173-c9f9-4840-8471-eca32ab8151b\">"
               "filename.txt</a> (12.5 KB) \u2014 User description");

    // The URL naming the file wins over others in a description.
    const Message two = parsed(
        "<message><body>see https://example.com/other: https://api.hipchat.com/v2/file/abc</body>"
        "<authenticated_file xmlns='http://hipchat.com/protocol/file'><id>abc</id>"
        "<name>n</name></authenticated_file></message>");
    expect_str(two.file->url, "https://api.hipchat.com/v2/file/abc");

    // No URL in the body: no link (the glue builds it from api_host).
    const Message bare = parsed(
        "<message><authenticated_file xmlns='http://hipchat.com/protocol/file'><id>abc</id>"
        "<name>&lt;script&gt;.txt</name><size>2048</size></authenticated_file></message>");
    expect_str(bare.file->url, "");
    expect_str(render_message(bare).html, "&lt;script&gt;.txt (2.0 KB)");

    // A hostile URL is no link.
    const Message hostile = parsed(
        "<message><x xmlns='http://hipchat.com/protocol/muc#room'><file><name>x</name>"
        "<file_url>javascript:alert(1)</file_url></file></x></message>");
    expect_str(render_message(hostile).html, "x");
}
END_TEST

START_TEST(corrections_and_deletions)
{
    // §8.7: XEP-0308 with the original mid.
    const Message edit = parsed(
        "<message type='groupchat' from='10804_dev@conf.hipchat.com/Bob Test'"
        " from_jid='10804_263@chat.hipchat.com' mid='new-mid' ts='7'>"
        "<body>corrected text</body>"
        "<replace xmlns='urn:xmpp:message-correct:0' id='96d28d5c-99ef-4e32-9b10-e56037fb826c'"
        " ts='1456172560.068233'/>"
        "<x xmlns='http://hipchat.com'><echo/></x></message>");
    ck_assert(edit.correction.has_value());
    expect_str(edit.correction->original_mid, "96d28d5c-99ef-4e32-9b10-e56037fb826c");
    ck_assert(!edit.correction->deleted);
    ck_assert(edit.echo_requested);
    expect_str(render_message(edit).html, "corrected text <i>(edited)</i>");

    const Message del = parsed(
        "<message type='groupchat' from='10804_dev@conf.hipchat.com/Bob Test' mid='n' ts='8'>"
        "<body/><replace xmlns='urn:xmpp:message-correct:0' id='orig'/></message>");
    ck_assert(del.correction->deleted);
    expect_str(render_message(del).html, "<i>(message deleted)</i>");

    // An edited /me stays an action.
    Message me = edit;
    me.body = "/me fixed it";
    const Rendered action = render_message(me);
    ck_assert(action.action);
    expect_str(action.html, "fixed it <i>(edited)</i>");

    // A replace without an id is no correction.
    ck_assert(!parsed("<message><body>x</body><replace xmlns='urn:xmpp:message-correct:0'/>"
                      "</message>")
                   .correction.has_value());
}
END_TEST

START_TEST(room_state_messages)
{
    // §8.9: bodyless, from the person who changed it.
    const auto state = [](const char *x) {
        return parsed(std::string("<message type='groupchat'"
                                  " from='10804_dev@conf.hipchat.com/Bob Test' mid='s' ts='9'>"
                                  "<x xmlns='http://hipchat.com/protocol/muc#room'>") +
                      x + "</x></message>");
    };
    const Message archived = state("<is_archived>1</is_archived>");
    ck_assert(archived.room_state.has_value());
    ck_assert(archived.room_state->archived == true);
    ck_assert(!archived.room_state->guest_url.has_value());
    ck_assert(!archived.notification.has_value());
    const Rendered r = render_message(archived);
    expect_str(r.html, "archived the room");
    ck_assert(r.system);

    ck_assert(state("<is_archived>0</is_archived>").room_state->archived == false);
    expect_str(render_message(state("<is_archived>0</is_archived>")).html, "unarchived the room");
    expect_str(render_message(state("<is_archived/>")).html, "archived the room");
    expect_str(
        render_message(state("<guest_url>https://www.hipchat.com/gAbC&amp;d</guest_url>")).html,
        "turned on guest access: https://www.hipchat.com/gAbC&amp;d");
    expect_str(*state("<guest_url> https://www.hipchat.com/g1 </guest_url>").room_state->guest_url,
               "https://www.hipchat.com/g1");
    expect_str(render_message(state("<guest_url/>")).html, "turned off guest access");
    expect_str(render_message(state("<is_archived>1</is_archived><guest_url/>")).html,
               "archived the room; turned off guest access");
    ck_assert(!state("<is_archived>maybe</is_archived>").room_state.has_value());

    // With a body it is an ordinary message.
    const Message with_body = parsed(
        "<message type='groupchat' from='r@conf/x'><body>hi</body>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><is_archived>1</is_archived></x>"
        "</message>");
    ck_assert(!with_body.room_state.has_value());
    expect_str(render_message(with_body).html, "hi");
}
END_TEST

START_TEST(slash_commands)
{
    // §8.7: rendered from the body's prefix.
    Rendered r = render_body("/me waves & smiles");
    ck_assert(r.action && !r.formatted);
    expect_str(r.html, "waves &amp; smiles");
    // app_config.js emote_regex: /me or /em, then white space, as typed.
    ck_assert(!render_body("/ME waves").action);
    r = render_body("/me");
    ck_assert(!r.action);
    expect_str(r.html, "/me");
    r = render_body("/em waves");
    ck_assert(r.action);
    expect_str(r.html, "waves");
    ck_assert(render_body("/me\twaves").action);
    r = render_body("/mean thing");
    ck_assert(!r.action);
    expect_str(r.html, "/mean thing");

    r = render_body("/code int x = 1 < 2;\nreturn;");
    ck_assert(r.formatted && !r.action);
    expect_str(r.html, "<pre>int x = 1 &lt; 2;<br>return;</pre>");
    expect_str(render_body("/code\nfoo").html, "<pre>foo</pre>");
    expect_str(render_body("/pre  x").html, "<pre> x</pre>");
    // pre_regex: the space after /pre and /monospace is optional.
    expect_str(render_body("/prefoo").html, "<pre>foo</pre>");
    expect_str(render_body("/monospace\tx").html, "<pre>x</pre>");
    expect_str(render_body("/code\tx").html, "<pre>x</pre>");
    expect_str(render_body("/monospace x").html, "<pre>x</pre>");
    ck_assert(render_body("/monospace x").formatted);

    r = render_body("/quote a <b>\r\nb");
    ck_assert(r.formatted);
    expect_str(r.html, "<i>&gt; a &lt;b&gt;<br>&gt; b</i>");

    r = render_body("/codex");
    ck_assert(!r.formatted);
    expect_str(r.html, "/codex");
    expect_str(render_body("/Code x").html, "/Code x");
    // A correction with no last message at hand says what it corrects.
    r = render_message(parsed("<message type='groupchat'><body>s/old/new/</body></message>"));
    ck_assert(r.system && !r.highlight_allowed);
    expect_str(r.html, "corrected “old” to “new”");
    expect_str(render_body("").html, "");
}
END_TEST

START_TEST(subjects_and_non_messages)
{
    const Message m = parsed(
        "<message type='groupchat' from='10804_dev@conf.hipchat.com/Bob Test'>"
        "<subject>New topic</subject></message>");
    ck_assert(m.has_subject);
    expect_str(m.subject, "New topic");
    ck_assert(!parse_message(element("<presence/>")).has_value());
    ck_assert(!parse_message(element("<iq type='get'/>")).has_value());
}
END_TEST

START_TEST(malformed_parts_are_tolerated)
{
    const Message m = parsed(
        "<message ts='soon'><delay xmlns='urn:xmpp:delay' stamp='yesterday'/>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><file><size>lots</size></file></x>"
        "<html xmlns='http://jabber.org/protocol/xhtml-im'/></message>");
    ck_assert(!m.ts.has_value());
    expect_str(m.ts_text, "soon");
    ck_assert(m.delayed);
    ck_assert(!m.delay_stamp.has_value());
    ck_assert(m.file.has_value());
    ck_assert_int_eq(m.file->size, 0);
    expect_str(m.file->name, "");
    expect_str(m.xhtml, "");
    expect_str(render_message(m).html, "file");
    // A bare <message/> is a message with nothing in it.
    const Message empty = parsed("<message/>");
    expect_str(render_message(empty).html, "");
}
END_TEST

START_TEST(sizes_are_human)
{
    expect_str(human_size(0), "0 bytes");
    expect_str(human_size(1), "1 byte");
    expect_str(human_size(1023), "1023 bytes");
    expect_str(human_size(1024), "1.0 KB");
    expect_str(human_size(1536), "1.5 KB");
    expect_str(human_size(12777), "12.5 KB");
    expect_str(human_size(1048575), "1.0 MB");
    expect_str(human_size(5ULL * 1024 * 1024 * 1024), "5.0 GB");
    expect_str(human_size(UINT64_MAX), "16.0 EB");
}
END_TEST

START_TEST(colours_are_readable)
{
    ck_assert(readable_color("yellow") == "#b58900");
    ck_assert(readable_color("green") == "#2e8b57");
    ck_assert(readable_color("red") == "#c0392b");
    ck_assert(readable_color("purple") == "#8e44ad");
    ck_assert(readable_color("gray") == "#7f8c8d");
    ck_assert(readable_color("RED") == "#c0392b");
    ck_assert(readable_color("random").empty());
    ck_assert(readable_color("\" onload=\"x").empty());
    ck_assert(readable_color("").empty());
}
END_TEST

START_TEST(corrections_apply_to_the_senders_last_message)
{
    // §19.2: ^s/([^/]+)/([^/]*)/?$ on the whole body.
    Message m =
        parsed("<message type='groupchat' from='r@c/Bob Test'><body>s/teh/the/</body></message>");
    ck_assert(m.substitution);
    expect_str(m.substitution->old_text, "teh");
    expect_str(m.substitution->new_text, "the");
    ck_assert(parsed("<message><body>s/a/b</body></message>").substitution);  // last / optional
    ck_assert(parsed("<message><body>s/gone//</body></message>").substitution);
    for (const char *not_one : {"s//b/", "s/a/b/c", "s/a", " s/a/b/", "so/a/b/"})
        ck_assert_msg(
            !parsed(std::string("<message><body>") + not_one + "</body></message>").substitution,
            "%s", not_one);
    // The same rule for what the user types (commands.cpp sends it as typed).
    const auto typed = parse_substitution("s/a b/c d/");
    ck_assert(typed && typed->old_text == "a b" && typed->new_text == "c d");
    ck_assert(!parse_substitution("s/a/b/ and more") && !parse_substitution(""));
    // Not in notifications or HTML.
    ck_assert(!parsed("<message><body>s/a/b/</body><x xmlns='http://hipchat.com/protocol/muc#room'>"
                      "<type>notification</type></x></message>")
                   .substitution);

    // The first occurrence, in the last message; the line is that message
    // corrected, and never alerts.
    const Rendered r = render_message(m, std::string_view("teh build of teh day @AliceExample"));
    ck_assert(r.corrected && !r.system && !r.highlight_allowed);
    expect_str(r.html, "the build of teh day @AliceExample <i>(corrected)</i>");
    const auto again = apply_substitution(*m.substitution, "nothing to fix");
    ck_assert(!again);
    // The old text not in the last message: said as a correction.
    ck_assert(render_message(m, std::string_view("nothing to fix")).system);
    // Its words are the sender's, "%s" included, never a placeholder.
    const Message odd = parsed("<message><body>s/%s/100%/</body></message>");
    expect_str(render_message(odd).html, "corrected “%s” to “100%”");
    // Emotes stay emotes.
    ck_assert(render_message(m, std::string_view("/me fixes teh bug")).action);
}
END_TEST

START_TEST(only_system_and_notification_types_are_integrations)
{
    // message_processor.js setMessageTypeAndFormat: x/type system or
    // notification (or a card, a notification_sender) is an integration's.
    const Message info = parsed(
        "<message type='groupchat' from='r@c/Bob Test' from_jid='1_2@c'><body>now public</body>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><type>room-presence</type></x></message>");
    ck_assert(!info.notification && info.presentation &&
              info.presentation->type == "room-presence");
    const Rendered r = render_message(info);
    ck_assert(r.system && !r.highlight_allowed);
    const Message coloured = parsed(
        "<message type='groupchat' from='r@c/Bob Test' from_jid='1_2@c'><body>hi</body>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><color>gray</color></x></message>");
    ck_assert(!coloured.notification && coloured.presentation);
    const Rendered c = render_message(coloured);
    expect_str(c.html, "<font color=\"#7f8c8d\">hi</font>");
    ck_assert(!c.system && c.highlight_allowed);
    const Message card = parsed(
        "<message type='groupchat' from='r@c/Jira'><body>x</body>"
        "<x "
        "xmlns='http://hipchat.com/protocol/muc#room'><card>{\"title\":\"T\"}</card></x></"
        "message>");
    ck_assert(card.notification && !card.presentation);
    // user_state lines are drawn invisible (message_group.js 327, 363).
    const Message state = parsed(
        "<message type='groupchat' from='r@c/Bob Test' from_jid='1_2@c'><body>is away</body>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><type>user_state</type></x></message>");
    ck_assert(state.presentation && state.presentation->type == "user_state");
    expect_str(render_message(state).html, "");
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("message");
    TCase *tc = tcase_create("message");
    tcase_add_test(tc, one_to_one_chat);
    tcase_add_test(tc, groupchat_message);
    tcase_add_test(tc, history_message_with_delay);
    tcase_add_test(tc, sender_falls_back_in_order_of_trust);
    tcase_add_test(tc, html_notification);
    tcase_add_test(tc, html_notification_prefers_clean_xhtml);
    tcase_add_test(tc, html_notification_body_is_sanitised);
    tcase_add_test(tc, text_notification);
    tcase_add_test(tc, card_notification);
    tcase_add_test(tc, odd_cards_are_ignored);
    tcase_add_test(tc, legacy_file_share);
    tcase_add_test(tc, authenticated_file_share);
    tcase_add_test(tc, corrections_and_deletions);
    tcase_add_test(tc, room_state_messages);
    tcase_add_test(tc, slash_commands);
    tcase_add_test(tc, subjects_and_non_messages);
    tcase_add_test(tc, malformed_parts_are_tolerated);
    tcase_add_test(tc, sizes_are_human);
    tcase_add_test(tc, colours_are_readable);
    tcase_add_test(tc, corrections_apply_to_the_senders_last_message);
    tcase_add_test(tc, only_system_and_notification_types_are_integrations);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
