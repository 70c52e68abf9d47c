// Benchmark (not a test): signing in with a large team, prpl-hipchat (HipChat
// auth, e-mail) against stock prpl-jabber (SASL PLAIN with the JID) on the
// same emulator. Prints one JSON line of figures for this client process:
// wall time from enabling the account to the whole roster in the buddy list,
// CPU time, peak resident memory. tools/bench-login runs both and compares.
//
// Usage: bench-login hipchat|jabber PEOPLE
#include <blist.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "emulator-process.hpp"
#include "harness.hpp"

#include <check.h>

using hipchat::test::EmulatorProcess;
using hipchat::test::Harness;

namespace {

double cpu_seconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::string prpl;
int people = 0;
bool completed = false;

// Inside a Check test because the harness and the emulator helper report
// through Check.
START_TEST(sign_in_with_a_large_team)
{
    const bool hipchat = prpl == "hipchat";

    EmulatorProcess emulator({"--large", std::to_string(people), "--idle-timeout", "3600"});
    Harness harness;
    harness.accept_certificate("127.0.0.1", emulator.tls_dir() + "/server.pem");
    PurpleAccount *account =
        hipchat ? harness.add_account("prpl-hipchat", "person1@example.com", "password1")
                : harness.add_account("prpl-jabber", "10804_1@chat.hipchat.com/bench", "password1");
    purple_account_set_string(account, "connect_server", "127.0.0.1");
    purple_account_set_int(account, "port", emulator.xmpp_port());
    if (!hipchat)
        purple_account_set_string(account, "connection_security", "require_tls");

    auto roster_complete = [&] {
        GSList *buddies = purple_find_buddies(account, nullptr);
        const guint count = g_slist_length(buddies);
        g_slist_free(buddies);
        return purple_account_is_connected(account) && count >= static_cast<guint>(people);
    };
    const double cpu_before = cpu_seconds();
    const gint64 start = g_get_monotonic_time();
    harness.enable(account);
    const bool done = harness.run_until(roster_complete, 600 * 1000);
    const double wall = (g_get_monotonic_time() - start) / 1e6;
    const double cpu = cpu_seconds() - cpu_before;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf(
        "{\"prpl\":\"%s\",\"people\":%d,\"complete\":%s,\"wall_s\":%.3f,\"cpu_s\":%.3f,"
        "\"peak_rss_kib\":%ld}\n",
        prpl.c_str(), people, done ? "true" : "false", wall, cpu, usage.ru_maxrss);
    completed = done;
}
END_TEST

}  // namespace

int main(int argc, char **argv)
{
    if (argc != 3 || (std::string(argv[1]) != "hipchat" && std::string(argv[1]) != "jabber")) {
        std::fprintf(stderr, "usage: %s hipchat|jabber PEOPLE\n", argv[0]);
        return 2;
    }
    prpl = argv[1];
    people = std::atoi(argv[2]);
    Suite *suite = suite_create("bench");
    TCase *tc = tcase_create("login");
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, sign_in_with_a_large_team);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_set_fork_status(runner, CK_NOFORK);  // the figures are this process's
    srunner_run_all(runner, CK_SILENT);
    srunner_free(runner);
    return completed ? 0 : 1;
}
