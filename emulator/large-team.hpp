// HipChat emulator: --large, a generated team for the benchmarks
// (docs/emulator.md): the same people, rooms and history for the same size
// on every run and machine.
#pragma once

#include <cstddef>

#include "org.hpp"

namespace hipchat::emulator {

// The size of a generated team (--large, --large-rooms, --large-history).
struct LargeTeam {
    std::size_t people = 0;
    std::size_t rooms = 0;
    std::size_t history = 0;  // room messages in all, spread over the rooms
    // person1 keeps this many rooms open (autoJoin) with unread messages.
    std::size_t unread_rooms = 0;
    std::size_t auto_join = 0;  // rooms in everyone's auto-join list (§6.2)
};

// A large synthetic team for benchmarks, the same for the same size on every
// run (docs/emulator.md): people person<N>@example.com with password
// "password<N>" and API token "token<N>"; rooms with topics, a fifth of them
// private with a few members, one in 37 archived; history spread over the
// rooms, busier ones first, with mentions and integration notifications;
// person1's autoJoin with `unread_rooms` rooms, each read but for its last
// one to ten messages (§19.4).
Organisation generate_organisation(const LargeTeam &size);

}  // namespace hipchat::emulator
