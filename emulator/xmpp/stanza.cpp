#include "stanza.hpp"

#include <glib.h>

#include <algorithm>
#include <cstdio>

namespace hipchat::emulator {

std::string xmlns(const char *uri)
{
    return std::string(" xmlns='") + uri + "'";
}

std::string random_hex(int bytes)
{
    std::string out;
    for (int i = 0; i < bytes; ++i) {
        char buf[3];
        std::snprintf(buf, sizeof buf, "%02x", g_random_int_range(0, 256));
        out += buf;
    }
    return out;
}

std::string new_mid()
{
    gchar *uuid = g_uuid_string_random();
    std::string mid = uuid;
    g_free(uuid);
    return mid;
}

double now_ts()
{
    return static_cast<double>(g_get_real_time()) / 1e6;
}

std::string ts_text(double ts)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", ts);
    return buf;
}

core::Element readdressed(const core::Element &stanza, std::string_view from)
{
    core::Element out = stanza;
    std::erase_if(out.attributes, [](const auto &a) { return a.first == "from"; });
    out.attributes.emplace_back("from", from);
    return out;
}

}  // namespace hipchat::emulator
