// hipchat-emulator: a HipChat server for the dialect (docs/emulator.md), for
// tests, benchmarks and the demo. Listens on loopback by default.
#include <glib-unix.h>
#include <glib.h>
#include <glib/gstdio.h>

#include <clocale>
#include <cstdio>
#include <unistd.h>
#include <string>

#include "control-server.hpp"
#include "org.hpp"
#include "rest-server.hpp"
#include "tls.hpp"
#include "xmpp-server.hpp"

using namespace hipchat::emulator;

namespace {

gchar *org_file = nullptr;
gchar *listen_address = nullptr;
gint xmpp_port = 5222;
gint control_port = 0;
gint rest_port = 0;
gchar *tls_dir = nullptr;
gint idle_timeout = 150;
gchar *chat_host = nullptr;
gchar *muc_host = nullptr;
gchar *api_host = nullptr;
gchar *web_host = nullptr;
gboolean no_starttls = FALSE;
gboolean no_hipchat_auth = FALSE;
gboolean no_restart_logic = FALSE;
gboolean demo_colleagues = FALSE;
gint large_team = 0;

const GOptionEntry options[] = {
    {"org", 0, 0, G_OPTION_ARG_FILENAME, &org_file,
     "Organisation to serve (JSON, docs/emulator.md; default: the sample organisation, "
     "from the source tree when present, else installed)",
     "FILE"},
    {"listen", 0, 0, G_OPTION_ARG_STRING, &listen_address,
     "Address to listen on (default 127.0.0.1)", "ADDRESS"},
    {"xmpp-port", 0, 0, G_OPTION_ARG_INT, &xmpp_port,
     "XMPP port, STARTTLS (default 5222; 0: any free)", "PORT"},
    {"control-port", 0, 0, G_OPTION_ARG_INT, &control_port,
     "Control interface port, on 127.0.0.1 only (default 0: any free)", "PORT"},
    {"rest-port", 0, 0, G_OPTION_ARG_INT, &rest_port,
     "HTTPS port of the API host, on 127.0.0.1 only (default 0: any free)", "PORT"},
    {"tls-dir", 0, 0, G_OPTION_ARG_FILENAME, &tls_dir,
     "Where the throwaway CA (ca.pem) and server certificate (server.pem) are written "
     "(default: a new temporary directory)",
     "DIR"},
    {"idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
     "Drop connections silent for this long (default 150, protocol reference section 4.3)", "SECONDS"},
    {"chat-host", 0, 0, G_OPTION_ARG_STRING, &chat_host, "XMPP domain (default chat.hipchat.com)",
     "HOST"},
    {"muc-host", 0, 0, G_OPTION_ARG_STRING, &muc_host, "MUC host (default conf.hipchat.com)",
     "HOST"},
    {"api-host", 0, 0, G_OPTION_ARG_STRING, &api_host,
     "API host announced on <success> (default 127.0.0.1:<rest port>)", "HOST[:PORT]"},
    {"web-host", 0, 0, G_OPTION_ARG_STRING, &web_host, "Web host (default www.hipchat.com)",
     "HOST"},
    {"no-starttls", 0, 0, G_OPTION_ARG_NONE, &no_starttls,
     "Offer no STARTTLS (a server a client must refuse to log in to)", nullptr},
    {"no-hipchat-auth", 0, 0, G_OPTION_ARG_NONE, &no_hipchat_auth,
     "Offer only SASL PLAIN, like HipChat Server in SASL mode (protocol reference section 5.3)", nullptr},
    {"no-restart-logic", 0, 0, G_OPTION_ARG_NONE, &no_restart_logic,
     "Do not advertise authrestartlogic, like older servers (protocol reference section 4.2)", nullptr},
    {"large", 0, 0, G_OPTION_ARG_INT, &large_team,
     "Serve a generated team of this many people instead of --org (for benchmarks)", "PEOPLE"},
    {"demo", 0, 0, G_OPTION_ARG_NONE, &demo_colleagues,
     "Scripted colleagues for the demo: a few people online, and Bob chatting to whoever is "
     "connected",
     nullptr},
    {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr},
};

GMainLoop *loop = nullptr;

// --demo: what Bob says, one line every 20 seconds, to everyone connected.
const char *const bob_lines[] = {
    "Hi! This is HipChat in a libpurple client, talking to the bundled emulator.",
    "Hover over people to see their @mention names, or use Get Info for a HipChat profile "
    "with their local time.",
    "Carol is Away, Frank is Busy and Erin is idle: HipChat's presence, mapped for libpurple.",
    "Rooms, history, emoticons and files are on their way.",
};

struct Demo {
    XmppServer *xmpp;
    Organisation *org;
    std::size_t next_line = 0;
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
            demo->xmpp->simulate_message(demo->org->user_jid(*bob), demo->org->user_jid(user),
                                         line);
    return G_SOURCE_CONTINUE;
}

void start_demo(Demo &demo)
{
    auto presence = [&](const char *email, const char *show, const char *status) {
        if (const User *user = demo.org->find_user_by_email(email))
            demo.xmpp->simulate_presence(demo.org->user_jid(*user), show, status);
    };
    presence("bob@example.com", "", "Preparing the release");
    presence("carol@example.com", "xa", "Lunch");
    presence("frank@example.com", "dnd", "On call");
    presence("erin@example.com", "away", "");
    g_timeout_add_seconds(
        4,
        [](gpointer data) -> gboolean {
            on_demo_tick(data);
            g_timeout_add_seconds(20, on_demo_tick, data);
            return G_SOURCE_REMOVE;
        },
        &demo);
}

gboolean on_signal(gpointer)
{
    g_main_loop_quit(loop);
    return G_SOURCE_REMOVE;
}

}  // namespace

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");  // ts='%.6f' and utc_offset need a decimal point (§8.2, §6.4)
    GOptionContext *context = g_option_context_new("- a HipChat server for tests and demos");
    g_option_context_add_main_entries(context, options, nullptr);
    GError *error = nullptr;
    if (!g_option_context_parse(context, &argc, &argv, &error)) {
        std::fprintf(stderr, "hipchat-emulator: %s\n", error->message);
        return 2;
    }
    g_option_context_free(context);

    std::string problem;
    // The sample organisation: the source tree's when the binary runs from a
    // build tree next to it, else the installed copy.
    const std::string org_path =
        org_file != nullptr ? org_file
        : g_file_test(EMULATOR_SOURCE_SAMPLE_ORG, G_FILE_TEST_EXISTS) ? EMULATOR_SOURCE_SAMPLE_ORG
                                                                      : EMULATOR_SAMPLE_ORG;
    auto org = large_team > 0 ? std::optional<Organisation>(generate_organisation(large_team))
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
    XmppServer xmpp(*org, tls->server, config);
    if (!xmpp.listen(address, static_cast<guint16>(xmpp_port), problem)) {
        std::fprintf(stderr, "hipchat-emulator: XMPP: %s\n", problem.c_str());
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

    std::printf(
        "READY {\"xmpp\":%u,\"rest\":%u,\"control\":%u,\"ca_file\":\"%s\",\"tls_dir\":\"%s\"}\n",
        xmpp.port(), rest.port(), control.port(), tls->ca_file.c_str(), tls_path.c_str());
    std::fflush(stdout);

    Demo demo{&xmpp, &*org};
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
