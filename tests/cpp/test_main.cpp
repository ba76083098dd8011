// GoogleTest entry point that first keeps a copy of argv and environ: the
// live tests compare psi's args and env of this very process against them.
#include <gtest/gtest.h>

#include <ctime>

#include "support.hpp"

extern char** environ;

int main(int argc, char** argv) {
    psi_test::g_main_realtime = psi_test::clock_now(CLOCK_REALTIME);
    for (int i = 0; i < argc; ++i) psi_test::g_argv.emplace_back(argv[i]);
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) psi_test::g_environ.emplace_back(*e);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
