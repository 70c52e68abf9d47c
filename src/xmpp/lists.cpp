#include "xmpp/lists.hpp"

#include <util.h>

#include <ctime>
#include <map>

#include "core/html.hpp"
#include "core/message.hpp"
#include "core/namespaces.hpp"
#include "core/text.hpp"
#include "util/i18n.hpp"
#include "xmpp/conversations.hpp"
#include "xmpp/identity.hpp"
#include "xmpp/iq.hpp"
#include "xmpp/people.hpp"

namespace hipchat::xmpp {

namespace {

// The official client asks for 100 at a time (app_config.js
// fetching_files_limit, fetching_links_limit).
constexpr const char *limit = "100";

// Session::state<ListsState>().
struct ListsState {
    std::map<std::string, std::vector<core::SharedFile>> files;  // by conversation
};

// The conversation a reply is for, if it is still open.
struct Asker {
    PurpleConversationType type;
    std::string name;

    PurpleConversation *find(Session &session) const
    {
        return type == PURPLE_CONV_TYPE_CHAT ? joined_room(session, name)
                                             : session.find_conversation(type, name);
    }
};

// "Alice Example, 2026-11-20 14:02": who shared it and when, as far as
// known.
std::string who_and_when(Session &session, std::uint64_t user_id, std::int64_t date)
{
    std::string out;
    const std::string &chat_host = service_hosts(session).chat_host;
    if (user_id != 0 && !chat_host.empty())
        out = full_name_of(session, std::to_string(team_id(session)) + "_" +
                                        std::to_string(user_id) + "@" + chat_host);
    if (date > 0) {
        const time_t t = static_cast<time_t>(date);
        const char *when = purple_utf8_strftime("%Y-%m-%d %H:%M", localtime(&t));
        out += (out.empty() ? "" : ", ") + std::string(when);
    }
    return out;
}

std::string file_line(Session &session, const core::ListedFile &listed)
{
    const core::SharedFile &file = listed.file;
    std::string line = file.name.empty() ? std::string(_("file")) : file.name;
    if (file.size > 0)
        line += " (" + core::human_size(file.size) + ")";
    const std::string_view description = core::trim(file.description);
    if (!description.empty())
        line += " — " + std::string(description);
    const std::string by = who_and_when(session, listed.user_id, listed.date);
    if (!by.empty())
        line += " — " + by;
    const std::string url = download_url(session, file);
    if (!url.empty())
        line += " — " + url;
    return line;
}

// The conversation that asked and HipChat's answer, if that conversation
// is still open; no query when HipChat refused (its reason is written
// there). `what` is "files" or "links" in the user's words.
struct Answer {
    PurpleConversation *conv = nullptr;
    const core::Element *query = nullptr;
};

Answer answer_in(Session &session, const Asker &asker, const IqReply &reply, const char *what)
{
    Answer answer{asker.find(session), reply.ok ? reply.payload() : nullptr};
    if (answer.conv != nullptr && answer.query == nullptr)
        // TRANSLATORS: first %s is "files" or "links" in the user's words, the
        // second HipChat's reason.
        write_system_line(answer.conv,
                          core::fill_placeholders(
                              _("Could not list the %s shared here: %s"),
                              {what, !reply.error_text.empty() ? reply.error_text : reply.error}),
                          PURPLE_MESSAGE_ERROR);
    return answer;
}

void show_files(Session &session, const Asker &asker, const IqReply &reply)
{
    // TRANSLATORS: fills "Could not list the %s shared here".
    const Answer answer = answer_in(session, asker, reply, _("files"));
    if (answer.query == nullptr)
        return;
    const auto files = core::parse_listed_files(*answer.query);
    auto &kept = session.state<ListsState>().files[asker.name];
    kept.clear();
    if (files.empty()) {
        write_system_line(answer.conv, _("No files have been shared here."));
        return;
    }
    write_system_line(answer.conv, _("Files shared here, newest first:"));
    for (const auto &listed : files) {
        write_system_line(answer.conv, file_line(session, listed));
        kept.push_back(listed.file);
    }
    write_system_line(answer.conv, _("Save one with /download <name>."));
}

void show_links(Session &session, const Asker &asker, const IqReply &reply)
{
    // TRANSLATORS: fills "Could not list the %s shared here".
    const Answer answer = answer_in(session, asker, reply, _("links"));
    if (answer.query == nullptr)
        return;
    const auto links = core::parse_listed_links(*answer.query);
    if (links.empty()) {
        write_system_line(answer.conv, _("No links have been shared here."));
        return;
    }
    write_system_line(answer.conv, _("Links shared here, newest first:"));
    for (const auto &link : links) {
        const std::string by = who_and_when(session, link.user_id, link.date);
        write_system_line(answer.conv, link.url + (by.empty() ? "" : " — " + by));
    }
}

using Show = void (*)(Session &, const Asker &, const IqReply &);

std::string ask(PurpleConversation *conv, const char *xmlns, Show show)
{
    Session *session = Session::of(conv);
    if (session == nullptr)
        return _("Not connected.");
    if (!on_hipchat(*session))
        return _("Only HipChat keeps a chat's files and links.");
    const std::string chat = core::ascii_lower(core::bare_jid(purple_conversation_get_name(conv)));
    xmlnode *query = xmlnode_new("query");
    xmlnode_set_namespace(query, xmlns);
    xmlnode_set_attrib(query, "limit", limit);
    if (std::string_view(xmlns) == ns::files)  // authenticated files, please (§8.8)
        xmlnode_insert_data(xmlnode_new_child(query, "auth_scheme"), "bearer", -1);
    const Asker asker{purple_conversation_get_type(conv), chat};
    send_iq(*session, "get", chat, query,
            [asker, show](Session &s, const IqReply &reply) { show(s, asker, reply); });
    return {};
}

}  // namespace

std::string list_files(PurpleConversation *conv)
{
    return ask(conv, ns::files, show_files);
}

std::string list_links(PurpleConversation *conv)
{
    return ask(conv, ns::links, show_links);
}

const std::vector<core::SharedFile> *listed_files(Session &session, const std::string &conversation)
{
    const auto &files = session.state<ListsState>().files;
    const auto it = files.find(conversation);
    return it != files.end() ? &it->second : nullptr;
}

std::string download_url(Session &session, const core::SharedFile &file)
{
    if (file.authenticated && !file.id.empty()) {
        char *id = g_uri_escape_string(file.id.c_str(), nullptr, FALSE);
        std::string url = "https://" + service_hosts(session).api_host + "/v2/file/" + id;
        g_free(id);
        return url;
    }
    return core::is_safe_url(file.url, false) ? std::string(core::trim(file.url)) : "";
}

}  // namespace hipchat::xmpp
