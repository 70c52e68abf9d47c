#!/usr/bin/env bash
# The README's main command (tools/demo, as it is: no test settings) in
# Finch under tmux: Finch signs in to the emulator's sample organisation as
# Alice, the buddy list shows the team with its presences, Bob's message
# appears on screen, Ops shows what she missed (HipChat's read state), the
# Dev room has opened by itself and shows the colleagues' activity within
# seconds. Hanging up (the tmux server killed)
# ends the demo with its profile removed. Bounded in time; the tmux server,
# HOME and TMPDIR are private to this test.
set -euo pipefail
source_dir=$1
build_dir=$2
socket="hipchat-finch-$$"
tmp=$(mktemp -d /tmp/hipchat-finch-demo-XXXXXX)
# tools/demo started as root runs the emulator and Finch as "nobody", who must
# reach its profile under TMPDIR.
chmod 755 "$tmp"

cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null || true
    for _ in $(seq 1 20); do
        compgen -G "$tmp/hipchat-demo-*" >/dev/null || break
        sleep 0.25
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

mkdir "$tmp/home"
tmux -L "$socket" new-session -d -s demo -x 120 -y 40 \
    "cd '$source_dir' && HOME='$tmp/home' TMPDIR='$tmp' DEMO_NO_BUILD=1 BUILD_DIR='$build_dir' \
     DEMO_CLIENT=finch tools/demo"

screen=
# wait_for SECONDS WHAT FIXED-STRING...: until the screen shows every string.
wait_for() {
    local seconds=$1 what=$2
    shift 2
    local deadline=$((SECONDS + seconds)) text
    while ((SECONDS < deadline)); do
        screen=$(tmux -L "$socket" capture-pane -p -t demo 2>/dev/null || true)
        local missing=
        for text in "$@"; do
            grep -qF -- "$text" <<<"$screen" || missing=1
        done
        [[ -z "$missing" ]] && return 0
        sleep 0.3
    done
    echo "FAIL: Finch did not show $what; last screen:"
    echo "$screen"
    exit 1
}

wait_for 30 "the team and Bob's message" "Example Inc" "Bob Test" "Hi! This is HipChat"
echo "Finch shows the team and Bob's message"

# Started as root, the demo still runs neither client nor server as root.
if ((EUID == 0)); then
    for program in finch hipchat-emulator; do
        pgrep -f "$tmp/hipchat-demo-.*" -a | grep -q "$program" ||
            { echo "FAIL: no $program of this demo is running"; exit 1; }
        if pgrep -u root -f "$tmp/hipchat-demo-.*" -a | grep -q "$program"; then
            echo "FAIL: the demo runs $program as root"
            exit 1
        fi
    done
    echo "the demo runs Finch and the emulator as an unprivileged user"
fi

# show_window NAME: the window titled NAME (a room's name, from the moment it
# opens) to the front: found in the task bar (bottom line), where Alt+N
# brings the Nth forward.
show_window() {
    local name=$1 index=0 found= entry
    wait_for 15 "the $name room's window" "$name ("
    IFS='│' read -r -a entries <<<"$(tail -n1 <<<"$screen")"
    for entry in "${entries[@]}"; do
        index=$((index + 1))
        if [[ "$entry" =~ ^\ *$name\ \( ]]; then found=$index; fi
    done
    [[ -n "$found" ]] || { echo "FAIL: no $name in the task bar: ${entries[*]}"; exit 1; }
    tmux -L "$socket" send-keys -t demo "M-$found"
}

# What Alice missed in Ops (HipChat's read state), at once: the unread
# messages under their line, the message she had read not again.
show_window Ops
wait_for 15 "what Alice missed in Ops" "2 unread messages" \
    "Frank Li: @AliceExample the release freeze starts Friday" \
    "Bob Test: Deploy window moved to 14:00 today."
if grep -qF "Pager handed over" <<<"$screen"; then
    echo "FAIL: Ops showed a message Alice had read"
    exit 1
fi
echo "Finch shows what Alice missed in Ops"

show_window Dev
# The room's own history, then the first scripted line (3 s after joining).
wait_for 20 "the room's activity" "Ivan Petrov: Backend is deployed to staging" \
    "Bob Test: Morning! The release branch builds again."
echo "Finch has joined Dev by itself, and the room is alive"

tmux -L "$socket" kill-server
for _ in $(seq 1 20); do
    compgen -G "$tmp/hipchat-demo-*" >/dev/null || break
    sleep 0.25
done
if compgen -G "$tmp/hipchat-demo-*" >/dev/null; then
    echo "FAIL: the demo left its profile behind after a hang-up"
    exit 1
fi
echo "the demo cleaned up after a hang-up"
