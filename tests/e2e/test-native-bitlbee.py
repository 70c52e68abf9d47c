#!/usr/bin/env python3
"""bitlbee's own HipChat support against the emulator (issue 20: clients that
others wrote, as proof that the emulator is HipChat and not our idea of it).

bitlbee 3.6 (Debian's `bitlbee`, not our plugin) has a `hipchat` protocol
written against the real server (protocols/jabber/hipchat.c). Tried as a new
user would: Alice adds her account with her e-mail and password, points it at
the server, and it logs in with HipChat's auth, fetches her profile (her full
name becomes her room nick), lists the rooms, joins Dev, shows its backlog
from the colleagues who wrote it and its topic; Bob, on a second native
bitlbee, joins too, and they talk in the room and 1:1 both ways.

bitlbee's jabber accounts accept only the ports in its jabber_port_list
(jabber.c: 5222, 5223, 5220-5229, 80, 443; anything else is "Illegal port
number"), so the emulator listens on the first free one of 5220-5229. With
`ssl` off (the default) bitlbee uses STARTTLS on any of them, verifying the
certificate against bitlbee.conf's CAfile (ssl_gnutls.c): the emulator's CA.
It needs no system install (an extracted tree, tests/e2e/native_bitlbee.py)
and no plugin, so it runs without the e2e lock."""

import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bitlbee_client import Bitlbee  # noqa: E402
from emulator_process import Emulator  # noqa: E402
import native_bitlbee  # noqa: E402

DEV = "10804_dev@conf.hipchat.com"


def start_emulator(binary, org):
    """The emulator on the first free port of 5220-5229 (see above)."""
    problems = []
    for port in range(5220, 5230):
        try:
            return Emulator(binary, org, xmpp_port=port)
        except AssertionError as problem:
            problems.append(f"{port}: {problem}")
    raise AssertionError("no free port in 5220-5229 for the emulator:\n" + "\n".join(problems))


def log_in(bitlbee_binary, emulator, nick, email, password, plugins):
    """A native bitlbee with a hipchat account, logged in, as a user sets it up."""
    irc = Bitlbee(nick=nick, binary=bitlbee_binary,
                  settings={"CAfile": emulator.ca_file, "PluginDir": plugins})
    irc.say(f"account add hipchat {email} {password}")
    irc.wait_for(lambda l: "Account successfully added" in l, 10, "account add")
    irc.say("account hipchat set server 127.0.0.1")
    irc.say(f"account hipchat set port {emulator.xmpp_port}")
    irc.say("account hipchat on")
    irc.wait_for(lambda l: "hipchat - Logging in: Logged in" in l, 20, f"{email} logged in")
    wait_for_profile(irc)
    return irc


def wait_for_profile(irc):
    """bitlbee says "Logged in" before the profile's answer, which gives it the
    full name it joins rooms with (hipchat.c: display_name; without it a join
    goes nowhere). A user types /join after a moment; under load, a script can
    be faster than the answer."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        since = len(irc.lines)
        irc.say("account hipchat set display_name")  # no value: shows it
        line = irc.wait_for(lambda l: "display_name" in l, 5, "display_name", since)
        if "display_name = `" in line:
            return
        time.sleep(0.2)
    raise AssertionError("no full name from the profile:\n" + irc.transcript())


def check_login(irc, emulator):
    """HipChat's auth, the JID from <success>, the profile's full name."""
    irc.wait_for(lambda l: "Setting Hipchat JID to 10804_204364@chat.hipchat.com" in l, 1,
                 "the JID from <success>")
    irc.wait_for(lambda l: "Fetching hipchat profile" in l, 1, "the profile request")
    sent = emulator.control("/transcript?user=alice@example.com")
    assert "<auth xmlns=\\\"http://hipchat.com\\\">" in sent, "no HipChat auth:\n" + sent[-2000:]


def check_room_list(irc):
    since = len(irc.lines)
    irc.say("chat list hipchat")
    irc.wait_for(lambda l: "hipchat chatrooms" in l, 10, "the room list", since)
    listed = [l for l in irc.lines[since:] if "@conf.hipchat.com" in l]
    names = {re.split(r"\s+", l.split(":", 2)[2].strip())[2] for l in listed}
    assert names == {"Dev", "Random", "Ops", "Design", "Support"}, f"rooms listed: {names}"


def join_dev(irc):
    """`chat add hipchat Dev` guesses the room's JID from its name (hipchat.c),
    then /join; the backlog, by the colleagues who wrote it, and the topic."""
    since = len(irc.lines)
    irc.say("chat add hipchat Dev")
    irc.wait_for(lambda l: "Chatroom successfully added" in l and "#Dev" in l, 10, "chat add", since)
    irc.send("JOIN #Dev")
    irc.wait_for(lambda l: l.startswith(f":{irc.nick}!") and l.endswith("JOIN :#Dev"), 10,
                 "#Dev joined", since)
    irc.wait_for(lambda l: l.endswith("TOPIC #Dev :Ship it"), 10, "the topic", since)
    return since


def main():
    emulator_binary, org, build_dir = sys.argv[1:4]
    bitlbee_binary = native_bitlbee.binary(build_dir)
    emulator = start_emulator(emulator_binary, org)
    plugins = tempfile.mkdtemp(prefix="native-bitlbee-plugins-")  # none: bitlbee alone
    alice = bob = None
    try:
        alice = log_in(bitlbee_binary, emulator, "alice", "alice@example.com",
                       "alice-demo-password", plugins)
        check_login(alice, emulator)
        check_room_list(alice)
        since = join_dev(alice)
        backlog = alice.wait_for(lambda l: "Morning! Release branch is cut." in l, 10,
                                 "Bob's backlog line", since)
        assert backlog.startswith(":BobTest!"), f"the backlog is not Bob's: {backlog}"
        ivan = alice.wait_for(lambda l: "Backend is deployed" in l, 10, "Ivan's backlog line", since)
        assert ivan.startswith(":IvanP!"), f"the backlog is not Ivan's: {ivan}"
        # The profile's full name is the nick (hipchat.c: display_name).
        sent = emulator.control("/transcript?user=alice@example.com")
        assert f"to=\\\"{DEV}/Alice Example\\\"" in sent, "not joined under the full name"
        alice.say("account hipchat set display_name")
        alice.wait_for(lambda l: "display_name = `Alice Example'" in l, 10,
                       "the full name from the profile")

        bob = log_in(bitlbee_binary, emulator, "bob", "bob@example.com", "bob-demo-password",
                     plugins)
        join_dev(bob)
        alice.wait_for(lambda l: l.startswith(":BobTest!") and l.endswith("JOIN :#Dev"), 10,
                       "Bob joining #Dev")

        bob.say("hello from bob", "#Dev")
        alice.wait_for(lambda l: l.startswith(":BobTest!") and l.endswith("PRIVMSG #Dev :hello from bob"),
                       10, "Bob's line in #Dev")
        alice.say("hello from alice", "#Dev")
        bob.wait_for(lambda l: l.startswith(":AliceExample!") and
                     l.endswith("PRIVMSG #Dev :hello from alice"), 10, "Alice's line in #Dev")

        alice.say("psst", "BobTest")
        bob.wait_for(lambda l: l.startswith(":AliceExample!") and l.endswith("PRIVMSG bob :psst"),
                     10, "Alice's 1:1 message")
        bob.say("psst back", "AliceExample")
        alice.wait_for(lambda l: l.startswith(":BobTest!") and l.endswith("PRIVMSG alice :psst back"),
                       10, "Bob's 1:1 answer")
    finally:
        for irc in (alice, bob):
            if irc is not None:
                irc.close()
        emulator.close()
        os.rmdir(plugins)
    print("native bitlbee logs in to the emulator, lists and joins rooms, and talks both ways")
    return 0


if __name__ == "__main__":
    sys.exit(main())
