#!/usr/bin/env python3
"""What a HipChat user does, typed in bitlbee (issue "everything a HipChat
user did"): `/away busy` sets the account's status as HipChat's Away;
`s/typo/fix/` goes to the room as typed once it can correct the user's last
message there, and one that cannot is refused in the channel, not sent;
`/edit` sends HipChat's correction of that message."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bitlbee_client import bitlbee_and_emulator, sign_in, wait_logged_in  # noqa: E402


def sent(emulator):
    """What Alice's sessions sent, as the emulator's control interface has it."""
    return emulator.control("/transcript?user=alice@example.com")


def wait_sent(emulator, text, what, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in sent(emulator):
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what} ({text!r}) to be sent")


def main():
    with bitlbee_and_emulator(sys.argv, nick="AliceExample") as (irc, emulator):
        sign_in(irc, emulator.xmpp_port, "alice@example.com", "alice-demo-password")
        wait_logged_in(irc, "#Dev")

        # §19.2: HipChat's Away is xa on the wire, with the status message.
        irc.say("/away busy", "#Dev")
        wait_sent(emulator, "<show>xa</show>", "the away presence")
        assert "<status>busy</status>" in sent(emulator), "no status message:\n" + sent(emulator)
        assert "<body>/away" not in sent(emulator), "/away was sent to the room"

        # §19.2: s/old/new/ corrects the last message, sent as typed.
        irc.say("the build has a typo", "#Dev")
        wait_sent(emulator, "<body>the build has a typo</body>", "the message")
        irc.say("s/typo/fix/", "#Dev")
        wait_sent(emulator, "<body>s/typo/fix/</body>", "the correction")

        # One that cannot apply is refused in the channel, not sent.
        since = len(irc.lines)
        irc.say("s/absent/present/", "#Dev")
        irc.wait_for(lambda l: l.startswith(":Dev!") and "PRIVMSG #Dev :" in l
                     and "is not in your last message here" in l, 10, "the refusal", since)
        time.sleep(0.5)
        assert "s/absent/" not in sent(emulator), "a refused correction was sent"

        # §8.7: /edit replaces the last message by its mid, once HipChat confirmed it.
        time.sleep(1)
        irc.say("/edit the build is fixed", "#Dev")
        wait_sent(emulator, "<body>the build is fixed</body>", "the edit")
        assert "urn:xmpp:message-correct:0" in sent(emulator), "the edit has no <replace>"
    print("bitlbee runs /away, corrects with s/old/new/ and /edit, and refuses what cannot apply")
    return 0


if __name__ == "__main__":
    sys.exit(main())
