#include "purple/files.hpp"

#include <account.h>
#include <blist.h>
#include <debug.h>
#include <notify.h>
#include <request.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include <ctime>
#include <memory>
#include <set>
#include <vector>

#include "core/files.hpp"
#include "core/people.hpp"
#include "core/text.hpp"
#include "purple/protocol.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/lists.hpp"
#include "xmpp/messages.hpp"
#include "xmpp/people.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/session.hpp"

namespace hipchat::purple {

namespace {

// What one transfer needs besides libpurple's PurpleXfer.
struct Job {
    std::uint64_t session_id = 0;
    net::HttpClient::RequestId request = 0;
    std::string url;  // downloads: where the file is
    bool authenticated = false;
    std::uint64_t expected = 0;
};

Job *job_of(PurpleXfer *xfer)
{
    return static_cast<Job *>(xfer->data);
}

xmpp::Session *session_of(PurpleXfer *xfer)
{
    Job *job = job_of(xfer);
    return job != nullptr ? xmpp::Session::find(job->session_id) : nullptr;
}

// A connection's open transfers (Session::state<Transfers>()). When the
// session goes (the account disconnected, disabled or deleted), its HTTP
// client and every request go with it and no answer will ever come: each
// transfer still open is ended here, its partial file removed and the
// reference its request held dropped.
struct Transfers {
    std::set<PurpleXfer *> open;

    Transfers() = default;
    Transfers(const Transfers &) = delete;
    Transfers &operator=(const Transfers &) = delete;
    ~Transfers();
};

// libpurple ends a transfer through exactly one of these; each lets the job
// go (and stops its request).
void release(PurpleXfer *xfer)
{
    util::guard("file transfer released", [xfer] {
        std::unique_ptr<Job> job(job_of(xfer));
        xfer->data = nullptr;
        xmpp::Session *session = job != nullptr ? xmpp::Session::find(job->session_id) : nullptr;
        if (session == nullptr)
            return;
        session->state<Transfers>().open.erase(xfer);
        if (job->request != 0)
            if (net::HttpClient *http = session->http())
                http->cancel(job->request);
    });
}

Transfers::~Transfers()
{
    const auto still_open = open;
    for (PurpleXfer *xfer : still_open) {
        util::guard("file transfer ended with its connection", [xfer] {
            Job *job = job_of(xfer);
            // Its request's answer would have dropped this reference.
            const bool held = job != nullptr && job->request != 0;
            if (job != nullptr)
                job->session_id = 0;  // the session is going: release() must not look for it
            const char *saved = purple_xfer_get_local_filename(xfer);
            if (purple_xfer_get_type(xfer) == PURPLE_XFER_RECEIVE && saved != nullptr &&
                purple_xfer_get_status(xfer) == PURPLE_XFER_STATUS_STARTED)
                g_unlink(saved);
            // Ended as the jabber module ends its own transfers on close: the
            // transfer window says it was cancelled, no dialog per file.
            purple_xfer_cancel_local(xfer);
            if (held)
                purple_xfer_unref(xfer);
        });
    }
}

void fail(PurpleXfer *xfer, const std::string &why)
{
    purple_xfer_error(purple_xfer_get_type(xfer), purple_xfer_get_account(xfer),
                      purple_xfer_get_remote_user(xfer), why.c_str());
    purple_xfer_cancel_local(xfer);
}

// Where share/file goes for this conversation partner (§11.1): a room by its
// id (or name), a person by their id (or e-mail).
std::string share_url(xmpp::Session &session, const std::string &who)
{
    const std::string base = "https://" + xmpp::service_hosts(session).api_host + "/v2/";
    const std::string bare = core::ascii_lower(core::bare_jid(who));
    if (xmpp::is_room_jid(session, bare)) {
        const core::Room *room = xmpp::find_room(session, bare);
        std::string name = room != nullptr && room->id != 0 ? std::to_string(room->id) : "";
        if (name.empty()) {
            PurpleConversation *conv = session.find_conversation(PURPLE_CONV_TYPE_CHAT, bare);
            const char *title = conv != nullptr ? purple_conversation_get_title(conv) : nullptr;
            name = title != nullptr ? title : bare.substr(0, bare.find('@'));
        }
        char *escaped = g_uri_escape_string(name.c_str(), nullptr, FALSE);
        std::string url = base + "room/" + escaped + "/share/file";
        g_free(escaped);
        return url;
    }
    std::string user = std::to_string(core::user_id_from_jid(bare));
    if (user == "0") {
        const std::string email = xmpp::email_of(session, bare);
        user = !email.empty() ? email : bare;
    }
    char *escaped = g_uri_escape_string(user.c_str(), nullptr, FALSE);
    std::string url = base + "user/" + escaped + "/share/file";
    g_free(escaped);
    return url;
}

std::string mime_type_of(const std::string &path)
{
    char *type = g_content_type_guess(path.c_str(), nullptr, 0, nullptr);
    char *mime = type != nullptr ? g_content_type_get_mime_type(type) : nullptr;
    std::string out = mime != nullptr ? mime : "application/octet-stream";
    g_free(mime);
    g_free(type);
    return out;
}

std::string boundary()
{
    return "hcb_" + std::to_string(g_random_int()) + std::to_string(g_random_int());
}

// The answer to a transfer's request: done, or failed with HipChat's reason.
void finished(PurpleXfer *xfer, const net::HttpResponse &response, unsigned success_status)
{
    if (response.cancelled || purple_xfer_is_canceled(xfer) || xfer->data == nullptr)
        return;
    job_of(xfer)->request = 0;
    if (response.status == success_status && response.error.empty()) {
        purple_xfer_set_bytes_sent(xfer, purple_xfer_get_size(xfer));
        purple_xfer_set_completed(xfer, TRUE);
        purple_xfer_end(xfer);
        return;
    }
    const std::int64_t reset = g_ascii_strtoll(response.ratelimit_reset.c_str(), nullptr, 10);
    const std::string why =
        response.status == success_status
            ? response.error
            : core::describe_rest_failure(response.status, response.body, response.error, reset,
                                          std::time(nullptr));
    // libpurple made the file, empty, when the download started: a refused
    // one leaves nothing behind.
    const char *saved = purple_xfer_get_local_filename(xfer);
    if (purple_xfer_get_type(xfer) == PURPLE_XFER_RECEIVE && saved != nullptr)
        g_unlink(saved);
    // HipChat's reason in one dialog, then the transfer ended as stopped
    // here: libpurple's "remote" cancel would blame the person (or the room)
    // and open a second dialog saying so; nobody cancelled anything.
    purple_xfer_error(purple_xfer_get_type(xfer), purple_xfer_get_account(xfer),
                      purple_xfer_get_remote_user(xfer), why.c_str());
    purple_xfer_cancel_local(xfer);
}

void progressed(PurpleXfer *xfer, std::uint64_t done, std::uint64_t offset)
{
    if (purple_xfer_is_canceled(xfer) || purple_xfer_is_completed(xfer))
        return;
    const std::uint64_t size = purple_xfer_get_size(xfer);
    const std::uint64_t moved = done > offset ? done - offset : 0;
    purple_xfer_set_bytes_sent(xfer, size > 0 ? std::min(moved, size) : moved);
    purple_xfer_update_progress(xfer);
}

// --- Sending ---------------------------------------------------------------

void start_upload(PurpleXfer *xfer)
{
    util::guard("file upload", [xfer] {
        xmpp::Session *session = session_of(xfer);
        if (session == nullptr) {
            fail(xfer, _("Not connected."));
            return;
        }
        const std::uint64_t size = purple_xfer_get_size(xfer);
        if (size > core::max_upload_bytes) {
            fail(xfer, _("HipChat takes files of up to 50 MB."));
            return;
        }
        net::HttpClient *http = session->http();
        if (http == nullptr || xmpp::service_hosts(*session).api_host.empty()) {
            fail(xfer, _("Files need HipChat's web API, which this connection cannot reach."));
            return;
        }
        if (xmpp::api_token(*session).empty()) {
            fail(xfer, _("HipChat gave no token for files. Set a personal API token with the "
                         "Send Message scope in the account's options."));
            return;
        }
        const std::string path = purple_xfer_get_local_filename(xfer);
        GError *error = nullptr;
        GMappedFile *mapped = size > 0 ? g_mapped_file_new(path.c_str(), FALSE, &error) : nullptr;
        if (size > 0 && mapped == nullptr) {
            const std::string why = error != nullptr ? error->message : path;
            g_clear_error(&error);
            fail(xfer, why);
            return;
        }
        // The file is mapped, not read: libsoup pulls its pages as it sends.
        const auto frame = core::share_file_frame(purple_xfer_get_filename(xfer),
                                                  mime_type_of(path), "", boundary());
        GInputStream *body = g_memory_input_stream_new();
        auto *stream = G_MEMORY_INPUT_STREAM(body);
        GBytes *head = g_bytes_new(frame.head.data(), frame.head.size());
        GBytes *tail = g_bytes_new(frame.tail.data(), frame.tail.size());
        g_memory_input_stream_add_bytes(stream, head);
        if (mapped != nullptr) {
            GBytes *bytes = g_mapped_file_get_bytes(mapped);
            g_memory_input_stream_add_bytes(stream, bytes);
            g_bytes_unref(bytes);
            g_mapped_file_unref(mapped);
        }
        g_memory_input_stream_add_bytes(stream, tail);
        g_bytes_unref(head);
        g_bytes_unref(tail);

        const std::uint64_t offset = frame.head.size();
        purple_xfer_ref(xfer);  // until the request answers
        purple_xfer_start(xfer, -1, nullptr, 0);
        job_of(xfer)->request = http->post(
            share_url(*session, purple_xfer_get_remote_user(xfer)), xmpp::api_token(*session),
            frame.content_type, body, offset + size + frame.tail.size(),
            [xfer, offset](std::uint64_t done, std::uint64_t) { progressed(xfer, done, offset); },
            [xfer](net::HttpResponse response) {
                finished(xfer, response, 204);  // §11.2: only 204 is success
                purple_xfer_unref(xfer);
            });
    });
}

PurpleXfer *make_xfer(PurpleConnection *gc, PurpleXferType type, const char *who)
{
    xmpp::Session *session = xmpp::Session::find(gc);
    if (session == nullptr || who == nullptr)
        return nullptr;
    PurpleXfer *xfer = purple_xfer_new(purple_connection_get_account(gc), type, who);
    auto *job = new Job;
    job->session_id = session->id();
    xfer->data = job;
    session->state<Transfers>().open.insert(xfer);
    purple_xfer_set_end_fnc(xfer, release);
    purple_xfer_set_request_denied_fnc(xfer, release);
    if (type == PURPLE_XFER_SEND) {
        purple_xfer_set_init_fnc(xfer, start_upload);
        purple_xfer_set_cancel_send_fnc(xfer, release);
    } else {
        purple_xfer_set_cancel_recv_fnc(xfer, release);
    }
    return xfer;
}

// --- Receiving -------------------------------------------------------------

void start_download(PurpleXfer *xfer)
{
    util::guard("file download", [xfer] {
        xmpp::Session *session = session_of(xfer);
        net::HttpClient *http = session != nullptr ? session->http() : nullptr;
        if (http == nullptr) {
            fail(xfer, _("Files need HipChat's web API, which this connection cannot reach."));
            return;
        }
        Job &job = *job_of(xfer);
        // The bearer token only ever goes to HipChat's own API host.
        const bool ours =
            job.url.starts_with("https://" + xmpp::service_hosts(*session).api_host + "/");
        const std::string bearer = job.authenticated && ours ? xmpp::api_token(*session) : "";
        const std::uint64_t limit =
            job.expected > 0 ? job.expected + 64 * 1024 : core::max_upload_bytes + 1024 * 1024;
        purple_xfer_ref(xfer);
        purple_xfer_start(xfer, -1, nullptr, 0);
        job.request = http->download(
            job.url, bearer, purple_xfer_get_local_filename(xfer), limit,
            [xfer](std::uint64_t done, std::uint64_t) { progressed(xfer, done, 0); },
            [xfer](net::HttpResponse response) {
                finished(xfer, response, 200);
                purple_xfer_unref(xfer);
            });
    });
}

void save_chosen(PurpleXfer *xfer, const char *path)
{
    util::guard("file download: saving", [xfer, path] {
        if (path != nullptr && *path != '\0')
            purple_xfer_request_accepted(xfer, path);
        else
            purple_xfer_request_denied(xfer);
        purple_xfer_unref(xfer);
    });
}

void save_cancelled(PurpleXfer *xfer, const char *)
{
    util::guard("file download: not saved", [xfer] {
        purple_xfer_request_denied(xfer);
        purple_xfer_unref(xfer);
    });
}

// How an incoming transfer for `file` from `who` (a person, or a room's
// JID) is put to the user.
enum class Offer {
    // Someone sends us a file: libpurple asks whether and where to save it.
    ask,
    // The user asked for it (/download): only where to save it. bitlbee
    // has no file dialog; there libpurple's own request reaches the IRC
    // user as a DCC offer.
    save_as,
};

std::string offer(xmpp::Session &session, const std::string &who, const core::SharedFile &file,
                  Offer how = Offer::ask)
{
    const std::string url = xmpp::download_url(session, file);
    if (url.empty())
        return _("That file has no address to download it from.");
    PurpleXfer *xfer = make_xfer(session.connection(), PURPLE_XFER_RECEIVE, who.c_str());
    if (xfer == nullptr)
        return _("Not connected.");
    Job &job = *job_of(xfer);
    job.url = url;
    job.authenticated = file.authenticated;
    job.expected = file.size;
    purple_xfer_set_init_fnc(xfer, start_download);
    purple_xfer_set_filename(xfer, core::safe_file_name(file.name).c_str());
    if (file.size > 0)
        purple_xfer_set_size(xfer, file.size);
    if (how == Offer::ask || running_in_bitlbee()) {
        purple_xfer_request(xfer);
        return {};
    }
    purple_xfer_ref(xfer);  // until the dialog answers
    if (purple_request_file(xfer, _("Save File..."), purple_xfer_get_filename(xfer), TRUE,
                            G_CALLBACK(save_chosen), G_CALLBACK(save_cancelled),
                            purple_xfer_get_account(xfer), nullptr, nullptr, xfer) == nullptr) {
        purple_xfer_unref(xfer);  // a UI without file dialogs: libpurple's own request
        purple_xfer_request(xfer);
    }
    return {};
}

}  // namespace

gboolean can_receive_file(PurpleConnection *gc, const char *)
{
    xmpp::Session *session = xmpp::Session::find(gc);
    return session != nullptr && !xmpp::service_hosts(*session).api_host.empty() ? TRUE : FALSE;
}

PurpleXfer *new_xfer(PurpleConnection *gc, const char *who)
{
    return util::guard("new_xfer", [gc, who] { return make_xfer(gc, PURPLE_XFER_SEND, who); });
}

void send_file(PurpleConnection *gc, const char *who, const char *filename)
{
    util::guard("send_file", [gc, who, filename] {
        PurpleXfer *xfer = make_xfer(gc, PURPLE_XFER_SEND, who);
        if (xfer == nullptr)
            return;
        if (filename != nullptr && *filename)
            purple_xfer_request_accepted(xfer, filename);
        else
            purple_xfer_request(xfer);  // the UI's file chooser
    });
}

std::string share(PurpleConversation *conv, const std::string &path)
{
    PurpleConnection *gc = purple_conversation_get_gc(conv);
    if (gc == nullptr || xmpp::Session::find(gc) == nullptr)
        return _("Not connected.");
    if (purple_conversation_get_type(conv) == PURPLE_CONV_TYPE_CHAT &&
        purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)))
        return _("You are not in this room.");
    send_file(gc, purple_conversation_get_name(conv), path.c_str());
    return {};
}

std::string download(PurpleConversation *conv, const std::string &name)
{
    PurpleConnection *gc = purple_conversation_get_gc(conv);
    xmpp::Session *session = gc != nullptr ? xmpp::Session::find(gc) : nullptr;
    if (session == nullptr)
        return _("Not connected.");
    const std::string jid = core::ascii_lower(core::bare_jid(purple_conversation_get_name(conv)));
    // The newest first: what was shared since sign-in (oldest first), then
    // what /files listed (newest first).
    std::vector<const core::SharedFile *> files;
    if (const auto *shared = xmpp::shared_files(*session, jid))
        for (auto file = shared->rbegin(); file != shared->rend(); ++file)
            files.push_back(&*file);
    if (const auto *listed = xmpp::listed_files(*session, jid))
        for (const auto &file : *listed)
            files.push_back(&file);
    if (files.empty())
        return _(
            "No file has been shared here since you signed in; /files lists the files "
            "shared before.");
    for (const core::SharedFile *file : files) {
        if (name.empty() || file->name == name)
            return offer(*session, jid, *file, Offer::save_as);
    }
    // TRANSLATORS: %s is the file name the user asked for.
    char *text = g_strdup_printf(_("No file called \"%s\" has been shared here."), name.c_str());
    std::string error = text;
    g_free(text);
    return error;
}

void install_file_offers()
{
    xmpp::set_shared_file_listener(
        [](xmpp::Session &session, const std::string &sender, const core::SharedFile &file) {
            const std::string error = offer(session, sender, file);
            if (!error.empty())
                purple_debug_warning("hipchat", "Not offering %s: %s\n", file.name.c_str(),
                                     error.c_str());
        });
}

}  // namespace hipchat::purple
