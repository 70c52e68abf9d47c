// Test support: the built hipchat-emulator as a child process on free
// loopback ports, with its own temporary TLS directory, stopped on scope
// exit. Shared by the emulator's own tests and the plugin's integration tests.
#pragma once

#include <glib.h>

#include <string>
#include <vector>

namespace hipchat::test {

class EmulatorProcess {
public:
    // Starts `hipchat-emulator` (the HIPCHAT_EMULATOR environment variable,
    // else the build tree's) with --xmpp-port 0 --rest-port 0 --control-port 0 plus
    // `extra_args`, and waits for its READY line. Fails the running Check
    // test when it does not come up within 10 s.
    explicit EmulatorProcess(const std::vector<std::string> &extra_args = {});
    ~EmulatorProcess();
    EmulatorProcess(const EmulatorProcess &) = delete;
    EmulatorProcess &operator=(const EmulatorProcess &) = delete;

    // The binary started: HIPCHAT_EMULATOR, else the build tree's.
    static std::string binary();

    int xmpp_port() const { return xmpp_port_; }
    int direct_tls_port() const { return direct_tls_port_; }  // 0 without --direct-tls-port
    int control_port() const { return control_port_; }
    int rest_port() const { return rest_port_; }
    int web_port() const { return web_port_; }               // 0 without --web-port
    const std::string &ca_file() const { return ca_file_; }  // the throwaway CA
    const std::string &tls_dir() const { return tls_dir_; }  // ca.pem, server.pem

private:
    GPid pid_ = 0;
    int xmpp_port_ = 0, direct_tls_port_ = 0, control_port_ = 0, rest_port_ = 0, web_port_ = 0;
    std::string ca_file_, tls_dir_;
};

}  // namespace hipchat::test
