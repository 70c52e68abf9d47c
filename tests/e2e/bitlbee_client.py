"""A small scripted IRC client for bitlbee in inetd mode (tests only).

bitlbee talks IRC on its stdin/stdout in inetd mode (which must be a socket:
we hand it one end of a socketpair), so no port is needed.
Every read is bounded in time, and the bitlbee process is always killed.
"""

import contextlib
import filecmp
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from emulator_process import Emulator


class IrcSession:
    """One IRC connection to bitlbee: what is sent, what came back, and
    waiting (bounded) for a line."""

    def __init__(self, sock, nick):
        self.sock = sock
        self.buffer = b""
        self.lines = []
        self.nick = nick

    def register(self):
        self.send(f"NICK {self.nick}")
        self.send(f"USER {self.nick} 0 * :{self.nick}")
        self.wait_for(lambda line: " 001 " in line, 15, "IRC welcome")

    def send(self, line):
        self.sock.sendall((line + "\r\n").encode())

    def say(self, text, target="&bitlbee"):
        self.send(f"PRIVMSG {target} :{text}")

    def _read_lines(self, timeout):
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if not ready:
            return []
        chunk = self.sock.recv(65536)
        if not chunk:
            raise AssertionError("bitlbee closed the connection:\n" + self.transcript())
        self.buffer += chunk
        *complete, self.buffer = self.buffer.split(b"\r\n")
        new = [line.decode("utf-8", "replace") for line in complete]
        for line in new:
            # bitlbee drops a client that leaves its pings unanswered.
            if line.startswith("PING "):
                self.send("PONG " + line[len("PING "):])
        self.lines.extend(new)
        return new

    def wait_for(self, predicate, timeout, what, since=0):
        """The first line (from line number SINCE on) that PREDICATE accepts,
        reading more for at most TIMEOUT seconds."""
        deadline = time.monotonic() + timeout
        for line in self.lines[since:]:
            if predicate(line):
                return line
        while time.monotonic() < deadline:
            for line in self._read_lines(min(0.5, max(0.0, deadline - time.monotonic()))):
                if predicate(line):
                    return line
        raise AssertionError(f"timed out waiting for {what}:\n" + self.transcript())

    def transcript(self):
        return "\n".join(self.lines[-60:])


class Bitlbee(IrcSession):
    """bitlbee in inetd mode for one user, on a socketpair. BINARY is the
    bitlbee to run (the installed one by default); SETTINGS are more lines for
    bitlbee.conf's [settings] (e.g. CAfile, PluginDir)."""

    def __init__(self, nick="tester", binary="bitlbee", settings=None):
        self.dir = tempfile.mkdtemp(prefix="hipchat-bitlbee-")
        conf = os.path.join(self.dir, "bitlbee.conf")
        with open(conf, "w") as f:
            f.write("[settings]\nRunMode = Inetd\nAuthMode = Open\n"
                    f"ConfigDir = {self.dir}\n")
            for name, value in (settings or {}).items():
                f.write(f"{name} = {value}\n")
        env = dict(os.environ, HOME=self.dir)
        sock, theirs = socket.socketpair()
        self.proc = subprocess.Popen(
            [binary, "-I", "-c", conf, "-d", self.dir],
            stdin=theirs, stdout=theirs, stderr=subprocess.DEVNULL, env=env, cwd=self.dir)
        theirs.close()
        super().__init__(sock, nick)
        self.register()

    def close(self):
        try:
            self.sock.close()
            self.proc.kill()
            self.proc.wait(5)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def wait_logged_in(irc, channel, since=0):
    """The login done and CHANNEL, a room of HipChat's auto-join list, joined
    by itself (named after the room)."""
    irc.wait_for(lambda l: "Logged in" in l, 20, "the login", since=since)
    irc.wait_for(lambda l: l.startswith(f":{irc.nick}!") and l.endswith(f" JOIN :{channel}"), 20,
                 f"{channel} joined by itself", since=since)


def require_installed_plugin(built):
    """bitlbee loads plugins only from the system plugin directory: the plugin
    under test must be installed there (tools/run-tests does it). Returns an
    error message, or None."""
    plugindir = subprocess.run(["pkg-config", "--variable=plugindir", "purple"],
                               capture_output=True, text=True, check=True).stdout.strip()
    installed = os.path.join(plugindir, "libhipchat.so")
    if not os.path.exists(installed) or not filecmp.cmp(built, installed, shallow=False):
        return (f"{installed} is missing or differs from the build ({built}): "
                "run `meson install` before the e2e tests (tools/run-tests does)")
    return None


def sign_in(irc, xmpp_port, email="alice@example.com", password="alice-demo-password",
            **settings):
    """A HipChat account on the emulator at XMPP_PORT, as the README sets one
    up (readable nicks; SETTINGS too, e.g. autojoin="false"), turned on: the
    certificate accepted, logged in."""
    irc.say(f"account add hipchat {email} {password}")
    irc.wait_for(lambda l: "Account successfully added" in l, 10, "account add")
    irc.say("account hipchat set connect_server 127.0.0.1")
    irc.say(f"account hipchat set port {xmpp_port}")
    irc.say("account hipchat set nick_format %full_name")
    for name, value in settings.items():
        irc.say(f"account hipchat set {name} {value}")
    irc.say("account hipchat on")
    irc.wait_for(lambda l: "certificate" in l.lower(), 20, "the certificate question")
    irc.say("yes")
    irc.wait_for(lambda l: "Logged in" in l, 20, "the login")


@contextlib.contextmanager
def bitlbee_and_emulator(argv, *emulator_args, nick="tester"):
    """For a test run as `test PLUGIN EMULATOR ORG`: the emulator serving ORG
    (with EMULATOR_ARGS) and an inetd bitlbee as NICK, both closed afterwards.
    Exits with the reason when PLUGIN is not the installed one."""
    problem = require_installed_plugin(argv[1])
    if problem:
        print(problem)
        sys.exit(1)
    emulator = Emulator(argv[2], argv[3], *emulator_args)
    try:
        irc = Bitlbee(nick=nick)
        try:
            yield irc, emulator
        finally:
            irc.close()
    finally:
        emulator.close()
