#include "xmpp/emoticons.hpp"

#include <debug.h>
#include <signals.h>
#include <util.h>

#include <glib/gstdio.h>

#include <set>

#include "core/emoticons.hpp"
#include "core/namespaces.hpp"
#include "util/c-guard.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/router.hpp"
#include "xmpp/stanza.hpp"

namespace hipchat::xmpp {

namespace {

// Emoticons are small (HipChat's are at most about 60 px); anything bigger
// is not one.
constexpr std::size_t max_image_bytes = 256 * 1024;
constexpr int max_image_side = 256;

EmoticonsState &emoticons(Session &session)
{
    return session.state<EmoticonsState>();
}

std::string sha1_hex(const std::string &text)
{
    char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA1, text.c_str(), -1);
    std::string out = sum;
    g_free(sum);
    return out;
}

// <user dir>/hipchat/<account>/: one folder per account, so two teams never
// share a list (the account's name is hashed: it is an e-mail address).
// Made once per session: messages with emoticons ask for it every time.
const std::string &cache_dir(Session &session)
{
    std::string &dir = emoticons(session).dir;
    if (dir.empty()) {
        const std::string account = purple_account_get_username(session.account());
        dir = std::string(purple_user_dir()) + "/hipchat/" + sha1_hex(account).substr(0, 16);
        g_mkdir_with_parents((dir + "/emoticons").c_str(), 0700);
    }
    return dir;
}

std::string list_file(Session &session)
{
    return cache_dir(session) + "/emoticons.txt";
}

std::string image_file(Session &session, const core::Emoticon &e)
{
    return cache_dir(session) + "/emoticons/" + sha1_hex(e.url).substr(0, 20);
}

void save_list(Session &session)
{
    const std::string text = core::serialise_emoticons(emoticons(session).list);
    GError *error = nullptr;
    if (!g_file_set_contents(list_file(session).c_str(), text.data(),
                             static_cast<gssize>(text.size()), &error)) {
        purple_debug_warning("hipchat", "Emoticons not saved: %s\n", error->message);
        g_error_free(error);
    }
    // Images of emoticons no longer in the list go: the cache stays as big
    // as the team's list.
    std::set<std::string> wanted;
    for (const auto &e : emoticons(session).list.items)
        wanted.insert(sha1_hex(e.url).substr(0, 20));
    const std::string images = cache_dir(session) + "/emoticons";
    if (GDir *dir = g_dir_open(images.c_str(), 0, nullptr)) {
        while (const char *name = g_dir_read_name(dir)) {
            if (wanted.count(name) == 0)
                g_unlink((images + "/" + name).c_str());
        }
        g_dir_close(dir);
    }
}

void load_list(Session &session)
{
    gchar *text = nullptr;
    gsize size = 0;
    if (!g_file_get_contents(list_file(session).c_str(), &text, &size, nullptr))
        return;
    if (auto list = core::deserialise_emoticons(std::string_view(text, size)))
        emoticons(session).list = std::move(*list);
    else
        purple_debug_warning("hipchat", "The saved emoticons were unreadable; asking anew\n");
    g_free(text);
}

std::optional<std::string> cached_image(Session &session, const core::Emoticon &e)
{
    gchar *data = nullptr;
    gsize size = 0;
    if (!g_file_get_contents(image_file(session, e).c_str(), &data, &size, nullptr))
        return std::nullopt;
    std::string out(data, size);
    g_free(data);
    return out;
}

void give_image(PurpleConversation *conv, const std::string &smile, const std::string *image)
{
    if (image != nullptr)
        purple_conv_custom_smiley_write(
            conv, smile.c_str(), reinterpret_cast<const guchar *>(image->data()), image->size());
    purple_conv_custom_smiley_close(conv, smile.c_str());
}

// The image of `e`, downloaded once however many conversations wait for it.
void fetch_image(Session &session, const core::Emoticon &e)
{
    net::HttpClient *http = session.http();
    if (http == nullptr) {
        emoticons(session).fetches.erase(e.shortcut);
        return;
    }
    http->get(e.url, "", max_image_bytes, [id = session.id(), e](net::HttpResponse response) {
        Session *s = Session::find(id);
        if (s == nullptr)
            return;
        auto &fetches = emoticons(*s).fetches;
        auto waiting = std::move(fetches[e.shortcut]);
        fetches.erase(e.shortcut);
        std::optional<std::string> image;
        const auto info = core::sniff_image(response.body);
        if (response.status == 200 && response.error.empty() &&
            g_str_has_prefix(response.content_type.c_str(), "image/") && info &&
            info->width <= max_image_side && info->height <= max_image_side) {
            image = std::move(response.body);
            if (!g_file_set_contents(image_file(*s, e).c_str(), image->data(),
                                     static_cast<gssize>(image->size()), nullptr))
                purple_debug_warning("hipchat", "Emoticon (%s) not cached\n", e.shortcut.c_str());
        } else {
            purple_debug_warning("hipchat", "Emoticon (%s) refused: HTTP %u %s, %zu bytes %s\n",
                                 e.shortcut.c_str(), response.status, response.content_type.c_str(),
                                 response.body.size(), response.error.c_str());
        }
        for (const auto &w : waiting) {
            if (PurpleConversation *conv = s->find_conversation(w.type, w.conversation))
                give_image(conv, w.smile, image ? &*image : nullptr);
        }
    });
}

// §12.1: the server pushes changes as an IQ set.
Outcome emoticon_push_route(Session &session, Incoming &in)
{
    EmoticonsState &state = emoticons(session);
    core::apply_emoticon_push(state.list, core::parse_emoticons(to_element(in.payload)));
    save_list(session);
    reply_result(session, in.node);
    return Outcome::taken;
}

}  // namespace

void request_emoticons(Session &session)
{
    load_list(session);
    xmlnode *query = xmlnode_new("query");
    xmlnode_set_namespace(query, ns::emoticons);
    if (!emoticons(session).list.ver.empty())
        xmlnode_set_attrib(query, "ver", emoticons(session).list.ver.c_str());
    send_iq(session, "get", "", query, [](Session &s, const IqReply &reply) {
        if (!reply.ok) {
            purple_debug_warning("hipchat", "No emoticons from the server (%s)\n",
                                 reply.error.c_str());
            return;
        }
        // An empty result: what we saved is current (§12.1).
        if (const core::Element *query = reply.payload()) {
            emoticons(s).list = core::parse_emoticons(*query);
            save_list(s);
        }
    });
}

void prepare_emoticons(Session &session, PurpleConversation *conv, const std::string &text)
{
    EmoticonsState &state = emoticons(session);
    if (conv == nullptr || state.list.items.empty() || text.find('(') == std::string::npos)
        return;
    for (const auto &e : core::emoticons_in(text, state.list)) {
        const std::string smile = "(" + e.shortcut + ")";
        // FALSE: the UI has no custom smileys (Finch, bitlbee) or has this
        // image already.
        if (!purple_conv_custom_smiley_add(conv, smile.c_str(), "sha1", sha1_hex(e.url).c_str(),
                                           TRUE))
            continue;
        if (const auto image = cached_image(session, e)) {
            give_image(conv, smile, &*image);
            continue;
        }
        auto &waiting = state.fetches[e.shortcut];
        const bool first = waiting.empty();
        waiting.push_back(
            {purple_conversation_get_type(conv), purple_conversation_get_name(conv), smile});
        if (first)
            fetch_image(session, e);
    }
}

void register_emoticon_routes()
{
    add_route({"iq", ns::emoticons, "set", Precedence::pushes, Trust::server, "emoticon push",
               emoticon_push_route});
}

}  // namespace hipchat::xmpp
