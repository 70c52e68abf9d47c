#include "xmpp/shown.hpp"

#include <signals.h>

#include "util/c-guard.hpp"

namespace hipchat::xmpp {

namespace {

constexpr const char *shown_key = "hipchat-shown";

void on_deleting_conversation(PurpleConversation *conv, gpointer)
{
    util::guard("deleting-conversation", [conv] {
        delete static_cast<Shown *>(purple_conversation_get_data(conv, shown_key));
        purple_conversation_set_data(conv, shown_key, nullptr);
    });
}

}  // namespace

bool SeenMids::insert(const std::string &mid)
{
    if (!mids_.insert(mid).second)
        return false;
    order_.push_back(mid);
    if (order_.size() > capacity) {
        mids_.erase(order_.front());
        order_.pop_front();
    }
    return true;
}

Shown &shown_in(PurpleConversation *conv)
{
    auto *shown = static_cast<Shown *>(purple_conversation_get_data(conv, shown_key));
    if (shown == nullptr) {
        shown = new Shown;
        purple_conversation_set_data(conv, shown_key, shown);
    }
    return *shown;
}

void remember_shown(Shown &shown, const core::Message &m)
{
    ShownAt at;
    if (m.ts) {
        at = {*m.ts, m.ts_text, m.mid};
    } else if (m.delay_stamp) {
        at.ts = static_cast<double>(*m.delay_stamp);
        at.mid = m.mid;
    } else {
        return;
    }
    if (!shown.oldest || at.ts < shown.oldest->ts)
        shown.oldest = at;
    if (m.ts && !m.mid.empty() && (!shown.newest || at.ts > shown.newest->ts))
        shown.newest = at;
}

const SeenMids &seen_mids(PurpleConversation *conv)
{
    return shown_in(conv).mids;
}

const ShownAt *oldest_shown(PurpleConversation *conv)
{
    const Shown &shown = shown_in(conv);
    return shown.oldest ? &*shown.oldest : nullptr;
}

const ShownAt *newest_shown(PurpleConversation *conv)
{
    const Shown &shown = shown_in(conv);
    return shown.newest ? &*shown.newest : nullptr;
}

void begin_history_page(PurpleConversation *conv)
{
    shown_in(conv).page_text.clear();
}

void connect_shown_conversation_signals(PurplePlugin *plugin)
{
    purple_signal_connect(purple_conversations_get_handle(), "deleting-conversation", plugin,
                          PURPLE_CALLBACK(on_deleting_conversation), nullptr);
}

}  // namespace hipchat::xmpp
