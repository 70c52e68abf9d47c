#!/usr/bin/env python3
"""What you missed, in bitlbee (HipChat's read state, §19.4): at login the
control channel says which auto-joined conversations have unread messages
and whether they mention the user; the room's channel shows exactly those
messages, under an unread line, and nothing already read; speaking in the
channel marks it read on HipChat (bitlbee's mark_read is "speak"), so the
next login has nothing to say about it and shows none of it as new."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bitlbee_client import bitlbee_and_emulator, sign_in, wait_logged_in  # noqa: E402

SUMMARY = "2 unread in #Ops, 1 mentions you"


def read_state_requests(emulator):
    return emulator.control("/rest-log").count("/v2/readstate")


def in_ops(line, text, sender=None):
    return " PRIVMSG #Ops :" in line and text in line and \
        (sender is None or line.startswith(f":{sender}!"))


def main():
    with bitlbee_and_emulator(sys.argv, nick="AliceExample") as (irc, emulator):
        sign_in(irc, emulator.xmpp_port, "alice@example.com", "alice-demo-password")
        wait_logged_in(irc, "#Ops", 0)

        # The summary in the control channel, from root.
        summary = irc.wait_for(lambda l: " PRIVMSG &bitlbee :" in l and SUMMARY in l, 20,
                               "the unread summary")
        assert summary.startswith(":root!"), f"the summary is not root's: {summary}"
        # The unread line from the room, then the two unread messages by
        # their senders; the message Alice had read does not come again.
        line = irc.wait_for(lambda l: in_ops(l, "— 2 unread messages —", "Ops"), 20,
                            "the unread line in #Ops")
        at = irc.lines.index(line)
        irc.wait_for(lambda l: in_ops(l, "the release freeze starts Friday", "FrankLi"), 10,
                     "Frank's unread mention", since=at)
        irc.wait_for(lambda l: in_ops(l, "Deploy window moved to 14:00 today.", "BobTest"), 10,
                     "Bob's unread message", since=at)
        assert not any(in_ops(l, "Pager handed over") for l in irc.lines), \
            "a message Alice had read came again:\n" + irc.transcript()

        # Shown, but not read until she speaks there: then HipChat is told.
        time.sleep(3)
        assert read_state_requests(emulator) == 1, emulator.control("/rest-log")
        irc.say("I'll take the pager", "#Ops")
        deadline = time.monotonic() + 15
        while read_state_requests(emulator) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert read_state_requests(emulator) == 2, "speaking did not mark #Ops read"

        # The next login: nothing unread in Ops, so no summary and nothing new.
        since = len(irc.lines)
        irc.say("account hipchat off")
        irc.wait_for(lambda l: " PART #Ops" in l or "KICK #Ops" in l or "Signing off" in l, 10,
                     "signing off", since)
        irc.say("account hipchat on")
        wait_logged_in(irc, "#Ops", since)
        time.sleep(3)
        again = irc.lines[since:]
        assert not any(SUMMARY in l or "unread" in l for l in again), \
            "Ops still unread after the reconnect:\n" + "\n".join(again)
    print("bitlbee says what was missed, shows it in the channel, and marks it read on speaking")
    return 0


if __name__ == "__main__":
    sys.exit(main())
