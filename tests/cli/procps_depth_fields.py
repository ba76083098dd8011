"""procps ps's exact formats for the psi-ps columns of issue 12 ("process
depth"): an oracle table for the later integration into psi-ps.

Read from procps-ng 4.0.2 (the `ps` of this test machine): src/ps/output.c
(the format_array rows: header, width, justification; the pr_* printers:
how a value is written) and library/readproc.c + library/pids.c (which
/proc file each value comes from, what it is when that file cannot be read).
test_procps_depth_formats.py checks every header and justification against
the live `ps`, and the value formats against /proc for a child it controls.

Layout rules of ps (output.c show_one_proc), needed to read the table:
- "right": the value is right-justified in `width` cells. A longer value or
  header is printed whole and pushes the rest of the line right; the next
  column absorbs the overflow in its own left padding when it can (so
  "WCBYTES", 7 cells in a 5-cell column, still lines up with the next
  column's right edge).
- "left" (lxc): left-justified, padded to `width` unless last.
- "user" (fuser, fgroup): a name, left-justified, padded to `width` unless
  last. A name longer than the column is cut to width-1 cells plus "+";
  an id without a name prints as its decimal number, justified the same
  way (right-justified only under -n). As the last column there is no cut.
- "unlimited" (cgroup, cgname, supgid, supgrp): left-justified and cut to
  `width` cells when another column follows; whole when it is the last one.
- "signal": one mask of /proc/PID/status. When the line has room for 7 more
  cells per signal column (total + 7 * columns <= terminal width; when
  stdout is not a terminal the width is ps's whole output buffer unless
  COLUMNS sets it, global.c set_screen_size), all 16 hex digits
  right-justified in 16 cells ("wide"); else the low 8 hex digits right-
  justified in 9 cells ("narrow"), written as "<" and the low 8 digits
  when a signal above 32 is in the set.
Absent values: the I/O and smaps counters stay 0 when the file cannot be
read (no ptrace access, kernel thread), namespaces print "-", cgroup/cgname
/lxc/supgid/supgrp print "-" when empty.

Fields this procps does not know: none of the list (all 46 names are in
4.0.2's format_array). procps's "sig" and "sigmask"/"sigcatch"/"sigignore"
are aliases of pending/blocked/caught/ignored with the same headers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict


@dataclass(frozen=True)
class DepthField:
    header: str  # what ps prints in the header line
    width: int  # procps's column width (signal: 9 narrow, 16 wide)
    align: str  # right | left | user | unlimited | signal
    fmt: str  # how the value is written
    source: str  # the /proc file(s) ps reads for it


_IO = "/proc/PID/io"
_IO_NOTE = "%lu decimal of /proc/PID/io {key}; 0 when io cannot be read (no ptrace access)"
_NS = "/proc/PID/ns/{ns}"
_NS_NOTE = "%lu decimal inode of the {ns} namespace (readlink/stat of /proc/PID/ns/{ns}); '-' when unreadable"
_ID_NOTE = "%d of the {what} from /proc/PID/status {line} (an unsigned printed signed: ids above 2^31-1 show negative)"
_SIG_NOTE = (
    "/proc/PID/status {line} as hex: wide, 16 digits in 16 cells; narrow, the low 8 digits right-justified in 9, "
    "as '<' + low 8 when a signal above 32 is set"
)

FIELDS: Dict[str, DepthField] = {
    # --- page faults (stat) -------------------------------------------------
    "maj_flt": DepthField("MAJFL", 6, "right", "%lu decimal of stat field 12 (majflt); with S, + field 13 (cmajflt)",
                          "/proc/PID/stat"),
    "min_flt": DepthField("MINFL", 6, "right", "%lu decimal of stat field 10 (minflt); with S, + field 11 (cminflt)",
                          "/proc/PID/stat"),
    # --- I/O (io) -----------------------------------------------------------
    "rops": DepthField("ROPS", 5, "right", _IO_NOTE.format(key="syscr"), _IO),
    "wops": DepthField("WOPS", 5, "right", _IO_NOTE.format(key="syscw"), _IO),
    "rbytes": DepthField("RBYTES", 5, "right", _IO_NOTE.format(key="read_bytes"), _IO),
    "wbytes": DepthField("WBYTES", 5, "right", _IO_NOTE.format(key="write_bytes"), _IO),
    "rchars": DepthField("RCHARS", 5, "right", _IO_NOTE.format(key="rchar"), _IO),
    "wchars": DepthField("WCHARS", 5, "right", _IO_NOTE.format(key="wchar"), _IO),
    "wcbytes": DepthField("WCBYTES", 5, "right", _IO_NOTE.format(key="cancelled_write_bytes"), _IO),
    # --- memory sizes, KiB ----------------------------------------------------
    "drs": DepthField("DRS", 5, "right",
                      "%ld KiB: (vsize - endcode + startcode) >> 10, stat fields 23, 27, 26; 0 when vsize is 0 "
                      "(kernel thread). Not statm's drs.", "/proc/PID/stat"),
    "trs": DepthField("TRS", 4, "right",
                      "%ld KiB: (endcode - startcode) >> 10, stat fields 27, 26; 0 when vsize is 0; 0 without "
                      "ptrace access (the kernel then shows 1 for both)", "/proc/PID/stat"),
    "size": DepthField("SIZE", 5, "right", "%lu KiB: VmData + VmStk of /proc/PID/status (0 when absent)",
                       "/proc/PID/status"),
    "uss": DepthField("USS", 5, "right",
                      "%lu KiB: Private_Clean + Private_Dirty of smaps_rollup (no Private_Hugetlb, unlike psutil); "
                      "0 when unreadable", "/proc/PID/smaps_rollup"),
    "pss": DepthField("PSS", 5, "right", "%lu KiB: Pss of smaps_rollup; 0 when unreadable", "/proc/PID/smaps_rollup"),
    # --- cgroups and containers -----------------------------------------------
    "cgroup": DepthField("CGROUP", 27, "unlimited",
                         "the lines of /proc/PID/cgroup that do not end in '/' (root cgroups skipped), whole "
                         "'ID:controllers:path', joined with ','; '-' when none; control characters escaped",
                         "/proc/PID/cgroup"),
    "cgname": DepthField("CGNAME", 27, "unlimited",
                         "the cgroup string from just after its first ':name=' (a named v1 hierarchy) to the end; "
                         "without ':name=', the whole cgroup string", "/proc/PID/cgroup"),
    "lxc": DepthField("LXC", 8, "left",
                      "%s: the LXC container name: in the first cgroup line holding 'lxc.payload.' (else "
                      "'lxc.payload/', else 'lxc/'), the text after the last such marker up to the next '/'; "
                      "'-' when none", "/proc/PID/cgroup"),
    # --- namespaces -------------------------------------------------------------
    "ipcns": DepthField("IPCNS", 10, "right", _NS_NOTE.format(ns="ipc"), _NS.format(ns="ipc")),
    "mntns": DepthField("MNTNS", 10, "right", _NS_NOTE.format(ns="mnt"), _NS.format(ns="mnt")),
    "netns": DepthField("NETNS", 10, "right", _NS_NOTE.format(ns="net"), _NS.format(ns="net")),
    "pidns": DepthField("PIDNS", 10, "right", _NS_NOTE.format(ns="pid"), _NS.format(ns="pid")),
    "userns": DepthField("USERNS", 10, "right", _NS_NOTE.format(ns="user"), _NS.format(ns="user")),
    "utsns": DepthField("UTSNS", 10, "right", _NS_NOTE.format(ns="uts"), _NS.format(ns="uts")),
    "cgroupns": DepthField("CGROUPNS", 10, "right", _NS_NOTE.format(ns="cgroup"), _NS.format(ns="cgroup")),
    "timens": DepthField("TIMENS", 10, "right", _NS_NOTE.format(ns="time"), _NS.format(ns="time")),
    # --- OOM killer -------------------------------------------------------------
    "oom": DepthField("OOM", 4, "right", "%d of /proc/PID/oom_score", "/proc/PID/oom_score"),
    "oomadj": DepthField("OOMADJ", 5, "right", "%d of /proc/PID/oom_score_adj (-1000..1000; not the old oom_adj)",
                         "/proc/PID/oom_score_adj"),
    # --- saved and file-system ids ----------------------------------------------
    "svuid": DepthField("SVUID", 5, "right", _ID_NOTE.format(what="saved uid", line="Uid: (3rd)"), "/proc/PID/status"),
    "svgid": DepthField("SVGID", 5, "right", _ID_NOTE.format(what="saved gid", line="Gid: (3rd)"), "/proc/PID/status"),
    "suid": DepthField("SUID", 5, "right", _ID_NOTE.format(what="saved uid", line="Uid: (3rd)"), "/proc/PID/status"),
    "sgid": DepthField("SGID", 5, "right", _ID_NOTE.format(what="saved gid", line="Gid: (3rd)"), "/proc/PID/status"),
    "fuid": DepthField("FUID", 5, "right", _ID_NOTE.format(what="fs uid", line="Uid: (4th)"), "/proc/PID/status"),
    "fgid": DepthField("FGID", 5, "right", _ID_NOTE.format(what="fs gid", line="Gid: (4th)"), "/proc/PID/status"),
    "fuser": DepthField("FUSER", 8, "user", "user name of the fs uid (Uid: 4th), left-justified, cut to 7 cells + "
                        "'+' when longer and not last; the uid in decimal when it has no name", "/proc/PID/status"),
    "fgroup": DepthField("FGROUP", 8, "user", "group name of the fs gid (Gid: 4th), cut like fuser; the gid when "
                         "it has no name", "/proc/PID/status"),
    "supgid": DepthField("SUPGID", 20, "unlimited",
                         "the Groups: line of /proc/PID/status, decimal ids joined with ','; '-' when none",
                         "/proc/PID/status"),
    "supgrp": DepthField("SUPGRP", 40, "unlimited",
                         "the Groups: ids as group names (the id when it has no name) joined with ','; '-' when none",
                         "/proc/PID/status"),
    # --- signal masks -------------------------------------------------------------
    "blocked": DepthField("BLOCKED", 9, "signal", _SIG_NOTE.format(line="SigBlk"), "/proc/PID/status"),
    "pending": DepthField("PENDING", 9, "signal",
                          _SIG_NOTE.format(line="ShdPnd (process-wide; SigPnd on thread lines, -L/H)"),
                          "/proc/PID/status"),
    "ignored": DepthField("IGNORED", 9, "signal", _SIG_NOTE.format(line="SigIgn"), "/proc/PID/status"),
    "caught": DepthField("CAUGHT", 9, "signal", _SIG_NOTE.format(line="SigCgt"), "/proc/PID/status"),
    "sig": DepthField("PENDING", 9, "signal", "alias of pending", "/proc/PID/status"),
    "sigmask": DepthField("BLOCKED", 9, "signal", "alias of blocked", "/proc/PID/status"),
    "sigcatch": DepthField("CAUGHT", 9, "signal", "alias of caught", "/proc/PID/status"),
    "sigignore": DepthField("IGNORED", 9, "signal", "alias of ignored", "/proc/PID/status"),
}

# Names procps 4.0.2 does not know among issue 12's list (none; kept so the
# integration can assert on it).
UNKNOWN_TO_PROCPS: tuple = ()

# The status line behind each signal column.
SIGNAL_LINES: Dict[str, str] = {
    "blocked": "SigBlk", "sigmask": "SigBlk", "pending": "ShdPnd", "sig": "ShdPnd",
    "ignored": "SigIgn", "sigignore": "SigIgn", "caught": "SigCgt", "sigcatch": "SigCgt",
}


def signal_cell(mask: int, wide: bool) -> str:
    """A signal mask as ps writes it (output.c help_pr_sig), unpadded."""
    digits = format(mask, "016x")
    if wide:
        return digits
    if len(digits.lstrip("0")) > 8:
        return "<" + digits[-8:]
    return digits[-8:]


def cgroup_cell(cgroup_text: str) -> str:
    """The whole cgroup column (readproc.c fill_cgroup_cvt) for plain text
    (no control characters): the lines not ending in '/', joined with ','."""
    lines = [ln for ln in cgroup_text.split("\n") if ln and not ln.endswith("/")]
    return ",".join(lines) if lines else "-"


def cgname_cell(cgroup_text: str) -> str:
    cg = cgroup_cell(cgroup_text)
    at = cg.find(":name=")
    return cg[at + 6:] if at >= 0 and cg[at + 6:] else cg
