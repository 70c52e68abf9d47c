#!/usr/bin/env python3
"""Runs test-hipchatter.js (node's test runner) against a running emulator.

hipchatter, the npm library under test, is installed once under the build
directory (`npm install --prefix`, the version pinned below). Without node or
npm the test is skipped with a message (exit 77); tools/install-deps
installs both, so CI always runs it.

Usage: test-hipchatter.py EMULATOR ORG BUILD_DIR TEST_JS"""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator_process import Emulator  # noqa: E402

HIPCHATTER = "hipchatter@1.0.0"


def install(build_dir):
    """hipchatter's node_modules under the build directory; its path."""
    prefix = os.path.join(os.path.abspath(build_dir), "hipchatter")
    modules = os.path.join(prefix, "node_modules")
    if not os.path.exists(os.path.join(modules, "hipchatter", "package.json")):
        subprocess.run(["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund",
                        "--no-save", "--loglevel=error", HIPCHATTER], check=True, timeout=300)
    return modules


def main():
    emulator_binary, org, build_dir, test_js = sys.argv[1:5]
    if shutil.which("node") is None or shutil.which("npm") is None:
        print("SKIP: node and npm are needed to run hipchatter (tools/install-deps installs them)")
        return 77
    modules = install(build_dir)
    emulator = Emulator(emulator_binary, org, "--rest-port", "0")
    try:
        env = dict(os.environ, NODE_PATH=modules, NODE_EXTRA_CA_CERTS=emulator.ca_file,
                   HIPCHAT_API_ROOT=f"https://127.0.0.1:{emulator.rest_port}/v2/",
                   HIPCHAT_TOKEN="alice-demo-token", HIPCHAT_BOB_TOKEN="bob-demo-token")
        return subprocess.run(["node", "--test", test_js], env=env,
                              timeout=120).returncode
    finally:
        emulator.close()


if __name__ == "__main__":
    sys.exit(main())
