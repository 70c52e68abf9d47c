// HipChat emulator: IQs. Every IQ get and set for the server goes through one
// table (iq.cpp), from its payload's namespace (and element name, where it
// matters), its type and whom it is addressed to, to the handler of the
// feature that answers it. Before the table, in one step, the faults
// (docs/emulator.md: drop_after iq:N, ignore_iq, reply_iq, error_iq); an IQ
// no entry takes is answered service-unavailable, never with silence. IQs to
// another client's full JID are passed on, not answered.
#pragma once

#include <string>

#include "core/element.hpp"

namespace hipchat::emulator {

class Connection;

// An IQ stanza from a session, after its TLS and login.
void dispatch_iq(Connection &session, const core::Element &iq);

// What every table entry is: `query` is the IQ's payload (its first child).
using IqHandler = void (*)(Connection &session, const core::Element &iq,
                           const core::Element &query);

// The answers: a result around `payload` (XML text; "" for an empty result),
// or an error with a type, a condition of the stanzas namespace and, when
// not empty, a text. From the IQ's `to`, to the session's JID once it has one.
void reply(Connection &session, const core::Element &iq, const std::string &payload);
void reply_error(Connection &session, const core::Element &iq, const char *type,
                 const char *condition, const std::string &text = {});

// A server push (an IQ set, §6.3, §7.3, §12.1) around `payload` to one
// session, with a fresh id that starts with `id_prefix`.
void push(Connection &session, const char *id_prefix, const std::string &payload);

}  // namespace hipchat::emulator
