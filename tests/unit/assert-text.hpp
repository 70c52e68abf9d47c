// Test support: ck_assert_str_eq on a std::string result. Check's macro
// keeps only the c_str() of its argument, so a temporary string would be
// compared after it is freed.
#pragma once

#include <string>

#include <check.h>

#define ASSERT_TEXT(actual, expected)              \
    do {                                           \
        const std::string text_ = (actual);        \
        ck_assert_str_eq(text_.c_str(), expected); \
    } while (0)
