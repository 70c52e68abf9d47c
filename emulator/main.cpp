// hipchat-emulator: a HipChat server for the dialect (docs/emulator.md), for
// tests, benchmarks and the demo. Listens on loopback by default.
#include <glib-unix.h>
#include <glib.h>
#include <glib/gstdio.h>

#include <algorithm>
#include <clocale>
#include <cstdio>
#include <optional>
#include <string>
#include <unistd.h>

#include "control-server.hpp"
#include "demo.hpp"
#include "large-team.hpp"
#include "web-server.hpp"
#include "org.hpp"
#include "rest-server.hpp"
#include "tls.hpp"
#include "xmpp/server.hpp"

using namespace hipchat::emulator;

namespace {

gchar *org_file = nullptr;
gchar *listen_address = nullptr;
gint xmpp_port = 5222;
gint direct_tls_port = -1;
gint control_port = 0;
gint rest_port = 0;
gint web_port = -1;  // -1: no website
gchar *tls_dir = nullptr;
gint idle_timeout = 150;
gchar *chat_host = nullptr;
gchar *muc_host = nullptr;
gchar *api_host = nullptr;
gchar *web_host = nullptr;
gchar *nick_rule = nullptr;
gchar *own_copies = nullptr;
gint history_overlap = 0;
gint max_connections = 1000;
gint max_stanza_bytes = 256 * 1024;
gint disco_page_size = 100;
gboolean no_starttls = FALSE;
gboolean no_hipchat_auth = FALSE;
gboolean no_restart_logic = FALSE;
gboolean no_from_jid = FALSE;
gboolean demo_colleagues = FALSE;
gint demo_interval = 20;
gint large_team = 0;
gint large_rooms = -1;  // -1: half the people
gint large_history = 0;
gint large_unread = 0;
gint large_auto_join = 0;

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
    {"web-port", 0, 0, G_OPTION_ARG_INT, &web_port,
     "Also serve the website's preference saving (protocol reference sections 6.2, 19.6) on "
     "127.0.0.1:PORT (HTTPS; 0: any free port), announced as the web host unless --web-host "
     "says otherwise; default: no website",
     "PORT"},
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
    {"own-copies", 0, 0, G_OPTION_ARG_STRING, &own_copies,
     "How a user's own 1:1 messages reach their other sessions, their echo and their 1:1 "
     "history: from-partner (default: from the partner with the user in <delay from_jid>, as "
     "HipChat's own clients expected) or from-self (as sent); protocol reference sections 8.1 "
     "and 19.8",
     "from-partner|from-self"},
    {"history-overlap", 0, 0, G_OPTION_ARG_INT, &history_overlap,
     "History pages also hold up to N messages at or after `before` (already on the client's "
     "screen; HipChat's web client de-duplicated pages by mid) (default 0)",
     "N"},
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
    {"no-from-jid", 0, 0, G_OPTION_ARG_NONE, &no_from_jid,
     "Live room messages without the from_jid attribute, like older HipChat Server versions "
     "(the official client's message_processor.js 698-699): their sender known by the nick",
     nullptr},
    {"large", 0, 0, G_OPTION_ARG_INT, &large_team,
     "Serve a generated team of this many people instead of --org, for benchmarks: "
     "person<N>@example.com, password password<N>, API token token<N>",
     "PEOPLE"},
    {"large-rooms", 0, 0, G_OPTION_ARG_INT, &large_rooms,
     "Rooms of the generated team (default: half of PEOPLE)", "N"},
    {"large-history", 0, 0, G_OPTION_ARG_INT, &large_history,
     "Room messages of the generated team, spread over its rooms (default 0)", "N"},
    {"large-unread", 0, 0, G_OPTION_ARG_INT, &large_unread,
     "Rooms person1 of the generated team keeps open (autoJoin) with unread messages, from its "
     "history (default 0; protocol reference section 19.4)",
     "N"},
    {"large-auto-join", 0, 0, G_OPTION_ARG_INT, &large_auto_join,
     "Rooms in everyone's auto-join list: the busiest public ones (default 0)", "N"},
    {"demo", 0, 0, G_OPTION_ARG_NONE, &demo_colleagues,
     "Scripted colleagues for the demo: a few people online, Bob chatting to whoever is "
     "connected, and the Dev room busy while someone is in it",
     nullptr},
    {"demo-interval", 0, 0, G_OPTION_ARG_INT, &demo_interval,
     "How often the demo's colleagues speak, 1:1 and in the Dev room (default 20)", "SECONDS"},
    {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr},
};

GMainLoop *loop = nullptr;

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

// Parses the command line and checks what GOption cannot; the nick rule on
// the way. An exit status, or -1 to go on.
int parse_options(int &argc, char **&argv, NickRule &rule)
{
    GOptionContext *context = g_option_context_new("- a HipChat server for tests and demos");
    g_option_context_set_summary(
        context,
        "Serves an organisation over XMPP (STARTTLS), HTTPS (the API host) and a plain-HTTP "
        "control interface, on loopback by default. When listening it prints one line,\n"
        "READY {\"xmpp\":PORT,\"rest\":PORT,\"control\":PORT,\"ca_file\":FILE,\"tls_dir\":DIR} "
        "(and \"direct_tls\":PORT with --direct-tls-port, \"web\":PORT with --web-port).");
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
    if (large_team < 0 || large_history < 0 || large_rooms < -1 || large_unread < 0 ||
        large_auto_join < 0 || disco_page_size < 0 || web_port < -1)
        return usage_error(
            "--large, --large-rooms, --large-history, --large-unread, --large-auto-join and "
            "--disco-page-size take counts, --web-port a port");
    if (large_team == 0 &&
        (large_rooms >= 0 || large_history > 0 || large_unread > 0 || large_auto_join > 0))
        return usage_error(
            "--large-rooms, --large-history, --large-unread and --large-auto-join need --large");
    rule = NickRule::full_name;
    if (nick_rule != nullptr && std::string(nick_rule) == "mention-name")
        rule = NickRule::mention_name;
    else if (nick_rule != nullptr && std::string(nick_rule) != "full-name")
        return usage_error("--nick-rule is full-name or mention-name");
    if (own_copies != nullptr && std::string(own_copies) != "from-partner" &&
        std::string(own_copies) != "from-self")
        return usage_error("--own-copies is from-partner or from-self");
    if (history_overlap < 0)
        return usage_error("--history-overlap takes a count");
    if (max_connections < 1 || max_stanza_bytes < 1024 || demo_interval < 1)
        return usage_error(
            "--max-connections and --demo-interval take at least 1, "
            "--max-stanza-bytes at least 1024");
    return -1;
}

// The organisation to serve, with the hosts the options name: the generated
// team, --org, or the sample organisation (the source tree's when the binary
// runs from a build tree next to it, else the installed copy).
std::optional<Organisation> organisation(std::string &problem)
{
    const std::string org_path = org_file != nullptr ? org_file
                                 : g_file_test(EMULATOR_SOURCE_SAMPLE_ORG, G_FILE_TEST_EXISTS)
                                     ? EMULATOR_SOURCE_SAMPLE_ORG
                                     : EMULATOR_SAMPLE_ORG;
    LargeTeam size;
    size.people = static_cast<std::size_t>(large_team);
    size.rooms = static_cast<std::size_t>(large_rooms >= 0 ? large_rooms : large_team / 2);
    size.history = static_cast<std::size_t>(large_history);
    size.unread_rooms = static_cast<std::size_t>(large_unread);
    size.auto_join = static_cast<std::size_t>(large_auto_join);
    auto org = large_team > 0 ? std::optional<Organisation>(generate_organisation(size))
                              : load_organisation(org_path, problem);
    if (!org)
        return org;
    if (chat_host != nullptr)
        org->hosts.chat_host = chat_host;
    if (muc_host != nullptr)
        org->hosts.muc_host = muc_host;
    if (web_host != nullptr)
        org->hosts.web_host = web_host;
    return org;
}

// Where the TLS material goes: --tls-dir, or a new temporary directory.
std::string tls_directory()
{
    if (tls_dir != nullptr)
        return tls_dir;
    gchar *made = g_dir_make_tmp("hipchat-emulator-XXXXXX", nullptr);
    std::string path = made;
    g_free(made);
    return path;
}

XmppConfig xmpp_config(NickRule rule)
{
    XmppConfig config;
    config.offer_starttls = !no_starttls;
    config.offer_hipchat_auth = !no_hipchat_auth;
    config.offer_restart_logic = !no_restart_logic;
    config.room_from_jid = !no_from_jid;
    config.idle_timeout_seconds = idle_timeout > 0 ? idle_timeout : 150;
    config.nick_rule = rule;
    config.own_copies = own_copies != nullptr && std::string(own_copies) == "from-self"
                            ? OwnCopies::from_self
                            : OwnCopies::from_partner;
    config.history_overlap = static_cast<std::size_t>(history_overlap);
    config.max_connections = static_cast<std::size_t>(max_connections);
    config.max_stanza_bytes = static_cast<std::size_t>(max_stanza_bytes);
    config.disco_page_size = static_cast<std::size_t>(disco_page_size);
    return config;
}

int failed(const char *what, const std::string &problem)
{
    std::fprintf(stderr, "hipchat-emulator: %s: %s\n", what, problem.c_str());
    return 1;
}

// The three servers listen, the READY line, then the main loop until SIGINT
// or SIGTERM (the process then ends in main). An exit status.
int serve(Organisation &org, const TlsMaterial &tls, const std::string &tls_path,
          const std::string &address, NickRule rule)
{
    std::string problem;
    XmppServer xmpp(org, tls.server, xmpp_config(rule));
    if (!xmpp.listen(address, static_cast<guint16>(xmpp_port), problem))
        return failed("XMPP", problem);
    if (direct_tls_port >= 0 &&
        !xmpp.listen_direct_tls(address, static_cast<guint16>(direct_tls_port), problem))
        return failed("XMPP (direct TLS)", problem);
    RestServer rest(org, tls.server);
    rest.set_xmpp(&xmpp);
    if (!rest.listen(static_cast<guint16>(rest_port), problem))
        return failed("REST", problem);
    org.hosts.api_host =
        api_host != nullptr ? std::string(api_host) : "127.0.0.1:" + std::to_string(rest.port());
    ControlServer control(xmpp, rest);
    if (!control.listen(static_cast<guint16>(control_port), problem))
        return failed("control", problem);
    WebServer web(org, tls.server);
    if (web_port >= 0 && !web.listen(static_cast<guint16>(web_port), problem))
        return failed("web", problem);
    if (web_port >= 0 && web_host == nullptr)
        org.hosts.web_host = "127.0.0.1:" + std::to_string(web.port());

    std::string extra =
        direct_tls_port >= 0 ? ",\"direct_tls\":" + std::to_string(xmpp.direct_tls_port()) : "";
    if (web_port >= 0)
        extra += ",\"web\":" + std::to_string(web.port());
    std::printf(
        "READY {\"xmpp\":%u,\"rest\":%u,\"control\":%u,\"ca_file\":\"%s\",\"tls_dir\":\"%s\"%s}\n",
        xmpp.port(), rest.port(), control.port(), tls.ca_file.c_str(), tls_path.c_str(),
        extra.c_str());
    std::fflush(stdout);

    Demo demo{&xmpp, &rest, &org};
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

}  // namespace

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");  // ts='%.6f' and utc_offset need a decimal point (§8.2, §6.4)
    NickRule rule = NickRule::full_name;
    if (const int status = parse_options(argc, argv, rule); status >= 0)
        return status;
    std::string problem;
    auto org = organisation(problem);
    if (!org) {
        std::fprintf(stderr, "hipchat-emulator: %s\n", problem.c_str());
        return 1;
    }
    const std::string tls_path = tls_directory();
    const std::string address = listen_address != nullptr ? listen_address : "127.0.0.1";
    auto tls = generate_tls_material({"localhost", "127.0.0.1", org->hosts.chat_host, address},
                                     tls_path, problem);
    if (!tls)
        return failed("TLS", problem);
    return serve(*org, *tls, tls_path, address, rule);
}
