// The one guard every C entry point runs inside (prpl callbacks, signal
// handlers, GSourceFuncs, libsoup callbacks): no C++ exception may unwind
// through libpurple's or GLib's C frames, which is undefined behaviour and in
// practice a crash of Pidgin, Finch or bitlbee.
#pragma once

#include <exception>
#include <type_traits>
#include <utility>

namespace hipchat::util {

// Logs an escaped exception (never its payload beyond what()).
void report_exception(const char *where, const char *what) noexcept;

// Runs `body`; if it throws, logs where it happened and returns `fallback`
// (or nothing, for void bodies).
template <typename Body, typename Result = std::invoke_result_t<Body>>
Result guard(const char *where, Body &&body, Result fallback = Result{}) noexcept
{
    try {
        return std::forward<Body>(body)();
    } catch (const std::exception &e) {
        report_exception(where, e.what());
    } catch (...) {
        report_exception(where, "unknown exception");
    }
    return fallback;
}

template <typename Body>
requires std::is_void_v<std::invoke_result_t<Body>>
void guard(const char *where, Body &&body) noexcept
{
    try {
        std::forward<Body>(body)();
    } catch (const std::exception &e) {
        report_exception(where, e.what());
    } catch (...) {
        report_exception(where, "unknown exception");
    }
}

}  // namespace hipchat::util
