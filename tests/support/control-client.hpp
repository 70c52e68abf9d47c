// Test support: the emulator's control interface (docs/emulator.md, "Control
// interface"), plain HTTP with JSON on loopback, called synchronously. The
// one client of the integration, emulator and benchmark suites.
#pragma once

#include <string>

namespace hipchat::test {

struct ControlReply {
    int status = 0;     // the HTTP status; 0 when no answer came
    std::string body;   // the answer's body
    std::string error;  // why no answer came
};

class ControlClient {
public:
    explicit ControlClient(int port) : port_(port) {}

    // The answer as it came, whatever its status (for the tests of the
    // control interface itself, and for programs that are not Check tests).
    ControlReply request(const std::string &method, const std::string &path,
                         const std::string &json = {}) const;

    // The status of a POST's answer (0 when none came).
    int post_status(const std::string &path, const std::string &json) const
    {
        return request("POST", path, json).status;
    }

    // The body of a 2xx answer; anything else fails the running Check test.
    std::string get(const std::string &path) const;
    std::string post(const std::string &path, const std::string &json) const;

private:
    std::string checked(const char *method, const std::string &path, const std::string &json) const;

    int port_;
};

}  // namespace hipchat::test
