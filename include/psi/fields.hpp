// psi/fields.hpp - the attribute registry: one row per ProcessInfo attribute
// and per derived value, saying which Group it is read in, its type and
// unit, what it means, where it exists and how it sorts.
//
// It is the one place that knows which attribute comes from which group
// (htop keeps a similar Process_fields[] table): psi-ps derives the groups
// of its columns from it, the Python binding the groups of its attributes,
// and a test reads every group alone on fixture processes and checks that
// exactly the attributes this table names for it leave AttrStatus::not_read.
// Adding an attribute is one row here plus the backend code that reads it.
//
// The table is constexpr so consumers fold an attribute's groups at compile
// time (no lookup when a getter runs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "psi/attr.hpp"
#include "psi/process.hpp"

namespace psi {

// Every attribute, in registry order (attribute_table[i].id == AttrId(i)).
enum class AttrId : std::uint8_t {
    pid, ppid, pgrp, sid, tpgid, name, exe, exe_deleted, args, env, cwd,
    euid, ruid, egid, rgid, euser, ruser, egroup, rgroup,
    terminal, tty_dev, status, status_letter, nice, priority, policy, kernel_priority,
    nthreads, processor, wchan, flags, start_time, jiffies, utime, stime, rss, vsz, locked,
    zoneid, zonename,
    // -- w-io: process depth members (issue 12) --
    io_counters, num_fds, uss, pss, swap_pss, oom_score, oom_score_adj, rlimits,
    // Derived values: computed from the members above, carrying their status.
    cputime, argc, command, pcpu, parent, start_datetime,
    // -- w-ns: cgroups, containers, namespaces --
    cgroup, cgroups, container_id, container_runtime, pod_uid, lxc_name, namespaces,
    // -- w-threads: security label --
    label,
    // -- w-status: stat extras and the status group --
    minor_faults, major_faults, children_minor_faults, children_major_faults, children_utime, children_stime,
    start_code, end_code, voluntary_ctxt_switches, involuntary_ctxt_switches,
    rss_peak, vsz_peak, swap, rss_anon, rss_file, rss_shmem, data_size, stack_size, text_size, lib_size,
    page_tables, suid, sgid, fsuid, fsgid, supplementary_groups, suser, sgroup, fsuser, fsgroup,
    sigmask, sigpending, sigignore, sigcatch, ns_pid, cpu_affinity, supplementary_group_names,
};

enum class ValueType : std::uint8_t {
    integer,     // signed whole number
    unsigned_,   // unsigned whole number (ids, sizes, counts of ticks)
    real,        // floating point
    boolean,
    character,   // one char (a state letter)
    text,        // std::string
    time,        // TimeSpec: an instant or a duration
    list,        // vector of strings (argv)
    environment, // psi::Environment
    status,      // psi::ProcStatus
    process,     // another process (Python: a Process or None)
    datetime,    // Python only: a naive local datetime
    // -- w-ns --
    cgroup_list, // vector of psi::CgroupEntry (Python: tuple of (id, controllers, path))
    namespaces,  // psi::Namespaces (Python: dict of type name -> inode)
    // -- w-io: composite values (issue 12) --
    io_counters, // psi::IoCounters (Python: a named tuple)
    limits,      // psi::ResourceLimits (Python: dict name -> (soft, hard))
    // -- w-status: numbers --
    id_list,     // vector of whole numbers (gids, CPU numbers); Python: a tuple of int
};

enum class Unit : std::uint8_t { none, bytes, ticks, seconds, percent };

enum class SortOrder : std::uint8_t { ascending, descending };

// Where the attribute has a value; elsewhere it is AttrStatus::not_implemented.
// (Not `linux`: GNU dialects predefine that as a macro.)
namespace os {
inline constexpr std::uint8_t on_linux = 1;
inline constexpr std::uint8_t on_macos = 2;
inline constexpr std::uint8_t on_solaris = 4;
inline constexpr std::uint8_t on_all = on_linux | on_macos | on_solaris;
}  // namespace os

struct AttrInfo {
    AttrId id;
    std::string_view name;  // the C++ member / method and Python attribute name
    Groups groups;          // the groups whose reading makes it leave not_read
    // Groups that may fill it as a side effect, depending on the process
    // (Linux: creds reads status, whose VmRSS gives rss unless a zombie).
    Groups also;
    ValueType type;
    Unit unit;
    std::uint8_t os;        // os::on_* bits
    SortOrder sort;         // natural direction (sizes and times: largest first)
    bool derived;           // a ProcessInfo method or a binding's computation
    bool python;            // psi.Process has it under this name
    std::string_view meaning;
    AttrStatus (*status)(const ProcessInfo&);  // its status in a snapshot
};

// A second public name for an attribute (PSI 0.2's names in Python).
struct AttrAlias {
    std::string_view alias;
    AttrId target;
};

namespace registry_detail {
// Short names for the table's columns.
constexpr Groups G(Group g) { return Groups(g); }
using T = ValueType;
using U = Unit;
inline constexpr std::uint8_t all = os::on_all, lin = os::on_linux, sol = os::on_solaris;
inline constexpr std::uint8_t lin_sol = os::on_linux | os::on_solaris, lin_mac = os::on_linux | os::on_macos;
inline constexpr SortOrder up = SortOrder::ascending, down = SortOrder::descending;
inline constexpr bool member = false, derived = true;
inline constexpr bool py = true, no_py = false;
inline constexpr Groups stat = Group::stat, creds_names = Group::creds | Group::names;
// The faults: the stat line on Linux, so a stat read includes usage there;
// a record of their own on Solaris (Group::usage).
inline constexpr Groups stat_usage = Group::stat | Group::usage;
inline constexpr Groups owner_names = Group::owner | Group::names, stat_names = Group::stat | Group::names;
// -- w-status: the status group's names --
inline constexpr Groups status_names = Group::status | Group::names;
// The status of a member, or of a derived value computed from the snapshot.
#define PSI_REG_MEMBER(m) [](const ProcessInfo& p) { return p.m.status(); }
#define PSI_REG_DEPTH(m) [](const ProcessInfo& p) { return p.depth().m.status(); }
#define PSI_REG_DERIVED(expr) [](const ProcessInfo& p) { return (expr).status(); }

// One row per attribute, in AttrId order. Columns: id, name, groups, also,
// type, unit, OSes, sort, member/derived, in Python, meaning, status.
inline constexpr AttrInfo table[] = {
    {AttrId::pid, "pid", {}, {}, T::integer, U::none, all, up, member, py,
     "process id", [](const ProcessInfo&) { return AttrStatus::ok; }},
    {AttrId::ppid, "ppid", stat, {}, T::integer, U::none, all, up, member, py, "parent process id", PSI_REG_MEMBER(ppid)},
    {AttrId::pgrp, "pgrp", stat, {}, T::integer, U::none, all, up, member, py, "process group id", PSI_REG_MEMBER(pgrp)},
    {AttrId::sid, "sid", stat, {}, T::integer, U::none, all, up, member, py, "session id", PSI_REG_MEMBER(sid)},
    {AttrId::tpgid, "tpgid", stat, {}, T::integer, U::none, lin_mac, up, member, no_py,
     "foreground process group of its terminal (-1: none)", PSI_REG_MEMBER(tpgid)},
    {AttrId::name, "name", stat, {}, T::text, U::none, all, up, member, py,
     "accounting name (Linux: comm, at most 15 bytes)", PSI_REG_MEMBER(name)},
    {AttrId::exe, "exe", G(Group::exe), {}, T::text, U::none, all, up, member, py,
     "absolute path of the executable", PSI_REG_MEMBER(exe)},
    {AttrId::exe_deleted, "exe_deleted", G(Group::exe), {}, T::boolean, U::none, lin, up, member, py,
     "the executable was deleted or replaced since exec", PSI_REG_MEMBER(exe_deleted)},
    {AttrId::args, "args", G(Group::args), {}, T::list, U::none, all, up, member, py, "argv", PSI_REG_MEMBER(args)},
    {AttrId::env, "env", G(Group::env), {}, T::environment, U::none, all, up, member, py,
     "environment, in the order given", PSI_REG_MEMBER(env)},
    {AttrId::cwd, "cwd", G(Group::cwd), {}, T::text, U::none, all, up, member, py,
     "current working directory", PSI_REG_MEMBER(cwd)},
    {AttrId::euid, "euid", G(Group::owner), {}, T::unsigned_, U::none, all, up, member, py,
     "effective user id", PSI_REG_MEMBER(euid)},
    {AttrId::ruid, "ruid", G(Group::creds), {}, T::unsigned_, U::none, all, up, member, py,
     "real user id", PSI_REG_MEMBER(ruid)},
    {AttrId::egid, "egid", G(Group::owner), {}, T::unsigned_, U::none, all, up, member, py,
     "effective group id", PSI_REG_MEMBER(egid)},
    {AttrId::rgid, "rgid", G(Group::creds), {}, T::unsigned_, U::none, all, up, member, py,
     "real group id", PSI_REG_MEMBER(rgid)},
    {AttrId::euser, "euser", owner_names, {}, T::text, U::none, all, up, member, py,
     "effective user name (decimal uid when it has none)", PSI_REG_MEMBER(euser)},
    {AttrId::ruser, "ruser", creds_names, {}, T::text, U::none, all, up, member, py,
     "real user name (decimal uid when it has none)", PSI_REG_MEMBER(ruser)},
    {AttrId::egroup, "egroup", owner_names, {}, T::text, U::none, all, up, member, py,
     "effective group name (decimal gid when it has none)", PSI_REG_MEMBER(egroup)},
    {AttrId::rgroup, "rgroup", creds_names, {}, T::text, U::none, all, up, member, py,
     "real group name (decimal gid when it has none)", PSI_REG_MEMBER(rgroup)},
    {AttrId::terminal, "terminal", stat, {}, T::text, U::none, all, up, member, py,
     "controlling terminal path (\"/dev/pts/3\"); empty: none", PSI_REG_MEMBER(terminal)},
    {AttrId::tty_dev, "tty_dev", stat, {}, T::unsigned_, U::none, all, up, member, no_py,
     "controlling terminal device number; 0: none", PSI_REG_MEMBER(tty_dev)},
    {AttrId::status, "status", stat, {}, T::status, U::none, all, up, member, py,
     "run state", PSI_REG_MEMBER(status)},
    {AttrId::status_letter, "status_letter", stat, {}, T::character, U::none, all, up, member, no_py,
     "run state as ps's first stat letter", PSI_REG_MEMBER(status_letter)},
    {AttrId::nice, "nice", stat, {}, T::integer, U::none, all, up, member, py, "nice value", PSI_REG_MEMBER(nice)},
    {AttrId::priority, "priority", stat, {}, T::integer, U::none, lin_sol, down, member, py,
     "real-time priority, 0 for normal tasks", PSI_REG_MEMBER(priority)},
    {AttrId::policy, "policy", stat, {}, T::integer, U::none, all, up, member, no_py,
     "scheduling policy", PSI_REG_MEMBER(policy)},
    {AttrId::kernel_priority, "kernel_priority", stat, {}, T::integer, U::none, all, up, member, no_py,
     "the kernel's priority number (its scale is each OS's own; Linux: stat 18)", PSI_REG_MEMBER(kernel_priority)},
    {AttrId::nthreads, "nthreads", stat, {}, T::integer, U::none, all, down, member, py,
     "number of threads", PSI_REG_MEMBER(nthreads)},
    {AttrId::processor, "processor", stat, {}, T::integer, U::none, lin_sol, up, member, py,
     "CPU it last ran on", PSI_REG_MEMBER(processor)},
    {AttrId::wchan, "wchan", G(Group::wchan), {}, T::text, U::none, lin, up, member, py,
     "kernel function it sleeps in; empty when running or not disclosed", PSI_REG_MEMBER(wchan)},
    {AttrId::flags, "flags", stat, {}, T::unsigned_, U::none, all, up, member, py,
     "kernel process flags word (its bits are each OS's own)", PSI_REG_MEMBER(flags)},
    {AttrId::start_time, "start_time", stat, {}, T::time, U::seconds, all, up, member, py,
     "start instant, UTC", PSI_REG_MEMBER(start_time)},
    {AttrId::jiffies, "jiffies", stat, {}, T::unsigned_, U::ticks, lin, up, member, py,
     "start time in clock ticks since boot (stat 22)", PSI_REG_MEMBER(jiffies)},
    {AttrId::utime, "utime", stat, {}, T::time, U::seconds, all, down, member, py,
     "user CPU time", PSI_REG_MEMBER(utime)},
    {AttrId::stime, "stime", stat, {}, T::time, U::seconds, all, down, member, py,
     "system CPU time", PSI_REG_MEMBER(stime)},
    {AttrId::rss, "rss", G(Group::memory), G(Group::creds), T::unsigned_, U::bytes, all, down,
     member, py, "resident set size", PSI_REG_MEMBER(rss)},
    {AttrId::vsz, "vsz", stat, {}, T::unsigned_, U::bytes, all, down, member, py,
     "virtual memory size", PSI_REG_MEMBER(vsz)},
    {AttrId::locked, "locked", G(Group::creds), {}, T::unsigned_, U::bytes, lin, down, member, no_py,
     "memory locked with mlock", PSI_REG_MEMBER(locked)},
    {AttrId::zoneid, "zoneid", stat, {}, T::integer, U::none, sol, up, member, py,
     "zone id", PSI_REG_MEMBER(zoneid)},
    {AttrId::zonename, "zonename", stat_names, {}, T::text, U::none, sol, up, member, py,
     "zone name", PSI_REG_MEMBER(zonename)},
    // -- w-io: process depth members (issue 12) --
    {AttrId::io_counters, "io_counters", G(Group::io), {}, T::io_counters, U::bytes, lin_mac, down, member, py,
     "I/O system calls and bytes (Linux: /proc/PID/io; needs ptrace access)", PSI_REG_DEPTH(io_counters)},
    {AttrId::num_fds, "num_fds", G(Group::fds), {}, T::unsigned_, U::none, all, down, member, py,
     "number of open file descriptors (Linux: entries of /proc/PID/fd)", PSI_REG_DEPTH(num_fds)},
    {AttrId::uss, "uss", G(Group::smaps), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "unique set size: Private_Clean + Private_Dirty + Private_Hugetlb (smaps_rollup)", PSI_REG_DEPTH(uss)},
    {AttrId::pss, "pss", G(Group::smaps), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "proportional set size (smaps_rollup Pss)", PSI_REG_DEPTH(pss)},
    {AttrId::swap_pss, "swap_pss", G(Group::smaps), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "proportional swap size (smaps_rollup SwapPss)", PSI_REG_DEPTH(swap_pss)},
    {AttrId::oom_score, "oom_score", G(Group::oom), {}, T::integer, U::none, lin, down, member, py,
     "OOM killer badness (Linux: oom_score)", PSI_REG_DEPTH(oom_score)},
    {AttrId::oom_score_adj, "oom_score_adj", G(Group::oom), {}, T::integer, U::none, lin, down, member, py,
     "OOM killer adjustment, -1000..1000 (Linux: oom_score_adj)", PSI_REG_DEPTH(oom_score_adj)},
    {AttrId::rlimits, "rlimits", G(Group::limits), {}, T::limits, U::none, lin, up, member, py,
     "resource limits: name -> (soft, hard) (Linux: /proc/PID/limits)", PSI_REG_DEPTH(rlimits)},
    {AttrId::cputime, "cputime", stat, {}, T::time, U::seconds, all, down, derived, py,
     "utime + stime", PSI_REG_DERIVED(p.cputime())},
    {AttrId::argc, "argc", G(Group::args), {}, T::unsigned_, U::none, all, down, derived, py,
     "number of arguments", PSI_REG_DERIVED(p.argc())},
    {AttrId::command, "command", Group::args | Group::stat, {}, T::text, U::none, all, up, derived, py,
     "' '.join(args), or name when args is empty", PSI_REG_DERIVED(p.command())},
    {AttrId::pcpu, "pcpu", stat, {}, T::real, U::percent, all, down, derived, py,
     "lifetime CPU use: cputime / time since start", PSI_REG_DERIVED(p.pcpu(TimeSpec{}))},
    {AttrId::parent, "parent", stat, {}, T::process, U::none, all, up, derived, py,
     "the parent process, if it still is the one", PSI_REG_MEMBER(ppid)},
    {AttrId::start_datetime, "start_datetime", stat, {}, T::datetime, U::none, all, up, derived,
     py, "start_time as a naive local datetime (Python)", PSI_REG_MEMBER(start_time)},
    // -- w-ns: cgroups, containers, namespaces (Linux: /proc/PID/cgroup, readlink ns/*) --
    {AttrId::cgroup, "cgroup", G(Group::cgroup), {}, T::text, U::none, lin, up, member, py,
     "unified (v2) cgroup path, the 0:: line of /proc/PID/cgroup", PSI_REG_DEPTH(cgroup)},
    {AttrId::cgroups, "cgroups", G(Group::cgroup), {}, T::cgroup_list, U::none, lin, up, member, py,
     "cgroup v1 hierarchies: (id, controllers, path), in file order", PSI_REG_DEPTH(cgroups)},
    {AttrId::container_id, "container_id", G(Group::cgroup), {}, T::text, U::none, lin, up, member, py,
     "id of the container its cgroup names (LXC: its name); empty: none", PSI_REG_DEPTH(container_id)},
    {AttrId::container_runtime, "container_runtime", G(Group::cgroup), {}, T::text, U::none, lin, up, member, py,
     "docker, containerd, cri-o, podman, kubepods or lxc; empty: none", PSI_REG_DEPTH(container_runtime)},
    {AttrId::pod_uid, "pod_uid", G(Group::cgroup), {}, T::text, U::none, lin, up, member, py,
     "Kubernetes pod UID its cgroup names; empty: none", PSI_REG_DEPTH(pod_uid)},
    {AttrId::lxc_name, "lxc_name", G(Group::cgroup), {}, T::text, U::none, lin, up, member, no_py,
     "LXC container name as procps ps reads it (not available: no LXC marker)", PSI_REG_DEPTH(lxc_name)},
    {AttrId::namespaces, "namespaces", G(Group::ns), {}, T::namespaces, U::none, lin, up, member, py,
     "namespace inodes by type (ipc mnt net pid ... cgroup)", PSI_REG_DEPTH(namespaces)},
    // -- w-threads: security label --
    {AttrId::label, "label", G(Group::label), {}, T::text, U::none, lin, up, member, py,
     "security label (LSM context, /proc/PID/attr/current)", PSI_REG_DEPTH(label)},
    // -- w-status: stat extras and the status group --
    {AttrId::minor_faults, "minor_faults", stat_usage, {}, T::unsigned_, U::none, all, down, member, py,
     "page faults that needed no disk read (Linux: stat 10; Solaris: usage pr_minf)", PSI_REG_MEMBER(minor_faults)},
    {AttrId::major_faults, "major_faults", stat_usage, {}, T::unsigned_, U::none, all, down, member, py,
     "page faults that read from disk (Linux: stat 12; Solaris: usage pr_majf)", PSI_REG_MEMBER(major_faults)},
    {AttrId::children_minor_faults, "children_minor_faults", stat, {}, T::unsigned_, U::none, lin, down, member, py,
     "minor faults of its waited-for children (stat 11)", PSI_REG_MEMBER(children_minor_faults)},
    {AttrId::children_major_faults, "children_major_faults", stat, {}, T::unsigned_, U::none, lin, down, member, py,
     "major faults of its waited-for children (stat 13)", PSI_REG_MEMBER(children_major_faults)},
    {AttrId::children_utime, "children_utime", stat, {}, T::time, U::seconds, lin_sol, down, member, py,
     "user CPU time of its waited-for children (stat 16)", PSI_REG_MEMBER(children_utime)},
    {AttrId::children_stime, "children_stime", stat, {}, T::time, U::seconds, lin_sol, down, member, py,
     "system CPU time of its waited-for children (stat 17)", PSI_REG_MEMBER(children_stime)},
    {AttrId::start_code, "start_code", stat, {}, T::unsigned_, U::none, lin, up, member, no_py,
     "address above which program text runs (stat 26; 1 without ptrace access)", PSI_REG_MEMBER(start_code)},
    {AttrId::end_code, "end_code", stat, {}, T::unsigned_, U::none, lin, up, member, no_py,
     "address below which program text runs (stat 27; 1 without ptrace access)", PSI_REG_MEMBER(end_code)},
    {AttrId::voluntary_ctxt_switches, "voluntary_ctxt_switches", G(Group::status), {}, T::unsigned_, U::none, lin_sol, down, member, py,
     "context switches it gave up the CPU for (status)", PSI_REG_DEPTH(voluntary_ctxt_switches)},
    {AttrId::involuntary_ctxt_switches, "involuntary_ctxt_switches", G(Group::status), {}, T::unsigned_, U::none, lin_sol, down, member, py,
     "context switches forced on it (status nonvoluntary_ctxt_switches)", PSI_REG_DEPTH(involuntary_ctxt_switches)},
    {AttrId::rss_peak, "rss_peak", G(Group::status), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "peak resident set size (status VmHWM)", PSI_REG_DEPTH(rss_peak)},
    {AttrId::vsz_peak, "vsz_peak", G(Group::status), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "peak virtual memory size (status VmPeak)", PSI_REG_DEPTH(vsz_peak)},
    {AttrId::swap, "swap", G(Group::status), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "swapped-out anonymous memory (status VmSwap)", PSI_REG_DEPTH(swap)},
    {AttrId::rss_anon, "rss_anon", G(Group::status), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "resident anonymous memory (status RssAnon)", PSI_REG_DEPTH(rss_anon)},
    {AttrId::rss_file, "rss_file", G(Group::status), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "resident file mappings (status RssFile)", PSI_REG_DEPTH(rss_file)},
    {AttrId::rss_shmem, "rss_shmem", G(Group::status), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "resident shared memory (status RssShmem)", PSI_REG_DEPTH(rss_shmem)},
    {AttrId::data_size, "data_size", G(Group::status), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "data + heap + private writable mappings (status VmData)", PSI_REG_DEPTH(data_size)},
    {AttrId::stack_size, "stack_size", G(Group::status), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "main stack size (status VmStk)", PSI_REG_DEPTH(stack_size)},
    {AttrId::text_size, "text_size", G(Group::status), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "program text size (status VmExe)", PSI_REG_DEPTH(text_size)},
    {AttrId::lib_size, "lib_size", G(Group::status), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "shared library code size (status VmLib)", PSI_REG_DEPTH(lib_size)},
    {AttrId::page_tables, "page_tables", G(Group::status), {}, T::unsigned_, U::bytes, lin, down, member, py,
     "page table size (status VmPTE)", PSI_REG_DEPTH(page_tables)},
    {AttrId::suid, "suid", G(Group::status), {}, T::unsigned_, U::none, lin, up, member, py,
     "saved set-user-id (status Uid 3)", PSI_REG_DEPTH(suid)},
    {AttrId::sgid, "sgid", G(Group::status), {}, T::unsigned_, U::none, lin, up, member, py,
     "saved set-group-id (status Gid 3)", PSI_REG_DEPTH(sgid)},
    {AttrId::fsuid, "fsuid", G(Group::status), {}, T::unsigned_, U::none, lin, up, member, py,
     "file-system user id (status Uid 4)", PSI_REG_DEPTH(fsuid)},
    {AttrId::fsgid, "fsgid", G(Group::status), {}, T::unsigned_, U::none, lin, up, member, py,
     "file-system group id (status Gid 4)", PSI_REG_DEPTH(fsgid)},
    {AttrId::supplementary_groups, "supplementary_groups", G(Group::status), {}, T::id_list, U::none, lin, up, member, py,
     "supplementary group ids (status Groups)", PSI_REG_DEPTH(supplementary_groups)},
    {AttrId::suser, "suser", status_names, {}, T::text, U::none, lin, up, member, py,
     "saved user name (decimal id when it has none)", PSI_REG_DEPTH(suser)},
    {AttrId::sgroup, "sgroup", status_names, {}, T::text, U::none, lin, up, member, py,
     "saved group name (decimal id when it has none)", PSI_REG_DEPTH(sgroup)},
    {AttrId::fsuser, "fsuser", status_names, {}, T::text, U::none, lin, up, member, py,
     "file-system user name (decimal id when it has none)", PSI_REG_DEPTH(fsuser)},
    {AttrId::fsgroup, "fsgroup", status_names, {}, T::text, U::none, lin, up, member, py,
     "file-system group name (decimal id when it has none)", PSI_REG_DEPTH(fsgroup)},
    {AttrId::sigmask, "sigmask", G(Group::status), {}, T::unsigned_, U::none, lin, up, member, py,
     "blocked signals, bit n-1 = signal n (status SigBlk)", PSI_REG_DEPTH(sigmask)},
    {AttrId::sigpending, "sigpending", G(Group::status), {}, T::unsigned_, U::none, lin, up, member, py,
     "signals pending for the process, bit n-1 = signal n (status ShdPnd)", PSI_REG_DEPTH(sigpending)},
    {AttrId::sigignore, "sigignore", G(Group::status), {}, T::unsigned_, U::none, lin, up, member, py,
     "ignored signals, bit n-1 = signal n (status SigIgn)", PSI_REG_DEPTH(sigignore)},
    {AttrId::sigcatch, "sigcatch", G(Group::status), {}, T::unsigned_, U::none, lin, up, member, py,
     "caught signals, bit n-1 = signal n (status SigCgt)", PSI_REG_DEPTH(sigcatch)},
    {AttrId::ns_pid, "ns_pid", G(Group::status), {}, T::integer, U::none, lin, up, member, py,
     "pid in its innermost pid namespace (status NSpid)", PSI_REG_DEPTH(ns_pid)},
    {AttrId::cpu_affinity, "cpu_affinity", G(Group::status), {}, T::id_list, U::none, lin, up, member, py,
     "CPUs it may run on, ascending (status Cpus_allowed_list)", PSI_REG_DEPTH(cpu_affinity)},
    {AttrId::supplementary_group_names, "supplementary_group_names", status_names, {}, T::list, U::none, lin, up,
     member, no_py, "supplementary group names (decimal gid when it has none)",
     PSI_REG_DEPTH(supplementary_group_names)},
};

#undef PSI_REG_MEMBER
#undef PSI_REG_DEPTH
#undef PSI_REG_DERIVED

}  // namespace registry_detail

inline constexpr const auto& attribute_table = registry_detail::table;

inline constexpr std::size_t attribute_count = sizeof attribute_table / sizeof attribute_table[0];

// PSI 0.2's names, kept by the Python binding; each reads its target.
inline constexpr AttrAlias attribute_aliases[] = {
    {"command_path", AttrId::exe},       {"user", AttrId::euser},           {"resident_size", AttrId::rss},
    {"virtual_size", AttrId::vsz},       {"parent_pid", AttrId::ppid},      {"threads", AttrId::nthreads},
    {"current_uid", AttrId::euid},       {"current_gid", AttrId::egid},     {"current_user", AttrId::euser},
    {"current_group", AttrId::egroup},   {"real_uid", AttrId::ruid},        {"real_gid", AttrId::rgid},
    {"real_user", AttrId::ruser},        {"real_group", AttrId::rgroup},
};

constexpr const AttrInfo& attr_info(AttrId id) { return attribute_table[static_cast<std::size_t>(id)]; }
constexpr Groups attr_groups(AttrId id) { return attr_info(id).groups; }
// Any attribute's status in a snapshot, without a switch per consumer.
inline AttrStatus attr_status(const ProcessInfo& p, AttrId id) { return attr_info(id).status(p); }

// By name or alias; nullptr when unknown. A binary search of a sorted index.
const AttrInfo* find_attribute(std::string_view name) noexcept;

// Groups, in bit order, and their names ("stat", "memory", ...).
inline constexpr Group all_group_list[] = {Group::stat,   Group::memory, Group::owner,  Group::creds, Group::args,
                                           Group::env,    Group::exe,    Group::cwd,    Group::names, Group::wchan,
                                           Group::status, Group::io,     Group::fds,    Group::smaps, Group::oom,
                                           Group::limits, Group::cgroup, Group::ns,     Group::label,
                                           Group::usage};
std::string_view group_name(Group g) noexcept;
std::optional<Group> parse_group(std::string_view name) noexcept;
// "stat|memory"; empty for no group.
std::string groups_text(Groups g);

// The normalisation rules, once:
// - names fills user and group names from the ids, so it pulls in owner
//   (the cheap probe) unless creds is read or asked for: creds gives the
//   owner ids too (Linux: status carries Uid/Gid);
// - names is the core's work, never a backend's.
// The groups a backend must read to serve `wanted` when `have` is read.
Groups backend_groups(Groups wanted, Groups have) noexcept;
// The groups whose attributes a System::process(pid, wanted) snapshot
// holds: wanted, stat (the core always reads it: identity), and owner when
// names or creds is in it (names pulls owner in; creds gives its ids).
// A platform's stat read may hold more at no cost (Group::usage, the
// faults, on Linux and macOS); a snapshot's groups_read is exact.
Groups served_groups(Groups wanted) noexcept;

}  // namespace psi
