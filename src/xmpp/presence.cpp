#include "xmpp/presence.hpp"

#include <connection.h>
#include <prpl.h>
#include <signals.h>
#include <status.h>

#include <string>

#include "core/namespaces.hpp"
#include "core/people.hpp"
#include "core/text.hpp"
#include "util/c-guard.hpp"
#include "util/i18n.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/jabber-api.hpp"
#include "xmpp/router.hpp"
#include "xmpp/session.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

constexpr const char *mobile_status = "mobile";

std::string show_of(xmlnode *presence)
{
    xmlnode *show = xmlnode_get_child(presence, "show");
    if (show == nullptr)
        return {};
    char *data = xmlnode_get_data(show);
    std::string text = data != nullptr ? data : "";
    g_free(data);
    return text;
}

void set_show(xmlnode *presence, const char *value)
{
    if (xmlnode *old = xmlnode_get_child(presence, "show"))
        xmlnode_free(old);
    if (value != nullptr) {
        xmlnode *show = xmlnode_new_child(presence, "show");
        // The module finds presence children by name *and* namespace, and
        // parsed stanzas carry jabber:client on every element.
        xmlnode_set_namespace(show, xmlnode_get_namespace(presence));
        xmlnode_insert_data(show, value, -1);
    }
}

// The mobile marker is a `mobile` attribute or a <mobile> child ([UNKNOWN]
// which, §10.3): accept both.
bool has_mobile_marker(xmlnode *presence)
{
    return xmlnode_get_attrib(presence, "mobile") != nullptr ||
           xmlnode_get_child(presence, "mobile") != nullptr;
}

// Names come from the roster (§6.3) and photos from photo_url. Presences from
// XMPP clients (libpurple's among them) carry an avatar hash and sometimes a
// nickname: the module would then fetch a vCard per person (§6.5: mass
// vCard requests overload HipChat) and make its NICKNAME, the mention name,
// the person's name. On HipChat we drop both.
void drop_client_names(xmlnode *presence)
{
    for (xmlnode *child = presence->child; child != nullptr;) {
        xmlnode *next = child->next;
        if (child->type == XMLNODE_TYPE_TAG &&
            ((g_strcmp0(child->name, "x") == 0 &&
              g_strcmp0(xmlnode_get_namespace(child), ns::vcard_update) == 0) ||
             (g_strcmp0(child->name, "nick") == 0 &&
              g_strcmp0(xmlnode_get_namespace(child), ns::nick) == 0)))
            xmlnode_free(child);  // unlinks it from its parent
        child = next;
    }
}

Outcome presence_route(Session &session, Incoming &in)
{
    xmlnode *presence = in.node;
    if (on_hipchat(session))
        drop_client_names(presence);
    const char *type = xmlnode_get_attrib(presence, "type");
    const char *from = xmlnode_get_attrib(presence, "from");
    const auto availability = core::availability_from(
        type != nullptr ? type : "", show_of(presence), has_mobile_marker(presence));
    switch (availability) {
    case core::Availability::available:
        set_show(presence, nullptr);
        break;
    case core::Availability::idle:
        // Idle is available plus an idle time; HipChat sends the seconds in
        // jabber:iq:last (§10.2), which the module reads. Without it, idle
        // since now (one second: the module takes zero as "not idle").
        set_show(presence, nullptr);
        if (xmlnode_get_child_with_namespace(presence, "query", ns::last_activity) == nullptr) {
            xmlnode *query = xmlnode_new_child(presence, "query");
            xmlnode_set_namespace(query, ns::last_activity);
            xmlnode_set_attrib(query, "seconds", "1");
        }
        break;
    case core::Availability::away:
        set_show(presence, "away");
        break;
    case core::Availability::dnd:
    case core::Availability::offline:
        break;
    case core::Availability::mobile:
        break;
    }

    // The mobile status rides beside the module's: it is set or cleared after
    // the module has handled this presence (a main-loop turn later).
    // Our own other devices going offline (with their phone's marker) must
    // not make us look offline or mobile here (presence_processor.js).
    if (from == nullptr || std::string(from).find('@') == std::string::npos ||
        in.sender == Sender::own_account)
        return Outcome::pass;
    const bool mobile = availability == core::Availability::mobile;
    const bool online = availability != core::Availability::offline && !mobile;
    if (!mobile && !online)
        return Outcome::pass;
    session.defer(0, [who = core::bare_jid(from != nullptr ? from : ""), mobile](Session &s) {
        PurpleAccount *account = s.account();
        if (purple_find_buddy(account, who.c_str()) == nullptr)
            return;
        if (mobile)
            purple_prpl_got_user_status(account, who.c_str(), mobile_status, nullptr);
        else
            purple_prpl_got_user_status_deactive(account, who.c_str(), mobile_status);
    });
    return Outcome::pass;
}

// A status message has at most 1024 characters in HipChat's clients (the
// status form's limit, app_config.js 137 max_presence_text_length): a longer
// one is cut there, as the official client's form would have stopped it.
void cut_status(xmlnode *presence)
{
    constexpr glong max_status_chars = 1024;
    xmlnode *status = xmlnode_get_child(presence, "status");
    char *text = status != nullptr ? xmlnode_get_data(status) : nullptr;
    if (text != nullptr && g_utf8_validate(text, -1, nullptr) &&
        g_utf8_strlen(text, -1) > max_status_chars) {
        *g_utf8_offset_to_pointer(text, max_status_chars) = '\0';
        const char *ns_of_status = xmlnode_get_namespace(status);
        const std::string xmlns = ns_of_status != nullptr ? ns_of_status : "";
        xmlnode_free(status);
        xmlnode *cut = xmlnode_new_child(presence, "status");
        if (!xmlns.empty())
            xmlnode_set_namespace(cut, xmlns.c_str());
        xmlnode_insert_data(cut, text, -1);
    }
    g_free(text);
}

// Our own presences: the module sends none for Available, "away" for Away and
// adds jabber:iq:last when idle; HipChat wants chat / xa / away (§10.1).
void rewrite_own_presence(Session &, xmlnode *presence)
{
    cut_status(presence);
    if (xmlnode_get_attrib(presence, "type") != nullptr)
        return;
    const std::string show = show_of(presence);
    const bool idle =
        xmlnode_get_child_with_namespace(presence, "query", ns::last_activity) != nullptr;
    core::Availability state = core::Availability::available;
    if (show == "away" || show == "xa")
        state = core::Availability::away;
    else if (show == "dnd")
        state = core::Availability::dnd;
    else if (idle)
        state = core::Availability::idle;
    set_show(presence, std::string(core::show_for(state)).c_str());
}

}  // namespace

GList *status_types(PurpleAccount *account)
{
    // The module's own set, less what HipChat lacks: its presence code looks
    // up the "tune" and "mood" statuses by id and must find them. "Chatty"
    // and "Extended away" have no HipChat meaning: incoming chat and xa are
    // rewritten to available and away above.
    GList *types = jabber_status_types(account);
    for (GList *l = types; l != nullptr;) {
        GList *next = l->next;
        auto *type = static_cast<PurpleStatusType *>(l->data);
        const char *id = purple_status_type_get_id(type);
        if (g_strcmp0(id, "freeforchat") == 0 || g_strcmp0(id, "extended_away") == 0) {
            purple_status_type_destroy(type);
            types = g_list_delete_link(types, l);
        }
        l = next;
    }
    types =
        g_list_append(types, purple_status_type_new_full(PURPLE_STATUS_MOBILE, mobile_status,
                                                         // TRANSLATORS: a HipChat status: offline
                                                         // on the desktop, reachable on the phone.
                                                         _("Mobile"), FALSE, FALSE, TRUE));
    return types;
}

void register_presence_routes()
{
    add_route({"presence", nullptr, nullptr, Precedence::presence, Trust::anyone, "presence",
               presence_route});
    add_outgoing("presence", rewrite_own_presence);
}

}  // namespace hipchat::xmpp
