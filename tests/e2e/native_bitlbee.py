"""bitlbee's own HipChat support (Debian's `bitlbee` package, not the
`bitlbee-libpurple` build the other e2e tests use) from an extracted tree.

The two packages conflict, so the native one is never installed: its .deb is
fetched with `apt-get download` (no root needed; the package lists come from
tools/install-deps' `apt-get update`) and unpacked with `dpkg -x` under the
build directory, once. It needs bitlbee-common's help file (installed, as
bitlbee-libpurple depends on it) and libevent (tools/install-deps)."""

import glob
import os
import shutil
import subprocess


def binary(build_dir):
    """The path of the extracted bitlbee binary, fetching it on first use;
    raises AssertionError with what went wrong."""
    build_dir = os.path.abspath(build_dir)
    tree = os.path.join(build_dir, "native-bitlbee")
    path = os.path.join(tree, "usr", "sbin", "bitlbee")
    if os.path.exists(path):
        return path
    download = os.path.join(build_dir, "native-bitlbee-deb")
    shutil.rmtree(download, ignore_errors=True)
    os.makedirs(download)
    fetched = subprocess.run(["apt-get", "download", "bitlbee"], cwd=download,
                             capture_output=True, text=True, timeout=120)
    debs = glob.glob(os.path.join(download, "bitlbee_*.deb"))
    if fetched.returncode != 0 or len(debs) != 1:
        raise AssertionError("could not fetch Debian's bitlbee package (`apt-get download "
                             f"bitlbee`; run tools/install-deps first):\n{fetched.stderr}")
    subprocess.run(["dpkg", "-x", debs[0], tree + ".new"], check=True, timeout=60)
    shutil.rmtree(tree, ignore_errors=True)
    os.rename(tree + ".new", tree)  # whole or not at all
    shutil.rmtree(download, ignore_errors=True)
    return path
