#include "prosody-server.hpp"

#include <gio/gio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <string>

#include <check.h>

namespace hipchat::test {

namespace {

int free_port()
{
    GSocket *socket =
        g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, nullptr);
    GInetAddress *loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
    GSocketAddress *address = g_inet_socket_address_new(loopback, 0);
    ck_assert(g_socket_bind(socket, address, FALSE, nullptr));
    GSocketAddress *bound = g_socket_get_local_address(socket, nullptr);
    const int port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
    g_object_unref(bound);
    g_object_unref(address);
    g_object_unref(loopback);
    g_object_unref(socket);
    return port;
}

void run(const std::string &command)
{
    gchar *err = nullptr;
    gint status = 0;
    ck_assert_msg(g_spawn_command_line_sync(command.c_str(), nullptr, &err, &status, nullptr),
                  "cannot run %s", command.c_str());
    ck_assert_msg(g_spawn_check_wait_status(status, nullptr), "%s failed: %s", command.c_str(),
                  err != nullptr ? err : "");
    g_free(err);
}

// A test that fails half-way must not leave its server running: the child
// gets SIGKILL when the test process goes.
void die_with_parent(gpointer)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

bool listening(int port)
{
    GSocketClient *client = g_socket_client_new();
    GSocketConnection *connection =
        g_socket_client_connect_to_host(client, "127.0.0.1", port, nullptr, nullptr);
    g_object_unref(client);
    if (connection == nullptr)
        return false;
    g_object_unref(connection);
    return true;
}

}  // namespace

ProsodyServer::ProsodyServer()
{
    char *dir = g_dir_make_tmp("hipchat-prosody-XXXXXX", nullptr);
    ck_assert(dir != nullptr);
    dir_ = dir;
    g_free(dir);
    port_ = free_port();
    certificate_ = dir_ + "/cert.pem";
    run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost"
        " -addext subjectAltName=DNS:localhost,DNS:conference.localhost"
        " -keyout " +
        dir_ + "/key.pem -out " + certificate_);

    config_ = dir_ + "/prosody.cfg.lua";
    const std::string config =
        "daemonize = false\n"
        "run_as_root = true\n"
        "pidfile = '" +
        dir_ +
        "/prosody.pid'\n"
        "data_path = '" +
        dir_ +
        "'\n"
        "interfaces = { '127.0.0.1' }\n"
        "c2s_ports = { " +
        std::to_string(port_) +
        " }\n"
        "c2s_require_encryption = true\n"
        "authentication = 'internal_plain'\n"
        "log = { { levels = { min = 'info' }, to = 'file', filename = '" +
        dir_ +
        "/prosody.log' } }\n"
        "modules_enabled = { 'roster'; 'saslauth'; 'tls'; 'disco'; 'ping'; 'presence'; 'message'; "
        "'iq' }\n"
        "modules_disabled = { 's2s'; 'posix' }\n"
        "http_ports = {}\nhttps_ports = {}\n"
        "certificates = '" +
        dir_ +
        "'\n"
        "VirtualHost 'localhost'\n"
        "  ssl = { certificate = '" +
        certificate_ + "'; key = '" + dir_ +
        "/key.pem' }\n"
        "Component 'conference.localhost' 'muc'\n";
    ck_assert(g_file_set_contents(config_.c_str(), config.c_str(), -1, nullptr));

    const gchar *argv[] = {"prosody", "--config", config_.c_str(), nullptr};
    ck_assert(g_spawn_async(
        dir_.c_str(), const_cast<gchar **>(argv), nullptr,
        static_cast<GSpawnFlags>(G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                 G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL),
        die_with_parent, nullptr, &pid_, nullptr));
    for (int i = 0; i < 100 && !listening(port_); ++i)
        g_usleep(100 * 1000);
    ck_assert_msg(listening(port_), "prosody did not start (see %s/prosody.log)", dir_.c_str());
}

ProsodyServer::~ProsodyServer()
{
    if (pid_ != 0) {
        kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
        g_spawn_close_pid(pid_);
    }
    run("rm -rf " + dir_);
}

void ProsodyServer::add_user(const std::string &user, const std::string &password)
{
    run("prosodyctl --config " + config_ + " register " + user + " localhost " + password);
}

}  // namespace hipchat::test
