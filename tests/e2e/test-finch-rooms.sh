#!/usr/bin/env bash
# Rooms in Finch, through the README's demo (tools/demo) under tmux: the Dev
# room opens by itself (HipChat's auto-join list; the account option
# `autojoin` is on by default) with its last message, the scripted
# colleagues' lines appear in the room window (a Jenkins notification, a
# shared file, and Erin's @AliceExample mention drawn in Finch's highlight
# colour), `/history` typed in the room shows the earlier messages, and
# quitting Finch (Alt+Q) ends the demo with its emulator stopped and its
# temporary profile removed. Assertions are on `tmux capture-pane` text.
# Bounded in time; the tmux server, HOME and TMPDIR are private to the test.
set -euo pipefail
source_dir=$1
build_dir=$2
socket="hipchat-finch-rooms-$$"
tmp=$(mktemp -d /tmp/hipchat-finch-rooms-XXXXXX)
# tools/demo started as root runs the emulator and Finch as "nobody", who must
# reach its profile under TMPDIR.
chmod 755 "$tmp"
emulator_pid=

cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null || true
    # The demo cleans up when it is hung up on; give it a moment, then make sure.
    for _ in $(seq 1 20); do
        compgen -G "$tmp/hipchat-demo-*" >/dev/null || break
        sleep 0.25
    done
    if [[ -n "$emulator_pid" ]]; then kill "$emulator_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

mkdir "$tmp/home"
# Scripted lines every 3 s once someone is in the room; the room opens with
# its last message only, so that /history has earlier ones to show.
tmux -L "$socket" new-session -d -s demo -x 120 -y 40 \
    "cd '$source_dir' && HOME='$tmp/home' TMPDIR='$tmp' DEMO_NO_BUILD=1 BUILD_DIR='$build_dir' \
     DEMO_CLIENT=finch DEMO_INTERVAL=3 DEMO_JOIN_HISTORY=1 tools/demo; echo \$? >'$tmp/demo-status'"

screen() { tmux -L "$socket" capture-pane -p ${1:+"$1"} -t demo 2>/dev/null || true; }
last_screen=
# wait_for SECONDS WHAT FIXED-STRING...: until the screen shows every string.
wait_for() {
    local seconds=$1 what=$2
    shift 2
    local deadline=$((SECONDS + seconds)) text
    while ((SECONDS < deadline)); do
        last_screen=$(screen)
        local missing=
        for text in "$@"; do
            grep -qF -- "$text" <<<"$last_screen" || missing=1
        done
        [[ -z "$missing" ]] && return 0
        sleep 0.3
    done
    echo "FAIL: Finch did not show $what; last screen:"
    echo "$last_screen"
    exit 1
}

wait_for 30 "the team" "Example Inc" "Bob Test"
# The room's window, listed in Finch's task bar (the bottom line). Finch
# titles a window when it opens it, so the room shows by its JID there.
# Titled by the room's name from the moment it opens, not by its address.
room_entry='^ *Dev \('
wait_for 20 "the Dev room's window" "Dev ("
emulator_pid=$(pgrep -f -- "--tls-dir $tmp/hipchat-demo-" | head -n1 || true)
[[ -n "$emulator_pid" ]] || { echo "FAIL: no emulator started by the demo"; exit 1; }
index=0 found=
IFS='│' read -r -a entries <<<"$(screen | tail -n1)"
for entry in "${entries[@]}"; do
    index=$((index + 1))
    if [[ "$entry" =~ $room_entry ]]; then found=$index; fi
done
[[ -n "$found" ]] || { echo "FAIL: no room in the task bar: ${entries[*]}"; exit 1; }
# Alt+N brings the Nth window of the task bar to the front.
tmux -L "$socket" send-keys -t demo "M-$found"

wait_for 15 "the join backlog and the topic" "Backend is deployed to staging" "The topic is: Ship it"
wait_for 15 "Bob's scripted message in the room" "Bob Test: Morning! The release branch builds again."

# /history typed in the room: the three earlier messages, under a heading.
tmux -L "$socket" send-keys -t demo "/history" Enter
wait_for 15 "the history page" "3 earlier messages" "Bob Test: Morning! Release branch is cut." \
    "Alice Example: Great, I'll run the smoke tests @BobTest" "Jenkins (integration): Build #42 passed"
echo "Finch: /history shows the earlier messages"

wait_for 20 "the Jenkins notification" "Jenkins (integration): Build #101 passed: app"
wait_for 20 "Erin's mention" "Erin Müller: @AliceExample could you look over the release"
# Finch draws a highlighted message's sender in green (color-message-highlight),
# others' in red.
if ! screen -e | grep -F "@AliceExample could you" | grep -qF $'\e[32mErin Müller'; then
    echo "FAIL: the mention is not highlighted:"
    screen -e | grep -F "@AliceExample could you" | cat -v
    exit 1
fi
echo "Finch: the mention is highlighted"
wait_for 20 "the shared file" "Bob Test: release-checklist.txt"

# Alt+Q quits Finch; the demo then stops the emulator and removes its profile.
tmux -L "$socket" send-keys -t demo M-q
for _ in $(seq 1 40); do
    [[ -f "$tmp/demo-status" ]] && break
    sleep 0.25
done
[[ -f "$tmp/demo-status" ]] || { echo "FAIL: the demo did not end after Alt+Q"; exit 1; }
[[ "$(cat "$tmp/demo-status")" == 0 ]] || { echo "FAIL: the demo exited with $(cat "$tmp/demo-status")"; exit 1; }
if compgen -G "$tmp/hipchat-demo-*" >/dev/null; then
    echo "FAIL: the demo left its profile behind"
    exit 1
fi
if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
    echo "FAIL: the demo left its emulator running"
    exit 1
fi
echo "Finch joined Dev by itself, showed the team's messages and history; the demo cleaned up"
