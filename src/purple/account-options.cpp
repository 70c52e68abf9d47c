#include "purple/account-options.hpp"

#include <accountopt.h>

#include <cstring>

#include "util/i18n.hpp"

namespace hipchat::purple {

const char *mark_read_default(bool irc_ui)
{
    return irc_ui ? "speak" : "on";
}

namespace {

// The first choice is the default (purple_account_option_get_default_list_value).
PurpleAccountOption *mark_read_option(bool irc_ui)
{
    GList *choices = nullptr;
    auto choice = [&choices](const char *label, const char *value) {
        auto *pair = g_new0(PurpleKeyValuePair, 1);
        pair->key = g_strdup(label);
        pair->value = g_strdup(value);
        choices = g_list_append(choices, pair);
    };
    // TRANSLATORS: when HipChat is told that you read a room or chat, so that
    // your other devices show it read too.
    const char *look = _("When I look at it or write in it"), *speak = _("When I write in it");
    if (std::strcmp(mark_read_default(irc_ui), "speak") == 0) {
        choice(speak, "speak");
        choice(look, "on");
    } else {
        choice(look, "on");
        choice(speak, "speak");
    }
    choice(_("Never"), "off");
    // libpurple takes the list; bitlbee lists the values as choices.
    return purple_account_option_list_new(_("Mark conversations read on HipChat"),
                                          option_key::mark_read, choices);
}

}  // namespace

GList *make_account_options(bool irc_ui)
{
    GList *options = nullptr;
    auto add = [&options](PurpleAccountOption *option) {
        options = g_list_append(options, option);
    };

    // TRANSLATORS: the host name of the HipChat server to connect to.
    add(purple_account_option_string_new(_("Server"), option_key::server, option_default::server));
    add(purple_account_option_int_new(_("Port"), option_key::port, option_default::port));
    // TRANSLATORS: the XMPP resource, a name for this client's connection.
    add(purple_account_option_string_new(_("Resource"), option_key::resource,
                                         option_default::resource));
    PurpleAccountOption *token = purple_account_option_string_new(
        // TRANSLATORS: a personal access token created on HipChat's account page.
        _("API token (instead of the password)"), option_key::token, "");
    purple_account_option_set_masked(token, TRUE);
    add(token);
    add(purple_account_option_bool_new(_("Join the rooms and chats of HipChat's auto-join list"),
                                       option_key::autojoin, option_default::autojoin));
    add(purple_account_option_bool_new(_("Show archived rooms in the room list"),
                                       option_key::show_archived, option_default::show_archived));
    // TRANSLATORS: rooms you join are added to the buddy list under their
    // names (what titles their tabs), in a group of their own.
    add(purple_account_option_bool_new(_("Keep joined rooms in the buddy list"),
                                       option_key::room_bookmarks, option_default::room_bookmarks));
    // TRANSLATORS: how many earlier messages a room shows when you join it:
    // the unread ones when HipChat knows what you read, else the last ones.
    add(purple_account_option_int_new(_("Earlier messages shown when joining a room (at most)"),
                                      option_key::join_history, option_default::join_history));
    add(mark_read_option(irc_ui));
    // TRANSLATORS: @all and @here address everyone in a room.
    add(purple_account_option_bool_new(_("Highlight only messages that mention me by name "
                                         "(not @all or @here)"),
                                       option_key::direct_mentions,
                                       option_default::direct_mentions));
    // TRANSLATORS: how many older messages /history and "Load older messages" fetch.
    add(purple_account_option_int_new(_("Earlier messages per page of history"),
                                      option_key::history_page, option_default::history_page));
    // TRANSLATORS: how many earlier messages a one-to-one chat shows when it opens.
    add(purple_account_option_int_new(_("Earlier messages shown when a chat opens"),
                                      option_key::chat_history, option_default::chat_history));
    return options;
}

void apply_option_defaults(PurpleAccount *account)
{
    const char *server = purple_account_get_string(account, option_key::server, nullptr);
    if (server == nullptr || *server == '\0')
        purple_account_set_string(account, option_key::server, option_default::server);

    if (purple_account_get_int(account, option_key::port, 0) <= 0)
        purple_account_set_int(account, option_key::port, option_default::port);

    const char *resource = purple_account_get_string(account, option_key::resource, nullptr);
    if (resource == nullptr || *resource == '\0')
        purple_account_set_string(account, option_key::resource, option_default::resource);
}

}  // namespace hipchat::purple
