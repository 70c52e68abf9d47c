// Benchmarks (not tests): prpl-hipchat against stock prpl-jabber through the
// same headless libpurple core (tests/harness) on the same emulator and the
// same workload. One workload per run; prints one JSON line of this client
// process's own figures (getrusage, /proc/self/statm). tools/bench runs every
// workload at 1/10, 1/2 and full size and prints the table with the ratios;
// docs/PERFORMANCE.md has the figures and what each workload measures.
//
// Usage: bench WORKLOAD hipchat|jabber|plain SIZE
//   login      SIZE people and SIZE/2 rooms: enabling the account until ready
//   roomlist   SIZE rooms (2 * SIZE people): the room list, from asking until
//              every room is in it
//   messages   SIZE room messages arriving (mentions, emoticons, notifications)
//   history    paging back through SIZE history messages (prpl-hipchat only)
//   reconnect  SIZE disconnect/reconnect cycles: CPU per cycle and memory
//   unread     signing in with SIZE auto-joined rooms that have unread
//              messages, until every room shows them (§19.4); prpl-hipchat
//              ("hipchat") against itself on a server without read state
//              ("plain": the API host answers 404, so each room shows its last
//              join_history messages instead)
//
// Instructions are counted for the measured phase only, under callgrind or
// perf stat (InstructionCounting below; tools/bench reads the count); the
// emulator is a separate process and never counted.
#include <blist.h>
#include <cmds.h>
#include <connection.h>
#include <conversation.h>
#include <prpl.h>
#include <roomlist.h>
#include <server.h>

#include <fcntl.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_TOGGLE_COLLECT
#endif

#include "control-client.hpp"
#include "emulator-process.hpp"
#include "harness.hpp"

// Last: check.h defines a `fail` macro that breaks C++ headers.
#include <check.h>

using hipchat::test::ControlClient;
using hipchat::test::EmulatorProcess;
using hipchat::test::EventKind;
using hipchat::test::Harness;

namespace {

// --- Figures -------------------------------------------------------------------

double cpu_seconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kib()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// The resident set now, after giving freed memory back to the system (so a
// leak shows, and the allocator's caching does not).
long current_rss_kib()
{
    malloc_trim(0);
    long pages = 0, resident = 0;
    if (FILE *statm = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(statm);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// Instruction counting for the measured phase only: callgrind's collection
// (under `valgrind --tool=callgrind --collect-atstart=no`) and perf stat's
// counters (under `perf stat -D -1 --control fifo:CTL,ACK`, the FIFOs named
// in BENCH_PERF_CTL and BENCH_PERF_ACK). Outside both this does nothing.
class InstructionCounting {
public:
    InstructionCounting()
    {
        const char *ctl = g_getenv("BENCH_PERF_CTL"), *ack = g_getenv("BENCH_PERF_ACK");
        if (ctl != nullptr && ack != nullptr) {
            ctl_ = open(ctl, O_WRONLY | O_CLOEXEC);
            ack_ = open(ack, O_RDONLY | O_CLOEXEC);
        }
    }
    ~InstructionCounting()
    {
        if (ctl_ >= 0)
            close(ctl_);
        if (ack_ >= 0)
            close(ack_);
    }
    InstructionCounting(const InstructionCounting &) = delete;
    InstructionCounting &operator=(const InstructionCounting &) = delete;

    void set(bool on)
    {
        CALLGRIND_TOGGLE_COLLECT;  // a toggle: set() always alternates
        if (ctl_ < 0 || ack_ < 0)
            return;
        const std::string command = on ? "enable\n" : "disable\n";
        char ack[8];
        // perf answers every command with "ack\n" once it is done.
        if (write(ctl_, command.data(), command.size()) > 0 && read(ack_, ack, sizeof ack) < 0)
            std::perror("perf control");
    }

private:
    int ctl_ = -1, ack_ = -1;
};

// Wall and CPU time of the measured phase, with pauses for the benchmark's own
// work (control requests to the emulator); instructions are counted over the
// same span.
class Meter {
public:
    void start()
    {
        start_wall_ = g_get_monotonic_time();
        start_cpu_ = cpu_seconds();
        counting_.set(true);
    }
    void pause()
    {
        counting_.set(false);
        pause_wall_ = g_get_monotonic_time();
        pause_cpu_ = cpu_seconds();
    }
    void resume()
    {
        paused_wall_ += g_get_monotonic_time() - pause_wall_;
        paused_cpu_ += cpu_seconds() - pause_cpu_;
        counting_.set(true);
    }
    // Leaves out the wall time since `last_work` (settle()'s quiet wait
    // between two steps of a workload).
    void skip_idle_since(gint64 last_work) { paused_wall_ += g_get_monotonic_time() - last_work; }
    // `end_wall`: when the last work was done (see settle()).
    void stop(gint64 end_wall)
    {
        counting_.set(false);
        cpu = cpu_seconds() - start_cpu_ - paused_cpu_;
        wall = static_cast<double>(end_wall - start_wall_ - paused_wall_) / 1e6;
    }

    double wall = 0, cpu = 0;

private:
    InstructionCounting counting_;
    gint64 start_wall_ = 0, pause_wall_ = 0, paused_wall_ = 0;
    double start_cpu_ = 0, pause_cpu_ = 0, paused_cpu_ = 0;
};

// The JSON line: figures in the order they are added.
class Figures {
public:
    void add(const char *name, const std::string &json_value)
    {
        text_ += std::string(text_.empty() ? "{" : ",") + "\"" + name + "\":" + json_value;
    }
    void add(const char *name, const char *text)
    {
        std::string quoted = "\"";
        quoted += text;
        add(name, quoted + "\"");
    }
    void add(const char *name, bool value) { add(name, std::string(value ? "true" : "false")); }
    void add(const char *name, long value) { add(name, std::to_string(value)); }
    void add(const char *name, double value, const char *format = "%.3f")
    {
        char text[64];
        std::snprintf(text, sizeof text, format, value);
        add(name, std::string(text));
    }
    std::string line() const { return text_ + "}"; }

private:
    std::string text_;
};

// --- The main loop -----------------------------------------------------------

gboolean set_flag(gpointer flag)
{
    *static_cast<bool *>(flag) = true;
    return G_SOURCE_REMOVE;
}

// Runs the main loop until `done` holds (checked after every dispatch) or
// `timeout_ms` passes. Unlike Harness::run_until, which polls and sleeps a
// millisecond after every turn, this blocks: waiting for the server costs no
// CPU time and adds no wall time.
bool run_until(const std::function<bool()> &done, int timeout_ms)
{
    bool expired = false;
    const guint timer = g_timeout_add(static_cast<guint>(timeout_ms), set_flag, &expired);
    while (!done() && !expired)
        g_main_context_iteration(nullptr, TRUE);
    if (!expired)
        g_source_remove(timer);
    return done();
}

// Runs until nothing was dispatched for `quiet_ms`: whatever the last stanza
// set off (deferred work, replies to our own requests) is done. Returns when
// the last work was done, which is where the measured phase ends (the quiet
// wait costs no CPU time). libpurple's buddy-list save, five seconds after a
// change, stays outside for both prpls.
gint64 settle(int quiet_ms = 200)
{
    gint64 last_work = g_get_monotonic_time();
    while (true) {
        bool quiet = false;
        const guint timer = g_timeout_add(static_cast<guint>(quiet_ms), set_flag, &quiet);
        g_main_context_iteration(nullptr, TRUE);
        if (quiet)
            return last_work;
        g_source_remove(timer);
        last_work = g_get_monotonic_time();
    }
}

// --- The client --------------------------------------------------------------

// BENCH_VERBOSE=1: every room message written, on standard error.
const bool verbose = g_getenv("BENCH_VERBOSE") != nullptr;

constexpr int generous_ms = 900 * 1000;  // valgrind makes everything ~50 times slower

// The generated team (docs/emulator.md): room 1, public, is "Payments Team";
// person N's full name is "<First> <Last> N" and mention name the same
// without spaces.
constexpr const char *room_jid = "10804_payments_team@conf.hipchat.com";

std::vector<std::string> team(int people, int rooms, std::vector<std::string> more = {})
{
    std::vector<std::string> args = {"--large",        std::to_string(people),
                                     "--large-rooms",  std::to_string(rooms),
                                     "--idle-timeout", "3600"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

Harness::Options bench_options()
{
    Harness::Options options;
    options.record_debug = false;
    // Not a Check test: each workload judges its own outcome (stock
    // prpl-jabber's room list, for one, asks for its conference server).
    options.fail_on_surprises = false;
    return options;
}

// person1 of the generated team, signing in with prpl-hipchat (HipChat auth
// with the e-mail) or stock prpl-jabber (SASL PLAIN with the JID).
struct Client {
    Client(bool hipchat_, int people_, const std::vector<std::string> &emulator_args)
        : hipchat(hipchat_), people(people_), emulator(emulator_args), harness(bench_options())
    {
        harness.accept_certificate("127.0.0.1", emulator.tls_dir() + "/server.pem");
        account = hipchat ? harness.add_account("prpl-hipchat", "person1@example.com", "password1")
                          : harness.add_account("prpl-jabber", "10804_1@chat.hipchat.com/bench",
                                                "password1");
        purple_account_set_remember_password(account, TRUE);  // kept across reconnects
        purple_account_set_string(account, "connect_server", "127.0.0.1");
        purple_account_set_int(account, "port", emulator.xmpp_port());
        if (hipchat)
            purple_account_set_bool(account, "autojoin", FALSE);
        else
            purple_account_set_string(account, "connection_security", "require_tls");
    }

    PurpleConnection *gc() const { return purple_account_get_connection(account); }
    PurplePluginProtocolInfo *prpl() const
    {
        return PURPLE_PLUGIN_PROTOCOL_INFO(purple_connection_get_prpl(gc()));
    }

    // Connected (which the module is only once it has the roster) with the
    // whole team in the buddy list. Counting is O(people): only once connected.
    bool ready() const
    {
        if (!purple_account_is_connected(account))
            return false;
        GSList *buddies = purple_find_buddies(account, nullptr);
        const guint count = g_slist_length(buddies);
        g_slist_free(buddies);
        return count >= static_cast<guint>(people);
    }

    bool sign_in()
    {
        harness.enable(account);
        return run_until([this] { return ready(); }, generous_ms);
    }

    // The user's own full name, from the roster (it lists the whole team).
    std::string own_name() const
    {
        PurpleBuddy *self = purple_find_buddy(account, "10804_1@chat.hipchat.com");
        return self != nullptr ? purple_buddy_get_alias(self) : "";
    }

    PurpleConversation *chat() const
    {
        return purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, room_jid, account);
    }

    // Room 1, under the full name (the nick HipChat requires, §7.4): the
    // HipChat room JID, or stock XMPP's room, server and handle.
    bool join_room()
    {
        const std::string nick = own_name();
        GHashTable *components = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        if (hipchat) {
            g_hash_table_replace(components, g_strdup("room"), g_strdup(room_jid));
        } else {
            g_hash_table_replace(components, g_strdup("room"), g_strdup("10804_payments_team"));
            g_hash_table_replace(components, g_strdup("server"), g_strdup("conf.hipchat.com"));
            g_hash_table_replace(components, g_strdup("handle"), g_strdup(nick.c_str()));
        }
        serv_join_chat(gc(), components);
        g_hash_table_destroy(components);
        return run_until(
            [&] {
                PurpleConversation *conv = chat();
                return conv != nullptr && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)) &&
                       purple_conv_chat_find_user(PURPLE_CONV_CHAT(conv), nick.c_str());
            },
            generous_ms);
    }

    // A control request to the emulator; true on HTTP 200.
    bool control(const std::string &path, const std::string &json = {})
    {
        return ControlClient(emulator.control_port()).request("POST", path, json).status == 200;
    }

    // Messages written to the room's conversation since event `from`, which
    // then points past them (an index, so the scan is not quadratic).
    struct Written {
        long count = 0, system = 0, nick_flagged = 0;
        bool marker_seen = false;
    };
    void scan_room_messages(std::size_t &from, const std::string &marker, Written &written)
    {
        const auto &events = harness.events();
        for (; from < events.size(); ++from) {
            const auto &e = events[from];
            if (e.kind != EventKind::message || e.category != room_jid)
                continue;
            ++written.count;
            if (verbose)
                std::fprintf(stderr, "bench: %s: %s\n", e.who.c_str(), e.text.c_str());
            if (e.number & PURPLE_MESSAGE_SYSTEM)
                ++written.system;
            if (e.number & PURPLE_MESSAGE_NICK)
                ++written.nick_flagged;
            if (!marker.empty() && e.text.find(marker) != std::string::npos)
                written.marker_seen = true;
        }
    }

    const bool hipchat;
    const int people;
    EmulatorProcess emulator;
    Harness harness;
    PurpleAccount *account = nullptr;
};

void add_common(Figures &figures, const Meter &meter)
{
    figures.add("wall_s", meter.wall);
    figures.add("cpu_s", meter.cpu);
    figures.add("peak_rss_kib", peak_rss_kib());
}

// --- Workloads -----------------------------------------------------------------

// 1. Signing in with SIZE people and SIZE/2 rooms, until ready.
bool login(bool hipchat, int size, Figures &figures)
{
    Client client(hipchat, size, team(size, size / 2));
    const long rss_before = current_rss_kib();
    Meter meter;
    meter.start();
    const bool done = client.sign_in();
    meter.stop(settle());
    add_common(figures, meter);
    figures.add("rss_delta_kib", current_rss_kib() - rss_before);
    GSList *buddies = purple_find_buddies(client.account, nullptr);
    figures.add("buddies", static_cast<long>(g_slist_length(buddies)));
    g_slist_free(buddies);
    return done;
}

// 2. The room list of SIZE rooms, every room in one disco#items result: stock
// XMPP follows no RSM paging (prpl-jabber asks for its conference server
// first; the harness answers with the default, the server it discovered).
bool roomlist(bool hipchat, int size, Figures &figures)
{
    Client client(hipchat, 2 * size, team(2 * size, size, {"--disco-page-size", "0"}));
    if (!client.sign_in())
        return false;
    settle();
    client.harness.answer_inputs_with_default(true);
    std::size_t seen = client.harness.events().size();
    bool started = false, finished = false;
    const long rss_before = current_rss_kib();
    Meter meter;
    meter.start();
    PurpleRoomlist *list = client.prpl()->roomlist_get_list(client.gc());
    // The UI's own reference, as Pidgin's room list dialog takes it:
    // prpl-jabber keeps the one it made for itself.
    if (list != nullptr)
        purple_roomlist_ref(list);
    // Done when the list went in progress and out of it again.
    const bool done =
        list != nullptr && run_until(
                               [&] {
                                   const auto &events = client.harness.events();
                                   for (; seen < events.size(); ++seen) {
                                       if (events[seen].kind != EventKind::roomlist_progress)
                                           continue;
                                       started = started || events[seen].number == 1;
                                       finished = started && events[seen].number == 0;
                                   }
                                   return finished;
                               },
                               generous_ms);
    meter.stop(settle());
    add_common(figures, meter);
    figures.add("rss_delta_kib", current_rss_kib() - rss_before);
    const long rooms = list != nullptr ? static_cast<long>(g_list_length(list->rooms)) : 0;
    figures.add("rooms", rooms);
    if (list != nullptr)
        purple_roomlist_unref(list);
    return done && rooms > 0;
}

std::string json_text(const std::string &text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

// 3. SIZE messages arriving in a room both prpls joined, in batches of 500
// through the emulator's POST /messages (one control request per batch,
// outside the measured time): one in ten mentions the user, one in ten has an
// emoticon, one in twenty is an integration notification (HTML, some
// notifying). Measured until the last one is written to the conversation.
bool messages(bool hipchat, int size, Figures &figures)
{
    constexpr int people = 1000, batch_size = 500;
    Client client(hipchat, people, team(people, people / 2));
    // A team emoticon for "(allthethings)" (§12.1), known at login.
    if (!client.control("/emoticons",
                        "{\"id\":1,\"shortcut\":\"allthethings\",\"path\":\"allthethings.png\","
                        "\"type\":\"global\",\"width\":30,\"height\":30}") ||
        !client.sign_in() || !client.join_room())
        return false;
    settle();
    std::string mention = client.own_name();
    std::erase(mention, ' ');  // the mention name: the full name without spaces

    // The batches, made before the clock starts.
    std::vector<std::string> batches, markers;
    for (int first = 0; first < size; first += batch_size) {
        const int end = std::min(size, first + batch_size);
        const std::string marker = "Batch " + std::to_string(batches.size() + 1) + " is through.";
        std::string json = "{\"room\":\"" + std::string(room_jid) + "\",\"messages\":[";
        for (int i = first; i < end; ++i) {
            if (i != first)
                json += ",";
            const std::string from =
                "\"from\":\"10804_" + std::to_string(2 + i % 50) + "@chat.hipchat.com\"";
            if (i == end - 1)
                json += "{" + from + ",\"body\":" + json_text(marker) + "}";
            else if (i % 20 == 7)
                json += "{\"from\":\"Jenkins\",\"message\":\"<b>Build #" + std::to_string(i) +
                        "</b> " + (i % 40 == 7 ? "failed" : "passed") +
                        "\",\"message_format\":\"html\",\"color\":\"" +
                        (i % 40 == 7 ? "red\",\"notify\":true}" : "green\",\"notify\":false}");
            else if (i % 10 == 3)
                json += "{" + from + ",\"body\":" +
                        json_text("@" + mention + " could you look at ticket " + std::to_string(i) +
                                  "?") +
                        "}";
            else if (i % 10 == 5)
                json += "{" + from + ",\"body\":\"Shipped it (allthethings)\"}";
            else
                json += "{" + from + ",\"body\":\"The deploy of build " + std::to_string(i) +
                        " is done, please have a look.\"}";
        }
        batches.push_back(json + "]}");
        markers.push_back(marker);
    }

    std::size_t seen = client.harness.events().size();
    Client::Written written;
    const long rss_before = current_rss_kib();
    Meter meter;
    meter.start();
    bool done = true;
    for (std::size_t b = 0; b < batches.size() && done; ++b) {
        meter.pause();
        done = client.control("/messages", batches[b]);
        meter.resume();
        written.marker_seen = false;
        done = done && run_until(
                           [&] {
                               client.scan_room_messages(seen, markers[b], written);
                               return written.marker_seen;
                           },
                           generous_ms);
    }
    meter.stop(settle());
    client.scan_room_messages(seen, "", written);
    add_common(figures, meter);
    figures.add("rss_delta_kib", current_rss_kib() - rss_before);
    figures.add("written", written.count);
    figures.add("nick_flagged", written.nick_flagged);
    return done;
}

// 4. Paging back through SIZE messages of a room's history (§9), a page per
// `/history` (the account's page size, as "Load older messages" asks), until
// SIZE messages are shown; stock XMPP has no way to ask for them.
bool load_older(PurpleConversation *conv)
{
    char *error = nullptr;
    const PurpleCmdStatus status = purple_cmd_do_command(conv, "history", "history", &error);
    g_free(error);
    return status == PURPLE_CMD_STATUS_OK;
}

bool history(bool hipchat, int size, Figures &figures)
{
    if (!hipchat) {
        figures.add("available", false);
        return true;
    }
    // With four rooms, room 1 gets about half of the generated history (a
    // squared uniform draw of the room, docs/emulator.md): enough to page
    // through SIZE messages above the join's backlog.
    constexpr int people = 1000;
    Client client(hipchat, people,
                  team(people, 4, {"--large-history", std::to_string(3 * size + 200)}));
    if (!client.sign_in() || !client.join_room())
        return false;
    settle();
    // The join's backlog (§7.4) is already shown: paging starts above it.
    std::size_t seen = 0;
    Client::Written backlog;
    client.scan_room_messages(seen, "", backlog);
    figures.add("backlog", backlog.count - backlog.system);
    Client::Written written;
    Meter meter;
    meter.start();
    bool available = true;
    long pages = 0;
    while (written.count - written.system < size) {
        if (!load_older(client.chat())) {
            available = false;  // no /history command (yet)
            break;
        }
        ++pages;
        const long before = written.count - written.system;
        meter.skip_idle_since(settle());
        client.scan_room_messages(seen, "", written);
        if (written.count - written.system == before)
            break;  // nothing older came ("No earlier messages.")
    }
    meter.stop(g_get_monotonic_time());
    figures.add("available", available);
    if (!available)
        return true;
    const long shown = written.count - written.system;
    add_common(figures, meter);
    figures.add("pages", pages);
    figures.add("written", shown);
    figures.add("cpu_ms_per_message",
                shown > 0 ? 1000 * meter.cpu / static_cast<double>(shown) : 0.0);
    return shown >= size;
}

// 5. SIZE cycles of the server dropping every connection (POST /disconnect,
// as a restart) and the account connecting again until ready, as Pidgin's
// auto-reconnect does. Resident memory after cycles 1, 10, 25, 50.
bool reconnect(bool hipchat, int size, Figures &figures)
{
    constexpr int people = 1000;
    Client client(hipchat, people, team(people, people / 2));
    if (!client.sign_in())
        return false;
    settle();
    std::map<int, long> rss;
    Meter meter;
    meter.start();
    bool done = true;
    for (int cycle = 1; cycle <= size && done; ++cycle) {
        meter.pause();
        done = client.control("/disconnect");
        meter.resume();
        done = done && run_until([&] { return client.gc() == nullptr; }, generous_ms);
        if (!done)
            break;
        purple_account_connect(client.account);
        done = run_until([&] { return client.ready(); }, generous_ms);
        meter.skip_idle_since(settle());
        if (cycle == 1 || cycle == 10 || cycle == 25 || cycle == 50 || cycle == size) {
            meter.pause();
            rss[cycle] = current_rss_kib();
            meter.resume();
        }
    }
    meter.stop(g_get_monotonic_time());
    if (verbose) {
        std::map<std::string, int> kinds;
        for (const auto &e : client.harness.events())
            ++kinds[hipchat::test::to_string(e.kind)];
        for (const auto &[kind, n] : kinds)
            std::fprintf(stderr, "bench: %d %s events\n", n, kind.c_str());
    }
    add_common(figures, meter);
    figures.add("cpu_s_per_cycle", meter.cpu / size);
    std::string json = "{";
    for (const auto &[cycle, kib] : rss)
        json +=
            (json.size() > 1 ? ",\"" : "\"") + std::to_string(cycle) + "\":" + std::to_string(kib);
    figures.add("rss_kib_after_cycle", json + "}");
    figures.add("rss_growth_kib", rss.empty() ? 0L : rss.rbegin()->second - rss.begin()->second);
    return done;
}

// 6. Signing in with SIZE auto-joined rooms, each with one to ten unread
// messages (§19.4, --large-unread), until every room is joined and nothing
// is left to do: with the read state ("hipchat") each shows its unread ones
// under the unread line; without ("plain") its last join_history (100).
bool unread(bool with_read_state, int size, Figures &figures)
{
    constexpr int people = 1000;
    Client client(true, people,
                  team(people, people / 2,
                       {"--large-history", "40000", "--large-unread", std::to_string(size)}));
    purple_account_set_bool(client.account, "autojoin", TRUE);
    if (!with_read_state && !client.control("/fault", "{\"rest_status\":404}"))
        return false;
    const long rss_before = current_rss_kib();
    Meter meter;
    meter.start();
    bool done = client.sign_in();
    done = done &&
           run_until([&] { return g_list_length(purple_get_chats()) >= static_cast<guint>(size); },
                     generous_ms);
    meter.stop(settle(1000));
    add_common(figures, meter);
    figures.add("rss_delta_kib", current_rss_kib() - rss_before);
    long rooms = 0, written = 0, lines = 0;
    for (GList *l = purple_get_chats(); l != nullptr; l = l->next)
        rooms +=
            purple_conv_chat_has_left(PURPLE_CONV_CHAT(static_cast<PurpleConversation *>(l->data)))
                ? 0
                : 1;
    for (const auto &e : client.harness.events())
        if (e.kind == EventKind::message && !(e.number & PURPLE_MESSAGE_SYSTEM))
            ++written;
        else if (e.kind == EventKind::message && e.text.find("unread message") != std::string::npos)
            ++lines;
    figures.add("rooms", rooms);
    figures.add("written", written);
    figures.add("unread_lines", lines);
    return done && rooms >= size;
}

// --- main ----------------------------------------------------------------------

const std::map<std::string, bool (*)(bool, int, Figures &)> workloads = {
    {"login", login},     {"roomlist", roomlist},   {"messages", messages},
    {"history", history}, {"reconnect", reconnect}, {"unread", unread}};

std::string workload, prpl;
int size = 0;
bool completed = false;

// Inside a Check test because the harness and the emulator helper report
// through Check.
START_TEST(run_workload)
{
    Figures figures;
    figures.add("workload", workload.c_str());
    figures.add("prpl", prpl.c_str());
    figures.add("size", static_cast<long>(size));
    // unread's "plain" is prpl-hipchat too, on a server without read state.
    completed = workloads.at(workload)(prpl == "hipchat", size, figures);
    figures.add("complete", completed);
    std::printf("%s\n", figures.line().c_str());
    std::fflush(stdout);
}
END_TEST

}  // namespace

int main(int argc, char **argv)
{
    const std::string which = argc == 4 ? argv[2] : "";
    const bool unread_run = argc == 4 && std::string(argv[1]) == "unread";
    if (argc != 4 || workloads.count(argv[1]) == 0 ||
        (unread_run ? which != "hipchat" && which != "plain"
                    : which != "hipchat" && which != "jabber") ||
        std::atoi(argv[3]) <= 0) {
        std::fprintf(stderr,
                     "usage: %s login|roomlist|messages|history|reconnect hipchat|jabber SIZE\n"
                     "       %s unread hipchat|plain SIZE\n",
                     argv[0], argv[0]);
        return 2;
    }
    workload = argv[1];
    prpl = argv[2];
    size = std::atoi(argv[3]);
    Suite *suite = suite_create("bench");
    TCase *tc = tcase_create(workload.c_str());
    tcase_set_timeout(tc, 3600);
    tcase_add_test(tc, run_workload);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_set_fork_status(runner, CK_NOFORK);  // the figures are this process's
    srunner_run_all(runner, CK_SILENT);
    srunner_free(runner);
    return completed ? 0 : 1;
}
