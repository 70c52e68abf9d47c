#!/usr/bin/env bash
# Builds the Debian packages (debian/) from a copy of the source tree and
# checks what they contain: the plugin in libpurple's plugin directory, the
# protocol icons, the AppStream metainfo and the de/fr catalogues in
# purple-hipchat; the emulator and its sample data only in hipchat-emulator.
#
# Usage: test-deb.sh <source root>
# The copy lives in a temporary directory (removed on exit), so the build
# leaves nothing in the repository. Needs dpkg-dev, debhelper, fakeroot and
# the build dependencies of debian/control (tools/install-deps has them all).
set -euo pipefail

source_root=$(cd "${1:?usage: test-deb.sh <source root>}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/purple-hipchat-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() {
    echo "test-deb: $*" >&2
    exit 1
}

for tool in dpkg-buildpackage dpkg-deb dh fakeroot; do
    command -v "$tool" >/dev/null || fail "$tool is missing (run tools/install-deps)"
done

# The tree to package: what git tracks plus new files not yet committed
# (never ignored ones such as build dirs). Without git, everything but build*/.
mkdir "$work/src"
if git -C "$source_root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (
        cd "$source_root"
        git ls-files -z --cached --others --exclude-standard |
            while IFS= read -r -d '' file; do
                # Deleted in the work tree but still in the index: skip.
                [[ -e $file || -L $file ]] && printf '%s\0' "$file"
            done |
            tar --create --file=- --null --no-recursion --files-from=- |
            tar -C "$work/src" -xf -
    )
else
    tar -C "$source_root" --exclude='./build*' -cf - . | tar -C "$work/src" -xf -
fi
[[ -f $work/src/debian/control ]] || fail "no debian/control in the copied tree"

echo "test-deb: building in $work/src"
build_log=$work/build.log
if ! (cd "$work/src" && dpkg-buildpackage -b -us -uc -j"$(nproc)") >"$build_log" 2>&1; then
    tail -n 80 "$build_log" >&2
    fail "dpkg-buildpackage failed (last 80 lines above)"
fi
grep -E '^dpkg-shlibdeps: (warning|error)' "$build_log" >&2 || true

shopt -s nullglob
plugin_debs=("$work"/purple-hipchat_*.deb)
emulator_debs=("$work"/hipchat-emulator_*.deb)
((${#plugin_debs[@]} == 1)) || fail "expected one purple-hipchat .deb, got: ${plugin_debs[*]-none}"
((${#emulator_debs[@]} == 1)) || fail "expected one hipchat-emulator .deb, got: ${emulator_debs[*]-none}"
plugin_deb=${plugin_debs[0]}
emulator_deb=${emulator_debs[0]}

# Paths as dpkg-deb -c lists them ("./usr/..."), directories without the
# trailing slash.
contents() {
    dpkg-deb -c "$1" | awk '{ print $6 }' | sed -e 's|/$||'
}
plugin_files=$(contents "$plugin_deb")
emulator_files=$(contents "$emulator_deb")

plugindir=$(pkg-config --variable=plugindir purple)
expect_in() {
    local package=$1 files=$2 path=$3
    grep -qxF ".$path" <<<"$files" || fail "$package lacks $path; it has:
$files"
}
refuse_in() {
    local package=$1 files=$2 pattern=$3
    if grep -E "$pattern" <<<"$files" >&2; then
        fail "$package must not contain the files above"
    fi
}

for path in \
    "$plugindir/libhipchat.so" \
    /usr/share/pixmaps/pidgin/protocols/16/hipchat.png \
    /usr/share/pixmaps/pidgin/protocols/22/hipchat.png \
    /usr/share/pixmaps/pidgin/protocols/48/hipchat.png \
    /usr/share/pixmaps/pidgin/protocols/scalable/hipchat.svg \
    /usr/share/metainfo/io.github.purple_hipchat.purple_hipchat.metainfo.xml \
    /usr/share/locale/de/LC_MESSAGES/purple-hipchat.mo \
    /usr/share/locale/fr/LC_MESSAGES/purple-hipchat.mo \
    /usr/share/doc/purple-hipchat/copyright; do
    expect_in purple-hipchat "$plugin_files" "$path"
done
refuse_in purple-hipchat "$plugin_files" 'hipchat-emulator|/emulator'

for path in \
    /usr/bin/hipchat-emulator \
    /usr/share/purple-hipchat/emulator/sample-org.json; do
    expect_in hipchat-emulator "$emulator_files" "$path"
done
refuse_in hipchat-emulator "$emulator_files" 'libhipchat\.so|/locale/|/metainfo/|/pixmaps/'

# The control fields users and apt see.
field() { dpkg-deb --field "$1" "$2"; }
[[ $(field "$plugin_deb" Section) == net ]] || fail "Section is not net"
depends=$(field "$plugin_deb" Depends)
[[ $depends == *libpurple0* ]] || fail "Depends lacks libpurple0: $depends"
enhances=$(field "$plugin_deb" Enhances)
for client in pidgin finch bitlbee-libpurple; do
    [[ ", $enhances," == *", $client,"* ]] || fail "Enhances lacks $client: $enhances"
done

# The installed catalogues are where the packaged plugin looks: its
# LOCALEDIR, compiled in from the prefix, is /usr/share/locale.
mkdir "$work/unpacked"
dpkg-deb -x "$plugin_deb" "$work/unpacked"
grep -qaF /usr/share/locale "$work/unpacked$plugindir/libhipchat.so" ||
    fail "the packaged plugin does not bind /usr/share/locale"
appstreamcli validate --no-net \
    "$work/unpacked/usr/share/metainfo/io.github.purple_hipchat.purple_hipchat.metainfo.xml" \
    >/dev/null || fail "the packaged metainfo does not validate"
# Stripped, with the debug info in the automatic -dbgsym package.
if readelf -S "$work/unpacked$plugindir/libhipchat.so" | grep -q '\.debug_info'; then
    fail "the packaged plugin is not stripped"
fi

echo "test-deb: OK"
echo "  $(basename "$plugin_deb"): $(wc -l <<<"$plugin_files") entries"
echo "  $(basename "$emulator_deb"): $(wc -l <<<"$emulator_files") entries"
