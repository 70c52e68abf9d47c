#include "util/debug-redaction.hpp"

#include <debug.h>
#include <glib.h>

#include <map>
#include <string>
#include <vector>

#include "core/redaction.hpp"

namespace hipchat::util {

namespace {

struct State {
    bool installed = false;
    PurpleDebugUiOps *ui_ops = nullptr;  // the UI's own, which we forward to
    GPrintFunc print_handler = nullptr;  // the previous g_print handler
    std::map<std::string, int> secrets;  // secret -> reference count
    std::vector<std::string> forms;      // every form of every secret
    // The module's reads as each sink sees them (the g_print sink only while
    // debugging is on, so each keeps its own).
    core::ChunkRedactor ui_reads, printed_reads;
};

State &state()
{
    static State s;
    return s;
}

void rebuild_forms()
{
    auto &s = state();
    s.forms.clear();
    for (const auto &[secret, count] : s.secrets) {
        for (auto &form : core::secret_forms(secret))
            s.forms.push_back(std::move(form));
    }
}

// A debug line without its secrets. The jabber module prints each read
// from the server as it comes ("Recv (ssl)(N): <data>"), so a secret the
// server sends can be split between two lines: those go through `reads`.
std::string redact_line(std::string_view line, core::ChunkRedactor &reads)
{
    const auto &forms = state().forms;
    const auto recv = line.find("Recv (");
    const auto data = recv == std::string_view::npos ? recv : line.find("): ", recv);
    if (data == std::string_view::npos ||
        (recv != 0 && line.substr(0, recv).find(": ") == std::string_view::npos))
        return core::redact(line, forms);
    std::string_view chunk = line.substr(data + 3);
    std::string_view end;
    if (!chunk.empty() && chunk.back() == '\n') {
        chunk.remove_suffix(1);
        end = "\n";
    }
    return core::redact(line.substr(0, data + 3), forms) + reads.redact(chunk, forms) +
           std::string(end);
}

void redacting_print(PurpleDebugLevel level, const char *category, const char *text)
{
    auto &s = state();
    if (s.ui_ops == nullptr || s.ui_ops->print == nullptr || text == nullptr)
        return;
    const std::string clean = g_strcmp0(category, "jabber") == 0 ? redact_line(text, s.ui_reads)
                                                                 : core::redact(text, s.forms);
    s.ui_ops->print(level, category, clean.c_str());
}

gboolean forward_is_enabled(PurpleDebugLevel level, const char *category)
{
    auto &s = state();
    if (s.ui_ops == nullptr || s.ui_ops->print == nullptr)
        return FALSE;  // no UI sink: don't make libpurple format lines for nobody
    if (s.ui_ops->is_enabled == nullptr)
        return TRUE;
    return s.ui_ops->is_enabled(level, category);
}

PurpleDebugUiOps redacting_ops = {redacting_print, forward_is_enabled, nullptr, nullptr, nullptr,
                                  nullptr};

void redacting_g_print(const gchar *text)
{
    auto &s = state();
    const std::string clean = redact_line(text != nullptr ? text : "", s.printed_reads);
    if (s.print_handler != nullptr) {
        s.print_handler(clean.c_str());
    } else {
        fputs(clean.c_str(), stdout);
        fflush(stdout);
    }
}

}  // namespace

void install_debug_redaction()
{
    auto &s = state();
    if (s.installed)
        return;
    s.installed = true;
    s.ui_ops = purple_debug_get_ui_ops();
    purple_debug_set_ui_ops(&redacting_ops);
    s.print_handler = g_set_print_handler(redacting_g_print);
}

void remove_debug_redaction()
{
    auto &s = state();
    if (!s.installed)
        return;
    s.installed = false;
    // Only restore what is still ours: if the UI replaced either sink since,
    // leave its choice alone.
    if (purple_debug_get_ui_ops() == &redacting_ops)
        purple_debug_set_ui_ops(s.ui_ops);
    const GPrintFunc current = g_set_print_handler(s.print_handler);
    if (current != redacting_g_print)
        g_set_print_handler(current);
    s.ui_ops = nullptr;
    s.print_handler = nullptr;
}

void add_secret(const std::string &secret)
{
    if (secret.empty())
        return;
    if (state().secrets[secret]++ == 0)
        rebuild_forms();
}

void remove_secret(const std::string &secret)
{
    auto &secrets = state().secrets;
    const auto it = secrets.find(secret);
    if (it == secrets.end())
        return;
    if (--it->second == 0) {
        secrets.erase(it);
        rebuild_forms();
    }
}

namespace detail {

namespace {
struct Muted {
    gboolean enabled;
    PurpleDebugUiOps *ops;
};
std::vector<Muted> mute_stack;
}  // namespace

DebugMute::DebugMute()
{
    mute_stack.push_back({purple_debug_is_enabled(), purple_debug_get_ui_ops()});
    purple_debug_set_enabled(FALSE);
    purple_debug_set_ui_ops(nullptr);
}

DebugMute::~DebugMute()
{
    const Muted saved = mute_stack.back();
    mute_stack.pop_back();
    purple_debug_set_ui_ops(saved.ops);
    purple_debug_set_enabled(saved.enabled);
}

}  // namespace detail

}  // namespace hipchat::util
