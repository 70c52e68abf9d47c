// HipChat emulator: the read state on the API host (protocol reference §19.4),
// REST v2 handlers (rest-api.hpp) for rest-server.cpp's route table.
#pragma once

#include "rest-api.hpp"

namespace hipchat::emulator {

void rest_get_read_state(ApiCall &call);    // GET /v2/readstate
void rest_patch_read_state(ApiCall &call);  // PATCH /v2/readstate

}  // namespace hipchat::emulator
