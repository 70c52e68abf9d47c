#!/usr/bin/env python3
"""Room administration typed in bitlbee (issue 23): `/create` makes a room
that bitlbee opens as a channel, with its topic; a name that is taken is
refused in words in the channel it was typed in; `/privacy` and `/guest`
show and change the room, with the guest link; `/delete-room` asks first,
in bitlbee's own question, and deletes once the user says yes."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bitlbee_client import bitlbee_and_emulator, sign_in, wait_logged_in  # noqa: E402

LAUNCH = "10804_launch_team@conf.hipchat.com"


def main():
    with bitlbee_and_emulator(sys.argv, nick="AliceExample") as (irc, emulator):
        sign_in(irc, emulator.xmpp_port, "alice@example.com", "alice-demo-password")
        wait_logged_in(irc, "#Dev")

        # A taken name, refused in the channel it was typed in.
        since = len(irc.lines)
        irc.say("/create dev", "#Dev")
        irc.wait_for(lambda l: "PRIVMSG #Dev :Could not create the room: That room name is already "
                     "taken." in l, 10, "the refusal of a taken name", since)

        # A new room: a channel of its own, under its name, with its topic.
        since = len(irc.lines)
        irc.say("/create Launch Team | Countdown to launch", "#Dev")
        joined = irc.wait_for(lambda l: l.startswith(f":{irc.nick}!") and " JOIN :#" in l
                              and not l.endswith(" JOIN :#Dev"), 15, "the new room's channel", since)
        channel = joined.split(" JOIN :", 1)[1]
        assert channel.lower().startswith("#launch"), f"the new room's channel is {channel}"
        # (bitlbee's channel topic is the room's name; the room says its topic.)
        irc.wait_for(lambda l: f"PRIVMSG {channel} :The topic is: Countdown to launch" in l, 10,
                     "the new room's topic", since)
        sent = emulator.control("/transcript?user=alice@example.com")
        assert "<name>Launch Team</name><topic>Countdown to launch</topic><privacy>public</privacy>" \
            in sent, "the join did not create the room with its settings"
        assert "<body>/create" not in sent, "/create was sent to the room"

        # Its settings, shown and changed; the guest link.
        since = len(irc.lines)
        irc.say("/privacy", channel)
        irc.wait_for(lambda l: f"PRIVMSG {channel} :This room is public." in l, 10, "/privacy", since)
        irc.say("/privacy private", channel)
        irc.wait_for(lambda l: f"PRIVMSG {channel} :This room is now private." in l, 10,
                     "the room made private", since)
        irc.say("/guest on", channel)
        irc.wait_for(lambda l: f"PRIVMSG {channel} :" in l and "turned on guest access: https://" in l,
                     10, "the guest link", since)

        # Deleting asks first (bitlbee's question), then the room is gone.
        since = len(irc.lines)
        irc.say("/delete-room", channel)
        irc.wait_for(lambda l: "Delete the room Launch Team?" in l, 10, "the question", since)
        irc.say("yes")
        irc.wait_for(lambda l: "has been deleted" in l, 10, "the deletion told", since)
        sent = emulator.control("/transcript?user=alice@example.com")
        assert "<destroy/>" in sent, "no destroy was sent"
    print("bitlbee creates a room with /create, changes it, and deletes it once asked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
