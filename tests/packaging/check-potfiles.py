#!/usr/bin/env python3
"""po/POTFILES is complete: every file under src/ that marks a string for
translation (_(), N_(), C_(), NC_(), Q_(), ngettext and friends) is listed,
and every listed file exists (xgettext fails on a missing one).

A file missing from POTFILES would ship its strings untranslated with no
warning anywhere else. Usage: check-potfiles.py <source root>
"""
import pathlib
import re
import sys

# The glib preset's keywords (meson i18n, preset: 'glib'), as calls.
MARKER = re.compile(
    r'(?<![\w.>:])(?:_|N_|C_|NC_|Q_|g_dgettext|g_dcgettext|g_dngettext|g_dpgettext2?'
    r'|ngettext|dngettext|dgettext|gettext)\s*\(\s*(?:[A-Za-z_][\w]*\s*,\s*)*"'
)
SOURCE_SUFFIXES = {'.c', '.cc', '.cpp', '.h', '.hh', '.hpp'}


def strip_comments(text: str) -> str:
    """Drops // and /* */ comments (not inside string literals), so a comment
    that talks about _() does not count as a use."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            out.append('\n' * text.count('\n', i, n if j < 0 else j))
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def main() -> int:
    root = pathlib.Path(sys.argv[1]).resolve()
    listed = []
    for line in (root / 'po' / 'POTFILES').read_text(encoding='utf-8').splitlines():
        line = line.strip()
        if line and not line.startswith('#'):
            listed.append(line)

    problems = []
    for name in listed:
        if not (root / name).is_file():
            problems.append(f'po/POTFILES lists {name}, which does not exist')
    if len(set(listed)) != len(listed):
        problems.append('po/POTFILES lists a file twice')

    marking = sorted(
        str(path.relative_to(root))
        for path in (root / 'src').rglob('*')
        if path.suffix in SOURCE_SUFFIXES and path.is_file()
        and MARKER.search(strip_comments(path.read_text(encoding='utf-8', errors='replace')))
    )
    for name in marking:
        if name not in listed:
            problems.append(f'{name} marks strings for translation but is not in po/POTFILES')

    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print('Add the files to po/POTFILES, then run: ninja -C <builddir> purple-hipchat-update-po',
              file=sys.stderr)
        return 1
    print(f'po/POTFILES lists all {len(marking)} source files with translatable strings')
    return 0


if __name__ == '__main__':
    sys.exit(main())
