#!/usr/bin/env python3
"""The bitlbee benchmark (tools/bench's `bitlbee` workload; docs/PERFORMANCE.md):
one bitlbee server shared by USERS people of a team, as bitlbee is run for a
group. bitlbee-libpurple refuses its single-process Daemon mode, so it runs as
a ForkDaemon: one process per IRC connection. Each user is person<N> of a
generated team of 2,000 people (1,000 rooms), with prpl-hipchat or stock
prpl-jabber against the same emulator, and five rooms to be in: HipChat's
auto-join list for prpl-hipchat, channels marked auto_join (`chat add`) for
prpl-jabber.

Measured, for the bitlbee processes only (the daemon and its children):
- login_s: from the first IRC connection until every user is signed on and
  in all five rooms;
- rss_kib_per_user: the median resident memory of a user's process once
  everyone is in;
- cpu_ms_per_message: CPU time of all the processes while MESSAGES messages
  are posted to one of the rooms and reach every user, per message.

Usage: bitlbee-daemon.py PLUGIN EMULATOR ORG hipchat|jabber USERS [MESSAGES]
PLUGIN must be the installed prpl-hipchat (bitlbee loads plugins from the
system directory only). Prints one JSON line, as tests/bench/bench does.
"""

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from bitlbee_client import IrcSession, require_installed_plugin  # noqa: E402
from emulator_process import Emulator  # noqa: E402

PEOPLE = 2000
ROOMS = 5


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_daemon(tmp):
    port = free_port()
    conf = os.path.join(tmp, "bitlbee.conf")
    with open(conf, "w") as f:
        f.write("[settings]\nRunMode = ForkDaemon\nAuthMode = Open\nDaemonInterface = 127.0.0.1\n"
                f"DaemonPort = {port}\nConfigDir = {tmp}\nPidFile = {tmp}/bitlbee.pid\n")
    proc = subprocess.Popen(["bitlbee", "-F", "-n", "-c", conf, "-d", tmp], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=dict(os.environ, HOME=tmp), cwd=tmp,
                            start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    raise AssertionError("bitlbee did not start")


def processes(root):
    """The daemon and its children (the users' processes)."""
    children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(root)], capture_output=True,
                              text=True).stdout.split()
    return [root] + [int(p) for p in children]


def cpu_seconds(pids):
    total = 0.0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def connect(port, n):
    irc = IrcSession(socket.create_connection(("127.0.0.1", port), timeout=10), f"person{n}")
    irc.register()
    return irc


def set_up(irc, prpl, user, emulator):
    """The account as its user would add it; for prpl-jabber, the rooms as
    channels bitlbee joins at login (HipChat's auto-join does it otherwise)."""
    n = irc.nick[len("person"):]
    if prpl == "hipchat":
        irc.say(f"account add hipchat person{n}@example.com password{n}")
    else:
        irc.say(f"account add jabber {user['jid']} password{n}")
    irc.wait_for(lambda l: "Account successfully added" in l, 20, "account add")
    irc.say(f"account {prpl} set connect_server 127.0.0.1")
    irc.say(f"account {prpl} set port {emulator.xmpp_port}")
    irc.say(f"account {prpl} set nick_format %full_name")
    if prpl == "jabber":
        for i, jid in enumerate(user["auto_join"]):
            irc.say(f"chat add jabber {jid} #room{i}")
            irc.wait_for(lambda l: "Chatroom successfully added" in l, 20, "chat add")
            irc.say(f'channel #room{i} set nick "{user["name"]}"')
            irc.say(f"channel #room{i} set auto_join true")
    irc.say(f"account {prpl} on")


def wait_logged_in(clients):
    """Answers each certificate question and waits until every user is in
    all their rooms."""
    pending = {irc.nick: irc for irc in clients}
    asked = set()
    deadline = time.monotonic() + 300
    while pending and time.monotonic() < deadline:
        for nick, irc in list(pending.items()):
            irc._read_lines(0.01)
            if nick not in asked and any("certificate" in l.lower() for l in irc.lines):
                irc.say("yes")
                asked.add(nick)
            joined = sum(1 for l in irc.lines if l.startswith(f":{nick}!") and " JOIN :#" in l)
            if joined >= ROOMS:
                del pending[nick]
    if pending:
        raise AssertionError(f"not signed on and in {ROOMS} rooms: {sorted(pending)}\n" +
                             next(iter(pending.values())).transcript())


def fan_out(clients, emulator, room, user_jid, messages):
    """Posts MESSAGES messages to ROOM; returns when every user got them all."""
    marker = f"bench fan-out {time.monotonic_ns()}"
    for i in range(messages):
        emulator.control("/message", {"from": user_jid, "room": room, "body": f"{marker} {i}"})
    last = f"{marker} {messages - 1}"
    deadline = time.monotonic() + 300
    waiting = list(clients)
    while waiting and time.monotonic() < deadline:
        for irc in list(waiting):
            irc._read_lines(0.01)
            if any(last in l for l in irc.lines[-200:]):
                waiting.remove(irc)
    if waiting:
        raise AssertionError(f"{len(waiting)} users never got the messages")


def run(prpl, users, messages, emulator_binary, org):
    tmp = tempfile.mkdtemp(prefix="hipchat-bench-bitlbee-")
    emulator = daemon = None
    clients = []
    result = {"workload": "bitlbee", "prpl": prpl, "size": users, "complete": False}
    try:
        emulator = Emulator(emulator_binary, org, "--large", str(PEOPLE), "--large-history",
                            str(PEOPLE * 5), "--large-auto-join", str(ROOMS))
        daemon, port = start_daemon(tmp)
        people = [json.loads(emulator.control(f"/user?email=person{n}@example.com"))
                  for n in range(1, users + 1)]
        started = time.monotonic()
        cpu_before = cpu_seconds(processes(daemon.pid))
        for n, user in enumerate(people, start=1):
            irc = connect(port, n)
            set_up(irc, prpl, user, emulator)
            clients.append(irc)
        wait_logged_in(clients)
        login_s = time.monotonic() - started
        pids = processes(daemon.pid)
        login_cpu = cpu_seconds(pids) - cpu_before
        rss = statistics.median(rss_kib(pid) for pid in pids[1:])
        # A colleague who is not a user of this bitlbee writes in the first room.
        cpu_before = cpu_seconds(pids)
        fan_out(clients, emulator, people[0]["auto_join"][0], "10804_2000@chat.hipchat.com", messages)
        per_message = (cpu_seconds(pids) - cpu_before) / messages
        result.update(complete=True, wall_s=round(login_s, 3), cpu_s=round(login_cpu, 3),
                      peak_rss_kib=int(rss), cpu_ms_per_message=round(per_message * 1000, 3))
    finally:
        for irc in clients:
            irc.sock.close()
        if daemon is not None:
            for pid in processes(daemon.pid)[::-1]:
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
            daemon.wait(10)
        if emulator is not None:
            emulator.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def main():
    plugin, emulator_binary, org, prpl, users = sys.argv[1:6]
    messages = int(sys.argv[6]) if len(sys.argv) > 6 else 200
    if prpl == "hipchat":
        problem = require_installed_plugin(plugin)
        if problem:
            print(problem, file=sys.stderr)
            return 1
    print(json.dumps(run(prpl, int(users), messages, emulator_binary, org)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
