#!/usr/bin/env python3
"""Pidgin, the real GTK client, under Xvfb with a temporary profile: Alice
signs in to the emulator's sample organisation (its certificate accepted
beforehand, as the user would have), the Dev room is joined from HipChat's
auto-join list, the Room List dialog gets HipChat's rooms, `/history` typed
into the room shows the earlier messages, the demo's scripted colleagues
write in it (a notification, a shared file, the @AliceExample mention
highlighted), and the room's menu (Conversation > More) has its
administration. What Alice missed in Ops (HipChat's read state) comes under an
unread line, its tab marked for the mention, and looking at the tab tells
HipChat she read it.

Pidgin has no command line for the Room List and its widgets cannot be read
from outside: a small test plugin (pidgin-probe.cpp, loaded from the
profile) opens the Room List and logs what Pidgin was given; the test types
into Pidgin's windows with xdotool. Screenshots of the screen and of each
window are kept in the build directory (tests/e2e/screenshots/, with
Pidgin's debug log and the probe's) as the test's artifacts, and checked to
be real pictures, not a blank screen.

Everything runs in one temporary directory (profile, HOME, logs), removed
afterwards; Xvfb, Pidgin and the emulator are stopped even on failure or
when meson's timeout terminates the test.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator_process import Emulator  # noqa: E402
from pidgin_session import make_profile, pidgin_env, start_xvfb, stop  # noqa: E402

DEV = "10804_dev@conf.hipchat.com"
OPS = "10804_ops@conf.hipchat.com"
PIDGIN_UNSEEN_NICK = "4"  # Pidgin's PidginUnseenState for a tab with a message naming the user


def accounts_xml(port):
    # join_history 2: the room opens with its last two messages only (Dev
    # is not in Alice's read state), so that /history has earlier ones to
    # show; Ops shows its two unread messages.
    return f"""<?xml version='1.0' encoding='UTF-8' ?>
<account version='1.0'>
 <account>
  <protocol>prpl-hipchat</protocol>
  <name>alice@example.com</name>
  <password>alice-demo-password</password>
  <settings>
   <setting name='connect_server' type='string'>127.0.0.1</setting>
   <setting name='port' type='int'>{port}</setting>
   <setting name='join_history' type='int'>2</setting>
  </settings>
  <settings ui='gtk-gaim'><setting name='auto-login' type='bool'>1</setting></settings>
 </account>
</account>
"""


class Probe:
    """The probe plugin's log, read as it grows."""

    def __init__(self, path):
        self.path = path

    def lines(self):
        try:
            with open(self.path, encoding="utf-8", errors="replace") as f:
                return [line.rstrip("\n").split("\t") for line in f]
        except FileNotFoundError:
            return []

    def wait_for(self, predicate, timeout, what, alive):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for fields in self.lines():
                if predicate(fields):
                    return fields
            if not alive():
                break
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what}; probe log:\n" + self.transcript())

    def transcript(self):
        return "\n".join("\t".join(f) for f in self.lines()[-60:])


def chat_msg(fields, room, text=None, flag=None):
    if fields[0] != "chat-msg" or fields[1] != room:
        return False
    if text is not None and text not in fields[4]:
        return False
    return flag is None or flag in fields[3].split(",")


def xdotool(env, *args):
    return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True,
                          timeout=10).stdout.split()


def window_name(env, window_id):
    return subprocess.run(["xdotool", "getwindowname", window_id], env=env, capture_output=True,
                          text=True, timeout=10).stdout.strip()


def window(env, name):
    """The X window whose title is exactly NAME (Pidgin's own windows have a name)."""
    deadline = time.monotonic() + 10
    found = xdotool(env, "search", "--onlyvisible", "--name", f"^{name}$")
    while not found and time.monotonic() < deadline:
        time.sleep(0.5)
        found = xdotool(env, "search", "--onlyvisible", "--name", f"^{name}$")
    if not found:
        names = [window_name(env, w) for w in xdotool(env, "search", "--onlyvisible", "--name", ".")]
        raise AssertionError(f"no window titled {name!r}; visible windows: {names}")
    return found[0]


def show_tab(env, *titles):
    """The conversation window, with the tab titled one of TITLES in front."""
    # Pidgin's other windows have fixed titles; the conversation window is
    # the one left (this xdotool cannot search by window role).
    others = {w: window_name(env, w) for w in xdotool(env, "search", "--onlyvisible", "--name", ".")}
    found = [w for w, name in others.items() if name not in ("Buddy List", "Room List")]
    assert len(found) == 1, f"not one conversation window: {others}"
    conversations = found[0]
    for _ in range(6):
        name = window_name(env, conversations)
        if name in titles:
            return conversations
        xdotool(env, "windowfocus", "--sync", conversations)
        xdotool(env, "key", "--clearmodifiers", "ctrl+Tab")
        time.sleep(0.5)
    raise AssertionError(f"the conversation window never showed {titles!r} (last: {name!r})")


def screenshot(env, target, path):
    subprocess.run(["import", "-window", target, path], env=env, check=True, timeout=20,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    # A blank screen or an unpainted window is one or two colours; a window
    # with text, icons and anti-aliasing has many.
    colours = int(subprocess.run(["identify", "-format", "%k", path], capture_output=True, text=True,
                                 check=True, timeout=20).stdout)
    assert colours > 20, f"{path} looks blank ({colours} colours)"
    print(f"screenshot {path}: {size} bytes, {colours} colours")


def main():
    plugin, probe_module, emulator_binary, org, artifacts = sys.argv[1:6]
    # meson's timeout sends SIGTERM: leave through the finally below, which
    # stops Xvfb and Pidgin (they run in sessions of their own).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = tempfile.mkdtemp(prefix="hipchat-pidgin-")
    emulator = xvfb = pidgin = None
    probe = Probe(os.path.join(tmp, "probe.log"))
    if os.path.isdir(artifacts):
        shutil.rmtree(artifacts)  # this run's pictures only
    try:
        # Scripted colleagues in Dev every 2 s once we are in the room.
        emulator = Emulator(emulator_binary, org, "--demo", "--demo-interval", "2")

        profile, _ = make_profile(tmp, plugin, probe_module, emulator.server_pem,
                                  accounts_xml(emulator.xmpp_port))
        xvfb, display = start_xvfb(tmp)
        env = pidgin_env(tmp, display, HIPCHAT_PROBE_LOG=probe.path, HIPCHAT_PROBE_ROOM=DEV)
        home = env["HOME"]
        pidgin_log = open(os.path.join(tmp, "pidgin.log"), "w")
        pidgin = subprocess.Popen(["pidgin", "-m", "-d", "-c", profile], env=env, stdout=pidgin_log,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=home,
                                  start_new_session=True)
        alive = lambda: pidgin.poll() is None  # noqa: E731

        probe.wait_for(lambda f: f[0] == "loaded" and f[1] == "gtk-gaim", 30, "the probe in Pidgin", alive)
        probe.wait_for(lambda f: f[0] == "signed-on" and f[1] == "alice@example.com", 30, "the sign-in",
                       alive)
        # The Dev room from HipChat's auto-join list (the account option
        # `autojoin` is on by default), with its last message.
        probe.wait_for(lambda f: f[0] == "joined" and f[1] == DEV, 20, "Dev joined", alive)
        probe.wait_for(lambda f: chat_msg(f, DEV, "Backend is deployed to staging", "delayed"), 10,
                       "the join backlog", alive)
        probe.wait_for(lambda f: chat_msg(f, DEV, "Build #42</b> passed", "delayed") and
                       f[2] == "Jenkins (integration)", 5, "the integration in the backlog", alive)
        # Ops, also auto-joined, with what Alice has not read (the read
        # state): under the unread line, the mention of her highlighted, and
        # the tab marked for it (Pidgin's unseen state "nick").
        probe.wait_for(lambda f: chat_msg(f, OPS, "2 unread messages"), 15, "the unread line", alive)
        mention = probe.wait_for(lambda f: chat_msg(f, OPS, "the release freeze starts Friday"), 10,
                                 "the unread mention", alive)
        assert "nick" in mention[3].split(","), f"the unread mention is not highlighted: {mention}"
        probe.wait_for(lambda f: f[0] == "unseen" and f[1] == OPS and f[2] == PIDGIN_UNSEEN_NICK, 10,
                       "the Ops tab marked for the mention", alive)
        assert not any(chat_msg(f, OPS, "Pager handed over") for f in probe.lines()), \
            "a message Alice had read came again"
        assert emulator.control("/rest-log").count("/v2/readstate") == 1, \
            "Ops was marked read before Alice looked at it"
        # The Room List dialog got HipChat's rooms (not the archived one).
        done = probe.wait_for(lambda f: f[0] == "roomlist-done", 20, "the Room List", alive)
        rooms = done[2].split(",") if len(done) > 2 and done[2] else []
        assert int(done[1]) == 5 and "Dev" in rooms and "Old Launch" not in rooms, \
            f"the Room List got {done[1]} rooms: {rooms}"

        # Without a window manager every window sits at 0,0: side by side.
        buddy_list, room_list = window(env, "Buddy List"), window(env, "Room List")
        xdotool(env, "windowsize", buddy_list, "300", "600")
        xdotool(env, "windowmove", buddy_list, "0", "0")
        xdotool(env, "windowsize", room_list, "900", "400")
        xdotool(env, "windowmove", room_list, "0", "630")
        # The conversation window has Bob's chat and the room as tabs, and
        # is titled by the tab in front. Pidgin brings a tab forward only
        # for a user's key or click (pidgin_conv_present_conversation), so
        # press Ctrl+Tab until the room is in front.
        # The room is titled by its name from the moment it opens (Pidgin 2
        # titles a room by its buddy list entry, which the plugin keeps),
        # and its user list shows people by name.
        title = [f for f in probe.lines() if f[0] == "joined" and f[1] == DEV][-1][2]
        assert title == "Dev", f"the auto-joined room opened titled {title!r}, not 'Dev'"
        users = [f for f in probe.lines() if f[0] == "chat-user" and f[1] == DEV]
        assert users and all("@" not in f[2] and "@" not in f[3] for f in users), \
            f"the user list shows addresses: {users}"
        assert any(f[3] == "Alice Example" for f in users), f"Alice is not listed by name: {users}"
        # Looking at the Ops tab tells HipChat it was read (a PATCH of the
        # read state), and Pidgin clears the tab's mark.
        show_tab(env, "Ops")
        probe.wait_for(lambda f: f[0] == "unseen" and f[1] == OPS and f[2] == "0", 10,
                       "the Ops tab seen", alive)
        deadline = time.monotonic() + 15
        while emulator.control("/rest-log").count("/v2/readstate") < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert emulator.control("/rest-log").count("/v2/readstate") == 2, \
            "looking at Ops did not mark it read: " + emulator.control("/rest-log")
        room = show_tab(env, "Dev")
        xdotool(env, "windowsize", room, "800", "600")
        xdotool(env, "windowmove", room, "310", "0")

        # /history typed into the room's entry: the earlier messages, under
        # a heading.
        xdotool(env, "windowfocus", "--sync", room)
        xdotool(env, "type", "--delay", "20", "/history")
        xdotool(env, "key", "Return")
        probe.wait_for(lambda f: chat_msg(f, DEV, "2 earlier messages"), 15, "the history page's heading",
                       alive)
        for who, text in (("Bob Test", "Morning! Release branch is cut."),
                          ("Alice Example", "Great, I&apos;ll run the smoke tests @BobTest")):
            probe.wait_for(lambda f: chat_msg(f, DEV, text, "delayed") and f[2] == who, 5,
                           f"the earlier message {text!r}", alive)

        # The scripted colleagues: a message, a Jenkins notification, a
        # shared file, and Erin's @AliceExample mention, highlighted
        # (PURPLE_MESSAGE_NICK: Pidgin draws the sender in its highlight
        # colour and marks the tab).
        probe.wait_for(lambda f: chat_msg(f, DEV, "The release branch builds again", "recv"), 20,
                       "Bob's message in Dev", alive)
        probe.wait_for(lambda f: chat_msg(f, DEV, "Build #101") and f[2] == "Jenkins (integration)", 20,
                       "the Jenkins notification", alive)
        mention = probe.wait_for(lambda f: chat_msg(f, DEV, "@AliceExample could you"), 20, "the mention",
                                 alive)
        assert "nick" in mention[3].split(","), f"the mention is not highlighted: {mention}"
        probe.wait_for(lambda f: chat_msg(f, DEV, "release-checklist.txt"), 20, "the shared file", alive)

        # Pictures, once GTK has repainted.
        time.sleep(2)
        os.makedirs(artifacts, exist_ok=True)
        for target, name in ((buddy_list, "buddy-list"), (room, "room-dev"), (room_list, "room-list"),
                             ("root", "screen")):
            screenshot(env, target, os.path.join(artifacts, f"pidgin-{name}.png"))
        assert alive(), "Pidgin exited"

        # The room's administration, in its menu (the prpl's blist_node_menu:
        # Conversation > More here, the room's menu in the buddy list), for
        # a public room without guest access.
        menu = probe.wait_for(lambda f: f[0] == "room-menu" and f[1] == DEV, 10, "the room's menu",
                              alive)[2].split("|")
        for entry in ("Load older messages", "Rename Room...", "Make Room Private",
                      "Turn Guest Access On", "Invite People...", "Archive Room", "Delete Room..."):
            assert entry in menu, f"{entry!r} is not in the room's menu: {menu}"
        assert "Remove Members..." not in menu, f"a public room offers Remove Members: {menu}"
        # Conversation (Alt+C) > More (its mnemonic O), open, in a picture.
        xdotool(env, "windowfocus", "--sync", room)
        xdotool(env, "key", "--clearmodifiers", "alt+c")
        time.sleep(1)
        xdotool(env, "key", "o")
        time.sleep(1.5)
        screenshot(env, "root", os.path.join(artifacts, "pidgin-room-menu.png"))
        xdotool(env, "key", "Escape")
        xdotool(env, "key", "Escape")
        assert alive(), "Pidgin exited"

        page = [f for f in probe.lines() if chat_msg(f, DEV, "Morning! Release branch is cut.")]
        assert page and "no-log" not in page[-1][3].split(","), (
            "history pages must not be PURPLE_MESSAGE_NO_LOG: Pidgin 2 draws those as grey bold "
            f"text without sender or time: {page}")
    except Exception:
        for name in ("pidgin.log", "xvfb.log"):
            path = os.path.join(tmp, name)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    tail = f.readlines()[-40:]
                print(f"--- last lines of {name}:\n" + "".join(tail))
        print("--- probe log:\n" + probe.transcript())
        raise
    finally:
        stop(pidgin)
        stop(xvfb)
        if emulator is not None:
            emulator.close()
        # The logs go with the screenshots (Pidgin's debug log has
        # passwords redacted by the plugin; the account is a sample one).
        os.makedirs(artifacts, exist_ok=True)
        for name in ("pidgin.log", "probe.log"):
            if os.path.exists(os.path.join(tmp, name)):
                shutil.copy(os.path.join(tmp, name), os.path.join(artifacts, "pidgin-" + name.replace("pidgin.", "debug.")))
        shutil.rmtree(tmp, ignore_errors=True)
    print("Pidgin signs in, joins Dev, shows its messages and history, lists the rooms, and "
          "offers the room's administration in its menu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
