#!/usr/bin/env python3
"""Names in bitlbee, as a new user meets them (issue "names everywhere"):
an auto-joined room is a channel named after the room (#Dev), the same
after a reconnect; a colleague has one IRC nick, the same in the channel
and in a query; the user is in the channel once, as themself; the answers
and errors of typed commands reach the channel; no line comes from `_`."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bitlbee_client import bitlbee_and_emulator, sign_in, wait_logged_in  # noqa: E402

DEV = "10804_dev@conf.hipchat.com"
ALICE = "10804_204364@chat.hipchat.com"
BOB = "10804_204365@chat.hipchat.com"


def channel_nicks(irc, channel, since):
    """The nicks of CHANNEL's NAMES reply (353 lines until 366) after line SINCE."""
    irc.wait_for(lambda l: f" 366 {irc.nick} {channel} " in l, 10, f"the names of {channel}",
                 since=since)
    nicks = []
    for line in irc.lines[since:]:
        if re.search(rf" 353 {re.escape(irc.nick)} [=*@] {re.escape(channel)} :", line):
            nicks += [n.lstrip("@+%") for n in line.split(" :", 1)[1].split()]
    return nicks


def bob_enters_dev(emulator):
    """Bob's presence in Dev, as the server sends it when he joins there."""
    emulator.control("/stanza", {
        "to": ALICE,
        "xml": f"<presence from='{DEV}/Bob Test' to='{ALICE}'>"
               "<x xmlns='http://jabber.org/protocol/muc#user'>"
               f"<item affiliation='member' role='participant' jid='{BOB}/web'/></x></presence>"})


def main():
    with bitlbee_and_emulator(sys.argv, nick="AliceExample") as (irc, emulator):
        sign_in(irc, emulator.xmpp_port, "alice@example.com", "alice-demo-password")
        wait_logged_in(irc, "#Dev", 0)

        # Bob joins and writes in the room, then in a query: one nick.
        bob_enters_dev(emulator)
        irc.wait_for(lambda l: " JOIN :#Dev" in l and not l.startswith(f":{irc.nick}!"), 10,
                     "Bob joining #Dev")
        emulator.control("/message", {"from": BOB, "room": DEV, "body": "room hello"})
        in_room = irc.wait_for(lambda l: "PRIVMSG #Dev :room hello" in l, 10, "Bob in #Dev")
        emulator.control("/message", {"from": BOB, "to": ALICE, "body": "direct hello"})
        direct = irc.wait_for(lambda l: f"PRIVMSG {irc.nick} :direct hello" in l, 10, "Bob's query")
        assert in_room.split("!")[0] == direct.split("!")[0] == ":BobTest", \
            f"Bob has two nicks: {in_room.split('!')[0]} and {direct.split('!')[0]}"

        # The names: ourselves once, Bob as in his query.
        since = len(irc.lines)
        irc.send("NAMES #Dev")
        nicks = channel_nicks(irc, "#Dev", since)
        assert nicks.count(irc.nick) == 1 and not any(n.startswith("AliceExample_") for n in nicks), \
            f"we are not in #Dev exactly once: {nicks}"
        assert "BobTest" in nicks and not any(n.startswith("BobTest_") for n in nicks), \
            f"Bob is not BobTest in #Dev: {nicks}"

        # A link preview the server attached: a line from the room after the
        # message, the address written out.
        since = len(irc.lines)
        emulator.control("/message", {"from": BOB, "room": DEV, "body": "plan https://example.com/p",
                                      "metadata": {"type": "link", "url": "https://example.com/p",
                                                   "title": "Plan"}})
        irc.wait_for(lambda l: "PRIVMSG #Dev :plan https://example.com/p" in l, 10, "the link", since)
        irc.wait_for(lambda l: l.startswith(":Dev!") and
                     "PRIVMSG #Dev :Link: Plan — https://example.com/p" in l, 10, "its card", since)

        # A command's answer and a command's error reach the channel.
        since = len(irc.lines)
        irc.say("/topic", "#Dev")
        irc.wait_for(lambda l: l.startswith(":Dev!") and "PRIVMSG #Dev :The topic is: Ship it" in l,
                     10, "/topic's answer", since)
        irc.say("/history abc", "#Dev")
        irc.wait_for(lambda l: l.startswith(":Dev!") and "PRIVMSG #Dev :Say how many messages" in l,
                     10, "/history abc's error", since)
        sent = emulator.control("/transcript?user=alice@example.com")
        assert "<body>/topic" not in sent and "<body>/history" not in sent, \
            "a typed command was sent to the room"

        # A reconnect: the same channel, the same nicks.
        since = len(irc.lines)
        irc.say("account hipchat off")
        irc.wait_for(lambda l: "Signing off" in l or "Logged out" in l or " PART #Dev" in l
                     or "KICK #Dev" in l, 10, "signing off", since)
        irc.say("account hipchat on")
        wait_logged_in(irc, "#Dev", since)
        bob_enters_dev(emulator)
        emulator.control("/message", {"from": BOB, "room": DEV, "body": "hello again"})
        again = irc.wait_for(lambda l: "PRIVMSG #Dev :hello again" in l, 10, "Bob after the reconnect",
                             since)
        assert again.startswith(":BobTest!"), f"Bob's nick changed: {again}"

        senders = {l.split("!")[0] for l in irc.lines if l.startswith(":") and "!" in l.split(" ")[0]}
        assert ":_" not in senders, "a line came from `_`:\n" + irc.transcript()
        assert not any(s.startswith(":#") or "@conf.hipchat" in s for s in senders), \
            f"a sender named after a JID: {senders}"
        # HipChat's auto-join list has Dev and Ops (and a chat with Bob).
        channels = {m for l in irc.lines for m in re.findall(r" JOIN :(#\S+)", l)}
        assert channels == {"#Dev", "#Ops"}, f"channels other than #Dev and #Ops: {channels}"
    print("bitlbee names the room #Dev and each person once, and shows every command's answer "
          "and a link's card")
    return 0


if __name__ == "__main__":
    sys.exit(main())
