"""The recipes in examples/ (shown in docs/recipes.md), each run as a user
would run it, against processes this test starts; what they print is
checked against /proc read directly, pgrep and the os module."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Set

import pytest

from _psi_helpers import Spawner, proc_state, settle, wait_until

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def plain_env() -> Dict[str, str]:
    """The environment for system programs: no sanitizer preload (procps
    tools hang with libasan preloaded; see tests/run_all.sh)."""
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    return env


def run_example(name: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args], capture_output=True, text=True, timeout=timeout
    )


def rss_kib(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KIB


def ppid_of(pid: int) -> int:
    data = Path(f"/proc/{pid}/stat").read_bytes()
    return int(data[data.rindex(b")") + 2 :].split()[1])


def children_of(pid: int) -> List[int]:
    """Children from /proc, not from psi."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if ppid_of(int(entry)) == pid:
                    out.append(int(entry))
            except (OSError, ValueError):
                pass
    return out


def gone_or_zombie(pid: int) -> bool:
    try:
        return proc_state(pid) in ("Z", "X")
    except (OSError, IndexError):
        return True


def test_every_example_is_tested() -> None:
    tested = {"top_memory.py", "find_by_name.py", "kill_tree.py", "watch_process.py",
              "deleted_binaries.py", "container_processes.py"}
    assert {p.name for p in EXAMPLES.glob("*.py")} == tested
    recipes = (EXAMPLES.parent / "docs" / "recipes.md").read_text()
    for name in tested:
        assert f"examples/{name}" in recipes, f"docs/recipes.md does not show {name}"
        # The code shown is the script's, from its imports on.
        code = (EXAMPLES / name).read_text()
        code = code[code.index("\nimport ") + 1 :]
        assert code in recipes, f"docs/recipes.md shows an old copy of {name}"


def test_top_memory(spawn: Spawner) -> None:
    # A child holding 150 MiB it has written to (so it is resident).
    hog = spawn([sys.executable, "-c", "import sys, time\nb = b'x' * (150 << 20)\nprint('ready', flush=True)\ntime.sleep(120)"],
                stdout=subprocess.PIPE)
    assert hog.stdout is not None and hog.stdout.readline() == b"ready\n"
    settle(hog.pid)
    r = run_example("top_memory.py", "-n", "1000000")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["PID", "RSS_KIB", "USER", "COMMAND"]
    rows = [ln.split(None, 3) for ln in lines[1:]]
    sizes = [int(row[1]) for row in rows]
    assert sizes == sorted(sizes, reverse=True)
    mine = [row for row in rows if int(row[0]) == hog.pid]
    assert len(mine) == 1
    assert int(mine[0][1]) == rss_kib(hog.pid) >= 150 << 10
    assert mine[0][2] == pwd.getpwuid(os.geteuid()).pw_name[:10]
    # -n limits the list.
    r = run_example("top_memory.py", "-n", "3")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 4


def test_find_by_name(spawn: Spawner) -> None:
    # Two sleepers with an argument no other process has.
    arg = f"{3000 + os.getpid() % 1000}.{time.monotonic_ns() % 10**6}"
    kids = {spawn(["sleep", arg], env=plain_env()).pid for _ in range(2)}
    pattern = "^sleep " + re.escape(arg) + "$"
    r = run_example("find_by_name.py", "-f", pattern)
    assert r.returncode == 0, r.stderr
    found = {int(ln.split()[0]): ln.split(None, 1)[1] for ln in r.stdout.splitlines()}
    assert set(found) == kids
    assert set(found.values()) == {f"sleep {arg}"}
    oracle = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True, env=plain_env())
    assert {int(x) for x in oracle.stdout.split()} == kids

    # By name (comm): ours are among them, and every one listed is a sleep.
    r = run_example("find_by_name.py", "^sleep$")
    assert r.returncode == 0
    listed = [int(ln.split()[0]) for ln in r.stdout.splitlines()]
    assert kids <= set(listed)
    for pid in listed:
        try:
            assert Path(f"/proc/{pid}/comm").read_text() == "sleep\n"
        except FileNotFoundError:
            pass  # another sleep that has ended since

    r = run_example("find_by_name.py", "^no-such-process-name-here$")
    assert r.returncode == 1 and r.stdout == ""


def test_kill_tree(spawn: Spawner) -> None:
    env = plain_env()
    top = spawn(["sh", "-c", 'sleep 300 & sh -c "sleep 300 & sleep 300 & wait" & wait'], env=env)
    bystander = spawn(["sleep", "300"], env=env)

    def tree() -> Set[int]:
        found, todo = {top.pid}, [top.pid]
        while todo:
            for child in children_of(todo.pop()):
                found.add(child)
                todo.append(child)
        return found

    assert wait_until(lambda: len(tree()) == 5 and
                      all(Path(f"/proc/{p}/comm").read_text() in ("sh\n", "sleep\n") for p in tree()))
    expected = tree()
    r = run_example("kill_tree.py", str(top.pid))
    assert r.returncode == 0, r.stderr
    killed = {int(ln.split()[0]) for ln in r.stdout.splitlines()}
    assert killed == expected
    top.wait(timeout=10)
    # The others were reparented; whoever reaps them, they are dead.
    assert wait_until(lambda: all(gone_or_zombie(p) for p in expected))
    assert proc_state(bystander.pid) == "S"


def test_watch_process(spawn: Spawner) -> None:
    sleeper = spawn(["sleep", "60"], env=plain_env())
    settle(sleeper.pid)
    r = run_example("watch_process.py", "--interval", "0.1", "--count", "3", str(sleeper.pid))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == f"watching {sleeper.pid} sleep 60"
    rows = [ln.split() for ln in lines[2:]]
    assert len(rows) == 3
    for _, pcpu, rss, threads, status in rows:
        assert float(pcpu) < 50.0  # a sleeper
        assert int(rss) == rss_kib(sleeper.pid)
        assert int(threads) == 1
        assert status == "sleeping" and proc_state(sleeper.pid) == "S"

    # It stops by itself when the process exits.
    brief = spawn(["sleep", "0.5"], env=plain_env())
    r = run_example("watch_process.py", "--interval", "0.1", str(brief.pid), timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == f"process {brief.pid} exited"
    assert gone_or_zombie(brief.pid)


def test_deleted_binaries(spawn: Spawner, tmp_path: Path) -> None:
    sleep = shutil.which("sleep")
    assert sleep is not None
    copy = tmp_path / "psi-recipe-sleep"
    shutil.copy2(sleep, copy)
    try:
        doomed = spawn([str(copy), "60"], env=plain_env())
    except PermissionError:
        pytest.skip(f"cannot run programs from {tmp_path} (noexec)")
    kept = spawn(["sleep", "60"], env=plain_env())
    settle(doomed.pid)
    copy.unlink()
    assert os.readlink(f"/proc/{doomed.pid}/exe") == f"{copy} (deleted)"

    r = run_example("deleted_binaries.py")
    assert r.returncode == 0, r.stderr
    rows = {int(ln.split()[0]): ln.split(None, 2)[2] for ln in r.stdout.splitlines()[1:]}
    assert rows.get(doomed.pid) == str(copy)
    assert kept.pid not in rows
    for pid in rows:  # the oracle: the kernel's own mark on the link
        try:
            assert os.readlink(f"/proc/{pid}/exe").endswith(" (deleted)")
        except FileNotFoundError:
            pass  # exited since


def test_container_processes(spawn: Spawner) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("no unshare(1) to start a process in a new pid namespace")
    outer = spawn(["unshare", "--pid", "--fork", "sleep", "60"], env=plain_env(), stderr=subprocess.PIPE)
    if not wait_until(lambda: outer.poll() is not None or len(children_of(outer.pid)) == 1, timeout=10) \
            or outer.poll() is not None:
        err = outer.stderr.read().decode() if outer.stderr else ""
        pytest.skip(f"cannot create a pid namespace here (unshare: {err.strip()})")
    inner = children_of(outer.pid)[0]
    assert wait_until(lambda: Path(f"/proc/{inner}/comm").read_text() == "sleep\n")
    ns = os.readlink(f"/proc/{inner}/ns/pid")
    mine = os.readlink("/proc/self/ns/pid")
    assert ns != mine

    r = run_example("container_processes.py")
    assert r.returncode == 0, r.stderr
    groups: Dict[str, List[int]] = {}
    current = ""
    for ln in r.stdout.splitlines():
        if ln.startswith("  "):
            groups[current].append(int(ln.split()[0]))
        else:
            current = ln.split()[0]
            groups[current] = []
    assert inner in groups.get(ns, [])
    listed = [pid for pids in groups.values() for pid in pids]
    assert outer.pid not in listed and os.getpid() not in listed
    for space, pids in groups.items():  # the oracle: the kernel's links
        for pid in pids:
            try:
                assert os.readlink(f"/proc/{pid}/ns/pid") == space != mine
            except FileNotFoundError:
                pass  # exited since
