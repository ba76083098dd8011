"""In-process timing worker for the Python contenders (psi and psutil).

Started by bench/run.py as ``python py_worker.py KIND`` and driven over
stdin/stdout with the same line protocol as the C++ probes (bench/worker.hpp):
``run`` -> ``ns=... count=...``, ``mem`` -> ``key=value ...``. The first line
it writes is ``ready`` or ``skip=<reason>`` (module not importable).

KIND is one of:
  psi, psi_args        psi.process.ProcessTable(), then every ps-like
                       attribute of every process (args too for psi_args), so
                       lazy loading cannot hide any cost.
  psi_select           the same as psi, with ProcessTable(attrs=<those names>).
  psutil, psutil_args  psutil.process_iter() with the matching attributes,
                       its Process cache cleared before each pass, so each
                       pass is a fresh snapshot as psi's is.
"""

from __future__ import annotations

import ctypes
import gc
import sys
import time
import tracemalloc
from typing import Any, Callable, Optional

PS_ATTRS_PSI = ("pid", "ppid", "name", "euser", "rss", "vsz", "status", "start_time", "utime", "stime")
PS_ATTRS_PSUTIL = ["pid", "ppid", "name", "username", "memory_info", "status", "create_time", "cpu_times"]


def _read_row_slowly(proc: Any, names: tuple[str, ...]) -> int:
    # Only reached when an attribute raised (kernel thread's args, a process
    # that exited after the table was taken): a listing shows a placeholder.
    got = 0
    for name in names:
        try:
            getattr(proc, name)
            got += 1
        except Exception:  # noqa: BLE001 - any psi error is a placeholder cell
            pass
    return got


def make_psi(with_args: bool, select: bool = False) -> Callable[[], tuple[Any, int]]:
    """select: pass the attributes read as ProcessTable(attrs=...), so only
    their groups are read up front; otherwise the default table."""
    import psi.process  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415 - failure = skip

    names = PS_ATTRS_PSI + (("args",) if with_args else ())
    kwargs: dict[str, Any] = {"attrs": names} if select else {}
    try:
        psi.process.ProcessTable(**kwargs)
    except (TypeError, ValueError) as e:
        raise ImportError(f"ProcessTable(**{kwargs}) not supported: {e}") from None

    def one_pass() -> tuple[Any, int]:
        table = psi.process.ProcessTable(**kwargs)
        count = 0
        for proc in table.values():
            try:
                if with_args:
                    (proc.pid, proc.ppid, proc.name, proc.euser, proc.rss, proc.vsz, proc.status,
                     proc.start_time, proc.utime, proc.stime, proc.args)
                else:
                    (proc.pid, proc.ppid, proc.name, proc.euser, proc.rss, proc.vsz, proc.status,
                     proc.start_time, proc.utime, proc.stime)
            except Exception:  # noqa: BLE001
                _read_row_slowly(proc, names)
            count += 1
        return table, count

    return one_pass


def make_psutil(with_args: bool) -> Callable[[], tuple[Any, int]]:
    import psutil  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

    attrs = PS_ATTRS_PSUTIL + (["cmdline"] if with_args else [])
    clear = getattr(psutil.process_iter, "cache_clear", None)
    if clear is None:
        # psutil < 5.9.6 kept the cache in a module global.
        def clear() -> None:
            getattr(psutil, "_pmap", {}).clear()

    def one_pass() -> tuple[Any, int]:
        rows = [p.info for p in psutil.process_iter(attrs)]
        return rows, len(rows)

    one_pass.clear = clear  # type: ignore[attr-defined]
    return one_pass


# -- w-status: the status group alone, and psutil's calls that read the same file --
STATUS_ATTRS_PSI = ("voluntary_ctxt_switches", "involuntary_ctxt_switches", "suid", "rss_peak", "sigcatch")


def make_psi_status() -> Callable[[], tuple[Any, int]]:
    """ProcessTable(attrs=...) of status attributes: stat (identity) and
    /proc/PID/status per process, nothing else."""
    import psi.process  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415 - failure = skip

    try:
        psi.process.ProcessTable(attrs=STATUS_ATTRS_PSI)
    except (TypeError, ValueError) as e:
        raise ImportError(f"status attributes not supported: {e}") from None

    def one_pass() -> tuple[Any, int]:
        table = psi.process.ProcessTable(attrs=STATUS_ATTRS_PSI)
        for proc in table.values():
            _read_row_slowly(proc, STATUS_ATTRS_PSI)
        return table, len(table)

    return one_pass


def make_psutil_status() -> Callable[[], tuple[Any, int]]:
    """psutil's equivalents, all from /proc/PID/status (memory_info_ex is
    gone from psutil; memory_full_info reads smaps, another group)."""
    import psutil  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

    attrs = ["num_ctx_switches", "uids", "gids"]

    def one_pass() -> tuple[Any, int]:
        rows = [p.info for p in psutil.process_iter(attrs)]
        return rows, len(rows)

    one_pass.clear = getattr(psutil.process_iter, "cache_clear", lambda: None)  # type: ignore[attr-defined]
    return one_pass


class _MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def _malloc_in_use() -> int:
    """Bytes glibc malloc has handed out and not had back; -1 if unknown."""
    try:
        fn = ctypes.CDLL(None).mallinfo2  # glibc >= 2.33
    except (OSError, AttributeError):
        return -1
    fn.restype = _MallInfo2
    mi = fn()
    return int(mi.uordblks + mi.hblkhd)


def memory_report(one_pass: Callable[[], tuple[Any, int]]) -> str:
    """Bytes per process that holding one snapshot keeps allocated.

    Measured as what is given back when the snapshot is dropped, so caches
    and buffers that outlive it do not count. run.py starts this worker
    with PYTHONMALLOC=malloc for it: then Python objects and the extension's
    C++ vectors and strings all come from malloc, and one malloc counter
    ("heap") sees everything once. "traced" is tracemalloc's view, Python
    allocations only (not the C++ side of a psi table).
    """
    clear: Optional[Callable[[], None]] = getattr(one_pass, "clear", None)

    box: list[Any] = []  # the only reference to the snapshot being measured

    def release() -> None:
        box.clear()
        if clear:
            clear()  # psutil's Process cache lives exactly as long as the snapshot
        gc.collect()

    def take() -> int:
        snapshot, n = one_pass()
        box.append(snapshot)
        del snapshot
        gc.collect()
        return n

    take()  # warm: imports, caches, interned strings
    release()
    count = take()
    with_table = _malloc_in_use()
    release()
    heap = (with_table - _malloc_in_use()) / max(count, 1) if with_table >= 0 else -1.0
    tracemalloc.start()
    count = take()
    traced_with, _peak = tracemalloc.get_traced_memory()
    release()
    traced = (traced_with - tracemalloc.get_traced_memory()[0]) / max(count, 1)
    tracemalloc.stop()
    return f"count={count} heap={heap:.1f} traced={traced:.1f}"


def main() -> int:
    kind = sys.argv[1] if len(sys.argv) > 1 else ""
    makers = {"psi": lambda: make_psi(False), "psi_args": lambda: make_psi(True),
              "psi_select": lambda: make_psi(False, select=True),
              "psutil": lambda: make_psutil(False), "psutil_args": lambda: make_psutil(True),
              "psi_status": make_psi_status, "psutil_status": make_psutil_status}
    if kind not in makers:
        print(f"skip=unknown kind {kind!r}", flush=True)
        return 2
    try:
        one_pass = makers[kind]()
    except ImportError as e:
        print(f"skip={type(e).__name__}: {e}".replace("\n", " "), flush=True)
        return 0
    clear = getattr(one_pass, "clear", None)
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "run":
            if clear:
                clear()
            gc.collect()
            t0 = time.perf_counter_ns()
            held, count = one_pass()
            elapsed = time.perf_counter_ns() - t0
            del held  # freeing the snapshot is not part of taking it
            print(f"ns={elapsed} count={count}", flush=True)
        elif cmd == "mem":
            print(memory_report(one_pass), flush=True)
        else:
            print("error=unknown-command", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
