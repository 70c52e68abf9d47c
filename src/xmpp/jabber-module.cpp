#include "xmpp/jabber-module.hpp"

#include <signals.h>

#include "util/c-guard.hpp"
#include "xmpp/auth.hpp"
#include "xmpp/calls.hpp"
#include "xmpp/conversations.hpp"
#include "xmpp/corrections.hpp"
#include "xmpp/emoticons.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/integrations.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/jabber-api.hpp"
#include "xmpp/keepalive.hpp"
#include "xmpp/people.hpp"
#include "xmpp/presence.hpp"
#include "xmpp/room-admin.hpp"
#include "xmpp/router.hpp"
#include "xmpp/session.hpp"
#include "xmpp/shown.hpp"
#include "xmpp/startup.hpp"
#include "xmpp/typing.hpp"
#include "xmpp/unread.hpp"

namespace hipchat::xmpp {

namespace {

PurplePlugin *our_plugin = nullptr;
bool connection_signals_connected = false;

void on_signed_on(PurpleConnection *gc, gpointer)
{
    util::guard("signed-on", [gc] {
        Session *session = Session::find(gc);
        if (session == nullptr)
            return;
        start_keepalive(*session);
        // The read state first: the auto-join list waits for it (§19.4).
        fetch_read_state(*session);
        start_after_sign_on(*session);
        if (on_hipchat(*session))  // HipChat's, not a plain XMPP server's
            request_emoticons(*session);
    });
}

// libpurple loads protocol plugins while probing, before it has created the
// connection and conversation signals, so these are connected at the first
// login instead.
void connect_connection_signals()
{
    if (connection_signals_connected || our_plugin == nullptr)
        return;
    purple_signal_connect(purple_connections_get_handle(), "signed-on", our_plugin,
                          PURPLE_CALLBACK(on_signed_on), nullptr);
    connect_history_conversation_signals(our_plugin);
    connect_shown_conversation_signals(our_plugin);
    connect_unread_conversation_signals(our_plugin);
    connect_room_admin_signals(our_plugin);
    connection_signals_connected = true;
}

// jabber_close dereferences the stream unconditionally, but libpurple also
// calls close when login failed before the module created one (for example
// when we rejected the username).
void close_connection(PurpleConnection *gc)
{
    util::guard("close", [gc] {
        if (purple_connection_get_protocol_data(gc) != nullptr)
            jabber_close(gc);
        Session::destroy(gc);
    });
}

}  // namespace

void attach_module(PurplePlugin *plugin)
{
    our_plugin = plugin;
    connection_signals_connected = false;
    jabber_plugin_init(plugin);
    // The front door's table (router.hpp): each feature's routes under their
    // precedence; docs/ARCHITECTURE.md lists them in order.
    register_auth_routes();
    register_iq_routes();
    register_people_routes();
    register_startup_routes();
    register_room_admin_routes();  // (refused invites before rooms.cpp's room errors)
    register_room_routes();
    register_emoticon_routes();
    register_integration_routes();
    register_history_routes();
    register_unread_routes();
    register_presence_routes();
    register_call_routes();
    register_message_routes();
    register_typing_routes();
    register_correction_hooks();
    connect_router(plugin);
    connect_auth_text_signal(plugin);
}

void detach_module(PurplePlugin *plugin)
{
    clear_routes();
    jabber_plugin_uninit(plugin);
    our_plugin = nullptr;
    connection_signals_connected = false;  // disconnected with the plugin's handle
}

const ModuleOperations &module_operations()
{
    static const ModuleOperations operations{
        jabber_list_emblem,
        jabber_status_text,
        close_connection,
        jabber_message_send_im,
        jabber_set_status,
        jabber_idle_set,
        jabber_chat_leave,
        jabber_keepalive,
        jabber_convo_closed,
        jabber_normalize,
        jabber_chat_buddy_real_name,
        jabber_chat_set_topic,
        jabber_offline_message,
        jabber_prpl_send_raw,
    };
    return operations;
}

void start_login(PurpleAccount *account, const LoginRequest &request)
{
    connect_connection_signals();
    PurpleConnection *gc = purple_account_get_connection(account);
    Session &session = Session::create(gc);
    prepare_login(session, request.resource, request.token, request.stream_host);
    configure_rooms(session, request.rooms);
    configure_messages(session, request.messages);
    configure_history(session, request.history);
    configure_read_state(session, request.read_state);
    set_irc_ui(session, request.irc_ui);
    if (const char *password = purple_connection_get_password(gc))
        session.keep_secret_out_of_logs(password);
    session.keep_secret_out_of_logs(request.token);

    // TLS is never optional on HipChat (protocol reference §4.1). These are
    // the module's own settings; we offer no option for them and reset them
    // on every login in case an old account or another UI set them.
    purple_account_set_string(account, "connection_security", "require_tls");
    purple_account_set_bool(account, "auth_plain_in_clear", FALSE);
    purple_account_set_string(account, "bosh_url", "");

    jabber_login(account);
}

}  // namespace hipchat::xmpp
