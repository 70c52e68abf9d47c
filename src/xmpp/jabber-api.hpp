// Our own declarations of the few functions we call in libpurple's jabber
// module (libjabber.so.0, exported but with no installed headers). Written
// from the module's documented behaviour for libpurple 2.10-2.14, where these
// signatures are unchanged; meson pins that range. JabberStream and JabberChat
// stay incomplete: we never look inside them.
//
// Only src/xmpp/ may include this file.
#pragma once

#include <blist.h>
#include <connection.h>
#include <conversation.h>
#include <notify.h>
#include <plugin.h>
#include <prpl.h>
#include <roomlist.h>
#include <status.h>
#include <xmlnode.h>

extern "C" {

struct JabberStream;
struct JabberChat;

// Module lifetime: reference counted, registers the jabber-* signals on the
// plugin passed in and connects the module's own stanza sender.
void jabber_plugin_init(PurplePlugin *plugin);
void jabber_plugin_uninit(PurplePlugin *plugin);

// Connection.
void jabber_login(PurpleAccount *account);
void jabber_close(PurpleConnection *gc);
void jabber_keepalive(PurpleConnection *gc);
int jabber_prpl_send_raw(PurpleConnection *gc, const char *buf, int len);

// Buddy list, presence and info.
const char *jabber_list_emblem(PurpleBuddy *buddy);
char *jabber_status_text(PurpleBuddy *buddy);
void jabber_tooltip_text(PurpleBuddy *buddy, PurpleNotifyUserInfo *user_info, gboolean full);
GList *jabber_status_types(PurpleAccount *account);
GList *jabber_blist_node_menu(PurpleBlistNode *node);
void jabber_set_status(PurpleAccount *account, PurpleStatus *status);
void jabber_idle_set(PurpleConnection *gc, int idle);
void jabber_buddy_get_info(PurpleConnection *gc, const char *who);
const char *jabber_normalize(const PurpleAccount *account, const char *in);
gboolean jabber_offline_message(const PurpleBuddy *buddy);

// One-to-one messages.
int jabber_message_send_im(PurpleConnection *gc, const char *who, const char *msg,
                           PurpleMessageFlags flags);
unsigned int jabber_send_typing(PurpleConnection *gc, const char *who, PurpleTypingState state);
void jabber_convo_closed(PurpleConnection *gc, const char *who);

// Group chat (MUC).
void jabber_chat_join(PurpleConnection *gc, GHashTable *data);
void jabber_chat_leave(PurpleConnection *gc, int id);
int jabber_message_send_chat(PurpleConnection *gc, int id, const char *message,
                             PurpleMessageFlags flags);
char *jabber_chat_buddy_real_name(PurpleConnection *gc, int id, const char *who);
void jabber_chat_set_topic(PurpleConnection *gc, int id, const char *topic);
// The module's chat for a room ("node", "domain"), for a conversation, or NULL.
JabberChat *jabber_chat_find(JabberStream *js, const char *room, const char *server);
JabberChat *jabber_chat_find_by_conv(PurpleConversation *conv);
// Forgets a chat (removes and frees it), as the module does after a failed join.
void jabber_chat_destroy(JabberChat *chat);
// Sends a groupchat <subject> (empty clears it).
void jabber_chat_change_topic(JabberChat *chat, const char *topic);
// Sends our unavailable presence to the room, with `msg` as status if not NULL.
void jabber_chat_part(JabberChat *chat, const char *msg);

}  // extern "C"

extern "C" {

// The module's stream states (unchanged since 2.7). jabber_stream_set_state
// also reports login progress, and INITIALIZING (re)opens the stream: it
// resets the module's XML parser and sends a new stream header, which is how
// we restart the stream after HipChat's auth when asked to (§5.5).
enum JabberStreamState {
    JABBER_STREAM_OFFLINE,
    JABBER_STREAM_CONNECTING,
    JABBER_STREAM_INITIALIZING,
    JABBER_STREAM_INITIALIZING_ENCRYPTION,
    JABBER_STREAM_AUTHENTICATING,
    JABBER_STREAM_POST_AUTH,
    JABBER_STREAM_CONNECTED,
};
void jabber_stream_set_state(JabberStream *js, JabberStreamState state);
gboolean jabber_stream_is_ssl(JabberStream *js);

// Sends text as is (our <auth>); prints it to the debug log first.
void jabber_send_raw(JabberStream *js, const char *data, int len);
// Makes the module process a stanza as if the server had sent it; may free
// *packet and set it to NULL.
void jabber_process_packet(JabberStream *js, xmlnode **packet);

}  // extern "C"

extern "C" {
// Sends a stanza (emits jabber-sending-xmlnode first); does not take it.
void jabber_send(JabberStream *js, xmlnode *packet);
}  // extern "C"

extern "C" {
// Sets our own buddy's presence to the account's status (as the module does
// when the roster names us); `status` NULL: the active one.
void jabber_presence_fake_to_self(JabberStream *js, PurpleStatus *status);
}  // extern "C"

namespace hipchat::xmpp {

class Session;

// The module's stream of a session's connection; nullptr once it is gone.
JabberStream *stream_of(Session &session);

}  // namespace hipchat::xmpp
