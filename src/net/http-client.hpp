// HTTP for one account (avatars, emoticons, files): the account's libsoup 3
// session (kept across its reconnects, kept-sessions.hpp), honouring its
// purple proxy settings and trusting a certificate the user already accepted
// for that host in libpurple (HipChat Server is commonly self-signed). Owned
// by the connection's session: its destruction cancels every request it
// made, and no callback runs after it.
//
// What a server can make the client do is bounded: every body is read as it
// arrives and no further than its limit, every request has a total deadline
// besides the idle timeout, and redirects are followed here, not by libsoup,
// so that the bearer token (§13) never leaves the origin it was sent to.
#pragma once

#include <account.h>
#include <gio/gio.h>
#include <glib.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace hipchat::net {

struct HttpResponse {
    unsigned status = 0;          // 0 when the request failed before a response
    std::string error;            // transport error or the reason it was refused
    std::string content_type;     // without parameters
    std::string body;             // (empty for downloads to a file)
    std::string ratelimit_reset;  // X-Ratelimit-Reset (§13), when sent
    bool cancelled = false;
};

class HttpClient {
public:
    // nullptr with `error` set when no session can be created: libsoup 2 and 3
    // cannot share a process, and whichever loads first wins.
    static std::unique_ptr<HttpClient> create(PurpleAccount *account, std::string &error);
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    using Callback = std::function<void(HttpResponse)>;

    // GET `url`; `bearer` (may be empty) goes in an Authorization header.
    // Bodies over `max_bytes` are refused with an error, before reading when
    // the length is declared. `done` runs on the main loop, inside the C
    // entry-point guard, unless the client is gone.
    //
    // For every request: a redirect within the origin (scheme, host and port)
    // of `url` is followed with the token; one to another origin without it,
    // for good (an upload's is refused); one from https to http, or more
    // than five in a row, is refused. A refused redirect answers with
    // `status` 0.
    void get(const std::string &url, const std::string &bearer, std::size_t max_bytes,
             Callback done);

    // Transfers with progress, for files: an id to cancel them by.
    using RequestId = unsigned;
    using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

    // POST `body` (taken; `length` bytes, read as libsoup sends it) as
    // `content_type`. `body` must be seekable (a GMemoryInputStream is): a
    // 307 or 308 within the origin sends it again. The response body is kept
    // up to 64 KiB and the rest not read.
    RequestId post(const std::string &url, const std::string &bearer,
                   const std::string &content_type, GInputStream *body, std::uint64_t length,
                   Progress progress, Callback done);

    // `method` (a literal: PATCH, PUT, …) with a small `body` held in
    // memory, sent as `content_type` (REST's small JSON updates, §13); the
    // answer's body is read up to 64 KiB like an upload's (more is refused
    // with an error). Redirects as for a POST: never to another origin.
    void submit(const char *method, const std::string &url, const std::string &bearer,
                const std::string &content_type, const std::string &body, Callback done);

    // GET `url` into the file `path` (created or replaced), refusing more
    // than `max_bytes`; a failed or cancelled download removes the file.
    RequestId download(const std::string &url, const std::string &bearer, const std::string &path,
                       std::uint64_t max_bytes, Progress progress, Callback done);

    // `done` still runs, with `cancelled` set.
    void cancel(RequestId id);

    // Total time bounds, besides the 30 s idle timeout, which a server that
    // sends or reads a byte now and then never trips. Over its bound, a
    // request fails with an error (not `cancelled`).
    struct Deadlines {
        // A GET, and an upload's answer once the upload is sent.
        std::chrono::milliseconds answer = std::chrono::seconds(60);
        // Sending an upload, or receiving a download: this, plus its size
        // (the upload's length, the download's `max_bytes`) at the floor
        // rate in bytes a second. Hours for HipChat's 50 MB files (§11.2):
        // a legitimate transfer never meets it, a drip-feed does.
        std::chrono::milliseconds transfer_base = std::chrono::seconds(60);
        std::uint64_t transfer_floor_rate = 8 * 1024;
    };
    // For requests made after the call (tests shorten them).
    void set_deadlines(const Deadlines &deadlines);

private:
    struct Impl;
    explicit HttpClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace hipchat::net
