#!/usr/bin/env python3
"""Every C and C++ file of the project is as .clang-format lays it out:
`clang-format --dry-run --Werror` over src/, emulator/ and tests/ lists the
files that are not (`clang-format -i FILE` fixes one).

Usage: check-format.py <source root> <clang-format>
"""
import pathlib
import subprocess
import sys


def main():
    root, clang_format = pathlib.Path(sys.argv[1]), sys.argv[2]
    files = sorted(str(p) for top in ("src", "emulator", "tests")
                   for pattern in ("*.c", "*.cpp", "*.h", "*.hpp")
                   for p in (root / top).rglob(pattern))
    result = subprocess.run([clang_format, "--dry-run", "--Werror", *files],
                            capture_output=True, text=True)
    if result.returncode != 0:
        unformatted = sorted({line.split(":", 1)[0] for line in result.stderr.splitlines()
                              if ": error:" in line})
        print("not as .clang-format says (clang-format -i fixes them):")
        print("\n".join(unformatted) if unformatted else result.stderr)
        return 1
    print(f"{len(files)} files as .clang-format says")
    return 0


if __name__ == "__main__":
    sys.exit(main())
