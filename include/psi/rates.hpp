// psi/rates.hpp - how busy processes were between two snapshots.
//
// Rates are pure functions of two snapshot values: no clock is read, no
// previous sample is kept anywhere, so there is no "first call returns 0.0"
// and nothing to share between threads. A rate is computed only for the
// same process in both snapshots: identity is (pid, start_ticks), so a pid
// that was reused in between is one process that disappeared and another
// that appeared, never a rate mixing the two.
//
// The interval is the difference of the two rows' read instants
// (ProcessInfo::read_at, monotonic clock), taken right before each row's
// stat was read, so a table that took 50 ms to read gives each row its own
// exact interval.
#pragma once

#include <compare>
#include <cstdint>
#include <span>
#include <system_error>
#include <vector>

#include "psi/attr.hpp"
#include "psi/process.hpp"
#include "psi/system.hpp"

namespace psi {

// A process's identity: a reused pid has other start ticks.
struct Identity {
    int pid = 0;
    std::uint64_t start_ticks = 0;
    friend constexpr auto operator<=>(const Identity&, const Identity&) = default;
};

// Per second (or percent) between two snapshots of one process. Every slot
// is an Attr:
//   ok              both snapshots read what it is computed from and time
//                   passed between them;
//   not_read        one of them did not read it (its group was not asked
//                   for, or this version has no such attribute yet);
//   not_available   the two rows were read at the same instant (or one was
//                   never stamped): there is nothing to divide by; or one
//                   row could not read the value (status copied from it);
//   not_implemented the platform does not have it.
// A counter that went backwards (it cannot, for the kernel's own counters)
// counts as 0, never as a negative rate.
struct ProcessRates {
    Identity id;
    double interval = 0;  // seconds between the two rows' read instants
    // CPU time (user + system) per wall time, in percent of one CPU: a
    // process busy on two CPUs shows 200, as top does.
    Attr<double> cpu_percent;
    // cpu_percent / the number of CPUs (0..100 for the whole machine).
    Attr<double> cpu_percent_normalized;
    // Slots for the per-process counters of issue 12 (I/O: Linux
    // /proc/PID/io read_bytes, write_bytes, syscr, syscw; faults: stat
    // minflt, majflt; context switches: status voluntary_ctxt_switches,
    // nonvoluntary_ctxt_switches). The fault and context-switch slots are
    // filled (ProcessInfo's minor_faults ... involuntary_ctxt_switches);
    // the I/O slots stay not_read until ProcessInfo has those counters;
    // src/core/rates.cpp fills each through counter_rate().
    Attr<double> read_bytes, write_bytes;  // bytes per second
    Attr<double> read_ops, write_ops;      // read/write system calls per second
    Attr<double> minor_faults, major_faults;  // per second
    Attr<double> voluntary_ctx_switches, involuntary_ctx_switches;  // per second
};

// Rates between two tables, matched by identity.
struct TableRates {
    double interval = 0;  // seconds between the two tables' listings
    std::vector<ProcessRates> processes;  // identities in both, by pid
    std::vector<Identity> appeared;       // only in `after`, by pid
    std::vector<Identity> disappeared;    // only in `before`, by pid
    // The rates of `pid`, or nullptr (it appeared, or is not in either). O(log n).
    const ProcessRates* find(int pid) const;
};

// `cpu_count`: what cpu_percent_normalized divides by; 0 (the default)
// means std::thread::hardware_concurrency(), the CPUs online now (pass
// ArchInfo::cpu_count, or a value of your own, to keep the functions pure
// of the system too).
//
// Two snapshots of one process. before and after must have the same
// identity, else invalid_argument (a rate across a pid reuse is wrong).
ProcessRates rates(const ProcessInfo& before, const ProcessInfo& after, int cpu_count, std::error_code& ec);
ProcessRates rates(const ProcessInfo& before, const ProcessInfo& after, int cpu_count = 0);

// Two tables (any order of rows; rows without a stat read still match by
// identity and get not_read slots). Never fails: processes that came and
// went between the snapshots are listed in appeared / disappeared.
TableRates rates(const ProcessTable& before, const ProcessTable& after, int cpu_count = 0);
// The same on rows held elsewhere (null pointers are skipped); the table
// interval is taken from the given instants.
TableRates rates(std::span<const ProcessInfo* const> before, const Instant& before_at,
                 std::span<const ProcessInfo* const> after, const Instant& after_at, int cpu_count = 0);

// The building block of every counter slot: (after - before) / seconds,
// with the status rules above (a counter that went backwards gives 0).
Attr<double> counter_rate(const Attr<std::uint64_t>& before, const Attr<std::uint64_t>& after, double seconds);

// Seconds from a to b on the monotonic clock; 0 when either is unknown.
double seconds_between(const Instant& a, const Instant& b) noexcept;

}  // namespace psi
