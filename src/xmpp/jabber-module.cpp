#include "xmpp/jabber-module.hpp"

#include <account.h>
#include <signals.h>

#include "xmpp/auth.hpp"
#include "xmpp/jabber-api.hpp"
#include "xmpp/emoticons.hpp"
#include "xmpp/history.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/keepalive.hpp"
#include "xmpp/messages.hpp"
#include "xmpp/people.hpp"
#include "xmpp/presence.hpp"
#include "xmpp/rooms.hpp"
#include "xmpp/session.hpp"
#include "util/c-guard.hpp"

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
        request_startup(*session);
        if (!session->hosts.chat_host.empty())  // HipChat's, not a plain XMPP server's
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
    connection_signals_connected = true;
}

}  // namespace

void attach_module(PurplePlugin *plugin)
{
    our_plugin = plugin;
    connection_signals_connected = false;
    jabber_plugin_init(plugin);
    connect_auth_signals(plugin);
    connect_presence_signals(plugin);
    connect_iq_signals(plugin);
    connect_people_signals(plugin);
    connect_room_signals(plugin);
    connect_history_signals(plugin);
    connect_message_signals(plugin);
    connect_emoticon_signals(plugin);
}

void detach_module(PurplePlugin *plugin)
{
    jabber_plugin_uninit(plugin);
    our_plugin = nullptr;
    connection_signals_connected = false;  // disconnected with the plugin's handle
}

namespace {

// jabber_close dereferences the stream unconditionally, but libpurple also
// calls close when login failed before the module created one (for example
// when we rejected the username).
void close_connection(PurpleConnection *gc)
{
    if (purple_connection_get_protocol_data(gc) != nullptr)
        jabber_close(gc);
    Session::destroy(gc);
}

}  // namespace

void fill_standard_operations(PurplePluginProtocolInfo &info)
{
    info.list_emblem = jabber_list_emblem;
    info.status_text = jabber_status_text;
    info.tooltip_text = tooltip_text;  // + @mention (people.hpp)
    info.status_types = status_types;  // HipChat's own meanings (presence.hpp)
    info.blist_node_menu = blist_node_menu;  // + "Load older messages" (history.hpp)
    info.chat_info = chat_info;                    // rooms.hpp: by name, slug or JID
    info.chat_info_defaults = chat_info_defaults;
    info.close = close_connection;
    info.send_im = jabber_message_send_im;
    info.send_typing = jabber_send_typing;
    info.get_info = get_info;  // HipChat profile (people.hpp)
    info.set_status = jabber_set_status;
    info.set_idle = jabber_idle_set;
    info.join_chat = join_chat;  // rooms.hpp: our full name as nick
    info.get_chat_name = get_chat_name;
    info.chat_invite = chat_invite;
    info.chat_leave = jabber_chat_leave;
    info.chat_send = jabber_message_send_chat;
    info.keepalive = jabber_keepalive;
    info.convo_closed = jabber_convo_closed;
    info.normalize = jabber_normalize;
    info.get_cb_real_name = jabber_chat_buddy_real_name;
    info.set_chat_topic = jabber_chat_set_topic;
    info.find_blist_chat = find_blist_chat;
    info.offline_message = jabber_offline_message;
    info.send_raw = jabber_prpl_send_raw;
}

void start_login(PurpleAccount *account, const LoginRequest &request)
{
    connect_connection_signals();
    PurpleConnection *gc = purple_account_get_connection(account);
    Session &session = Session::create(gc);
    session.stream_host = request.stream_host;
    session.resource = request.resource;
    session.room_settings = request.rooms;
    session.message_settings = request.messages;
    session.history_settings = request.history;
    if (!request.token.empty()) {
        session.method = AuthMethod::token;
        session.oauth_token = request.token;
    }
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
