#!/usr/bin/env python3
"""Every catalogue in po/LINGUAS is complete and safe to ship:

- msgfmt --check passes: the header (with Plural-Forms) is valid and every
  translation keeps the c-format directives of its msgid (a missing or extra
  %s would make g_strdup_printf read garbage);
- no fuzzy and no untranslated messages (after purple-hipchat-update-po has
  merged new strings in, they must be translated before this passes);
- it covers every message of the template po/purple-hipchat.pot.

Usage: check-catalogues.py <source root> <msgfmt>
"""
import pathlib
import re
import subprocess
import sys
import tempfile


def msgids(path: pathlib.Path) -> set:
    """The msgids of a PO file (the header excluded), via msgcat's
    no-wrap output so that each msgid is on one line."""
    text = subprocess.run(['msgcat', '--no-wrap', '--no-location', str(path)],
                          check=True, capture_output=True, text=True).stdout
    ids = set()
    for match in re.finditer(r'^(?:msgctxt "((?:[^"\\]|\\.)*)"\n)?msgid "((?:[^"\\]|\\.)*)"$',
                             text, re.MULTILINE):
        if match.group(2):
            ids.add((match.group(1), match.group(2)))
    return ids


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    msgfmt = sys.argv[2]
    po = root / 'po'
    languages = (po / 'LINGUAS').read_text(encoding='utf-8').split()
    problems = []
    if not languages:
        problems.append('po/LINGUAS lists no language')
    template = msgids(po / 'purple-hipchat.pot')
    for language in languages:
        catalogue = po / f'{language}.po'
        if not catalogue.is_file():
            problems.append(f'po/LINGUAS lists {language} but po/{language}.po is missing')
            continue
        with tempfile.TemporaryDirectory() as tmp:
            result = subprocess.run(
                [msgfmt, '--check', '--statistics',
                 '-o', str(pathlib.Path(tmp) / 'out.mo'), str(catalogue)],
                capture_output=True, text=True)
        statistics = result.stderr.strip()
        print(f'po/{language}.po: {statistics}')
        if result.returncode != 0:
            problems.append(f'po/{language}.po: msgfmt --check failed')
        if re.search(r'\d+ (fuzzy|untranslated)', statistics):
            problems.append(f'po/{language}.po has fuzzy or untranslated messages')
        text = catalogue.read_text(encoding='utf-8')
        if '"Plural-Forms: nplurals=' not in text:
            problems.append(f'po/{language}.po has no Plural-Forms header')
        missing = template - msgids(catalogue)
        for context, msgid in sorted(missing):
            problems.append(f'po/{language}.po lacks "{msgid}"')
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print('Regenerate and merge with: ninja -C <builddir> purple-hipchat-update-po, '
              'then translate what is new', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
