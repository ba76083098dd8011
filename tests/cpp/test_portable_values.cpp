// Portable values of the process model: state letters and scheduling
// policies, over every enum value.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "psi/psi.hpp"

namespace {

using psi::ProcStatus;
using psi::SchedPolicy;

TEST(StatusLetters, EveryStatusRoundTrips) {
    // ProcStatus numbers run 0..unknown without gaps (they are public).
    for (int i = 0; i <= static_cast<int>(ProcStatus::unknown); ++i) {
        const auto s = static_cast<ProcStatus>(i);
        const char letter = psi::status_to_letter(s);
        EXPECT_EQ(psi::status_from_letter(letter), s) << i << " -> " << letter;
        EXPECT_STRNE(psi::status_name(s), "") << i;
    }
}

TEST(StatusLetters, KernelLetters) {
    // proc(5) / fs/proc/array.c task_state_array, as ps prints them.
    const std::pair<ProcStatus, char> want[] = {
        {ProcStatus::running, 'R'}, {ProcStatus::sleeping, 'S'},     {ProcStatus::disk_sleep, 'D'},
        {ProcStatus::stopped, 'T'}, {ProcStatus::tracing_stop, 't'}, {ProcStatus::zombie, 'Z'},
        {ProcStatus::dead, 'X'},    {ProcStatus::waking, 'W'},       {ProcStatus::idle, 'I'},
        {ProcStatus::parked, 'P'},  {ProcStatus::wakekill, 'K'},     {ProcStatus::unknown, '?'},
    };
    for (auto [s, c] : want) EXPECT_EQ(psi::status_to_letter(s), c) << static_cast<int>(s);
    EXPECT_EQ(psi::status_from_letter('x'), ProcStatus::dead);  // 2.6.33-3.13
    EXPECT_EQ(psi::status_from_letter('?'), ProcStatus::unknown);
    EXPECT_EQ(psi::status_from_letter('\0'), ProcStatus::unknown);
}

TEST(SchedPolicies, LinuxNumbersAndPsClassNames) {
    // sched(7) numbers; ps output.c pr_class names.
    const struct {
        SchedPolicy p;
        int number;
        const char* cls;
    } want[] = {
        {SchedPolicy::other, 0, "TS"}, {SchedPolicy::fifo, 1, "FF"},  {SchedPolicy::rr, 2, "RR"},
        {SchedPolicy::batch, 3, "B"},  {SchedPolicy::iso, 4, "ISO"}, {SchedPolicy::idle, 5, "IDL"},
        {SchedPolicy::deadline, 6, "DLN"},
        {SchedPolicy::sys, 16, "SYS"}, {SchedPolicy::interactive, 17, "IA"},
        {SchedPolicy::fair_share, 18, "FSS"}, {SchedPolicy::fixed, 19, "FX"},
        {SchedPolicy::unknown, -1, "?"},
    };
    for (const auto& w : want) {
        EXPECT_EQ(static_cast<int>(w.p), w.number);
        EXPECT_STREQ(psi::sched_policy_class(w.p), w.cls) << w.number;
    }
    // A number Linux may add later (SCHED_EXT is 7) is kept, shown as ps
    // shows a value it does not name.
    EXPECT_STREQ(psi::sched_policy_class(static_cast<SchedPolicy>(7)), "?");
}

}  // namespace
