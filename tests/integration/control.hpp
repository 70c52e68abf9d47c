// Test support: the emulator's control interface (docs/emulator.md), a plain
// HTTP JSON API on loopback, called synchronously.
#pragma once

#include <string>

namespace hipchat::test {

class Control {
public:
    explicit Control(int port) : port_(port) {}
    // The response body; fails the test on a transport error or non-2xx.
    std::string get(const std::string &path) const;
    std::string post(const std::string &path, const std::string &json) const;

private:
    std::string request(const char *method, const std::string &path, const std::string *json) const;
    int port_;
};

}  // namespace hipchat::test
