#!/usr/bin/env python3
"""Runs a test program under valgrind memcheck and fails on memory errors or
definite leaks that involve prpl-hipchat's own code (a frame in
libhipchat.so or in a hipchat:: namespace other than the test harness).

What libpurple, GStreamer/Vulkan (loaded by libpurple's media manager) and
GLib do on their own is reported in the log but does not fail the check:
their one-time allocations and repeated core initialisation are outside this
project. That filter replaces a suppressions file, which would have to list
every such stack by hand."""

import os
import re
import subprocess
import sys

OURS = re.compile(r"libhipchat\.so|hipchat::(xmpp|purple|util|core|net)::")


def main():
    # In the working directory: meson runs tests in the build directory.
    log = os.path.abspath("valgrind-" + os.path.basename(sys.argv[1]) + ".log")
    env = dict(os.environ, CK_FORK="no", G_SLICE="always-malloc")
    result = subprocess.run(
        ["valgrind", "--leak-check=full", "--show-leak-kinds=definite",
         "--num-callers=40", f"--log-file={log}", *sys.argv[1:]], env=env)
    if result.returncode != 0:
        print(f"the test itself failed under valgrind (exit {result.returncode}); see {log}")
        return 1
    with open(log) as f:
        text = f.read()
    blocks = re.split(r"\n==\d+== \n", text)
    ours = [b for b in blocks
            if ("definitely lost" in b or "Invalid " in b or "uninitialised" in b)
            and OURS.search(b)]
    for block in ours:
        print(block)
    print(f"{len(ours)} memory errors or definite leaks in prpl-hipchat's code (log: {log})")
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main())
