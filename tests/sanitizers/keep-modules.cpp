// Preloaded into the sanitizer runs' test programs (tests/sanitizers/run passes
// LD_PRELOAD=<the ASan runtime>:libkeep-modules.so through `meson test
// --wrapper`): a dlclose() that keeps the module mapped.
//
// libpurple unloads every plugin in purple_core_quit(), ours and the jabber
// module included, before LeakSanitizer scans the heap at exit. A leak
// allocated in an unloaded module has no symbols ("<unknown module>"), so it
// could neither be blamed on our code nor be suppressed as libpurple's. No
// test depends on a module's memory being given back.
//
// The ASan runtime comes first (it must be the first library loaded); it
// intercepts dlclose() and forwards to the next definition, this one.
#include <cstdlib>

extern "C" __attribute__((visibility("default"))) int dlclose(void *)
{
    return 0;
}

namespace {

// Only the test program itself gets this library: the servers it starts
// (prosody, the emulator) run without the preload. They also get the cheaper
// ASan options tests/sanitizers/run gives for them in HIPCHAT_CHILD_ASAN_OPTIONS:
// the test program needs whole allocation stacks through libpurple and GLib
// (fast_unwind_on_malloc=0, for lsan.supp), which makes every malloc several
// times slower; the emulator has no suppressed leaks and, that slow, misses
// the deadlines of tests such as its 2-second idle timeout.
__attribute__((constructor)) void configure_children()
{
    unsetenv("LD_PRELOAD");
    if (const char *child_options = getenv("HIPCHAT_CHILD_ASAN_OPTIONS")) {
        setenv("ASAN_OPTIONS", child_options, 1);
        unsetenv("HIPCHAT_CHILD_ASAN_OPTIONS");
    }
}

}  // namespace
