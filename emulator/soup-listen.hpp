// HipChat emulator: the HTTP servers (control, REST, website) listen on
// 127.0.0.1 only, on a given or a free port.
#pragma once

#include <libsoup/soup.h>

#include <string>

namespace hipchat::emulator {

// Listens on 127.0.0.1:port (0: any free port) with `extra` options (HTTPS);
// returns the bound port, or 0 with `error` set.
inline guint16 listen_on_loopback(SoupServer *server, guint16 port, SoupServerListenOptions extra,
                                  std::string &error)
{
    GError *gerror = nullptr;
    if (!soup_server_listen_local(
            server, port,
            static_cast<SoupServerListenOptions>(SOUP_SERVER_LISTEN_IPV4_ONLY | extra), &gerror)) {
        error = gerror->message;
        g_error_free(gerror);
        return 0;
    }
    GSList *uris = soup_server_get_uris(server);
    const guint16 bound = uris != nullptr ? g_uri_get_port(static_cast<GUri *>(uris->data)) : 0;
    g_slist_free_full(uris, reinterpret_cast<GDestroyNotify>(g_uri_unref));
    return bound;
}

}  // namespace hipchat::emulator
