#!/usr/bin/env python3
"""Fuzzes one libFuzzer target for a bounded time (the fuzz build's meson
tests, tests/fuzz/meson.build).

  run-fuzzer.py FUZZER NAME FUZZ_SOURCE_DIR [DICT]

Environment: FUZZ_SECONDS (default 20), the fuzzing time.

libFuzzer first runs every input of the seed corpus (FUZZ_SOURCE_DIR/corpus/
NAME) and of the regression inputs (FUZZ_SOURCE_DIR/regressions/NAME), then
mutates them; inputs that reach new code go to a working corpus in the build
directory (fuzz/NAME/corpus, kept between local runs), never into the source
tree. When the target crashes, leaks, times out or runs out of memory, the
input is copied to regressions/NAME/ in the source tree: fix the bug and
commit that file, and every later run (here and the unit suite's
fuzz-replay-NAME) runs it again.

Writes fuzz/NAME.log (libFuzzer's output) and fuzz/NAME.json (executions,
coverage, corpus size, crashes) in the working directory, for
tools/quality-figures."""

import json
import os
import re
import shutil
import subprocess
import sys


def final_stats(log):
    stats = {}
    for key, value in re.findall(r"^stat::(\w+):\s*(\d+)", log, re.M):
        stats[key] = int(value)
    # The last status line, e.g. "#123456 DONE cov: 812 ft: 2301 corp: 240/19Kb ...".
    status = re.findall(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/", log, re.M)
    if status:
        runs, cov, ft, corp = status[-1]
        stats.setdefault("number_of_executed_units", int(runs))
        stats["coverage_edges"] = int(cov)
        stats["features"] = int(ft)
        stats["corpus_inputs"] = int(corp)
    return stats


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    fuzzer, name, source_dir = sys.argv[1:4]
    dictionary = sys.argv[4] if len(sys.argv) > 4 else ""
    seconds = int(os.environ.get("FUZZ_SECONDS", "20"))

    out_dir = os.path.abspath(os.path.join("fuzz", name))
    work_corpus = os.path.join(out_dir, "corpus")
    artifacts = os.path.join(out_dir, "artifacts")
    os.makedirs(work_corpus, exist_ok=True)
    shutil.rmtree(artifacts, ignore_errors=True)
    os.makedirs(artifacts)
    seeds = os.path.join(source_dir, "corpus", name)
    regressions = os.path.join(source_dir, "regressions", name)

    command = [fuzzer, f"-max_total_time={seconds}", "-timeout=10", "-rss_limit_mb=2048",
               "-print_final_stats=1", f"-artifact_prefix={artifacts}/"]
    if dictionary:
        command.append(f"-dict={dictionary}")
    command += [work_corpus] + [d for d in (seeds, regressions) if os.path.isdir(d)]
    env = dict(os.environ)
    # Findings are fatal; leaks count (libFuzzer checks them per input).
    env.setdefault("ASAN_OPTIONS", "halt_on_error=1:detect_leaks=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    print(" ".join(command), flush=True)
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace")
    log = result.stdout
    with open(os.path.join("fuzz", f"{name}.log"), "w") as f:
        f.write(log)

    found = sorted(os.listdir(artifacts))
    saved = []
    if found:
        os.makedirs(regressions, exist_ok=True)
        for artifact in found:
            shutil.copy(os.path.join(artifacts, artifact), os.path.join(regressions, artifact))
            saved.append(os.path.join(regressions, artifact))

    stats = final_stats(log)
    summary = {
        "target": name,
        "seconds": seconds,
        "exit_status": result.returncode,
        "executions": stats.get("number_of_executed_units", 0),
        "executions_per_second": stats.get("average_exec_per_sec", 0),
        "new_inputs": stats.get("new_units_added", 0),
        "coverage_edges": stats.get("coverage_edges", 0),
        "corpus_inputs": stats.get("corpus_inputs", 0),
        "peak_rss_mb": stats.get("peak_rss_mb", 0),
        "crashes": len(found) if found else (1 if result.returncode != 0 else 0),
        "saved_regressions": saved,
    }
    with open(os.path.join("fuzz", f"{name}.json"), "w") as f:
        json.dump(summary, f)

    # The report (libFuzzer's own lines from the finding on) and the figures.
    if result.returncode != 0:
        start = max(log.rfind("==ERROR:"), log.rfind("contract broken"), log.rfind("runtime error:"))
        print(log[max(0, log.rfind("\n", 0, start) if start >= 0 else len(log) - 6000):])
        for path in saved:
            print(f"fuzz-{name}: the failing input is now {path}: fix the bug and commit it "
                  f"as a regression input")
    print(f"fuzz-{name}: {summary['executions']} executions in {seconds} s, "
          f"{summary['coverage_edges']} edges, {summary['corpus_inputs']} corpus inputs, "
          f"{summary['crashes']} crashes")
    return 1 if result.returncode != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
