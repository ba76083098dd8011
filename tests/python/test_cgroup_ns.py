"""The cgroup and ns groups (issue 12: cgroup, cgroups, container_id,
container_runtime, pod_uid, namespaces) against their oracles: the file
/proc/PID/cgroup and os.stat/os.readlink of /proc/PID/ns/*; children put
in a new UTS namespace and a new cgroup (as root); fixture trees with each
container runtime's paths."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import pytest

import psi
from psi.process import Process, ProcessTable

NS_NAMES = ("ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children", "user", "uts", "cgroup")
DOCKER_ID = "9b98bb265ea4c149d9a786380dd07716d341c3e925f2616040c6cd9ac8c4b75c"
POD_UID = "74c13223-5a00-11e9-b385-42010a80018d"

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="cgroups and namespaces are Linux's")


def cgroup_oracle(pid: int) -> Tuple[Optional[str], List[Tuple[int, str, str]]]:
    """/proc/PID/cgroup split by hand: the 0:: path and the v1 lines."""
    unified = None
    v1 = []
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        ident, controllers, path = line.split(":", 2)
        if ident == "0" and controllers == "":
            unified = path
        else:
            v1.append((int(ident), controllers, path))
    return unified, v1


def ns_oracle(pid: int) -> Dict[str, int]:
    out = {}
    for name in NS_NAMES:
        try:
            link = os.readlink(f"/proc/{pid}/ns/{name}")
            st = os.stat(f"/proc/{pid}/ns/{name}")
        except FileNotFoundError:
            continue  # a type this kernel does not have
        # "type:[inode]", the inode stat reports too.
        assert link == f"{name.replace('_for_children', '')}:[{st.st_ino}]"
        out[name] = st.st_ino
    return out


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen]:  # type: ignore[type-arg]
    p = subprocess.Popen(["sleep", "900"])
    yield p
    p.kill()
    p.wait()


@linux_only
def test_self_against_the_files() -> None:
    me = Process(os.getpid())
    unified, v1 = cgroup_oracle(os.getpid())
    if unified is None:
        with pytest.raises(psi.AttrNotAvailableError):
            me.cgroup
    else:
        assert me.cgroup == unified
    assert me.cgroups == tuple(v1)
    assert me.namespaces == ns_oracle(os.getpid())
    assert set(me.namespaces) <= set(NS_NAMES)


@linux_only
def test_table_reads_them_only_when_asked(sleeper: subprocess.Popen) -> None:  # type: ignore[type-arg]
    table = ProcessTable(attrs=["namespaces", "cgroup"])
    p = table[sleeper.pid]
    assert p.namespaces == ns_oracle(sleeper.pid)
    assert p.cgroups == tuple(cgroup_oracle(sleeper.pid)[1])


@linux_only
@pytest.mark.skipif(os.geteuid() != 0, reason="a new UTS namespace needs CAP_SYS_ADMIN")
def test_child_in_a_new_uts_namespace() -> None:
    # The child unshares its UTS namespace, says so on stdout, then waits;
    # only uts differs. The readiness line is printed from inside the new
    # namespace, so no timing guess is involved (a bounded spin on
    # /proc/PID/exe lost the race under ASan and load in CI).
    if hasattr(os, "unshare"):  # Python 3.12+
        argv = [sys.executable, "-c", "import os, time; os.unshare(os.CLONE_NEWUTS); "
                "print('ok', flush=True); time.sleep(900)"]
    else:
        argv = ["unshare", "-u", "sh", "-c", "echo ok; exec sleep 900"]
    child = subprocess.Popen(argv, stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None
        if child.stdout.readline() != b"ok\n":
            pytest.skip("unshare(CLONE_NEWUTS) refused here")
        theirs = Process(child.pid).namespaces
        ours = Process(os.getpid()).namespaces
        assert theirs == ns_oracle(child.pid)
        assert theirs["uts"] != ours["uts"]
        assert {k: v for k, v in theirs.items() if k != "uts"} == {k: v for k, v in ours.items() if k != "uts"}
    finally:
        child.kill()
        child.wait()


def _writable_cgroup_dirs() -> List[Path]:
    """cgroup hierarchies (v2 unified, v1 pids) where we may make a child group."""
    cands = []
    for mnt in Path("/proc/self/mounts").read_text().splitlines():
        parts = mnt.split()
        if parts[2] == "cgroup2" or (parts[2] == "cgroup" and "pids" in parts[3].split(",")):
            cands.append(Path(parts[1]))
    return [c for c in cands if os.access(c, os.W_OK)]


@linux_only
@pytest.mark.skipif(os.geteuid() != 0, reason="moving a process between cgroups needs root")
def test_child_in_a_new_cgroup(sleeper: subprocess.Popen) -> None:  # type: ignore[type-arg]
    moved = []
    for base in _writable_cgroup_dirs():
        group = base / f"psi-test-{uuid.uuid4().hex[:12]}"
        try:
            group.mkdir()
        except OSError:
            continue
        try:
            # The group's own path relative to the hierarchy root, which is
            # what /proc/PID/cgroup shows, whatever cgroup we sit in.
            (group / "cgroup.procs").write_text(f"{sleeper.pid}\n")
        except OSError:
            group.rmdir()
            continue
        moved.append(group)
    if not moved:
        pytest.skip("no writable cgroup hierarchy")
    try:
        p = Process(sleeper.pid)
        unified, v1 = cgroup_oracle(sleeper.pid)
        assert p.cgroups == tuple(v1)
        if unified is not None:
            assert p.cgroup == unified
        paths = [path for (_i, _c, path) in v1] + ([unified] if unified else [])
        for group in moved:
            assert any(path.endswith("/" + group.name) for path in paths), (group, paths)
        assert p.container_runtime is None and p.container_id is None
    finally:
        sleeper.kill()
        sleeper.wait()
        for group in moved:
            # The killed task leaves its cgroup asynchronously: retry for a
            # bounded time, not a bounded count (a count is too short under load).
            deadline = time.monotonic() + 10.0
            while True:
                try:
                    group.rmdir()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.01)


@linux_only
@pytest.mark.skipif(os.geteuid() != 0, reason="needs a user without ptrace access to us")
def test_namespaces_need_ptrace_access() -> None:
    """As nobody, another user's namespaces are refused (the ns links need
    ptrace read access); its cgroup file is world-readable."""
    target = os.getpid()
    expected = tuple(cgroup_oracle(target)[1])
    pid = os.fork()
    if pid == 0:  # the child reports through its exit status only
        code = 9
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            p = Process(target)
            try:
                p.namespaces
                code = 1
            except psi.AttrInsufficientPrivsError:
                code = 0 if p.cgroups == expected else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


# --- fixture trees -------------------------------------------------------


def stat_line(pid: int, comm: str, state: str = "S") -> str:
    fields = ["0"] * 49
    fields[0] = "1"   # ppid (field 4)
    fields[4] = "-1"  # tpgid (field 8)
    fields[18] = "100"  # starttime (field 22)
    return f"{pid} ({comm}) {state} " + " ".join(fields) + "\n"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proc"
    root.mkdir()
    (root / "uptime").write_text("1.00 1.00\n")
    cases = {
        10: f"0::/system.slice/docker-{DOCKER_ID}.scope\n",
        11: f"0::/docker/{DOCKER_ID}\n",
        12: f"0::/kubepods/besteffort/pod{POD_UID}/{DOCKER_ID}\n",
        13: ("0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
             f"{POD_UID.replace('-', '_')}.slice/cri-containerd-{DOCKER_ID}.scope\n"),
        14: f"0::/machine.slice/libpod-{DOCKER_ID}.scope/container\n",
        15: f"0::/system.slice/crio-{DOCKER_ID}.scope\n",
        16: "3:memory:/lxc/web1\n1:name=systemd:/lxc/web1\n",
        17: "0::/user.slice/user-1000.slice/session-2.scope\n",
    }
    for pid, text in cases.items():
        d = root / str(pid)
        d.mkdir()
        (d / "stat").write_text(stat_line(pid, "prog"))
        (d / "cgroup").write_text(text)
        (d / "ns").mkdir()
        for i, name in enumerate(NS_NAMES):
            os.symlink(f"{name.replace('_for_children', '')}:[{4026531830 + i}]", d / "ns" / name)
    d = root / "20"  # no cgroup file, no ns directory
    d.mkdir()
    (d / "stat").write_text(stat_line(20, "bare"))
    monkeypatch.setenv("PSI_PROCFS", str(root))
    return root


@linux_only
@pytest.mark.parametrize(
    "pid, runtime, ident, pod",
    [
        (10, "docker", DOCKER_ID, None),
        (11, "docker", DOCKER_ID, None),
        (12, "kubepods", DOCKER_ID, POD_UID),
        (13, "containerd", DOCKER_ID, POD_UID),
        (14, "podman", DOCKER_ID, None),
        (15, "cri-o", DOCKER_ID, None),
        (16, "lxc", "web1", None),
        (17, None, None, None),
    ],
)
def test_fixture_runtimes(tree: Path, pid: int, runtime: Optional[str], ident: Optional[str],
                          pod: Optional[str]) -> None:
    p = Process(pid)
    assert (p.container_runtime, p.container_id, p.pod_uid) == (runtime, ident, pod)
    assert p.namespaces == {name: 4026531830 + i for i, name in enumerate(NS_NAMES)}


@linux_only
def test_fixture_v1_only_and_missing(tree: Path) -> None:
    p = Process(16)
    assert p.cgroups == ((3, "memory", "/lxc/web1"), (1, "name=systemd", "/lxc/web1"))
    with pytest.raises(psi.AttrNotAvailableError):
        p.cgroup  # no 0:: line
    bare = Process(20)
    for attr in ("cgroup", "cgroups", "container_id", "container_runtime", "pod_uid", "namespaces"):
        with pytest.raises(psi.AttrNotAvailableError):
            getattr(bare, attr)
