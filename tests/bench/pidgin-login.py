#!/usr/bin/env python3
"""The Pidgin benchmark (tools/bench's `pidgin` workload; docs/PERFORMANCE.md):
a login to a large team in Pidgin's real GTK window under Xvfb, as a user
has it, with prpl-hipchat or stock prpl-jabber against the same emulator.

A fresh profile per run, the account logging in at start, the emulator's
certificate accepted beforehand; the generated team of PEOPLE (rooms half as
many, ten messages of history per person), ten auto-joined rooms: HipChat's
auto-join list for prpl-hipchat, buddy-list chats marked "join on start" for
prpl-jabber, 50 messages of backlog each for both. Measured from starting
Pidgin until it has signed on, every room shows its backlog and the buddy
list is drawn (tests/bench/pidgin-bench-probe.cpp, inside Pidgin), then the
CPU time once Pidgin has gone quiet.

Usage: pidgin-login.py PLUGIN PROBE EMULATOR ORG hipchat|jabber PEOPLE
Prints one JSON line, as tests/bench/bench does.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import shutil

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from emulator_process import Emulator  # noqa: E402
from pidgin_session import make_profile, pidgin_env, start_xvfb, stop  # noqa: E402

ROOMS = 10
BACKLOG = 50  # the emulator's backlog when a join asks for none (stock prpl-jabber)


def accounts_xml(prpl, user, port):
    if prpl == "hipchat":
        protocol, name = "prpl-hipchat", "person1@example.com"
        extra = f"<setting name='join_history' type='int'>{BACKLOG}</setting>"
    else:
        protocol, name, extra = "prpl-jabber", user["jid"] + "/pidgin", ""
    return f"""<?xml version='1.0' encoding='UTF-8' ?>
<account version='1.0'>
 <account>
  <protocol>{protocol}</protocol>
  <name>{name}</name>
  <password>password1</password>
  <settings>
   <setting name='connect_server' type='string'>127.0.0.1</setting>
   <setting name='port' type='int'>{port}</setting>
   {extra}
  </settings>
  <settings ui='gtk-gaim'><setting name='auto-login' type='bool'>1</setting></settings>
 </account>
</account>
"""


def jabber_blist(user):
    """The auto-join rooms as buddy-list chats Pidgin joins when the account
    signs on, under the full name (HipChat's nick rule)."""
    chats = ""
    for jid in user["auto_join"]:
        node, server = jid.split("@")
        chats += f"""   <chat proto='prpl-jabber' account='{user["jid"]}/pidgin'>
    <component name='room'>{node}</component>
    <component name='server'>{server}</component>
    <component name='handle'>{user["name"]}</component>
    <setting name='gtk-autojoin' type='bool'>1</setting>
   </chat>
"""
    return f"""<?xml version='1.0' encoding='UTF-8' ?>
<purple version='1.0'>
 <blist>
  <group name='Rooms'>
{chats}  </group>
 </blist>
 <privacy/>
</purple>
"""


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_ready(log, proc, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if os.path.exists(log):
            for line in open(log):
                fields = line.split("\t")
                if fields[0] == "ready":
                    return int(fields[1]) / 1e6, float(fields[2]) + float(fields[3]), int(fields[4])
        time.sleep(0.1)
    return None


def settled_cpu(pid, quiet_for=2.0, limit=30.0):
    """Pidgin's CPU time once it has used none for QUIET_FOR seconds."""
    last, since, deadline = cpu_seconds(pid), time.monotonic(), time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = cpu_seconds(pid)
        if now - last > 0.005:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_for:
            break
    return last


def run(plugin, probe, emulator_binary, org, prpl, people):
    tmp = tempfile.mkdtemp(prefix="hipchat-bench-pidgin-")
    emulator = xvfb = pidgin = None
    result = {"workload": "pidgin", "prpl": prpl, "size": people, "complete": False}
    try:
        emulator = Emulator(emulator_binary, org, "--large", str(people), "--large-history",
                            str(people * 10), "--large-auto-join", str(ROOMS))
        user = json.loads(emulator.control("/user?email=person1@example.com"))
        profile, _ = make_profile(tmp, plugin, probe, emulator.server_pem,
                                  accounts_xml(prpl, user, emulator.xmpp_port),
                                  jabber_blist(user) if prpl == "jabber" else None)
        xvfb, display = start_xvfb(tmp)
        log = os.path.join(tmp, "bench.log")
        env = pidgin_env(tmp, display, HIPCHAT_BENCH_LOG=log, HIPCHAT_BENCH_ROOMS=str(ROOMS),
                         HIPCHAT_BENCH_BACKLOG=str(BACKLOG))
        started = time.monotonic()
        pidgin = subprocess.Popen(["pidgin", "-m", "-c", profile], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                  cwd=env["HOME"], start_new_session=True)
        ready = wait_ready(log, pidgin, 180)
        if ready is not None:
            at, cpu, rss = ready
            result.update(complete=True, wall_s=round(at - started, 3), cpu_s=round(cpu, 3),
                          peak_rss_kib=rss, rooms=ROOMS,
                          cpu_settled_s=round(settled_cpu(pidgin.pid), 3))
    finally:
        if pidgin is not None and pidgin.poll() is None:
            os.killpg(pidgin.pid, signal.SIGKILL)  # no slow exit: the figures are taken
            pidgin.wait(10)
        stop(xvfb)
        if emulator is not None:
            emulator.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def main():
    plugin, probe, emulator_binary, org, prpl, people = sys.argv[1:7]
    if prpl not in ("hipchat", "jabber"):
        print("usage: pidgin-login.py PLUGIN PROBE EMULATOR ORG hipchat|jabber PEOPLE", file=sys.stderr)
        return 2
    print(json.dumps(run(plugin, probe, emulator_binary, org, prpl, int(people))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
