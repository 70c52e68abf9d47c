"""Pidgin, the real GTK client, under Xvfb with a temporary profile: what the
Pidgin e2e test and the Pidgin benchmark (tests/bench/pidgin-login.py) share.
Tests and benchmarks only; everything stays in the directory given."""

import os
import select
import shutil
import signal
import subprocess
import time


def prefs_xml(probe):
    # Plugins Pidgin loads at start: the probe (protocol plugins such as
    # prpl-hipchat are always loaded). A STUN server given as an address, so
    # that the XMPP module does not ask DNS for _stun._udp.chat.hipchat.com:
    # nothing may leave the machine.
    return f"""<?xml version='1.0' encoding='UTF-8' ?>
<pref version='1' name='/'>
 <pref name='purple'>
  <pref name='network'><pref name='stun_server' type='string' value='127.0.0.1'/></pref>
 </pref>
 <pref name='pidgin'>
  <pref name='plugins'>
   <pref name='loaded' type='pathlist'><item value='{probe}'/></pref>
  </pref>
 </pref>
</pref>
"""


def make_profile(tmp, plugin, probe_module, server_pem, accounts, blist=None):
    """A Pidgin profile in TMP/purple: the plugin under test and the probe in
    its plugins, the emulator's certificate as one the user accepted, the
    ACCOUNTS (accounts.xml text) and, if given, a BLIST (blist.xml text).
    Returns the profile's path and the probe's path inside it."""
    profile = os.path.join(tmp, "purple")
    os.makedirs(os.path.join(profile, "plugins"))
    os.makedirs(os.path.join(profile, "certificates", "x509", "tls_peers"))
    shutil.copy(plugin, os.path.join(profile, "plugins"))
    probe_path = shutil.copy(probe_module, os.path.join(profile, "plugins"))
    shutil.copy(server_pem, os.path.join(profile, "certificates", "x509", "tls_peers", "127.0.0.1"))
    with open(os.path.join(profile, "accounts.xml"), "w") as f:
        f.write(accounts)
    with open(os.path.join(profile, "prefs.xml"), "w") as f:
        f.write(prefs_xml(probe_path))
    if blist is not None:
        with open(os.path.join(profile, "blist.xml"), "w") as f:
            f.write(blist)
    return profile, probe_path


def start_xvfb(tmp):
    """Xvfb on a free display number (it picks one and tells us)."""
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp",
         "-noreset"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "xvfb.log"), "w"),
        start_new_session=True)
    os.close(write_end)
    number = b""
    deadline = time.monotonic() + 10
    while not number.endswith(b"\n") and time.monotonic() < deadline:
        if not select.select([read_end], [], [], 0.5)[0]:
            continue
        chunk = os.read(read_end, 16)
        if not chunk:
            break
        number += chunk
    os.close(read_end)
    if not number.strip().isdigit():
        raise AssertionError("Xvfb did not start: " + open(os.path.join(tmp, "xvfb.log")).read())
    return proc, ":" + number.strip().decode()


def pidgin_env(tmp, display, **extra):
    """The environment Pidgin runs in: its own HOME and XDG dirs under TMP, no
    session bus, no accessibility bridge, plain C locale, EXTRA on top."""
    home = os.path.join(tmp, "home")
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ, DISPLAY=display, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_DATA_HOME=os.path.join(home, ".local", "share"),
               XDG_CACHE_HOME=os.path.join(home, ".cache"),
               # No session bus: nothing may start one for us (and outlive the run).
               DBUS_SESSION_BUS_ADDRESS="unix:path=" + os.path.join(tmp, "no-bus"),
               NO_AT_BRIDGE="1", LANG="C.UTF-8", LANGUAGE="", **extra)
    env.pop("XAUTHORITY", None)
    return env


def stop(proc):
    """The process and everything it started (its own session), for sure."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(5)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(5)
