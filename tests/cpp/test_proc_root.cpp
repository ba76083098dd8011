// src/platform/posix/proc_root: the pid rule shared by the Linux and
// Solaris listings and by Linux's "self" link.
#include <gtest/gtest.h>

#include <climits>
#include <string>

#include "platform/posix/proc_root.hpp"

namespace {

using psi::posix::pid_from_name;

TEST(ProcRoot, PidFromName) {
    EXPECT_EQ(pid_from_name("1"), 1);
    EXPECT_EQ(pid_from_name("4242"), 4242);
    EXPECT_EQ(pid_from_name("0"), 0);  // Solaris' sched; Linux callers want > 0
    EXPECT_EQ(pid_from_name(std::to_string(INT_MAX)), INT_MAX);
    for (const char* bad : {"", "self", "sys", "01", "00", "12a", "-1", "+1", " 1", "1 ", "2147483648",
                            "99999999999999999999999"})
        EXPECT_EQ(pid_from_name(bad), -1) << '"' << bad << '"';
    // A readlink target is not NUL-terminated: only the given bytes count.
    EXPECT_EQ(pid_from_name(std::string_view("123456", 3)), 123);
}

}  // namespace
