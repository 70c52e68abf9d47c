// A benchmark-only libpurple plugin that tests/bench/pidgin-login.py loads
// into a real Pidgin from the run's temporary profile. It tells when a login
// is done as the user sees it, from inside the process: the account signed
// on, every auto-joined room open with its backlog written, and then the
// main loop idle at low priority (GTK has drawn the buddy list and the
// conversations: its redraws run at higher priorities). At that moment it
// writes one line to the file named by HIPCHAT_BENCH_LOG:
//
//   ready <monotonic µs> <user CPU s> <system CPU s> <peak RSS KiB>
//
// HIPCHAT_BENCH_ROOMS says how many rooms to wait for, HIPCHAT_BENCH_BACKLOG
// how many delayed messages each must have shown. The same for prpl-hipchat
// and stock prpl-jabber: it counts what Pidgin was asked to write.

#include <glib.h>
#include <gmodule.h>

#include <account.h>
#include <connection.h>
#include <conversation.h>
#include <plugin.h>
#include <signals.h>
#include <version.h>

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

namespace {

FILE *log_file = nullptr;
int rooms_wanted = 0;
int backlog_wanted = 0;
bool signed_on = false;
bool reported = false;
guint idle_source = 0;
std::map<std::string, int> backlog;  // room conversation name -> delayed messages written

gboolean report(gpointer)
{
    idle_source = 0;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::fprintf(log_file, "ready\t%lld\t%.3f\t%.3f\t%ld\n",
                 static_cast<long long>(g_get_monotonic_time()),
                 usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6,
                 usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6, usage.ru_maxrss);
    std::fflush(log_file);
    reported = true;
    return G_SOURCE_REMOVE;
}

void check_done()
{
    if (reported || idle_source != 0 || !signed_on || log_file == nullptr)
        return;
    int complete = 0;
    for (const auto &[room, count] : backlog)
        complete += count >= backlog_wanted ? 1 : 0;
    if (complete >= rooms_wanted)
        idle_source = g_idle_add_full(G_PRIORITY_LOW, report, nullptr, nullptr);
}

void on_signed_on(PurpleConnection *, gpointer)
{
    signed_on = true;
    check_done();
}

void on_wrote_chat(PurpleAccount *, const char *, const char *, PurpleConversation *conv,
                   PurpleMessageFlags flags, gpointer)
{
    if ((flags & PURPLE_MESSAGE_DELAYED) == 0)
        return;
    ++backlog[purple_conversation_get_name(conv)];
    check_done();
}

int env_number(const char *name)
{
    const char *value = g_getenv(name);
    return value != nullptr ? std::atoi(value) : 0;
}

gboolean plugin_load(PurplePlugin *plugin)
{
    const char *path = g_getenv("HIPCHAT_BENCH_LOG");
    if (path == nullptr)
        return TRUE;  // loaded outside a benchmark: nothing to do
    log_file = std::fopen(path, "a");
    rooms_wanted = env_number("HIPCHAT_BENCH_ROOMS");
    backlog_wanted = env_number("HIPCHAT_BENCH_BACKLOG");
    purple_signal_connect(purple_connections_get_handle(), "signed-on", plugin,
                          PURPLE_CALLBACK(on_signed_on), nullptr);
    purple_signal_connect(purple_conversations_get_handle(), "wrote-chat-msg", plugin,
                          PURPLE_CALLBACK(on_wrote_chat), nullptr);
    return TRUE;
}

gboolean plugin_unload(PurplePlugin *)
{
    if (idle_source != 0)
        g_source_remove(idle_source);
    idle_source = 0;
    if (log_file != nullptr)
        std::fclose(log_file);
    log_file = nullptr;
    return TRUE;
}

PurplePluginInfo info = {
    PURPLE_PLUGIN_MAGIC,
    PURPLE_MAJOR_VERSION,
    PURPLE_MINOR_VERSION,
    PURPLE_PLUGIN_STANDARD,
    nullptr,  // any UI
    0,
    nullptr,
    PURPLE_PRIORITY_DEFAULT,
    const_cast<char *>("core-hipchat-bench-probe"),
    const_cast<char *>("HipChat benchmark probe"),
    const_cast<char *>("0"),
    const_cast<char *>("Benchmark-only: says when a login is done as the user sees it"),
    const_cast<char *>("Used by purple-hipchat's tools/bench; never installed."),
    nullptr,
    nullptr,
    plugin_load,
    plugin_unload,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

}  // namespace

extern "C" G_MODULE_EXPORT gboolean purple_init_plugin(PurplePlugin *plugin)
{
    plugin->info = &info;
    return purple_plugin_register(plugin);
}
