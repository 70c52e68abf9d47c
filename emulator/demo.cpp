#include "demo.hpp"

#include "xmpp/messages.hpp"
#include "xmpp/presence.hpp"
#include "xmpp/room-occupants.hpp"

#include <algorithm>

namespace hipchat::emulator {

namespace {

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

}  // namespace

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

}  // namespace hipchat::emulator
