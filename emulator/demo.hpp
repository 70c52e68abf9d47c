// HipChat emulator: --demo, scripted colleagues for tools/demo
// (docs/emulator.md): a few people online, Bob chatting 1:1 to whoever is
// connected, and the Dev room busy (people, Jenkins, a shared file) while
// someone is in it.
#pragma once

#include <glib.h>

#include <cstddef>

#include "org.hpp"
#include "rest-server.hpp"
#include "xmpp/server.hpp"

namespace hipchat::emulator {

// The demo's state; borrowed servers and organisation, which outlive it.
struct Demo {
    XmppServer *xmpp;
    RestServer *rest;
    Organisation *org;
    guint interval_ms = 20000;
    std::size_t next_line = 0;
    std::size_t next_step = 0;
    int next_build = 101;
    bool file_shared = false;
    guint room_timer = 0;
    gint64 room_due = 0;  // monotonic µs of the next room step
};

// Starts the colleagues: their presences now, then Bob and the Dev room every
// `interval_ms`; `demo` must live as long as the main loop runs.
void start_demo(Demo &demo);

}  // namespace hipchat::emulator
