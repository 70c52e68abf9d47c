#!/usr/bin/env python3
"""bitlbee (Debian's bitlbee-libpurple) knows the hipchat protocol once the
plugin is installed system-wide, and rejects protocols it does not know."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bitlbee_client import Bitlbee, require_installed_plugin  # noqa: E402


def main():
    problem = require_installed_plugin(sys.argv[1])
    if problem:
        print(problem)
        return 1

    irc = Bitlbee()
    try:
        irc.say("account add nosuchprotocol alice@example.com secret")
        irc.wait_for(lambda l: "Unknown protocol" in l, 10, "rejection of a bogus protocol")

        irc.say("account add hipchat alice@example.com secret")
        irc.wait_for(lambda l: "Account successfully added" in l, 10, "account add hipchat")

        # Our options are bitlbee settings of the account.
        irc.say("account hipchat set")
        irc.wait_for(lambda l: "connect_server" in l and "chat.hipchat.com" in l, 10,
                     "the connect_server setting")
        irc.wait_for(lambda l: "resource" in l, 10, "the resource setting")
        irc.say("account hipchat set connect_server hipchat.example.org")
        irc.wait_for(lambda l: "connect_server" in l and "hipchat.example.org" in l, 10,
                     "changing connect_server")
    finally:
        irc.close()
    print("bitlbee knows the hipchat protocol")
    return 0


if __name__ == "__main__":
    sys.exit(main())
