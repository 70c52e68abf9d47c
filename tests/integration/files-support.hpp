// Test support for file transfers against the emulator: a scratch folder
// for what the tests save, Bob sharing a file over REST as his own client
// would (protocol reference §11), and what a failed transfer shows.
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

#include <string>

#include "emulator-process.hpp"
#include "harness.hpp"
#include "rest-client.hpp"
#include "sample-org.hpp"

#include <check.h>

namespace hipchat::test {

// A new temporary folder, removed with everything in it.
struct ScratchDir {
    ScratchDir()
    {
        char *d = g_dir_make_tmp("hipchat-files-XXXXXX", nullptr);
        path = d;
        g_free(d);
    }
    ~ScratchDir()
    {
        if (GDir *handle = g_dir_open(path.c_str(), 0, nullptr)) {
            while (const char *name = g_dir_read_name(handle))
                g_unlink((path + "/" + name).c_str());
            g_dir_close(handle);
        }
        g_rmdir(path.c_str());
    }
    ScratchDir(const ScratchDir &) = delete;
    ScratchDir &operator=(const ScratchDir &) = delete;

    std::string path;
};

// Bob's upload of `content` as `name` to `target` (a /v2/.../share/file path).
inline void bob_shares(const EmulatorProcess &emulator, const std::string &target,
                       const std::string &name, const std::string &content)
{
    const std::string body =
        "--b\r\nContent-Type: application/json; charset=UTF-8\r\n"
        "Content-Disposition: attachment; name=\"metadata\"\r\n\r\n{\"message\": \"\"}\r\n"
        "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; name=\"file\"; "
        "filename=\"" +
        name + "\"\r\n\r\n" + content + "\r\n--b--\r\n";
    const auto r = rest_request(emulator, "POST", target, sample::bob.token,
                                "multipart/related; boundary=b", body);
    ck_assert_int_eq(r.status, 204);
}

}  // namespace hipchat::test
