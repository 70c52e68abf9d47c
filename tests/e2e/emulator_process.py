"""The built hipchat-emulator as a child process on free loopback ports (tests only)."""

import json
import os
import select
import shutil
import subprocess
import tempfile
import time
import urllib.request


class Emulator:
    def __init__(self, binary, org, *extra, xmpp_port=0):
        self.tls_dir = tempfile.mkdtemp(prefix="hipchat-emulator-e2e-")
        self.proc = subprocess.Popen(
            [binary, "--xmpp-port", str(xmpp_port), "--control-port", "0", "--tls-dir",
             self.tls_dir, "--org", org, *extra],
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
        self.rest_port = ready["rest"]
        self.ca_file = ready["ca_file"]
        self.server_pem = os.path.join(self.tls_dir, "server.pem")

    def control(self, path, body=None):
        """A control-interface request (docs/emulator.md): GET, or POST with a JSON body."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.control_port}{path}", data=data,
                                         method="POST" if data else "GET")
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read().decode()

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.tls_dir, ignore_errors=True)
