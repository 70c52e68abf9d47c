#include "emulator-process.hpp"

#include <json-glib/json-glib.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include <check.h>

namespace hipchat::test {

namespace {

// Reads one line from `fd` within `timeout_ms`; empty on timeout or EOF.
std::string read_line(int fd, int timeout_ms)
{
    std::string line;
    const gint64 deadline = g_get_monotonic_time() + gint64{timeout_ms} * 1000;
    while (true) {
        const gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        if (left <= 0)
            return {};
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left)) <= 0)
            continue;
        char c;
        if (read(fd, &c, 1) != 1)
            return {};
        if (c == '\n')
            return line;
        line += c;
    }
}

// A test that fails half-way must not leave its server running: the child
// gets SIGKILL when the test process goes.
void die_with_parent(gpointer)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

}  // namespace

std::string EmulatorProcess::binary()
{
    const char *binary = g_getenv("HIPCHAT_EMULATOR");
    return binary != nullptr ? binary : HIPCHAT_EMULATOR_PATH;
}

EmulatorProcess::EmulatorProcess(const std::vector<std::string> &extra_args)
{
    char *dir = g_dir_make_tmp("hipchat-emulator-test-XXXXXX", nullptr);
    ck_assert(dir != nullptr);
    tls_dir_ = dir;
    g_free(dir);

    std::vector<std::string> args = {binary(),    "--xmpp-port", "0",     "--control-port",  "0",
                                     "--tls-dir", tls_dir_,      "--org", HIPCHAT_SAMPLE_ORG};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char *> argv;
    for (auto &arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    int out = -1;
    GError *error = nullptr;
    ck_assert_msg(
        g_spawn_async_with_pipes(nullptr, argv.data(), nullptr, G_SPAWN_DO_NOT_REAP_CHILD,
                                 die_with_parent, nullptr, &pid_, nullptr, &out, nullptr, &error),
        "cannot start %s: %s", argv[0], error != nullptr ? error->message : "");
    const std::string line = read_line(out, 10000);
    close(out);
    ck_assert_msg(g_str_has_prefix(line.c_str(), "READY "), "the emulator did not start (got '%s')",
                  line.c_str());

    JsonParser *parser = json_parser_new();
    ck_assert(json_parser_load_from_data(parser, line.c_str() + 6, -1, nullptr));
    JsonObject *ready = json_node_get_object(json_parser_get_root(parser));
    xmpp_port_ = static_cast<int>(json_object_get_int_member(ready, "xmpp"));
    control_port_ = static_cast<int>(json_object_get_int_member(ready, "control"));
    rest_port_ = static_cast<int>(json_object_get_int_member(ready, "rest"));
    if (json_object_has_member(ready, "direct_tls"))
        direct_tls_port_ = static_cast<int>(json_object_get_int_member(ready, "direct_tls"));
    if (json_object_has_member(ready, "web"))
        web_port_ = static_cast<int>(json_object_get_int_member(ready, "web"));
    ca_file_ = json_object_get_string_member(ready, "ca_file");
    g_object_unref(parser);
}

EmulatorProcess::~EmulatorProcess()
{
    if (pid_ != 0) {
        kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
        g_spawn_close_pid(pid_);
    }
    for (const char *name : {"ca.pem", "server.pem", "server-key.pem"})
        g_remove((tls_dir_ + "/" + name).c_str());
    g_rmdir(tls_dir_.c_str());
}

}  // namespace hipchat::test
