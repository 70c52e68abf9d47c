// hipchat-emulator: a HipChat server for the dialect (docs/emulator.md), for
// tests, benchmarks and the demo. Listens on loopback by default.
#include <glib-unix.h>
#include <glib.h>
#include <glib/gstdio.h>

#include <algorithm>
#include <clocale>
#include <cstdio>
#include <string>
#include <unistd.h>

#include "control-server.hpp"
#include "large-team.hpp"
#include "org.hpp"
#include "rest-server.hpp"
#include "tls.hpp"
#include "xmpp/messages.hpp"
#include "xmpp/presence.hpp"
#include "xmpp/room-occupants.hpp"
#include "xmpp/server.hpp"

using namespace hipchat::emulator;

namespace {

gchar *org_file = nullptr;
gchar *listen_address = nullptr;
gint xmpp_port = 5222;
gint direct_tls_port = -1;
gint control_port = 0;
gint rest_port = 0;
gchar *tls_dir = nullptr;
gint idle_timeout = 150;
gchar *chat_host = nullptr;
gchar *muc_host = nullptr;
gchar *api_host = nullptr;
gchar *web_host = nullptr;
gchar *nick_rule = nullptr;
gint max_connections = 1000;
gint max_stanza_bytes = 256 * 1024;
gint disco_page_size = 100;
gboolean no_starttls = FALSE;
gboolean no_hipchat_auth = FALSE;
gboolean no_restart_logic = FALSE;
gboolean demo_colleagues = FALSE;
gint demo_interval = 20;
gint large_team = 0;
gint large_rooms = -1;  // -1: half the people
gint large_history = 0;

const GOptionEntry options[] = {
    {"org", 0, 0, G_OPTION_ARG_FILENAME, &org_file,
     "Organisation to serve (JSON, docs/emulator.md; default: the sample organisation, "
     "from the source tree when present, else installed)",
     "FILE"},
    {"listen", 0, 0, G_OPTION_ARG_STRING, &listen_address,
     "Address to listen on for XMPP (default 127.0.0.1)", "ADDRESS"},
    {"xmpp-port", 0, 0, G_OPTION_ARG_INT, &xmpp_port,
     "XMPP port, STARTTLS (default 5222; 0: any free)", "PORT"},
    {"direct-tls-port", 0, 0, G_OPTION_ARG_INT, &direct_tls_port,
     "Also listen for legacy direct-TLS XMPP on this port, as HipChat did on 5223 (protocol "
     "reference section 4.1; default: not at all; 0: any free)",
     "PORT"},
    {"control-port", 0, 0, G_OPTION_ARG_INT, &control_port,
     "Control interface port, on 127.0.0.1 only (default 0: any free)", "PORT"},
    {"rest-port", 0, 0, G_OPTION_ARG_INT, &rest_port,
     "HTTPS port of the API host, on 127.0.0.1 only (default 0: any free)", "PORT"},
    {"tls-dir", 0, 0, G_OPTION_ARG_FILENAME, &tls_dir,
     "Where the throwaway CA (ca.pem) and server certificate (server.pem, server-key.pem) are "
     "written (default: a new temporary directory, removed on exit)",
     "DIR"},
    {"idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
     "Drop connections silent for this long (default 150, protocol reference section 4.3)",
     "SECONDS"},
    {"chat-host", 0, 0, G_OPTION_ARG_STRING, &chat_host,
     "XMPP domain of user JIDs and the stream (default chat.hipchat.com)", "HOST"},
    {"muc-host", 0, 0, G_OPTION_ARG_STRING, &muc_host,
     "MUC host of room JIDs (default conf.hipchat.com)", "HOST"},
    {"api-host", 0, 0, G_OPTION_ARG_STRING, &api_host,
     "API host announced on <success> (default 127.0.0.1:<rest port>)", "HOST[:PORT]"},
    {"web-host", 0, 0, G_OPTION_ARG_STRING, &web_host,
     "Web host announced on <success> (default www.hipchat.com)", "HOST"},
    {"nick-rule", 0, 0, G_OPTION_ARG_STRING, &nick_rule,
     "The nick a room join must use: full-name (default, as the evidence says) or mention-name "
     "(as some community notes report); protocol reference sections 1 and 7.4",
     "full-name|mention-name"},
    {"max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections,
     "Connections served at once; one more gets a resource-constraint stream error "
     "(default 1000)",
     "N"},
    {"max-stanza-bytes", 0, 0, G_OPTION_ARG_INT, &max_stanza_bytes,
     "Largest stanza accepted, at least 1024; a larger one is a policy-violation stream error "
     "(default 262144)",
     "BYTES"},
    {"disco-page-size", 0, 0, G_OPTION_ARG_INT, &disco_page_size,
     "Rooms per room-list (disco#items) page when the client asks for none (default 100); "
     "0: no paging, every room in one result, as a server without RSM (protocol reference "
     "section 7.1)",
     "N"},
    {"no-starttls", 0, 0, G_OPTION_ARG_NONE, &no_starttls,
     "Offer no STARTTLS (a server a client must refuse to log in to)", nullptr},
    {"no-hipchat-auth", 0, 0, G_OPTION_ARG_NONE, &no_hipchat_auth,
     "Offer only SASL PLAIN, like HipChat Server in SASL mode (protocol reference section 5.3)",
     nullptr},
    {"no-restart-logic", 0, 0, G_OPTION_ARG_NONE, &no_restart_logic,
     "Do not advertise authrestartlogic, like older servers (protocol reference section 4.2)",
     nullptr},
    {"large", 0, 0, G_OPTION_ARG_INT, &large_team,
     "Serve a generated team of this many people instead of --org, for benchmarks: "
     "person<N>@example.com, password password<N>, API token token<N>",
     "PEOPLE"},
    {"large-rooms", 0, 0, G_OPTION_ARG_INT, &large_rooms,
     "Rooms of the generated team (default: half of PEOPLE)", "N"},
    {"large-history", 0, 0, G_OPTION_ARG_INT, &large_history,
     "Room messages of the generated team, spread over its rooms (default 0)", "N"},
    {"demo", 0, 0, G_OPTION_ARG_NONE, &demo_colleagues,
     "Scripted colleagues for the demo: a few people online, Bob chatting to whoever is "
     "connected, and the Dev room busy while someone is in it",
     nullptr},
    {"demo-interval", 0, 0, G_OPTION_ARG_INT, &demo_interval,
     "How often the demo's colleagues speak, 1:1 and in the Dev room (default 20)", "SECONDS"},
    {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr},
};

GMainLoop *loop = nullptr;

// --demo: what Bob says 1:1, one line per interval, to everyone connected.
const char *const bob_lines[] = {
    "Hi! This is HipChat in a libpurple client, talking to the bundled emulator.",
    "Hover over people to see their @mention names, or use Get Info for a HipChat profile "
    "with their local time.",
    "Carol is Away, Frank is Busy and Erin is idle: HipChat's presence, mapped for libpurple.",
    "The Dev room is busy today: join it to see the team, Jenkins and a shared file.",
};

// --demo: the Dev room's script, one step per interval while someone is in
// the room, round and round (docs/emulator.md). Colleagues post without being
// occupants, as REST's "send message" does (§13).
enum class StepKind { say, build_passed, build_failed, share_file };
struct Step {
    StepKind kind;
    const char *email;  // the speaker
    const char *text;   // what they say (share_file: after the file was shared once)
};
const Step dev_script[] = {
    {StepKind::say, "bob@example.com", "Morning! The release branch builds again."},
    {StepKind::say, "frank@example.com", "Staging runs the new build, smoke tests are green."},
    {StepKind::build_passed, nullptr, nullptr},
    {StepKind::say, "erin@example.com",
     "@AliceExample could you look over the release notes before lunch?"},
    {StepKind::share_file, "bob@example.com",
     "The release checklist is shared above, shout if anything is missing."},
    {StepKind::say, "ivan@example.com",
     "Backend metrics look fine after the deploy (allthethings)"},
    {StepKind::build_failed, nullptr, nullptr},
    {StepKind::say, "grace@example.com", "Let's keep the freeze until the numbers settle."},
};

// A newcomer to Dev hears someone within this long (or the interval, if shorter).
constexpr guint first_line_ms = 3000;

struct Demo {
    XmppServer *xmpp;
    RestServer *rest;
    Organisation *org;
    guint interval_ms = 20000;
    std::size_t next_line = 0;
    std::size_t next_step = 0;
    int next_build = 101;
    bool file_shared = false;
    guint room_timer = 0;
    gint64 room_due = 0;  // monotonic µs of the next room step
};

gboolean on_demo_tick(gpointer data)
{
    auto *demo = static_cast<Demo *>(data);
    const User *bob = demo->org->find_user_by_email("bob@example.com");
    if (bob == nullptr)
        return G_SOURCE_REMOVE;
    const std::string line = bob_lines[demo->next_line++ % G_N_ELEMENTS(bob_lines)];
    for (const auto &user : demo->org->users)
        if (user.id != bob->id && !demo->xmpp->sessions_of(user).empty())
            simulate_message(*demo->xmpp, demo->org->user_jid(*bob), demo->org->user_jid(user),
                             line);
    return G_SOURCE_CONTINUE;
}

Room *dev_room(Demo &demo)
{
    return demo.org->find_room_by_jid(std::to_string(demo.org->group_id) + "_dev@" +
                                      demo.org->hosts.muc_host);
}

// The next step of the Dev script, if anyone is there to hear it.
void dev_step(Demo &demo)
{
    Room *room = dev_room(demo);
    if (room == nullptr || participants(*demo.xmpp, *room) == 0)
        return;
    const Step &step = dev_script[demo.next_step++ % G_N_ELEMENTS(dev_script)];
    const User *speaker =
        step.email != nullptr ? demo.org->find_user_by_email(step.email) : nullptr;
    if (step.kind == StepKind::build_passed || step.kind == StepKind::build_failed) {
        // §8.4: a Jenkins notification, HTML, as REST's room notification makes it.
        const bool passed = step.kind == StepKind::build_passed;
        const std::string build = std::to_string(demo.next_build++);
        HistoryMessage m;
        m.from_name = "Jenkins";
        m.notification_type = "notification";
        m.message_format = "html";
        m.color = passed ? "green" : "red";
        m.notify = !passed;
        const std::string link = "https://ci.example.com/job/app/" + build + "/";
        m.body = "<b>Build #" + build + "</b> " +
                 (passed ? "passed: <a href='" + link + "'>app</a> in 5 min"
                         : std::string("failed: 2 tests in <code>auth-service</code><br>"
                                       "See the console"));
        post_to_room(*demo.xmpp, *room, std::move(m), "");
    } else if (speaker == nullptr) {
        return;
    } else if (step.kind == StepKind::share_file && !demo.file_shared) {
        // §8.8/§11: a real upload, through the REST server's own path, once.
        RestServer::StoredFile file;
        file.name = "release-checklist.txt";
        file.content_type = "text/plain";
        file.description = "Release checklist";
        file.data =
            "Release checklist\n[x] branch cut\n[x] staging deploy\n[ ] release notes\n"
            "[ ] go/no-go\n";
        demo.rest->share(*speaker, room, nullptr, std::move(file));
        demo.file_shared = true;
    } else {
        simulate_room_message(*demo.xmpp, demo.org->user_jid(*speaker), demo.org->room_jid(*room),
                              step.text);
    }
}

void schedule_dev_step(Demo &demo, guint delay_ms)
{
    if (demo.room_timer != 0)
        g_source_remove(demo.room_timer);
    demo.room_due = g_get_monotonic_time() + gint64{delay_ms} * 1000;
    demo.room_timer = g_timeout_add(
        delay_ms,
        [](gpointer data) -> gboolean {
            auto *demo = static_cast<Demo *>(data);
            demo->room_timer = 0;
            dev_step(*demo);
            schedule_dev_step(*demo, demo->interval_ms);
            return G_SOURCE_REMOVE;
        },
        &demo);
}

void start_demo(Demo &demo)
{
    auto presence = [&](const char *email, const char *show, const char *status) {
        if (const User *user = demo.org->find_user_by_email(email))
            simulate_presence(*demo.xmpp, demo.org->user_jid(*user), show, status);
    };
    presence("bob@example.com", "", "Preparing the release");
    presence("carol@example.com", "xa", "Lunch");
    presence("frank@example.com", "dnd", "On call");
    presence("erin@example.com", "away", "");
    g_timeout_add(
        std::min<guint>(4000, demo.interval_ms),
        [](gpointer data) -> gboolean {
            auto *demo = static_cast<Demo *>(data);
            on_demo_tick(data);
            g_timeout_add(demo->interval_ms, on_demo_tick, data);
            return G_SOURCE_REMOVE;
        },
        &demo);
    // The room: one step per interval; someone joining Dev brings the next
    // step forward, so a newcomer sees activity within seconds.
    schedule_dev_step(demo, demo.interval_ms);
    demo.xmpp->on_join = [&demo](Room &room, const User &) {
        const guint soon = std::min(first_line_ms, demo.interval_ms);
        if (&room == dev_room(demo) && demo.room_due - g_get_monotonic_time() > gint64{soon} * 1000)
            schedule_dev_step(demo, soon);
    };
}

gboolean on_signal(gpointer)
{
    g_main_loop_quit(loop);
    return G_SOURCE_REMOVE;
}

// Command-line mistakes: a message and exit status 2, like GOption's own.
int usage_error(const std::string &message)
{
    std::fprintf(stderr, "hipchat-emulator: %s\n", message.c_str());
    return 2;
}

}  // namespace

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");  // ts='%.6f' and utc_offset need a decimal point (§8.2, §6.4)
    GOptionContext *context = g_option_context_new("- a HipChat server for tests and demos");
    g_option_context_set_summary(
        context,
        "Serves an organisation over XMPP (STARTTLS), HTTPS (the API host) and a plain-HTTP "
        "control interface, on loopback by default. When listening it prints one line,\n"
        "READY {\"xmpp\":PORT,\"rest\":PORT,\"control\":PORT,\"ca_file\":FILE,\"tls_dir\":DIR} "
        "(and \"direct_tls\":PORT with --direct-tls-port).");
    g_option_context_set_description(
        context,
        "The organisation format, the control interface and what is emulated: "
        "docs/emulator.md. Each behaviour cites the protocol reference "
        "(hipchat-protocol.md).\n");
    g_option_context_add_main_entries(context, options, nullptr);
    GError *error = nullptr;
    if (!g_option_context_parse(context, &argc, &argv, &error)) {
        std::fprintf(stderr, "hipchat-emulator: %s\n", error->message);
        return 2;
    }
    g_option_context_free(context);
    if (large_team < 0 || large_history < 0 || large_rooms < -1 || disco_page_size < 0)
        return usage_error(
            "--large, --large-rooms, --large-history and --disco-page-size take counts");
    if (large_team == 0 && (large_rooms >= 0 || large_history > 0))
        return usage_error("--large-rooms and --large-history need --large");
    NickRule rule = NickRule::full_name;
    if (nick_rule != nullptr && std::string(nick_rule) == "mention-name")
        rule = NickRule::mention_name;
    else if (nick_rule != nullptr && std::string(nick_rule) != "full-name")
        return usage_error("--nick-rule is full-name or mention-name");
    if (max_connections < 1 || max_stanza_bytes < 1024 || demo_interval < 1)
        return usage_error(
            "--max-connections and --demo-interval take at least 1, "
            "--max-stanza-bytes at least 1024");

    std::string problem;
    // The sample organisation: the source tree's when the binary runs from a
    // build tree next to it, else the installed copy.
    const std::string org_path =
        org_file != nullptr ? org_file
        : g_file_test(EMULATOR_SOURCE_SAMPLE_ORG, G_FILE_TEST_EXISTS) ? EMULATOR_SOURCE_SAMPLE_ORG
                                                                      : EMULATOR_SAMPLE_ORG;
    LargeTeam size;
    size.people = static_cast<std::size_t>(large_team);
    size.rooms = static_cast<std::size_t>(large_rooms >= 0 ? large_rooms : large_team / 2);
    size.history = static_cast<std::size_t>(large_history);
    auto org = large_team > 0 ? std::optional<Organisation>(generate_organisation(size))
                              : load_organisation(org_path, problem);
    if (!org) {
        std::fprintf(stderr, "hipchat-emulator: %s\n", problem.c_str());
        return 1;
    }
    if (chat_host != nullptr)
        org->hosts.chat_host = chat_host;
    if (muc_host != nullptr)
        org->hosts.muc_host = muc_host;
    if (web_host != nullptr)
        org->hosts.web_host = web_host;

    std::string tls_path;
    if (tls_dir != nullptr) {
        tls_path = tls_dir;
    } else {
        gchar *made = g_dir_make_tmp("hipchat-emulator-XXXXXX", nullptr);
        tls_path = made;
        g_free(made);
    }
    const std::string address = listen_address != nullptr ? listen_address : "127.0.0.1";
    auto tls = generate_tls_material({"localhost", "127.0.0.1", org->hosts.chat_host, address},
                                     tls_path, problem);
    if (!tls) {
        std::fprintf(stderr, "hipchat-emulator: TLS: %s\n", problem.c_str());
        return 1;
    }

    XmppConfig config;
    config.offer_starttls = !no_starttls;
    config.offer_hipchat_auth = !no_hipchat_auth;
    config.offer_restart_logic = !no_restart_logic;
    config.idle_timeout_seconds = idle_timeout > 0 ? idle_timeout : 150;
    config.nick_rule = rule;
    config.max_connections = static_cast<std::size_t>(max_connections);
    config.max_stanza_bytes = static_cast<std::size_t>(max_stanza_bytes);
    config.disco_page_size = static_cast<std::size_t>(disco_page_size);
    XmppServer xmpp(*org, tls->server, config);
    if (!xmpp.listen(address, static_cast<guint16>(xmpp_port), problem)) {
        std::fprintf(stderr, "hipchat-emulator: XMPP: %s\n", problem.c_str());
        return 1;
    }
    if (direct_tls_port >= 0 &&
        !xmpp.listen_direct_tls(address, static_cast<guint16>(direct_tls_port), problem)) {
        std::fprintf(stderr, "hipchat-emulator: XMPP (direct TLS): %s\n", problem.c_str());
        return 1;
    }
    RestServer rest(*org, tls->server);
    rest.set_xmpp(&xmpp);
    if (!rest.listen(static_cast<guint16>(rest_port), problem)) {
        std::fprintf(stderr, "hipchat-emulator: REST: %s\n", problem.c_str());
        return 1;
    }
    org->hosts.api_host =
        api_host != nullptr ? std::string(api_host) : "127.0.0.1:" + std::to_string(rest.port());
    ControlServer control(xmpp, rest);
    if (!control.listen(static_cast<guint16>(control_port), problem)) {
        std::fprintf(stderr, "hipchat-emulator: control: %s\n", problem.c_str());
        return 1;
    }

    const std::string direct_tls =
        direct_tls_port >= 0 ? ",\"direct_tls\":" + std::to_string(xmpp.direct_tls_port()) : "";
    std::printf(
        "READY {\"xmpp\":%u,\"rest\":%u,\"control\":%u,\"ca_file\":\"%s\",\"tls_dir\":\"%s\"%s}\n",
        xmpp.port(), rest.port(), control.port(), tls->ca_file.c_str(), tls_path.c_str(),
        direct_tls.c_str());
    std::fflush(stdout);

    Demo demo{&xmpp, &rest, &*org};
    demo.interval_ms = static_cast<guint>(demo_interval) * 1000;
    if (demo_colleagues)
        start_demo(demo);

    loop = g_main_loop_new(nullptr, FALSE);
    g_unix_signal_add(SIGINT, on_signal, nullptr);
    g_unix_signal_add(SIGTERM, on_signal, nullptr);
    g_main_loop_run(loop);
    // Tell the XMPP clients, then leave at once: closing the HTTPS side
    // gracefully would wait on clients (a TLS handshake in progress, a
    // close_notify never answered), and SIGTERM must stop the emulator.
    xmpp.disconnect_all();
    if (tls_dir == nullptr) {
        // The temporary directory is ours: leave nothing behind.
        for (const char *file : {"ca.pem", "server.pem", "server-key.pem"})
            g_remove((tls_path + "/" + file).c_str());
        g_rmdir(tls_path.c_str());
    }
    std::fflush(nullptr);
    _exit(0);
}
