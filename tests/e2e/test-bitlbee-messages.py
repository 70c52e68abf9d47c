#!/usr/bin/env python3
"""Messages through bitlbee, with the demo's scripted colleagues (--demo):
in #dev the team's lines arrive under readable nicks, Jenkins' HTML
notification arrives as plain text with its link, a shared file as its
name and link, and Erin's @AliceExample mention arrives as a line carrying
the IRC user's nick, which is what makes an IRC client highlight it; a
typed `/history 5` shows the earlier messages (and is not sent to the
room); 1:1 messages go both ways.

bitlbee ignores libpurple's PURPLE_MESSAGE_NICK flag (purple.c passes only
"sent by us" on to its IRC side), so the highlight is the IRC client's own:
it works when the IRC nick is the HipChat mention name, as here
(docs/USER-GUIDE.md says so)."""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bitlbee_client import bitlbee_and_emulator, sign_in  # noqa: E402

DEV = "10804_dev@conf.hipchat.com"
IRC_FORMATTING = re.compile(r"\x03(\d{1,2}(,\d{1,2})?)?|[\x02\x0f\x16\x1d\x1f]")


def in_dev(line, text, sender=None):
    """A PRIVMSG in #dev containing TEXT, from SENDER if given (a colleague
    has the same nick in a room as in a query: test-bitlbee-names)."""
    line = IRC_FORMATTING.sub("", line)  # bitlbee shows backlog times in bold
    if "PRIVMSG #dev :" not in line or text not in line:
        return False
    return sender is None or line.startswith(f":{sender}!")


def main():
    # Colleagues write in Dev every 2 s once we are in the room.
    # The IRC nick is Alice's HipChat mention name.
    with bitlbee_and_emulator(sys.argv, "--demo", "--demo-interval", "2", nick="AliceExample") as (irc, emulator):
        # The room is joined through a channel made with `chat add`, under a
        # name of the user's choice (test-bitlbee-names has auto-join's #Dev);
        # it opens with its last message: /history has more to show.
        sign_in(irc, emulator.xmpp_port, autojoin="false", join_history="1")

        irc.say("chat list hipchat")
        irc.wait_for(lambda l: f"1  {DEV}" in l, 20, "Dev first in the room list")
        irc.say("chat add hipchat !1 #dev")
        irc.wait_for(lambda l: "Chatroom successfully added" in l, 10, "chat add")
        irc.send("JOIN #dev")
        irc.wait_for(lambda l: " JOIN :#dev" in l and l.startswith(f":{irc.nick}!"), 20,
                     "joining #dev")
        # The join's backlog: the room's last message, with its time.
        irc.wait_for(lambda l: in_dev(l, "] Backend is deployed to staging (allthethings)", "IvanPetrov"),
                     10, "the backlog")

        # The scripted colleagues.
        irc.wait_for(lambda l: in_dev(l, "Morning! The release branch builds again.", "BobTest"), 20,
                     "Bob in #dev")
        irc.wait_for(lambda l: in_dev(l, "Build #101 passed: app (https://ci.example.com/job/app/101/) in 5 min",
                                      "Jenkinsintegration"), 20, "the Jenkins notification, as text")
        mention = irc.wait_for(lambda l: in_dev(l, "@AliceExample could you look over the release notes"),
                               20, "Erin's mention")
        text = mention.split(" :", 1)[1]
        # IRC clients highlight a line that has the user's nick as a word.
        assert re.search(rf"(?<![\w-]){re.escape(irc.nick)}(?![\w-])", text), \
            f"the mention does not carry the nick {irc.nick}: {mention}"
        irc.wait_for(lambda l: in_dev(l, "release-checklist.txt (https://127.0.0.1:") and "/v2/file/" in l,
                     20, "the shared file, as its name and link")

        # A typed /history is our command: the earlier messages appear, with
        # their own times, ours among them as ours.
        before = len(irc.lines)
        irc.say("/history 5", "#dev")
        stamped = r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] "
        for sender, text in (("BobTest", "Morning! Release branch is cut."),
                             ("AliceExample", "Great, I'll run the smoke tests @BobTest"),
                             ("Jenkinsintegration", "Build #42 passed")):
            irc.wait_for(lambda l: in_dev(l, text, sender) and re.search(stamped + re.escape(text),
                                                                        IRC_FORMATTING.sub("", l)),
                         20, f"the earlier message {text!r}", since=before)
        # The page's heading comes from the room.
        irc.wait_for(lambda l: in_dev(l, "earlier messages", "Dev"), 5, "the page's heading",
                     since=before)

        # 1:1: Bob writes (the demo), we answer.
        irc.wait_for(lambda l: l.startswith(":BobTest!") and "PRIVMSG AliceExample :Hi! This is HipChat" in l,
                     20, "Bob's 1:1 message")
        irc.say("thanks Bob", "BobTest")
        to_bob = re.compile(r"<message[^>]*to='10804_204365@chat\.hipchat\.com[^']*'[^>]*>"
                            r"(?:(?!</message>).)*<body>thanks Bob</body>", re.S)
        sent = ""
        deadline = time.monotonic() + 10
        while not to_bob.search(sent) and time.monotonic() < deadline:
            time.sleep(0.5)
            sent = emulator.control("/transcript?user=alice@example.com")
        assert to_bob.search(sent), "our 1:1 answer did not reach Bob"
        assert "<body>/history" not in sent, "a typed /history was sent as a message"
    print("bitlbee shows the team's messages, the mention with our nick, and history on demand")
    return 0


if __name__ == "__main__":
    sys.exit(main())
