// Translations: our own text domain (GETTEXT_PACKAGE "purple-hipchat", set by
// meson), bound in the plugin's init. Never call textdomain(): the process
// belongs to Pidgin, Finch or bitlbee.
#pragma once

#include <glib/gi18n-lib.h>
