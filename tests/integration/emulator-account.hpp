// Test support: an emulator, a headless libpurple core and a HipChat
// account pointed at the emulator, with the emulator's certificate already
// accepted by the user.
#pragma once

#include <account.h>
#include <cmds.h>
#include <conversation.h>
#include <prpl.h>
#include <server.h>

#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "control-client.hpp"
#include "emulator-process.hpp"
#include "harness.hpp"
#include "sample-org.hpp"

#include <check.h>

namespace hipchat::test {

// Alice of the sample organisation by default (tests/support/sample-org.hpp).
struct EmulatorAccount {
    // With an emulator of its own, started with `emulator_args`.
    explicit EmulatorAccount(const std::vector<std::string> &emulator_args = {},
                             const char *username = sample::alice.email,
                             const char *password = sample::alice.password,
                             Harness::Options options = {})
        : own_emulator(std::make_unique<EmulatorProcess>(emulator_args)),
          emulator(*own_emulator),
          control(emulator.control_port()),
          harness(std::move(options))
    {
        set_up(username, password);
    }

    // Against `shared`, an emulator several tests use in turn (started by
    // the test program before Check forks them; what one test changes in
    // it, the next sees).
    EmulatorAccount(EmulatorProcess &shared, const char *username, const char *password)
        : emulator(shared), control(emulator.control_port())
    {
        set_up(username, password);
    }

    void set_up(const char *username, const char *password)
    {
        harness.accept_certificate("127.0.0.1", emulator.tls_dir() + "/server.pem");
        account = harness.add_account("prpl-hipchat", username, password);
        // As a user who saved the password: libpurple forgets it on
        // disconnect otherwise, and asks again.
        purple_account_set_remember_password(account, TRUE);
        purple_account_set_string(account, "connect_server", "127.0.0.1");
        purple_account_set_int(account, "port", emulator.xmpp_port());
    }

    void connect() { harness.enable(account); }

    bool connected(int timeout_ms = 15000)
    {
        return harness.run_until([&] { return purple_account_is_connected(account); }, timeout_ms);
    }

    // The first connection error, or nullptr after `timeout_ms`.
    const Event *wait_for_error(int timeout_ms = 15000)
    {
        harness.run_until([&] { return harness.has(EventKind::disconnect_reason); }, timeout_ms);
        const auto errors = harness.find(EventKind::disconnect_reason);
        return errors.empty() ? nullptr : errors.front();
    }

    // Joins a room as the UI does (`typed`: its name or JID) and waits until
    // we are in `room_jid` under our full name (§1).
    PurpleConversation *join_room(const char *typed, const char *room_jid,
                                  const char *nick = sample::alice.name)
    {
        GHashTable *data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_replace(data, g_strdup("room"), g_strdup(typed));
        serv_join_chat(purple_account_get_connection(account), data);
        g_hash_table_destroy(data);
        PurpleConversation *conv = nullptr;
        const bool joined = harness.run_until(
            [&] {
                conv =
                    purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, room_jid, account);
                return conv != nullptr && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)) &&
                       purple_conv_chat_find_user(PURPLE_CONV_CHAT(conv), nick);
            },
            10000);
        ck_assert_msg(joined, "%s not joined:\n%s", typed, harness.recent_events().c_str());
        return conv;
    }

    // What the client sent, as the emulator's control interface reports it.
    std::string transcript() const { return control.get("/transcript"); }

    PurpleConnection *gc() { return purple_account_get_connection(account); }
    PurplePluginProtocolInfo *prpl()
    {
        return PURPLE_PLUGIN_PROTOCOL_INFO(harness.plugin("prpl-hipchat"));
    }

    // Runs a slash command as Pidgin or Finch would; its error in last_error.
    PurpleCmdStatus command(PurpleConversation *conv, const std::string &line)
    {
        char *error = nullptr;
        const PurpleCmdStatus status =
            purple_cmd_do_command(conv, line.c_str(), line.c_str(), &error);
        last_error = error != nullptr ? error : "";
        g_free(error);
        return status;
    }
    std::string last_error;

    // Whether a line containing `text` is written into the conversation
    // called `conv_name` within `timeout_ms`.
    bool wrote(const char *conv_name, const std::string &text, int timeout_ms = 5000)
    {
        return harness.run_until(
            [&] {
                return harness.has(EventKind::message, [&](const Event &e) {
                    return e.category == conv_name && e.text.find(text) != std::string::npos;
                });
            },
            timeout_ms);
    }

    std::unique_ptr<EmulatorProcess> own_emulator;  // none when shared
    EmulatorProcess &emulator;
    ControlClient control;
    Harness harness;
    PurpleAccount *account = nullptr;
};

// A new temporary file (named after `pattern`, "XXXXXX" in it) holding
// `contents`: an organisation for --org. The caller removes it.
inline std::string temporary_file(const char *pattern, const std::string &contents)
{
    char *path = nullptr;
    const int fd = g_file_open_tmp(pattern, &path, nullptr);
    ck_assert(fd >= 0);
    ck_assert(write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size()));
    close(fd);
    std::string out = path;
    g_free(path);
    return out;
}

}  // namespace hipchat::test
