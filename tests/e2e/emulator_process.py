"""The built hipchat-emulator as a child process on free loopback ports (tests only)."""

import json
import os
import select
import shutil
import subprocess
import tempfile
import time


class Emulator:
    def __init__(self, binary, org, *extra):
        self.tls_dir = tempfile.mkdtemp(prefix="hipchat-emulator-e2e-")
        self.proc = subprocess.Popen(
            [binary, "--xmpp-port", "0", "--control-port", "0", "--tls-dir", self.tls_dir,
             "--org", org, *extra],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = b""
        deadline = time.monotonic() + 10
        while not line.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.5)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 1)
                if not chunk:
                    break
                line += chunk
        if not line.startswith(b"READY "):
            self.close()
            raise AssertionError(f"the emulator did not start: {line!r}")
        ready = json.loads(line[6:])
        self.xmpp_port = ready["xmpp"]
        self.control_port = ready["control"]
        self.server_pem = os.path.join(self.tls_dir, "server.pem")

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.tls_dir, ignore_errors=True)
