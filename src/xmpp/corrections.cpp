#include "xmpp/corrections.hpp"

#include <util.h>

#include <algorithm>
#include <deque>
#include <map>

#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "util/i18n.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/router.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

// app_config.js edit_message_threshold: 24 hours.
constexpr double edit_window_seconds = 24 * 60 * 60;
constexpr std::size_t sent_ids_kept = 64;

// Our last message in a conversation, as it reads now.
struct OwnMessage {
    std::string id;       // our stanza id, when this session sent it
    std::string mid;      // HipChat's id for it, once it came back (§8.2)
    std::string ts_text;  // HipChat's `ts` for it, which <replace ts> repeats
    double sent = 0;      // when it was said (Unix time)
    std::string text;     // its text (a file's description), corrections applied
    bool deleted = false;
};

// Session::state<CorrectionsState>().
struct CorrectionsState {
    std::map<std::string, OwnMessage> last;  // by conversation
    std::deque<std::string> sent;            // the ids of what this session said
    unsigned long long next_id = 1;
};

CorrectionsState &corrections(Session &session)
{
    return session.state<CorrectionsState>();
}

double now()
{
    return static_cast<double>(g_get_real_time()) / G_USEC_PER_SEC;
}

std::string conversation_of(PurpleConversation *conv)
{
    return core::ascii_lower(core::bare_jid(purple_conversation_get_name(conv)));
}

// What the module sends as the body for the UI's HTML (jabber_message_send_*).
std::string plain_text(const char *html)
{
    char *plain = nullptr;
    purple_markup_html_to_xhtml(html != nullptr ? html : "", nullptr, &plain);
    std::string text = plain != nullptr ? plain : "";
    g_free(plain);
    return text;
}

void remember_sent(CorrectionsState &c, const std::string &id)
{
    c.sent.push_back(id);
    if (c.sent.size() > sent_ids_kept)
        c.sent.pop_front();
}

bool sent_here(const CorrectionsState &c, const std::string &id)
{
    return !id.empty() && std::find(c.sent.begin(), c.sent.end(), id) != c.sent.end();
}

// A person's message or a file, what the official client lets its user
// edit (chat_window_store.js getLastSentMessageByCurrentUser); not a
// notification, an information line or a room's state.
bool editable(const core::Message &m)
{
    if (m.notification || m.room_state || (m.presentation && !m.presentation->type.empty()))
        return false;
    return m.file.has_value() || !core::trim(m.body).empty();
}

// `m`, ours, changes what our last message in that conversation is.
void apply(std::map<std::string, OwnMessage> &last, const std::string &key, const core::Message &m)
{
    const auto it = last.find(key);
    if (m.correction) {
        if (it != last.end() && it->second.mid == m.correction->original_mid) {
            it->second.deleted = m.correction->deleted;
            it->second.text = m.body;
        }
        return;
    }
    if (m.substitution) {
        if (it != last.end() && !it->second.deleted)
            if (auto corrected = core::apply_substitution(*m.substitution, it->second.text))
                it->second.text = std::move(*corrected);
        return;
    }
    if (!editable(m))
        return;
    OwnMessage own;
    own.mid = m.mid;
    own.ts_text = m.ts_text;
    own.sent = m.ts ? *m.ts : m.delay_stamp ? static_cast<double>(*m.delay_stamp) : now();
    own.text = m.file ? m.file->description : m.body;
    last[key] = std::move(own);
}

// Why our last message in `conv` cannot be edited or deleted, or "".
std::string refusal(const OwnMessage *own, bool deleting)
{
    if (own == nullptr)
        return deleting ? _("There is no message of yours here to delete.")
                        : _("There is no message of yours here to edit.");
    if (own->deleted)
        return _("Your last message here was deleted.");
    if (own->mid.empty())
        return _("HipChat has not confirmed your last message yet; try again in a moment.");
    if (now() - own->sent > edit_window_seconds)
        return _(
            "Your last message here is more than 24 hours old: HipChat lets you edit or "
            "delete messages for 24 hours only.");
    return {};
}

// §8.7 as the official client sends it: the new text (empty: deleted),
// <replace> naming the original by its mid and ts, and <echo/> for our
// other sessions.
std::string send_correction(PurpleConversation *conv, const std::string &text)
{
    Session *session = Session::of(conv);
    if (session == nullptr)
        return _("Not connected.");
    if (!on_hipchat(*session))
        return _("Editing and deleting messages is HipChat's; this server does not offer it.");
    CorrectionsState &c = corrections(*session);
    const std::string key = conversation_of(conv);
    const auto it = c.last.find(key);
    OwnMessage *own = it != c.last.end() ? &it->second : nullptr;
    const std::string why = refusal(own, text.empty());
    if (!why.empty())
        return why;
    if (!text.empty() && text == own->text)
        return _("Your last message says that already.");
    const std::string id = "hipchat-edit-" + std::to_string(c.next_id++);
    const bool room = purple_conversation_get_type(conv) == PURPLE_CONV_TYPE_CHAT;
    XmlnodePtr message(xmlnode_new("message"));
    xmlnode_set_attrib(message.get(), "to", key.c_str());
    xmlnode_set_attrib(message.get(), "type", room ? "groupchat" : "chat");
    xmlnode_set_attrib(message.get(), "id", id.c_str());
    xmlnode_insert_data(xmlnode_new_child(message.get(), "body"), text.c_str(), -1);
    xmlnode *replace = xmlnode_new_child(message.get(), "replace");
    xmlnode_set_namespace(replace, ns::correction);
    xmlnode_set_attrib(replace, "id", own->mid.c_str());
    if (!own->ts_text.empty())
        xmlnode_set_attrib(replace, "ts", own->ts_text.c_str());
    xmlnode *x = xmlnode_new_child(message.get(), "x");
    xmlnode_set_namespace(x, ns::hipchat);
    xmlnode_new_child(x, "echo");
    remember_sent(c, id);
    own->deleted = text.empty();
    own->text = text;
    send_stanza(*session, message.get());
    return {};
}

// What we say, known at once: a new message (its mid comes with the
// server's reflection), or a correction of the last one. Video call
// invites (calls.cpp) are no messages one edits.
void note_own_send(Session &session, xmlnode *message)
{
    const char *type = xmlnode_get_attrib(message, "type");
    const char *to = xmlnode_get_attrib(message, "to");
    const char *id = xmlnode_get_attrib(message, "id");
    xmlnode *body = xmlnode_get_child(message, "body");
    if ((g_strcmp0(type, "chat") != 0 && g_strcmp0(type, "groupchat") != 0) || to == nullptr ||
        id == nullptr || body == nullptr || !on_hipchat(session))
        return;
    if (xmlnode_get_child_with_namespace(message, "replace", ns::correction) != nullptr ||
        xmlnode_get_child_with_namespace(message, "x", ns::enso) != nullptr ||
        xmlnode_get_child_with_namespace(message, "x", ns::addlive) != nullptr)
        return;
    char *data = xmlnode_get_data(body);
    core::Message m;
    m.body = data != nullptr ? data : "";
    g_free(data);
    m.substitution = core::parse_substitution(m.body);
    CorrectionsState &c = corrections(session);
    remember_sent(c, id);
    const std::string key = core::ascii_lower(core::bare_jid(to));
    apply(c.last, key, m);
    if (!m.substitution && editable(m))
        c.last[key].id = id;
}

}  // namespace

void note_own_message(Session &session, const std::string &conversation, const core::Message &m)
{
    CorrectionsState &c = corrections(session);
    if (!sent_here(c, m.id)) {
        apply(c.last, conversation, m);  // from another device, or the join backlog
        return;
    }
    // Said here, so known already: HipChat's reflection names it.
    const auto it = c.last.find(conversation);
    if (it != c.last.end() && it->second.id == m.id && it->second.mid.empty()) {
        it->second.mid = m.mid;
        it->second.ts_text = m.ts_text;
    }
}

std::string edit_last_message(PurpleConversation *conv, const std::string &text)
{
    if (core::trim(text).empty())
        return _("Say the new text: /edit <text>");
    return send_correction(conv, text);
}

std::string delete_last_message(PurpleConversation *conv)
{
    return send_correction(conv, "");
}

std::optional<std::string> check_substitution(PurpleConversation *conv, const char *html)
{
    Session *session = Session::of(conv);
    if (session == nullptr || !on_hipchat(*session))
        return std::nullopt;
    const auto substitution = core::parse_substitution(plain_text(html));
    if (!substitution)
        return std::nullopt;
    const auto &last = corrections(*session).last;
    const auto it = last.find(conversation_of(conv));
    if (it == last.end())
        return std::string(_("There is no message of yours here to correct."));
    if (it->second.deleted)
        return std::string(_("Your last message here was deleted."));
    if (!core::apply_substitution(*substitution, it->second.text))
        // TRANSLATORS: %s is the text the user wanted to replace (s/old/new/).
        return core::fill_placeholders(_("“%s” is not in your last message here."),
                                       {substitution->old_text});
    return std::string();
}

void register_correction_hooks()
{
    add_outgoing("message", note_own_send);
}

}  // namespace hipchat::xmpp
