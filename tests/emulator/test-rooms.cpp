// The emulator's rooms (§7), room and 1:1 history (§9) and offline 1:1
// messages (§16 item 8), through the scripted raw-XMPP client.
#include <string>

#include "control-client.hpp"
#include "emulator-process.hpp"
#include "sample-org.hpp"
#include "xmpp-test-client.hpp"

#include <check.h>

#include "check-run.hpp"
#include "text-match.hpp"

using hipchat::test::contains;
using hipchat::test::ControlClient;
using hipchat::test::ControlReply;
using hipchat::test::EmulatorProcess;
using hipchat::test::occurrences;
using hipchat::test::XmppTestClient;

namespace sample = hipchat::test::sample;

namespace {

std::string rooms_query(const std::string &attributes, const std::string &inside = {})
{
    return "<iq type='get' id='rooms' to='conf.hipchat.com'><query "
           "xmlns='http://jabber.org/protocol/disco#items'" +
           attributes + ">" + inside + "</query></iq>";
}

// §7.1
START_TEST(rooms_are_listed_with_hipchat_fields_archived_filtering_and_paging)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    alice.send(rooms_query(""));
    std::string list = alice.expect("</iq>");
    ck_assert_msg(contains(list, std::string("<item jid='") + sample::dev.jid + "' name='Dev'>"),
                  "%s", list.c_str());
    for (const char *field :
         {"<x xmlns='http://hipchat.com/protocol/muc#room'>", "<id>22087</id>",
          "<topic>Ship it</topic>", "<privacy>public</privacy>",
          "<owner>10804_204364@chat.hipchat.com</owner>", "<num_participants>0</num_participants>",
          "<guest_url>https://www.hipchat.com/gAbCdEf12</guest_url>", "<last_active>"})
        ck_assert_msg(contains(list, field), "%s missing: %s", field, list.c_str());
    ck_assert(contains(list, sample::ops.jid));           // a private room Alice belongs to
    ck_assert(!contains(list, sample::old_launch.slug));  // archived rooms only on request
    ck_assert(!contains(list, "rsm"));                    // one page
    alice.send(rooms_query(" include_archived='true'"));
    list = alice.expect("</iq>");
    ck_assert(contains(list, sample::old_launch.slug) && contains(list, "<is_archived/>"));
    alice.send(rooms_query(" include_archived='true' ignore_archived='true'"));
    ck_assert(!contains(alice.expect("</iq>"), sample::old_launch.slug));

    // XEP-0059 pages: <set> on all but the last; <after> a JID or a name.
    alice.send(rooms_query("", "<set xmlns='http://jabber.org/protocol/rsm'><max>2</max></set>"));
    list = alice.expect("</iq>");
    ck_assert_int_eq(occurrences(list, "<item "), 2);
    ck_assert_msg(contains(list, "<count>5</count>") &&
                      contains(list, "<last>10804_random@conf.hipchat.com</last>"),
                  "%s", list.c_str());
    alice.send(rooms_query("",
                           "<set xmlns='http://jabber.org/protocol/rsm'><max>2</max>"
                           "<after>10804_random@conf.hipchat.com</after></set>"));
    list = alice.expect("</iq>");
    ck_assert(contains(list, sample::ops.jid) && contains(list, "10804_design@"));
    alice.send(rooms_query("",
                           "<set xmlns='http://jabber.org/protocol/rsm'><max>2</max>"
                           "<after>Design</after></set>"));
    list = alice.expect("</iq>");
    ck_assert(contains(list, "10804_support@") && !contains(list, "<set"));

    // Carol is not in the private room (§7.1 [INFERRED]); room details (§7.2).
    XmppTestClient carol(emulator.xmpp_port());
    carol.login(emulator.ca_file(), sample::carol.email, sample::carol.password);
    carol.send(rooms_query(""));
    ck_assert(!contains(carol.expect("</iq>"), sample::ops.jid));
    carol.send(std::string("<iq type='get' id='i1' to='") + sample::dev.jid +
               "'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
    const std::string info = carol.expect("</iq>");
    ck_assert_msg(contains(info, "<identity category='conference' type='text' name='Dev'/>") &&
                      contains(info, "<id>22087</id>"),
                  "%s", info.c_str());
}
END_TEST

// §7.1 and --disco-page-size: the page a client gets when it asks for none,
// and no paging at all (a server without RSM, for stock XMPP clients).
START_TEST(the_disco_page_size_sets_the_default_page_and_zero_turns_paging_off)
{
    const auto items_for = [](const std::string &page_size, const std::string &inside) {
        EmulatorProcess emulator(
            {"--large", "20", "--large-rooms", "250", "--disco-page-size", page_size});
        XmppTestClient person(emulator.xmpp_port());
        person.login(emulator.ca_file(), "person1@example.com", "password1", "bench");
        person.send(rooms_query("", inside));
        return person.expect("</query></iq>");
    };
    // Rooms person1 may see: the public ones and the private ones with them in.
    std::string list = items_for("30", "");
    ck_assert_int_eq(occurrences(list, "<item "), 30);
    ck_assert_msg(contains(list, "<set xmlns='http://jabber.org/protocol/rsm'>"), "%s",
                  list.c_str());
    list = items_for("30", "<set xmlns='http://jabber.org/protocol/rsm'><max>50</max></set>");
    ck_assert_int_eq(occurrences(list, "<item "), 50);  // the client's <max> still counts

    list = items_for("0", "");
    const std::size_t all = occurrences(list, "<item ");
    ck_assert_msg(all > 100 && all < 250, "%zu rooms", all);  // past the default page of 100
    ck_assert(!contains(list, "<set"));
    // No RSM at all: <max> and <after> are ignored.
    list = items_for("0",
                     "<set xmlns='http://jabber.org/protocol/rsm'><max>2</max>"
                     "<after>10804_payments_team@conf.hipchat.com</after></set>");
    ck_assert_int_eq(occurrences(list, "<item "), all);
    ck_assert(!contains(list, "<set"));
}
END_TEST

// The control interface's POST /messages: a batch of room messages and
// notifications, in order, as POST /message and POST /notification would
// post them one by one.
START_TEST(a_batch_of_room_messages_arrives_in_order)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    alice.send(std::string("<presence to='") + sample::dev.jid +
               "/Alice Example'><x xmlns='http://jabber.org/protocol/muc'>"
               "<history maxstanzas='0'/></x></presence>");
    alice.expect("</subject></message>");
    const ControlReply posted = control.request(
        "POST", "/messages",
        std::string("{\"room\":\"") + sample::dev.jid +
            "\",\"messages\":[{\"from\":\"10804_204365@chat.hipchat.com\",\"body\":\"first\"},"
            "{\"from\":\"Jenkins\",\"message\":\"<b>Build #7</b> passed\",\"color\":\"green\"},"
            "{\"from\":\"10804_204366@chat.hipchat.com\",\"body\":\"third\"}]}");
    ck_assert_int_eq(posted.status, 200);
    ck_assert_str_eq(posted.body.c_str(), "{\"posted\":3}");
    const std::string got = alice.expect("third</body>");
    const auto first = got.find("from='10804_dev@conf.hipchat.com/Bob Test'");
    const auto second = got.find("from='10804_dev@conf.hipchat.com/Jenkins'");
    const auto third = got.find("from='10804_dev@conf.hipchat.com/Carol Jones'");
    ck_assert_msg(first != std::string::npos && second != std::string::npos &&
                      third != std::string::npos && first < second && second < third,
                  "%s", got.c_str());
    ck_assert(contains(got, "<color>green</color>"));

    // A bad entry stops the batch there and says which.
    const ControlReply refused = control.request(
        "POST", "/messages",
        std::string("{\"room\":\"") + sample::dev.jid +
            "\",\"messages\":[{\"from\":\"10804_204365@chat.hipchat.com\",\"body\":\"ok\"},"
            "{\"from\":\"nobody@chat.hipchat.com\",\"body\":\"no\"}]}");
    ck_assert_int_eq(refused.status, 400);
    ck_assert_msg(contains(refused.body, "message 1") && contains(refused.body, "\"posted\":1"),
                  "%s", refused.body.c_str());
    ck_assert_int_eq(
        control.post_status("/messages",
                            "{\"room\":\"10804_nowhere@conf.hipchat.com\",\"messages\":[]}"),
        400);
}
END_TEST

// §7.4, §8.3
START_TEST(joining_needs_the_full_name_and_brings_presence_backlog_and_topic)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "pidgin");
    alice.send(std::string("<presence to='") + sample::dev.jid + "/AliceExample'/>");
    std::string reply = alice.expect("</presence>");
    ck_assert_msg(contains(reply, "type='error'") && contains(reply, "code='406'") &&
                      contains(reply, "<not-acceptable"),
                  "%s", reply.c_str());

    alice.send(std::string("<presence to='") + sample::dev.jid +
               "/Alice Example'><x xmlns='http://jabber.org/protocol/muc'>"
               "<history maxstanzas='3'/></x></presence>");
    reply = alice.expect("</subject></message>");
    ck_assert_msg(contains(reply, "<status code='110'/>") &&
                      contains(reply,
                               "affiliation='owner' role='participant' jid='10804_204364@"
                               "chat.hipchat.com/pidgin'") &&
                      contains(reply, "<rostersize>1</rostersize>") &&
                      contains(reply,
                               "<x xmlns='http://hipchat.com/protocol/muc#permissions'>"
                               "<permission>"),
                  "%s", reply.c_str());
    // The last three of four backlog messages, with <delay from_jid> and no id.
    ck_assert_int_eq(occurrences(reply, "<delay xmlns='urn:xmpp:delay'"), 3);
    ck_assert(!contains(reply, "Release branch is cut"));
    ck_assert(contains(reply, "from='10804_dev@conf.hipchat.com/Alice Example'") &&
              contains(reply, "from_jid='10804_204364@chat.hipchat.com'"));
    ck_assert(contains(reply, "from='10804_dev@conf.hipchat.com/Jenkins'") &&
              contains(reply, "<type>notification</type>"));  // §8.4
    ck_assert(contains(reply, "<subject>Ship it</subject>"));
    ck_assert(!contains(reply, " id='"));
    // The delay names the sender by from_jid alone: HipChat sent no XEP-0203
    // `from`, and bitlbee reads a `from` first (§8.3).
    ck_assert_msg(contains(reply, "<delay xmlns='urn:xmpp:delay' stamp='") &&
                      !contains(reply, "from='10804_dev@conf.hipchat.com'/>"),
                  "%s", reply.c_str());

    // A private room Carol is not in (§7.4 [INFERRED] forbidden).
    XmppTestClient carol(emulator.xmpp_port());
    carol.login(emulator.ca_file(), sample::carol.email, sample::carol.password);
    carol.send(std::string("<presence to='") + sample::ops.jid + "/Carol Jones'/>");
    reply = carol.expect("</presence>");
    ck_assert_msg(contains(reply, "code='403'") && contains(reply, "<forbidden"), "%s",
                  reply.c_str());
}
END_TEST

// §7.4-§7.6, §7.9, §8.2
START_TEST(occupants_see_each_other_messages_are_reflected_and_topics_change)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    alice.send(std::string("<presence to='") + sample::dev.jid +
               "/Alice Example'><x xmlns='http://jabber.org/protocol/muc'>"
               "<history maxstanzas='0'/></x></presence>");
    ck_assert(!contains(alice.expect("</subject></message>"), "<delay"));

    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    // Not in the room yet: refused as HipChat Server does (§7.9).
    bob.send(std::string("<message to='") + sample::dev.jid +
             "' type='groupchat' id='early'><body>too soon</body></message>");
    std::string reply = bob.expect("</message>");
    ck_assert_msg(contains(reply, "type='error'") && contains(reply, "code='403'") &&
                      contains(reply, "You must be in this room to send a message.") &&
                      contains(reply, "<body>too soon</body>"),
                  "%s", reply.c_str());

    bob.send(std::string("<presence to='") + sample::dev.jid +
             "/Bob Test'><show>xa</show><x xmlns='http://jabber.org/protocol/muc'>"
             "<history maxstanzas='0'/></x></presence>");
    reply = bob.expect("</subject></message>");
    ck_assert(contains(reply, "from='10804_dev@conf.hipchat.com/Alice Example'") &&
              contains(reply, "jid='10804_204364@chat.hipchat.com/a'"));
    reply = alice.expect("</presence>");
    ck_assert_msg(contains(reply, "from='10804_dev@conf.hipchat.com/Bob Test'") &&
                      contains(reply, "<show>xa</show>") &&
                      contains(reply, "affiliation='member' role='participant'"),
                  "%s", reply.c_str());

    // Reflected to everyone, the sender included, with its id (§8.2).
    alice.send(std::string("<message to='") + sample::dev.jid +
               "' type='groupchat' id='g1'><body>hello @BobTest</body></message>");
    for (XmppTestClient *client : {&alice, &bob}) {
        reply = client->expect("hello @BobTest");
        ck_assert_msg(contains(reply, "from='10804_dev@conf.hipchat.com/Alice Example'") &&
                          contains(reply, "id='g1'") && contains(reply, "mid='") &&
                          contains(reply, "ts='") &&
                          contains(reply, "from_jid='10804_204364@chat.hipchat.com'"),
                      "%s", reply.c_str());
    }

    // Topic (§7.6): from room/Setter Name to everyone, and in later listings.
    bob.send(std::string("<message to='") + sample::dev.jid +
             "' type='groupchat'><subject>Freeze until Monday</subject></message>");
    for (XmppTestClient *client : {&alice, &bob})
        ck_assert(contains(client->expect("<subject>Freeze until Monday</subject>"),
                           "from='10804_dev@conf.hipchat.com/Bob Test'"));
    alice.send(rooms_query(""));
    reply = alice.expect("</iq>");
    ck_assert(contains(reply, "<topic>Freeze until Monday</topic>") &&
              contains(reply, "<num_participants>2</num_participants>"));

    // Leaving (§7.5): 110 to ourselves, role none to the others.
    bob.send(std::string("<presence type='unavailable' to='") + sample::dev.jid + "/Bob Test'/>");
    ck_assert(contains(bob.expect("</presence>"), "<status code='110'/>"));
    reply = alice.expect("</presence>");
    ck_assert(contains(reply, "type='unavailable'") && contains(reply, "role='none'"));
}
END_TEST

// §7.5, §19.7: how people leave, as the web client told leaves, closes and
// removals apart (presence_processor.js 115-137).
START_TEST(leaving_closing_on_another_device_and_removal_have_their_shapes)
{
    EmulatorProcess emulator;
    auto join = [](XmppTestClient &client, const std::string &nick) {
        client.send(std::string("<presence to='") + sample::dev.jid + "/" + nick +
                    "'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x>"
                    "</presence>");
        client.expect("</subject></message>");
    };
    XmppTestClient desk(emulator.xmpp_port()), phone(emulator.xmpp_port());
    desk.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "desk");
    phone.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "phone");
    XmppTestClient bob(emulator.xmpp_port());
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    join(desk, sample::alice.name);
    join(phone, sample::alice.name);
    join(bob, sample::bob.name);
    desk.expect("Bob Test'");

    // A leave carries the status the client gave (none: an empty one).
    bob.send(std::string("<presence type='unavailable' to='") + sample::dev.jid +
             "/Bob Test'><status>hc-leave</status></presence>");
    std::string reply = desk.expect("</presence>");
    ck_assert_msg(
        contains(reply, "type='unavailable'") && contains(reply, "<status>hc-leave</status>"), "%s",
        reply.c_str());
    join(bob, sample::bob.name);
    desk.expect("Bob Test'");

    // Alice closes Dev on her phone: her desk is told so (307, herself the
    // actor, her bare JID on the item); Bob sees her leave once.
    phone.send(std::string("<presence type='unavailable' to='") + sample::dev.jid +
               "/Alice Example'/>");
    phone.expect("<status code='110'/>");
    reply = desk.expect("<status code='307'/>");
    ck_assert_msg(contains(reply, std::string("<item affiliation='none' role='none' jid='") +
                                      sample::alice.jid + "'><actor jid='" + sample::alice.jid +
                                      "'/></item><status code='307'/>"),
                  "%s", reply.c_str());
    reply = bob.expect("<status/>");
    ck_assert_msg(contains(reply, "type='unavailable'") && contains(reply, "Alice Example'") &&
                      !contains(reply, "307"),
                  "%s", reply.c_str());
    ck_assert(!bob.closed_within(300) && !contains(bob.expect("", 300), "Alice Example"));

    // Alice (an admin) removes Bob: both he and the room hear who did it.
    join(desk, sample::alice.name);
    desk.send(std::string("<iq type='set' id='rm' to='") + sample::dev.jid +
              "'><query xmlns='http://hipchat.com'><item jid='" + sample::bob.jid +
              "' affiliation='none'/></query></iq>");
    const std::string removal = std::string("<item affiliation='none' role='none' jid='") +
                                sample::bob.jid + "'><actor jid='" + sample::alice.jid +
                                "'/></item><status code='307'/>";
    ck_assert(contains(bob.expect("<status code='307'/>"), removal));
    ck_assert(contains(desk.expect("<status code='307'/>"), removal));
}
END_TEST

// §9, §16 item 8
START_TEST(history_pages_and_offline_messages)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    alice.send(std::string("<iq type='get' id='h1' to='") + sample::dev.jid +
               "'><query xmlns='http://hipchat.com/protocol/history' maxstanzas='2' "
               "type='groupchat'/></iq>");
    std::string page = alice.expect("id='h1'");
    ck_assert_int_eq(occurrences(page, "<message "), 2);
    ck_assert(contains(page, "Backend is deployed") && !contains(page, "smoke tests"));
    ck_assert(page.find("<message ") < page.find("type='result'"));  // messages, then result
    // before = the older message's ts in the official client's format.
    alice.send(std::string("<iq type='get' id='h2' to='") + sample::dev.jid +
               "'><query xmlns='http://hipchat.com/protocol/history' maxstanzas='50' "
               "type='groupchat' before='2025-11-23T12:00:00Z 303000'/></iq>");
    page = alice.expect("id='h2'");
    ck_assert_msg(occurrences(page, "<message ") == 2 && contains(page, "smoke tests") &&
                      !contains(page, "<b>Build"),
                  "%s", page.c_str());

    // Carol is offline: kept, then delivered with <delay from_jid> (§8.3).
    alice.send(std::string("<message type='chat' to='") + sample::carol.jid +
               "'><body>see you tomorrow</body></message>");
    alice.send("<iq type='get' id='sync'><ping xmlns='urn:xmpp:ping'/></iq>");
    alice.expect("id='sync'");
    XmppTestClient carol(emulator.xmpp_port());
    carol.login(emulator.ca_file(), sample::carol.email, sample::carol.password);
    carol.send("<presence/>");
    const std::string stored = carol.expect("see you tomorrow");
    ck_assert_msg(contains(stored, std::string("<delay xmlns='urn:xmpp:delay' stamp='")) &&
                      contains(stored, std::string("from_jid='") + sample::alice.jid + "'"),
                  "%s", stored.c_str());
    // And it is 1:1 history for both.
    carol.send(std::string("<iq type='get' id='h3' to='") + sample::alice.jid +
               "'><query xmlns='http://hipchat.com/protocol/history' maxstanzas='10' "
               "type='chat'/></iq>");
    ck_assert(contains(carol.expect("id='h3'"), "see you tomorrow"));
}
END_TEST

// --history-overlap: a page also holds messages at or after `before` (the
// client shows them already and de-duplicates by mid).
START_TEST(history_pages_overlap_under_the_option)
{
    EmulatorProcess emulator({"--history-overlap", "2"});
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    alice.send(std::string("<iq type='get' id='h' to='") + sample::dev.jid +
               "'><query xmlns='http://hipchat.com/protocol/history' maxstanzas='1' "
               "type='groupchat' before='2025-11-23T12:00:00Z 303000'/></iq>");
    const std::string page = alice.expect("id='h'");
    // The one before (Alice's), then Jenkins' at `before` and Ivan's after it.
    ck_assert_msg(occurrences(page, "<message ") == 3 &&
                      page.find("smoke tests") < page.find("Build") &&
                      page.find("Build") < page.find("Backend is deployed") &&
                      !contains(page, "Release branch is cut"),
                  "%s", page.c_str());
}
END_TEST

// §7.6, §19.7: topic changes are history: delayed <subject>s in the backlog
// and in pages, with no body.
START_TEST(topic_changes_come_back_as_delayed_subjects)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    // The sample organisation's Random has an old one.
    alice.send(std::string("<presence to='") + sample::random.jid +
               "/Alice Example'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
    std::string backlog = alice.expect("<subject>Cats, coffee");
    const auto old = backlog.find("<subject>The coffee machine is broken</subject>");
    ck_assert_msg(old != std::string::npos, "%s", backlog.c_str());
    const std::string line =
        backlog.substr(backlog.rfind("<message", old),
                       backlog.find("</message>", old) - backlog.rfind("<message", old));
    ck_assert_msg(contains(line, "<delay xmlns='urn:xmpp:delay'") && !contains(line, "<body"), "%s",
                  line.c_str());
    // A new one joins them.
    alice.send(std::string("<message type='groupchat' to='") + sample::random.jid +
               "'><subject>Decaf only</subject></message>");
    alice.expect("<subject>Decaf only</subject>");
    alice.send(std::string("<iq type='get' id='h' to='") + sample::random.jid +
               "'><query xmlns='http://hipchat.com/protocol/history' maxstanzas='1'/></iq>");
    const std::string page = alice.expect("id='h'");
    ck_assert_msg(contains(page, "<subject>Decaf only</subject><delay"), "%s", page.c_str());
}
END_TEST

// §7.3, §7.5, §7.7, §7.8, §8.9
START_TEST(owners_administer_rooms_and_everyone_hears_of_it)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());  // owner of Dev, member of Ops
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    XmppTestClient carol(emulator.xmpp_port());
    carol.login(emulator.ca_file(), sample::carol.email, sample::carol.password, "c");
    auto join = [](XmppTestClient &client, const std::string &room, const std::string &nick) {
        client.send("<presence to='" + room + "/" + nick +
                    "'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x>"
                    "</presence>");
        return client.expect("</subject></message>");
    };
    join(alice, sample::dev.jid, sample::alice.name);
    join(carol, sample::dev.jid, sample::carol.name);
    alice.expect("from='10804_dev@conf.hipchat.com/Carol Jones'");

    // Not the owner: refused.
    carol.send(std::string("<iq type='set' id='r0' to='") + sample::dev.jid +
               "'><query xmlns='http://hipchat.com'><rename>Mine</rename></query></iq>");
    ck_assert(contains(carol.expect("id='r0'"), "<forbidden"));
    // Rename: a result, then a room push to everyone (§7.3).
    alice.send(std::string("<iq type='set' id='r1' to='") + sample::dev.jid +
               "'><query xmlns='http://hipchat.com'><rename>Development</rename></query></iq>");
    ck_assert(contains(alice.expect("id='r1'"), "type='result'"));
    std::string push = carol.expect("</iq>");
    ck_assert_msg(contains(push,
                           "<query xmlns='http://hipchat.com/protocol/muc#room'><item jid='"
                           "10804_dev@conf.hipchat.com' name='Development'><id>22087</id>"),
                  "%s", push.c_str());
    // Guest access: a bodyless info message to the occupants (§8.9).
    alice.send(std::string("<iq type='set' id='r2' to='") + sample::dev.jid +
               "'><query xmlns='http://hipchat.com'><guest_access>1</guest_access></query></iq>");
    const std::string guest = carol.expect("</guest_url></x></message>");
    ck_assert_msg(contains(guest, "from='10804_dev@conf.hipchat.com/Alice Example'") &&
                      contains(guest, "<guest_url>https://www.hipchat.com/g") &&
                      !contains(guest, "<body>"),
                  "%s", guest.c_str());

    // Invite Carol to the private Ops room (§7.8); she can join then.
    alice.send(std::string("<message to='") + sample::ops.jid +
               "'><x xmlns='http://jabber.org/protocol/muc#user'><invite to='" + sample::carol.jid +
               "'><reason>on call</reason></invite></x></message>");
    const std::string invite = carol.expect("</message>");
    ck_assert_msg(contains(invite, std::string("<invite from='") + sample::alice.jid +
                                       "'><reason>on call</reason></invite>") &&
                      contains(invite, "<name>Ops</name>"),
                  "%s", invite.c_str());
    ck_assert(contains(join(carol, sample::ops.jid, sample::carol.name), "<status code='110'/>"));

    // Removal (§7.5): 307 with the actor to Carol.
    alice.send(std::string("<iq type='set' id='r3' to='") + sample::dev.jid +
               "'><query xmlns='http://hipchat.com'><item jid='" + sample::carol.jid +
               "' affiliation='none'/></query></iq>");
    const std::string removed = carol.expect("<status code='307'/><status code='110'/>");
    ck_assert(contains(removed, std::string("<actor jid='") + sample::alice.jid + "'/>"));

    // Destroy: everyone gets a push with status='deleted'; the room is gone.
    alice.send(std::string("<iq type='set' id='r4' to='") + sample::dev.jid +
               "'><query xmlns='http://jabber.org/protocol/muc#owner'><destroy/></query></iq>");
    ck_assert(contains(carol.expect("status='deleted'"), sample::dev.jid));
    carol.send(rooms_query(""));
    ck_assert(!contains(carol.expect("</iq>"), "10804_dev@"));
}
END_TEST

// §7.4 (creating by joining), §5.4 (iq-auth)
START_TEST(joining_a_new_room_with_its_x_creates_it_and_iq_auth_works)
{
    EmulatorProcess emulator;
    XmppTestClient bob(emulator.xmpp_port());
    bob.start_tls(emulator.ca_file());
    bob.expect("</stream:features>");
    bob.send(
        "<iq type='set' id='a1'><query xmlns='jabber:iq:auth'><username>10804_204365"
        "</username><password>wrong</password><resource>r</resource></query></iq>");
    ck_assert(contains(bob.expect("id='a1'"), "<not-authorized"));
    bob.send(
        "<iq type='set' id='a2'><query xmlns='jabber:iq:auth'><username>bob@example.com"
        "</username><password>bob-demo-password</password><resource>r</resource></query></iq>");
    ck_assert(contains(bob.expect("id='a2'"), "type='result'"));

    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password);
    bob.send(
        "<presence to='10804_launch@conf.hipchat.com/Bob Test'>"
        "<x xmlns='http://jabber.org/protocol/muc'/>"
        "<x xmlns='http://hipchat.com/protocol/muc#room'><name>Launch</name>"
        "<topic>T-minus 3</topic><privacy>public</privacy></x></presence>");
    const std::string joined = bob.expect("</subject></message>");
    ck_assert_msg(contains(joined, "<status code='110'/>") &&
                      contains(joined, "affiliation='owner'") &&
                      contains(joined, "<subject>T-minus 3</subject>"),
                  "%s", joined.c_str());
    ck_assert(contains(alice.expect("</iq>"), "name='Launch'"));  // room push (§7.3)
    bob.send("<presence to='10804_nowhere@conf.hipchat.com/Bob Test'/>");
    ck_assert(contains(bob.expect("</presence>"), "code='404'"));
}
END_TEST

// §7.4 guests (control POST /guest): only where the room has guest access;
// the occupants see a visitor with a mention name (the web client's captured
// stanza, core/models/user.js 116-124), newcomers too; a guest speaks under
// the name they gave; guest access turned off sends every guest away with
// hc-not-allowed (application_store.js 2328-2332).
START_TEST(guests_come_in_by_the_guest_link_and_leave_when_it_is_turned_off)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    const std::string support = sample::support.jid;
    ck_assert_int_eq(control.post_status("/guest", std::string("{\"room\":\"") + sample::dev.jid +
                                                       "\",\"name\":\"a guest\"}"),
                     403);                      // Dev has no guest link
    XmppTestClient dave(emulator.xmpp_port());  // Support is Dave's
    dave.login(emulator.ca_file(), sample::dave.email, sample::dave.password, "d");
    dave.send("<presence to='" + support +
              "/Dave O&apos;Brien'><x "
              "xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>");
    dave.expect("</subject></message>");
    const std::string admitted =
        control.post("/guest", "{\"room\":\"" + support + "\",\"name\":\"a guest\"}");
    ck_assert_msg(contains(admitted, "\"mention_name\":\"aguestGuest\"") &&
                      contains(admitted, "@chat.hipchat.com/web"),
                  "%s", admitted.c_str());
    const std::string visitor = dave.expect("</presence>");
    ck_assert_msg(contains(visitor, "from='" + support + "/a guest'") &&
                      contains(visitor,
                               "<item mention_name='aguestGuest' affiliation='member' "
                               "jid='10804_") &&
                      contains(visitor, "role='visitor'/>") && !contains(visitor, "type="),
                  "%s", visitor.c_str());
    ck_assert_int_eq(
        control.post_status("/guest", "{\"room\":\"" + support + "\",\"name\":\"Dave O'Brien\"}"),
        403);  // a name in use
    const std::string guest_jid = admitted.substr(
        admitted.find("\"jid\":\"") + 7, admitted.find("\",") - admitted.find("\"jid\":\"") - 7);
    control.post("/message", "{\"from\":\"" + guest_jid + "\",\"room\":\"" + support +
                                 "\",\"body\":\"hello from outside\"}");
    const std::string said = dave.expect("</message>");
    ck_assert_msg(contains(said, "from='" + support + "/a guest'") &&
                      contains(said, "<body>hello from outside</body>"),
                  "%s", said.c_str());
    // A newcomer sees the guest among the occupants.
    XmppTestClient erin(emulator.xmpp_port());
    erin.login(emulator.ca_file(), sample::erin.email, sample::erin.password, "e");
    erin.send("<presence to='" + support + "/Erin Müller'/>");
    ck_assert(contains(erin.expect("</subject></message>"), "role='visitor'"));
    // Dave turns guest access off: the guest is sent away.
    dave.send("<iq type='set' id='g0' to='" + support +
              "'><query xmlns='http://hipchat.com'><guest_access>0</guest_access></query></iq>");
    const std::string away = dave.expect("<status>hc-not-allowed</status></presence>");
    ck_assert_msg(contains(away, "type='unavailable' from='" + support + "/a guest'") &&
                      contains(away, "<guest_url/>"),
                  "%s", away.c_str());
    ck_assert_int_eq(
        control.post_status("/guest", "{\"room\":\"" + support + "\",\"name\":\"another guest\"}"),
        403);
}
END_TEST

// --no-from-jid: older servers' live room messages, without from_jid
// (message_processor.js 698-699); the backlog still names the sender.
START_TEST(older_servers_send_room_messages_without_from_jid)
{
    EmulatorProcess emulator({"--no-from-jid"});
    XmppTestClient alice(emulator.xmpp_port()), bob(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    bob.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "b");
    alice.send(std::string("<presence to='") + sample::dev.jid + "/Alice Example'/>");
    const std::string backlog = alice.expect("</subject></message>");
    ck_assert(contains(backlog, "<delay xmlns='urn:xmpp:delay' stamp=") &&
              contains(backlog, std::string("from_jid='") + sample::bob.jid + "'"));
    bob.send(std::string("<presence to='") + sample::dev.jid + "/Bob Test'/>");
    bob.expect("</subject></message>");
    bob.send(std::string("<message type='groupchat' to='") + sample::dev.jid +
             "'><body>said without a name</body></message>");
    const std::string live = alice.expect("said without a name</body></message>");
    const std::string message = live.substr(live.rfind("<message"));
    ck_assert_msg(contains(message, "from='10804_dev@conf.hipchat.com/Bob Test'") &&
                      !contains(message, "from_jid"),
                  "%s", message.c_str());
}
END_TEST

// §1, §7.4: under --nick-rule mention-name the mention name is the nick, the
// full name gets the same 406 as the wrong nick does by default, and what the
// occupant says comes from room/MentionName.
START_TEST(the_mention_name_rule_requires_the_mention_name_as_nick)
{
    EmulatorProcess emulator({"--nick-rule", "mention-name"});
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    alice.send(std::string("<presence to='") + sample::dev.jid + "/Alice Example'/>");
    std::string reply = alice.expect("</presence>");
    ck_assert_msg(contains(reply,
                           "<presence type='error' from='10804_dev@conf.hipchat.com/Alice "
                           "Example'") &&
                      contains(reply,
                               "<error type='cancel' code='406'><not-acceptable "
                               "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"),
                  "%s", reply.c_str());
    alice.send(std::string("<presence to='") + sample::dev.jid +
               "/AliceExample'><x xmlns='http://jabber.org/protocol/muc'>"
               "<history maxstanzas='1'/></x></presence>");
    reply = alice.expect("</subject></message>");
    ck_assert_msg(contains(reply, "from='10804_dev@conf.hipchat.com/AliceExample'") &&
                      contains(reply, "<status code='110'/>"),
                  "%s", reply.c_str());
    // The backlog's sender is a mention name too.
    ck_assert(contains(reply, "from='10804_dev@conf.hipchat.com/IvanP'"));
    alice.send(std::string("<message to='") + sample::dev.jid +
               "' type='groupchat' id='m'><body>hi</body></message>");
    ck_assert(contains(alice.expect("<body>hi</body>"),
                       "from='10804_dev@conf.hipchat.com/AliceExample'"));
}
END_TEST

// §3, §7.4 (DANE): resource 'bot' gets no history on join, whatever it asks.
START_TEST(resource_bot_gets_no_history_on_join)
{
    EmulatorProcess emulator;
    XmppTestClient bot(emulator.xmpp_port());
    bot.login(emulator.ca_file(), sample::bob.email, sample::bob.password, "bot");
    bot.send(std::string("<presence to='") + sample::dev.jid +
             "/Bob Test'><x xmlns='http://jabber.org/protocol/muc'>"
             "<history maxstanzas='10'/></x></presence>");
    const std::string reply = bot.expect("</subject></message>");
    ck_assert(contains(reply, "<status code='110'/>"));
    ck_assert_msg(!contains(reply, "<delay"), "%s", reply.c_str());
}
END_TEST

// §7 (HipChat has no private messages inside rooms): refused with service-unavailable.
START_TEST(private_messages_inside_rooms_are_refused)
{
    EmulatorProcess emulator;
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    alice.send(std::string("<message type='chat' to='") + sample::dev.jid +
               "/Bob Test' id='pm'><body>psst</body></message>");
    const std::string reply = alice.expect("</message>");
    ck_assert_msg(contains(reply, "type='error'") && contains(reply, "id='pm'") &&
                      contains(reply, "<service-unavailable") &&
                      contains(reply, "<body>psst</body>"),
                  "%s", reply.c_str());
}
END_TEST

// §7.3, §8.9: archiving (on the website: control POST /room) pushes the room
// with <is_archived/>, tells the occupants in a bodyless message, and closes
// the room to newcomers (§7.4); restoring undoes it.
START_TEST(archiving_a_room_pushes_it_and_tells_the_occupants)
{
    EmulatorProcess emulator;
    const ControlClient control(emulator.control_port());
    XmppTestClient alice(emulator.xmpp_port());
    alice.login(emulator.ca_file(), sample::alice.email, sample::alice.password, "a");
    alice.send(std::string("<presence to='") + sample::dev.jid +
               "/Alice Example'><x xmlns='http://jabber.org/protocol/muc'>"
               "<history maxstanzas='0'/></x></presence>");
    alice.expect("</subject></message>");
    XmppTestClient carol(emulator.xmpp_port());
    carol.login(emulator.ca_file(), sample::carol.email, sample::carol.password, "c");

    ck_assert_int_eq(control.post_status("/room", std::string("{\"room\":\"") + sample::dev.jid +
                                                      "\",\"archived\":true,\"by\":\"" +
                                                      sample::alice.jid + "\"}"),
                     200);
    const std::string info = alice.expect("</is_archived></x></message>");
    ck_assert_msg(contains(info,
                           "<message type='groupchat' from='10804_dev@conf.hipchat.com/"
                           "Alice Example'") &&
                      contains(info,
                               "<x xmlns='http://hipchat.com/protocol/muc#room'>"
                               "<is_archived>1</is_archived></x>") &&
                      !contains(info.substr(info.rfind("<message")), "<body>"),
                  "%s", info.c_str());
    const std::string push = carol.expect("</iq>");
    ck_assert_msg(contains(push, "<item jid='10804_dev@conf.hipchat.com' name='Dev'>") &&
                      contains(push, "<is_archived/>"),
                  "%s", push.c_str());
    carol.send(std::string("<presence to='") + sample::dev.jid + "/Carol Jones'/>");
    ck_assert(contains(carol.expect("</presence>"), "code='403'"));

    control.post("/room", std::string("{\"room\":\"") + sample::dev.jid + "\",\"archived\":false}");
    ck_assert(
        contains(alice.expect("</is_archived></x></message>"), "<is_archived>0</is_archived>"));
    ck_assert(!contains(carol.expect("</iq>"), "is_archived"));
}
END_TEST

}  // namespace

int main()
{
    Suite *suite = suite_create("emulator-rooms");
    TCase *tc = tcase_create("rooms");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, rooms_are_listed_with_hipchat_fields_archived_filtering_and_paging);
    tcase_add_test(tc, the_disco_page_size_sets_the_default_page_and_zero_turns_paging_off);
    tcase_add_test(tc, a_batch_of_room_messages_arrives_in_order);
    tcase_add_test(tc, joining_needs_the_full_name_and_brings_presence_backlog_and_topic);
    tcase_add_test(tc, occupants_see_each_other_messages_are_reflected_and_topics_change);
    tcase_add_test(tc, leaving_closing_on_another_device_and_removal_have_their_shapes);
    tcase_add_test(tc, history_pages_and_offline_messages);
    tcase_add_test(tc, history_pages_overlap_under_the_option);
    tcase_add_test(tc, topic_changes_come_back_as_delayed_subjects);
    tcase_add_test(tc, owners_administer_rooms_and_everyone_hears_of_it);
    tcase_add_test(tc, joining_a_new_room_with_its_x_creates_it_and_iq_auth_works);
    tcase_add_test(tc, guests_come_in_by_the_guest_link_and_leave_when_it_is_turned_off);
    tcase_add_test(tc, older_servers_send_room_messages_without_from_jid);
    tcase_add_test(tc, the_mention_name_rule_requires_the_mention_name_as_nick);
    tcase_add_test(tc, resource_bot_gets_no_history_on_join);
    tcase_add_test(tc, private_messages_inside_rooms_are_refused);
    tcase_add_test(tc, archiving_a_room_pushes_it_and_tells_the_occupants);
    suite_add_tcase(suite, tc);
    return hipchat::test::run_suite(suite);
}
