// The headless test harness: the real libpurple core, run on the GLib main
// loop with a temporary user dir, loading the *built* plugin beside the
// system's prpl-jabber. Every UI operation libpurple performs is recorded as
// an Event, so tests assert on what a user would see.
//
// One Harness per process: Check runs each test in its own fork.
//
// Surprises: every test ends by asserting that nothing surprising happened
// (tdlib-purple's rule). A surprising event is one that interrupts or alarms
// a user:
//   - a connection error (disconnect_reason) or connection notice (notice),
//   - a notification (notify_message, notify_formatted, notify_userinfo, notify_uri),
//   - a request dialog (request_input, request_action, request_fields, request_file),
//   - a message written with PURPLE_MESSAGE_ERROR.
// Each one must be declared by the test with expect() or expect_within(),
// before or after it happens, so many times. The Harness checks this when it
// is destroyed, which is at the end of every test that has one, after
// libpurple has quit (so what closing the accounts shows counts too), and
// fails the running Check test with the list of surprises nobody expected
// (kind, account, who, text) and of the expectations nothing met. Finding an
// event (find(), has()) does not expect it: a test that asserts on an error
// also declares it. A product bug a test turns up is not hidden: the test
// expects it with a comment that starts "SURPRISE:". Everything else
// (messages, joins, room lists, smileys) is recorded for the tests to look
// at but never a surprise, nor are libpurple's debug lines (noise); GLib
// criticals and warnings are fatal on their own.
#pragma once

#include <account.h>
#include <conversation.h>
#include <plugin.h>
#include <request.h>

#include <functional>
#include <utility>
#include <string>
#include <vector>

namespace hipchat::test {

enum class EventKind {
    connected,
    disconnected,
    disconnect_reason,  // reason + text
    notice,
    conversation_created,
    message,           // write_conv: who, text, flags
    chat_users_added,  // who: each name added
    request_input,
    request_action,
    request_fields,
    request_file,  // text: the file name suggested
    notify_message,
    notify_userinfo,  // who, text: the info as plain "label: value" lines
    notify_formatted,
    notify_uri,  // text: the address a browser would open
    roomlist_created,
    roomlist_fields,    // text: the column labels, one per line
    roomlist_room,      // text: the room name
    roomlist_progress,  // number: 1 while fetching, 0 when done
    custom_smiley,      // category: add, write or close; text: the smiley; number: bytes written
    debug,              // category, text, level
};

const char *to_string(EventKind kind);

struct Event {
    Event(EventKind kind_, std::string account_ = {}, std::string who_ = {}, std::string text_ = {},
          std::string category_ = {}, int number_ = 0)
        : kind(kind_),
          account(std::move(account_)),
          who(std::move(who_)),
          text(std::move(text_)),
          category(std::move(category_)),
          number(number_)
    {
    }

    EventKind kind;
    std::string account;  // the account's username, when there is one
    std::string who;
    std::string text;
    std::string category;  // debug category, or the conversation name
    int number = 0;        // flags, reason or debug level
};

class Harness {
public:
    struct Options {
        // Probe the plugin from the build tree (else only the system's plugins).
        bool with_build_plugin = true;
        // libpurple's ui id: "gtk-gaim" (Pidgin), "gnt-purple" (Finch), "BitlBee".
        std::string ui_id = "hipchat-test";
        // Record libpurple's debug output as events (debug_log()). The
        // benchmarks turn it off, as Pidgin without its debug window: then
        // libpurple formats no debug line at all.
        bool record_debug = true;
        // Fail the running Check test on surprises at destruction (see
        // above). Only for programs that are not Check tests (the
        // benchmarks): they judge their own outcome.
        bool fail_on_surprises = true;
    };

    Harness();
    explicit Harness(Options options);
    ~Harness();
    Harness(const Harness &) = delete;
    Harness &operator=(const Harness &) = delete;

    // The one harness of this process (for the C callbacks).
    static Harness &current();

    const std::string &user_dir() const { return user_dir_; }
    // The directory the built plugin is probed from.
    static std::string build_plugin_dir();
    static std::string build_plugin_path();

    // Adds the build-tree plugin directory and probes it (for tests that
    // start with the system plugins only).
    void probe_build_plugin();

    PurplePlugin *plugin(const char *id) const;

    // Iterates the main loop until `done` holds; false after `timeout_ms`.
    bool run_until(const std::function<bool()> &done, int timeout_ms);
    // Iterates the main loop for `ms` milliseconds.
    void run_for(int ms);

    // A new account of `protocol_id`, added to libpurple's list, not enabled.
    PurpleAccount *add_account(const char *protocol_id, const char *username, const char *password);
    // Enables it for our ui id, which connects it.
    void enable(PurpleAccount *account);

    // The user looks at `conv` (nullptr: at none), as in Pidgin or Finch:
    // has_focus is true for it, and it is updated as seen.
    void focus(PurpleConversation *conv);

    // Answer libpurple's action requests (e.g. "configure the new room?")
    // with their default action, as a user clicking through would.
    void answer_actions_with_default(bool answer) { answer_actions_ = answer; }
    bool answers_actions() const { return answer_actions_; }
    // Answer them with the action whose caption contains `label` instead,
    // as a user clicking that button ("" again: the default, if answering).
    void answer_actions_with(std::string label) { action_label_ = std::move(label); }
    const std::string &action_label() const { return action_label_; }

    // Answer libpurple's input requests (e.g. prpl-jabber's "Enter a
    // Conference Server") with their default value, as a user pressing OK.
    void answer_inputs_with_default(bool answer) { answer_inputs_ = answer; }
    bool answers_inputs() const { return answer_inputs_; }
    // Answer an input request with `value` instead of its default.
    void answer_inputs_with(std::string value) { input_value_ = std::move(value); }
    const std::string *input_value() const
    {
        return input_value_.empty() ? nullptr : &input_value_;
    }

    // Answer field requests (e.g. Create a Room) as a user filling them in
    // with `fill` and pressing OK; an empty function: leave them open.
    using FillFields = std::function<void(PurpleRequestFields *)>;
    void answer_fields(FillFields fill) { fill_fields_ = std::move(fill); }
    const FillFields &fields_answer() const { return fill_fields_; }

    // Answers the file dialog asked last (request_file) as a user choosing
    // `path` would (nullptr: Cancel); false when none is open.
    bool answer_file_request(const char *path);

    bool records_debug() const { return options_.record_debug; }

    // Trusts `pem_file` as the certificate the user accepted for `host`
    // (libpurple's tls_peers cache), as after clicking "Accept" once.
    void accept_certificate(const std::string &host, const std::string &pem_file);

    // Declares that this test causes `times` surprising events (no more, no
    // fewer) of `kind` whose text contains `text`; for `message`, ones
    // written with PURPLE_MESSAGE_ERROR. Declarations are matched in the
    // order made, each taking the first surprising events it matches that no
    // earlier one took: let their texts tell the events apart.
    void expect(EventKind kind, std::string text, int times = 1);
    // expect(kind, text) for one more such event, then runs the main loop
    // until as many have happened as this test expects with (kind, text):
    // false after `timeout_ms`. For a test that provokes a surprise and waits
    // for it.
    bool expect_within(EventKind kind, const std::string &text, int timeout_ms);
    // True for the events that must be expected (see above).
    static bool is_surprising(const Event &event);
    // The surprises nobody expected and the expectations nothing met so far,
    // as a readable list; empty when there are none. ~Harness fails the test
    // unless it is empty.
    std::string surprises() const;

    const std::vector<Event> &events() const { return events_; }
    std::vector<const Event *> find(EventKind kind) const;
    bool has(EventKind kind, const std::function<bool(const Event &)> &match = {}) const;
    // All debug text as libpurple's UI sink received it.
    std::string debug_log() const;
    // The last N events, one per line, for failure messages.
    std::string recent_events(std::size_t n = 25) const;

    // What g_print() wrote while debugging was enabled (`pidgin -d`).
    const std::string &printed() const { return printed_; }

    void record(Event event);
    void record_printed(const char *text) { printed_ += text != nullptr ? text : ""; }

private:
    struct Expectation {
        EventKind kind;
        std::string text;
        int times;
    };

    Options options_;
    std::vector<Expectation> expectations_;
    std::string user_dir_;
    std::vector<Event> events_;
    std::string printed_;
    bool answer_actions_ = false;
    bool answer_inputs_ = false;
    std::string action_label_;
    std::string input_value_;
    FillFields fill_fields_;
};

// Frees a menu a prpl returned (blist_node_menu, actions), submenus too, as
// Pidgin does once it has drawn it; nullptr items are separators.
void free_menu(GList *menu);

}  // namespace hipchat::test
