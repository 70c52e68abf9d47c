#include "core/message.hpp"

#include "core/json.hpp"
#include "core/text.hpp"

#include <glib.h>
#include <glib/gi18n-lib.h>

#include <cmath>

#include "core/html.hpp"
#include "core/namespaces.hpp"
#include "core/shared.hpp"
#include "core/timestamp.hpp"

namespace hipchat::core {

namespace {

bool iequals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (g_ascii_tolower(a[i]) != g_ascii_tolower(b[i]))
            return false;
    }
    return true;
}

std::string_view bare(std::string_view jid)
{
    return jid.substr(0, jid.find('/'));
}

// ---- The card's JSON (§8.4) ----------------------------------------------

// Three top-level members of a card; "description" is a string or an object
// with "value" (and "format"). Members of other types are ignored; a card
// that is not a JSON object stays empty.
void read_card(std::string_view text, Notification &n)
{
    const auto card = parse_json(text, 64);
    if (!card || card->object() == nullptr)
        return;
    n.card_title = card->text("title");
    n.card_url = card->text("url");
    if (const JsonValue *description = card->member("description")) {
        if (const std::string *plain = description->string()) {
            n.card_description = *plain;
        } else {
            n.card_description = description->text("value");
            n.card_description_format = description->text("format");
        }
    }
}

// ---- XHTML-IM ----------------------------------------------------------------

constexpr int max_xhtml_depth = 128;

void serialise(const Element &e, std::string &out, bool &faithful, int depth);

void serialise_content(const Element &e, std::string &out, bool &faithful, int depth)
{
    if (!e.text.empty() && !e.children.empty())
        faithful = false;  // mixed content: the order is not known (see message.hpp)
    out += html_escape(e.text);
    if (depth >= max_xhtml_depth) {
        if (!e.children.empty())
            faithful = false;
        return;
    }
    for (const auto &child : e.children)
        serialise(child, out, faithful, depth + 1);
}

void serialise(const Element &e, std::string &out, bool &faithful, int depth)
{
    out += '<' + e.name;
    for (const auto &[key, value] : e.attributes)
        out += ' ' + key + "=\"" + html_escape(value) + '"';
    out += '>';
    serialise_content(e, out, faithful, depth);
    out += "</" + e.name + '>';
}

// ---- Rendering ---------------------------------------------------------------

bool is_white(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The text after a body's slash command (`/code x`), or nullopt when the
// body does not start with it. White space separates them (the official
// client's `^/code\s`), or, where `space_optional`, may (`^/pre\s*`); one
// white space character (or "\r\n") is the separator, the rest is text.
std::optional<std::string_view> after_command(std::string_view body, std::string_view command,
                                              bool space_optional = false)
{
    if (body.substr(0, command.size()) != command)
        return std::nullopt;
    std::string_view rest = body.substr(command.size());
    if (rest.substr(0, 2) == "\r\n")
        return rest.substr(2);
    if (!rest.empty() && is_white(rest.front()))
        return rest.substr(1);
    if (space_optional)
        return rest;
    return std::nullopt;  // "/codex" is not "/code"
}

// A plain (or text-format) body, with the slash conventions of §8.7;
// actions only in people's messages (the official client's
// formatMessageBody applies its emote_regex to type 'message' only).
void render_body(std::string_view body, Rendered &r, bool allow_action)
{
    r.mention_text = std::string(body);
    for (std::string_view command : {"/me", "/em"}) {
        const auto rest = allow_action ? after_command(body, command) : std::nullopt;
        if (rest) {
            r.action = true;
            r.html = text_to_html(*rest);
            return;
        }
    }
    const auto code = after_command(body, "/code");
    const auto pre = code ? code : after_command(body, "/pre", true);
    const auto monospace = pre ? pre : after_command(body, "/monospace", true);
    if (monospace) {
        r.formatted = true;
        r.emoticons = false;
        r.html = "<pre>" + text_to_html(*monospace) + "</pre>";
        return;
    }
    if (const auto rest = after_command(body, "/quote")) {
        r.formatted = true;
        r.emoticons = false;
        std::string html;
        std::string_view text = *rest;
        while (true) {
            const std::size_t newline = text.find('\n');
            std::string_view line = text.substr(0, newline);
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            if (!html.empty())
                html += "<br>";
            html += "&gt; " + text_to_html(line);
            if (newline == std::string_view::npos)
                break;
            text.remove_prefix(newline + 1);
        }
        r.html = "<i>" + html + "</i>";
        return;
    }
    r.html = text_to_html(body);
}

// HTML from a notification or a message_format=html message: sanitised,
// its text (without tags) searched for mentions.
void render_html(std::string_view html, Rendered &r)
{
    r.emoticons = false;
    r.html = sanitise_notification_html(html);
    r.mention_text = html_to_plain_text(html);
}

// `html` in a notification's colour, when it names one we can show.
void colour(Rendered &r, std::string_view hipchat_color)
{
    const std::string_view color = readable_color(hipchat_color);
    if (!color.empty() && !r.html.empty())
        r.html = "<font color=\"" + std::string(color) + "\">" + r.html + "</font>";
}

std::string card_line(const Notification &n, std::string_view body_html)
{
    std::string line;
    if (!n.card_title.empty())
        line = "<b>" + text_to_html(n.card_title) + "</b>";
    std::string description;
    if (!n.card_description.empty()) {
        description = iequals(n.card_description_format, "html")
                          ? sanitise_notification_html(n.card_description)
                          : text_to_html(n.card_description);
        // Cards carry a fallback body that often is the description.
        if (description == body_html)
            description.clear();
    }
    if (!description.empty())
        line += (line.empty() ? "" : ": ") + description;
    if (is_safe_url(n.card_url, false)) {
        const std::string url = html_escape(n.card_url);
        line += (line.empty() ? "" : " ") + ("<a href=\"" + url + "\">" + url + "</a>");
    }
    return line;
}

std::string file_html(const SharedFile &file)
{
    // TRANSLATORS: the link text of a shared file that has no name.
    const std::string name = file.name.empty() ? std::string(_("file")) : file.name;
    std::string html = is_safe_url(file.url, false) ? "<a href=\"" + html_escape(file.url) + "\">" +
                                                          text_to_html(name) + "</a>"
                                                    : text_to_html(name);
    if (file.size > 0)
        html += " (" + human_size(file.size) + ")";
    const std::string_view description = trim(file.description);
    // "File uploaded" is the server's placeholder when the sender gave none
    // (§8.8 body "File uploaded: URL").
    if (!description.empty() && !iequals(description, "File uploaded") &&
        !iequals(description, "File uploaded:"))
        html += " — " + text_to_html(description);
    return html;
}

std::string room_state_html(const RoomState &state)
{
    std::string html;
    auto add = [&html](const std::string &line) {
        if (!html.empty())
            html += "; ";
        html += line;
    };
    if (state.archived == true)
        // TRANSLATORS: after a person's name: "Bob Test archived the room" (§8.9).
        add(html_escape(_("archived the room")));
    else if (state.archived == false)
        // TRANSLATORS: after a person's name: "Bob Test unarchived the room".
        add(html_escape(_("unarchived the room")));
    if (state.guest_url.has_value()) {
        const std::string_view url = trim(*state.guest_url);
        if (url.empty())
            // TRANSLATORS: after a person's name: "Bob Test turned off guest access".
            add(html_escape(_("turned off guest access")));
        else
            // TRANSLATORS: after a person's name; %s is the room's guest URL.
            add(fill_placeholders(html_escape(_("turned on guest access: %s")),
                                  {text_to_html(url)}));
    }
    return html;
}

Notification read_notification(const Element &room_x)
{
    Notification n;
    n.type = std::string(trim(room_x.child_text("type")));
    n.color = std::string(trim(room_x.child_text("color")));
    n.message_format = std::string(trim(room_x.child_text("message_format")));
    if (const Element *notify = room_x.child("notify")) {
        const std::string_view value = trim(notify->text);
        n.notify = !(value == "0" || iequals(value, "false"));
    }
    if (const Element *card = room_x.child("card"))
        read_card(card->text, n);  // on failure the card stays empty
    if (const Element *sender = room_x.child("notification_sender")) {
        n.sender_type = std::string(sender->attribute("type"));
        n.sender_id = std::string(sender->attribute("id"));
    }
    return n;
}

// A bodyless message's <is_archived> and <guest_url> (§8.9).
std::optional<RoomState> read_room_state(const Element &room_x)
{
    const Element *archived = room_x.child("is_archived");
    const Element *guest_url = room_x.child("guest_url");
    RoomState state;
    if (archived != nullptr) {
        const std::string_view value = trim(archived->text);
        // An empty <is_archived/> is "archived", as in room items (§7.1).
        if (value.empty() || parse_flag(value))
            state.archived = true;
        else if (value == "0" || iequals(value, "false"))
            state.archived = false;
    }
    if (guest_url != nullptr)
        state.guest_url = std::string(trim(guest_url->text));
    if (!state.archived.has_value() && !state.guest_url.has_value())
        return std::nullopt;
    return state;
}

// HipChat's <x xmlns='http://hipchat.com/protocol/muc#room'> on a message:
// a notification (§8.4) or presentation hints, a file (§8.8) or a
// room-state line (§8.9). What makes a notification is what the official
// client draws as one (message_processor.js setMessageTypeAndFormat): a
// type of "system" or "notification" (a card and a notification_sender
// only come with those).
void read_room_x(const Element &room_x, Message &m)
{
    const std::string_view type = trim(room_x.child_text("type"));
    const bool is_notification = iequals(type, "system") || iequals(type, "notification") ||
                                 room_x.child("card") || room_x.child("notification_sender");
    if (is_notification) {
        m.notification = read_notification(room_x);
    } else if (room_x.child("type") || room_x.child("message_format") || room_x.child("color")) {
        Presentation p;
        p.type = std::string(type);
        p.color = std::string(trim(room_x.child_text("color")));
        p.message_format = std::string(trim(room_x.child_text("message_format")));
        m.presentation = std::move(p);
    }
    if (const Element *file = room_x.child("file"))
        m.file = read_legacy_file(*file);
    if (trim(m.body).empty())
        m.room_state = read_room_state(room_x);
}

// An <a data-target-options='enso_invite'> anywhere in `e`, as deep as
// serialise goes.
bool has_video_invite_link(const Element &e, int depth)
{
    if (e.name == "a" && e.attribute("data-target-options") == "enso_invite")
        return true;
    if (depth >= max_xhtml_depth)
        return false;
    for (const Element &child : e.children)
        if (has_video_invite_link(child, depth + 1))
            return true;
    return false;
}

}  // namespace

std::optional<Message> parse_message(const Element &message)
{
    if (message.name != "message")
        return std::nullopt;
    Message m;
    m.type = std::string(message.attribute("type"));
    m.from = std::string(message.attribute("from"));
    m.to = std::string(message.attribute("to"));
    m.id = std::string(message.attribute("id"));
    m.mid = std::string(message.attribute("mid"));
    m.ts_text = std::string(message.attribute("ts"));
    m.from_jid = std::string(message.attribute("from_jid"));
    if (!m.ts_text.empty())
        m.ts = parse_hipchat_ts(m.ts_text);
    if (const Element *body = message.child("body"))
        m.body = body->text;
    if (const Element *subject = message.child("subject")) {
        m.has_subject = true;
        m.subject = subject->text;
    }

    const Element *delay = message.child("delay", ns::delay);
    if (delay == nullptr)
        delay = message.child("x", ns::legacy_delay);
    if (delay != nullptr) {
        m.delayed = true;
        m.delay_from_jid = std::string(delay->attribute("from_jid"));
        m.delay_stamp = parse_xmpp_stamp(delay->attribute("stamp"));
    }

    if (const Element *x = message.child("x", ns::hipchat))
        m.echo_requested = x->child("echo") != nullptr;

    if (const Element *html = message.child("html", ns::xhtml_im)) {
        if (const Element *body = html->child("body")) {
            std::string xhtml;
            bool faithful = true;
            serialise_content(*body, xhtml, faithful, 0);
            if (faithful || trim(m.body).empty())
                m.xhtml = std::move(xhtml);
            m.video_invite_link = has_video_invite_link(*body, 0);
        }
    }

    if (const Element *room_x = message.child("x", ns::muc_room))
        read_room_x(*room_x, m);

    if (const Element *file = message.child("authenticated_file", ns::file)) {
        m.file = read_authenticated_file(*file);
        m.file->url = url_in_body(m.body, m.file->id);
    }

    if (const Element *replace = message.child("replace", ns::correction)) {
        const std::string_view original = trim(replace->attribute("id"));
        if (!original.empty())
            m.correction = Correction{std::string(original), trim(m.body).empty()};
    }
    m.link_metadata = parse_link_metadata(message);
    const bool html = m.presentation && iequals(m.presentation->message_format, "html");
    if (!m.notification && !html && !m.file)
        m.substitution = parse_substitution(m.body);
    return m;
}

std::optional<Substitution> parse_substitution(std::string_view body)
{
    if (body.substr(0, 2) != "s/")
        return std::nullopt;
    body.remove_prefix(2);
    const std::size_t middle = body.find('/');
    if (middle == 0 || middle == std::string_view::npos)
        return std::nullopt;
    std::string_view replacement = body.substr(middle + 1);
    if (!replacement.empty() && replacement.back() == '/')
        replacement.remove_suffix(1);
    if (replacement.find('/') != std::string_view::npos)
        return std::nullopt;
    return Substitution{std::string(body.substr(0, middle)), std::string(replacement)};
}

std::optional<std::string> apply_substitution(const Substitution &s, std::string_view last_text)
{
    const std::size_t at = last_text.find(s.old_text);
    if (at == std::string_view::npos)
        return std::nullopt;
    std::string corrected(last_text);
    corrected.replace(at, s.old_text.size(), s.new_text);
    return corrected;
}

std::string sender_jid(const Message &m, std::string_view room_bare_jid,
                       const std::function<std::string(std::string_view nick)> &jid_for_nick)
{
    if (!trim(m.from_jid).empty())
        return std::string(bare(trim(m.from_jid)));
    const std::string_view room = bare(room_bare_jid);
    const std::string_view delayed = bare(trim(m.delay_from_jid));
    if (!delayed.empty() && !iequals(delayed, room))
        return std::string(delayed);
    const std::string_view from_bare = bare(m.from);
    if (room.empty() || !iequals(from_bare, room))
        return std::string(from_bare);
    const std::size_t slash = m.from.find('/');
    if (slash == std::string::npos || slash + 1 == m.from.size() || !jid_for_nick)
        return {};
    return jid_for_nick(std::string_view(m.from).substr(slash + 1));
}

namespace {

// §19.2: the sender's last message, corrected; never an alert.
Rendered render_substitution(const Substitution &sub, std::optional<std::string_view> last_text)
{
    Rendered r;
    r.highlight_allowed = false;
    const auto corrected = last_text ? apply_substitution(sub, *last_text) : std::nullopt;
    if (corrected) {
        render_body(*corrected, r, true);
        r.corrected = true;
        // TRANSLATORS: after a message its sender corrected with s/old/new/.
        r.html += std::string(" <i>") + html_escape(_("(corrected)")) + "</i>";
    } else {
        r.system = true;
        // TRANSLATORS: after a person's name: they corrected their last
        // message, which is not at hand ("corrected “teh” to “the”").
        r.html = fill_placeholders(html_escape(_("corrected “%s” to “%s”")),
                                   {text_to_html(sub.old_text), text_to_html(sub.new_text)});
    }
    return r;
}

}  // namespace

Rendered render_message(const Message &m, std::optional<std::string_view> last_text)
{
    Rendered r;
    const bool has_body = !trim(m.body).empty();
    if (m.room_state.has_value() && !has_body) {
        r.system = true;
        r.html = room_state_html(*m.room_state);
        return r;
    }
    if (m.video_invite_link && !m.file.has_value())
        return r;
    if (m.correction.has_value() && m.correction->deleted) {
        // TRANSLATORS: shown in place of a message its sender deleted (§8.7).
        r.html = std::string("<i>") + html_escape(_("(message deleted)")) + "</i>";
        return r;
    }
    if (m.substitution.has_value())
        return render_substitution(*m.substitution, last_text);
    if (m.file.has_value()) {
        r.html = file_html(*m.file);
        r.mention_text = m.file->description;
    } else if (m.notification.has_value()) {
        const Notification &n = *m.notification;
        // "system" and "notification" are both drawn as the integration's
        // (message_processor.js setMessageTypeAndFormat 1002-1003): under
        // its label, not as a line of the room's; they differ only in what
        // may alert (shouldNotify 645-654).
        r.highlight_allowed = n.notify || n.type == "system";
        if (iequals(n.message_format, "html"))
            render_html(!m.xhtml.empty() ? m.xhtml : m.body, r);
        else
            render_body(m.body, r, false);
        const std::string card = card_line(n, r.html);
        if (!card.empty())
            r.html += (r.html.empty() ? "" : "<br>") + card;
        colour(r, n.color);
    } else if (m.presentation.has_value() && iequals(m.presentation->type, "user_state")) {
        // Drawn invisible by the official client (message_group.js 327,
        // 363): nothing to show.
        return r;
    } else if (m.presentation.has_value()) {
        const Presentation &p = *m.presentation;
        // An information line ("topic", "room-presence", …) never alerts
        // (message_processor.js shouldNotify: type 'info').
        r.system = !p.type.empty();
        r.highlight_allowed = p.type.empty();
        if (iequals(p.message_format, "html"))
            render_html(!m.xhtml.empty() ? m.xhtml : m.body, r);
        else
            render_body(m.body, r, p.type.empty());
        colour(r, p.color);
    } else if (m.link_metadata.has_value() && m.link_metadata->type == "info") {
        // The web client's "info" message: its own words in gray, from
        // "HipChat", never an alert (formatXMPPMessages 189-195,
        // shouldNotify 615-618).
        r.system = true;
        r.highlight_allowed = false;
        render_body(m.body, r, false);
        colour(r, "gray");
    } else {
        render_body(m.body, r, true);
    }
    if (m.correction.has_value())
        // TRANSLATORS: appended to a message its sender edited (§8.7).
        r.html += std::string(" <i>") + html_escape(_("(edited)")) + "</i>";
    return r;
}

std::string_view readable_color(std::string_view hipchat_color)
{
    // HipChat's palette is meant for a filled background; these are darker
    // shades of the same hues that stay readable as text colour.
    static constexpr std::pair<std::string_view, std::string_view> colors[] = {
        {"yellow", "#b58900"}, {"green", "#2e8b57"}, {"red", "#c0392b"},
        {"purple", "#8e44ad"}, {"gray", "#7f8c8d"},  {"grey", "#7f8c8d"},
    };
    const std::string_view wanted = trim(hipchat_color);
    for (const auto &[name, value] : colors) {
        if (iequals(wanted, name))
            return value;
    }
    return {};
}

std::string human_size(std::uint64_t bytes)
{
    if (bytes == 1)
        return "1 byte";
    if (bytes < 1024)
        return std::to_string(bytes) + " bytes";
    static constexpr const char *units[] = {"KB", "MB", "GB", "TB", "PB", "EB"};
    double divisor = 1024;
    std::size_t unit = 0;
    // Tenths, rounded; move up a unit where rounding reaches 1024.0.
    auto tenths =
        static_cast<std::uint64_t>(std::llround(static_cast<double>(bytes) / divisor * 10));
    while (tenths >= 10240 && unit + 1 < std::size(units)) {
        divisor *= 1024;
        ++unit;
        tenths =
            static_cast<std::uint64_t>(std::llround(static_cast<double>(bytes) / divisor * 10));
    }
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " " + units[unit];
}

}  // namespace hipchat::core
