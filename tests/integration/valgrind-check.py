#!/usr/bin/env python3
"""Runs a Check test program under valgrind memcheck and fails on any memory
error, or on a definite leak that involves prpl-hipchat's own code.

  valgrind-check.py PROGRAM [ARGS...]

What counts:
- memory errors (invalid reads, writes and frees, uses of uninitialised
  values, mismatched frees, ...) anywhere in the process: our code can corrupt
  memory that libpurple or GLib then trips over. Known errors outside the
  project are suppressed by tests/valgrind/*.supp, each entry documented.
- definite leaks with a frame in our code: in src/ (by source path), in
  libhipchat.so, or in a hipchat:: namespace other than the test harness's.
  Definite leaks of libpurple, GLib or GnuTLS on their own are counted and
  listed in the log but do not fail the check.

The program runs in Check's fork mode, one fresh process per test, as it does
without valgrind: libpurple is initialised once per process, and repeating
that in one process (CK_FORK=no) makes libpurple itself read freed memory.
Check's timeouts only apply in fork mode; they are stretched by
CK_TIMEOUT_MULTIPLIER (default 10) for valgrind's slowdown. Servers the test
starts (the emulator, prosody) run natively: valgrind does not follow exec.

Each process writes valgrind-PROGRAM.PID.log in the working directory (the
build directory under meson). A summary is printed, and written as JSON to
valgrind-PROGRAM.json for tools/quality-figures."""

import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
SUPPRESSIONS = sorted(glob.glob(os.path.join(SOURCE_ROOT, "tests", "valgrind", "*.supp")))

# A frame in our code: a source file of a layer under src/ (valgrind prints
# the compiler's path, e.g. BUILD/../src/xmpp/auth.cpp, with
# --fullpath-after=), the plugin module itself, or our namespaces.
OURS = re.compile(
    r"/src/(?:xmpp|purple|util|core|net)/[^:()]*:\d+\)"
    r"|libhipchat\.so"
    r"|hipchat::(?:xmpp|purple|util|core|net)::")

ERROR_KINDS = re.compile(
    r"^(Invalid (read|write|free)|Mismatched free|Conditional jump or move depends"
    r"|Use of uninitialised value|Syscall param .* (uninitialised|unaddressable)"
    r"|Source and destination overlap|Argument '.*' of function .* has a fishy"
    r"|Jump to the invalid address)")


def blocks_of(text):
    """The log's reports: runs of '==PID== ' lines separated by empty ones."""
    block = []
    for line in text.splitlines():
        m = re.match(r"^==\d+== ?(.*)$", line)
        if not m:
            continue
        content = m.group(1)
        if content.strip() == "":
            if block:
                yield block
            block = []
        else:
            block.append(content)
    if block:
        yield block


def analyse(log_path):
    with open(log_path, errors="replace") as f:
        text = f.read()
    errors, our_leaks, other_leaks = [], [], 0
    for block in blocks_of(text):
        head = block[0]
        joined = "\n".join(block)
        if "are definitely lost in loss record" in head:
            if OURS.search(joined):
                our_leaks.append(joined)
            else:
                other_leaks += 1
        elif ERROR_KINDS.match(head):
            errors.append(joined)
    summary = re.search(r"ERROR SUMMARY: (\d+) errors from \d+ contexts \(suppressed: (\d+)", text)
    suppressed = int(summary.group(2)) if summary else 0
    return errors, our_leaks, other_leaks, suppressed


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    program = sys.argv[1]
    name = os.path.basename(program)
    for old in glob.glob(f"valgrind-{name}.*.log") + glob.glob(f"valgrind-{name}.log"):
        os.remove(old)
    log_pattern = os.path.abspath(f"valgrind-{name}.%p.log")

    g_debug = [flag for flag in os.environ.get("G_DEBUG", "").split(",") if flag]
    env = dict(os.environ, G_SLICE="always-malloc", G_DEBUG=",".join(g_debug + ["gc-friendly"]))
    env.pop("CK_FORK", None)
    env.setdefault("CK_TIMEOUT_MULTIPLIER", "10")
    command = ["valgrind", "--tool=memcheck", "--leak-check=full",
               "--show-leak-kinds=definite", "--errors-for-leak-kinds=none",
               "--num-callers=40", "--keep-debuginfo=yes", "--fullpath-after=",
               "--track-origins=no", f"--log-file={log_pattern}"]
    command += [f"--suppressions={s}" for s in SUPPRESSIONS]
    result = subprocess.run(command + sys.argv[1:], env=env)

    logs = sorted(glob.glob(f"valgrind-{name}.*.log"))
    errors, our_leaks, other_leaks, suppressed = [], [], 0, 0
    for log in logs:
        e, o, n, s = analyse(log)
        errors += [f"[{log}]\n{b}" for b in e]
        our_leaks += [f"[{log}]\n{b}" for b in o]
        other_leaks += n
        suppressed += s

    for block in errors + our_leaks:
        print(block)
        print()
    summary = {
        "program": name,
        "processes": len(logs),
        "test_exit_status": result.returncode,
        "errors": len(errors),
        "definite_leaks_ours": len(our_leaks),
        "definite_leaks_elsewhere": other_leaks,
        "suppressed": suppressed,
    }
    with open(f"valgrind-{name}.json", "w") as f:
        json.dump(summary, f)
    print(f"valgrind {name}: {len(errors)} memory errors, {len(our_leaks)} definite leaks in "
          f"prpl-hipchat's code ({other_leaks} definite leaks elsewhere, {suppressed} errors "
          f"suppressed by tests/valgrind/*.supp; {len(logs)} processes, logs "
          f"valgrind-{name}.*.log)")
    if result.returncode != 0:
        print(f"the test itself failed under valgrind (exit {result.returncode})")
        return 1
    return 1 if errors or our_leaks else 0


if __name__ == "__main__":
    sys.exit(main())
