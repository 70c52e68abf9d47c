// Every test program's main(): runs its Check suite, exit status 0 only when
// all tests passed.
#pragma once

#include <check.h>

namespace hipchat::test {

inline int run_suite(Suite *suite)
{
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    const int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}

}  // namespace hipchat::test
