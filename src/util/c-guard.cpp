#include "util/c-guard.hpp"

#include <debug.h>

namespace hipchat::util {

void report_exception(const char *where, const char *what) noexcept
{
    purple_debug_error("hipchat", "internal error in %s: %s\n", where, what);
}

}  // namespace hipchat::util
