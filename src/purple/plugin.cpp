// The plugin entry point: PurplePluginInfo for prpl-hipchat and the one
// exported symbol, purple_init_plugin.
#include <glib.h>
#include <gmodule.h>
#include <plugin.h>
#include <signals.h>
#include <version.h>

#include "net/kept-sessions.hpp"
#include "purple/commands.hpp"
#include "purple/files.hpp"
#include "purple/protocol.hpp"
#include "purple/room-menu.hpp"
#include "util/c-guard.hpp"
#include "util/debug-redaction.hpp"
#include "util/i18n.hpp"
#include "xmpp/jabber-module.hpp"

namespace hipchat::purple {

namespace {

constexpr const char *plugin_id = "prpl-hipchat";

gboolean load(PurplePlugin *plugin)
{
    return util::guard(
        "load",
        [plugin] {
            // Never unmapped, even when libpurple closes the module (at quit,
            // or on unload): libsoup and glib-networking run our handlers on
            // their own threads (a TLS handshake's certificate check), and
            // one in flight then would run code that is gone.
            if (plugin->handle != nullptr)
                g_module_make_resident(static_cast<GModule *>(plugin->handle));
            util::install_debug_redaction();
            xmpp::attach_module(plugin);
            register_commands(plugin);
            install_file_offers();
            return TRUE;
        },
        FALSE);
}

gboolean unload(PurplePlugin *plugin)
{
    return util::guard(
        "unload",
        [plugin] {
            // Ours first, then the module's: it unregisters the jabber-*
            // signals that our handlers are connected to.
            purple_signals_disconnect_by_handle(plugin);
            unregister_commands();
            xmpp::detach_module(plugin);
            net::release_kept_sessions();
            util::remove_debug_redaction();
            return TRUE;
        },
        FALSE);
}

PurplePluginInfo plugin_info = {
    PURPLE_PLUGIN_MAGIC,
    PURPLE_MAJOR_VERSION,
    PURPLE_MINOR_VERSION,
    PURPLE_PLUGIN_PROTOCOL,
    nullptr,  // ui_requirement
    0,        // flags
    nullptr,  // dependencies: set in init
    PURPLE_PRIORITY_DEFAULT,
    const_cast<char *>(plugin_id),
    const_cast<char *>("HipChat"),
    const_cast<char *>(PACKAGE_VERSION),
    nullptr,  // summary: translated in init
    nullptr,  // description: translated in init
    nullptr,  // author
    nullptr,  // homepage
    load,
    unload,
    nullptr,          // destroy
    nullptr,          // ui_info
    nullptr,          // extra_info: the protocol info, set in init
    nullptr,          // prefs_info
    account_actions,  // Accounts > HipChat: Create a Room (room-menu.hpp)
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

void init(PurplePlugin *)
{
    // PURPLE_HIPCHAT_LOCALEDIR, when set, replaces the install prefix's
    // locale dir; tests/packaging points it at the build tree's po/ (laid out
    // as <lang>/LC_MESSAGES/purple-hipchat.mo). Users never need it.
    const char *localedir = g_getenv("PURPLE_HIPCHAT_LOCALEDIR");
    bindtextdomain(GETTEXT_PACKAGE,
                   localedir != nullptr && *localedir != '\0' ? localedir : LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");

    // The jabber module must be loaded before us: its signals and stanza
    // sender are set up by jabber_plugin_init. libpurple frees this list with
    // the plugin, so it is built on the heap here.
    plugin_info.dependencies = g_list_append(nullptr, const_cast<char *>("prpl-jabber"));
    plugin_info.summary = const_cast<char *>(_("HipChat Protocol Plugin"));
    plugin_info.description =
        const_cast<char *>(_("HipChat for Pidgin, Finch and bitlbee: rooms, mentions, history, "
                             "emoticons and files, on top of libpurple's XMPP module."));
    plugin_info.extra_info = init_protocol_info();
}

}  // namespace

}  // namespace hipchat::purple

extern "C" G_MODULE_EXPORT gboolean purple_init_plugin(PurplePlugin *plugin);

extern "C" G_MODULE_EXPORT gboolean purple_init_plugin(PurplePlugin *plugin)
{
    return hipchat::util::guard(
        "purple_init_plugin",
        [plugin] {
            plugin->info = &hipchat::purple::plugin_info;
            hipchat::purple::init(plugin);
            return purple_plugin_register(plugin);
        },
        FALSE);
}
