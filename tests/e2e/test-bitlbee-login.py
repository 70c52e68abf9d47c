#!/usr/bin/env python3
"""bitlbee signs in to the emulator with `account add hipchat <e-mail>
<password>`, asks the user to accept the emulator's self-signed certificate
(as HipChat Server users see it), and shows the team with readable nicks."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bitlbee_client import Bitlbee, require_installed_plugin  # noqa: E402
from emulator_process import Emulator  # noqa: E402


def main():
    problem = require_installed_plugin(sys.argv[1])
    if problem:
        print(problem)
        return 1
    emulator_binary, org = sys.argv[2], sys.argv[3]
    emulator = Emulator(emulator_binary, org)
    irc = Bitlbee()
    try:
        irc.say("account add hipchat alice@example.com alice-demo-password")
        irc.wait_for(lambda l: "Account successfully added" in l, 10, "account add")
        irc.say("account hipchat set connect_server 127.0.0.1")
        irc.say(f"account hipchat set port {emulator.xmpp_port}")
        irc.say("account hipchat set nick_format %full_name")
        irc.say("account hipchat on")
        # libpurple cannot verify the throwaway CA: bitlbee asks, we accept.
        irc.wait_for(lambda l: "certificate" in l.lower(), 20, "the certificate question")
        irc.say("yes")
        irc.wait_for(lambda l: "Logged in" in l, 20, "the login")
        # People appear under readable nicks, never numeric JIDs: ourselves
        # (in HipChat's roster too), then Bob once he signs in elsewhere.
        irc.wait_for(lambda l: " JOIN " in l and "!10804_204364@" in l, 20, "Alice in &bitlbee")
        irc.say("account add hipchat bob@example.com bob-demo-password")
        irc.say("account hipchat2 set connect_server 127.0.0.1")
        irc.say(f"account hipchat2 set port {emulator.xmpp_port}")
        irc.say("account hipchat2 set nick_format %full_name")
        irc.say("account hipchat2 on")
        irc.wait_for(lambda l: "hipchat2 - Logging in: Logged in" in l, 20, "Bob's login")
        irc.wait_for(lambda l: " JOIN " in l and "!10804_204365@" in l, 30, "Bob in &bitlbee")
        numeric = [l for l in irc.lines if " JOIN " in l and l[1:].split("!")[0].lstrip("_")[:1].isdigit()]
        assert not numeric, "numeric nicks joined:\n" + "\n".join(numeric)
    finally:
        irc.close()
        emulator.close()
    print("bitlbee signed in to the emulator")
    return 0


if __name__ == "__main__":
    sys.exit(main())
