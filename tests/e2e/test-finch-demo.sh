#!/usr/bin/env bash
# The README's main command (tools/demo) in Finch under tmux: Finch signs in
# to the emulator's sample organisation as Alice, the buddy list shows the
# team with its presences, and a message from a colleague appears on screen.
# Bounded in time; the tmux server is private to this test.
set -euo pipefail
source_dir=$1
build_dir=$2
socket="hipchat-finch-$$"

cleanup() { tmux -L "$socket" kill-server 2>/dev/null || true; }
trap cleanup EXIT

tmux -L "$socket" new-session -d -s demo -x 120 -y 40 \
    "cd '$source_dir' && DEMO_NO_BUILD=1 BUILD_DIR='$build_dir' DEMO_CLIENT=finch tools/demo"

screen=
for _ in $(seq 1 60); do
    sleep 0.5
    screen=$(tmux -L "$socket" capture-pane -p -t demo 2>/dev/null || true)
    if grep -q "Example Inc" <<<"$screen" && grep -q "Bob Test" <<<"$screen" &&
        grep -q "Hi! This is HipChat" <<<"$screen"; then
        echo "Finch shows the team and Bob's message"
        exit 0
    fi
done
echo "Finch did not show the expected screen; last capture:"
echo "$screen"
exit 1
