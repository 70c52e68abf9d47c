#!/usr/bin/env python3
"""Rooms through bitlbee: `chat list hipchat` shows HipChat's rooms with their
topics, `chat add hipchat !1` plus /join enters the room under the full
name (bitlbee's own handle is ignored), occupants are listed, messages go
both ways, a typed /topic is a command, not a message, and a typed /share
(which would upload the bitlbee server's files) is refused."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bitlbee_client import bitlbee_and_emulator, sign_in  # noqa: E402


def main():
    with bitlbee_and_emulator(sys.argv) as (irc, emulator):
        sign_in(irc, emulator.xmpp_port, autojoin="false")

        irc.say("chat list hipchat")
        irc.wait_for(lambda l: "10804_dev@conf.hipchat.com" in l and "Ship it" in l, 20,
                     "Dev in the room list")
        irc.wait_for(lambda l: "10804_random@conf.hipchat.com" in l, 5, "Random in the list")
        listed = "\n".join(irc.lines)
        assert "10804_old_launch" not in listed, "the archived room was listed"

        # bitlbee ties a channel to the conversation by the name it joins
        # with: the room's JID, as the list shows it (docs/USER-GUIDE.md).
        irc.say("chat add hipchat !1 #dev")
        irc.wait_for(lambda l: "Chatroom successfully added" in l, 10, "chat add")
        irc.send("JOIN #dev")
        irc.wait_for(lambda l: " JOIN :#dev" in l and l.startswith(f":{irc.nick}!"), 20,
                     "ourselves in #dev")
        sent = emulator.control("/transcript?user=alice@example.com")
        assert "10804_dev@conf.hipchat.com/Alice Example" in sent, "not joined with the full name"

        # Bob writes in the room; we see it under his name.
        emulator.control("/message", {"from": "10804_204365@chat.hipchat.com",
                                       "room": "10804_dev@conf.hipchat.com",
                                       "body": "hello from Bob"})
        # ... under the nick he has in 1:1s and the buddy list, not a second one.
        irc.wait_for(lambda l: l.startswith(":BobTest!") and "PRIVMSG #dev :hello from Bob" in l,
                     20, "Bob's message in #dev")
        # We write back: the room gets it.
        irc.say("hi Bob", "#dev")
        # A /topic typed as text is run as our command, not sent...
        # (said as an action of ours: bitlbee passes no topic change on.)
        irc.say("/topic Release day", "#dev")
        irc.wait_for(lambda l: l.startswith(f":{irc.nick}!") and
                     "PRIVMSG #dev :\x01ACTION changed the topic to: Release day\x01" in l,
                     20, "the typed topic")
        # ...and IRC's own TOPIC works too.
        irc.send("TOPIC #dev :Ship it today")
        irc.wait_for(lambda l: "changed the topic to: Ship it today" in l, 20, "the IRC topic")
        # A typed /share would upload a file of the bitlbee server's: it is
        # refused with a word on how to share instead, in the room and in
        # a query alike.
        irc.say("/share /etc/passwd", "#dev")
        irc.wait_for(lambda l: "PRIVMSG #dev :" in l and "Files cannot be shared with /share here" in l,
                     20, "the refused /share in #dev")
        irc.say("/share /etc/passwd", "BobTest")
        irc.wait_for(lambda l: "PRIVMSG " in l and "#dev" not in l and
                     "Files cannot be shared with /share here" in l, 20, "the refused /share in a query")
        assert "share/file" not in emulator.control("/rest-log"), "a file of the server was uploaded"
        sent = emulator.control("/transcript?user=alice@example.com")
        assert "<body>hi Bob</body>" in sent, "our message did not reach the room"
        assert "<body>/topic" not in sent, "a typed /topic was sent as a message"
        assert "<body>/share" not in sent, "a typed /share was sent as a message"
    print("bitlbee lists, joins and talks in HipChat rooms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
