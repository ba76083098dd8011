"""Configuring and building the C++ probes so `python bench/run.py` is the
only command a user types.

Targets are built one group at a time, so a library that does not compile
only costs the contenders that link it: the spawner and the floor probe use
no psi code and, if even CMake configuration fails, are compiled directly
with the C++ compiler as a fallback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

WARNINGS = ["-Wall", "-Wextra", "-Wpedantic"]


@dataclass
class Binaries:
    spawner: Optional[str] = None
    floor: Optional[str] = None
    snapshot: Optional[str] = None
    psi_ps: Optional[str] = None
    why_not: dict[str, str] = field(default_factory=dict)  # name -> reason missing


class Builder:
    def __init__(self, repo: Path, build_dir: Path, jobs: int, verbose: bool) -> None:
        self.repo = repo
        self.build_dir = build_dir
        self.jobs = jobs
        self.verbose = verbose
        self.log_path = build_dir / "bench-build.log"

    def _run(self, argv: list[str]) -> bool:
        self.build_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            log.write(("\n$ " + " ".join(argv) + "\n").encode())
            log.flush()
            if self.verbose:
                print("  $", " ".join(argv), flush=True)
            done = subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  check=False)
        return done.returncode == 0

    def _log_tail(self, lines: int = 12) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        errors = [ln for ln in text if "error" in ln.lower()]
        return "\n".join((errors or text)[-lines:])

    def configure(self) -> bool:
        # A generated build system, not just a cache: a configure that failed
        # half-way leaves CMakeCache.txt behind.
        if any((self.build_dir / f).exists() for f in ("build.ninja", "Makefile")):
            return True
        if shutil.which("cmake") is None:
            return False
        argv = ["cmake", "-S", str(self.repo), "-B", str(self.build_dir), "-DCMAKE_BUILD_TYPE=Release",
                "-DPSI_BUILD_TESTS=OFF", "-DPSI_BUILD_BENCH=ON", "-DPSI_BUILD_CLI=ON", "-DPSI_INSTALL=OFF"]
        if shutil.which("ninja"):
            argv += ["-G", "Ninja"]
        return self._run(argv)

    def build_targets(self, *targets: str) -> bool:
        return self._run(["cmake", "--build", str(self.build_dir), "-j", str(self.jobs), "--target", *targets])

    def _direct_compile(self, source: str, output: Path) -> bool:
        cxx = os.environ.get("CXX") or shutil.which("c++") or shutil.which("g++") or shutil.which("clang++")
        if cxx is None:
            return False
        output.parent.mkdir(parents=True, exist_ok=True)
        return self._run([cxx, "-std=c++20", "-O2", *WARNINGS, "-pthread", str(self.repo / "bench" / source),
                          "-o", str(output)])

    def build_all(self, want_snapshot: bool, want_psi_ps: bool) -> Binaries:
        bins = Binaries()
        out = self.build_dir / "bench"
        configured = self.configure()
        standalone = {"spawner": ("psi_bench_spawner", "spawner.cpp"),
                      "floor": ("psi_bench_floor", "floor_probe.cpp")}
        if configured and self.build_targets(*(t for t, _ in standalone.values())):
            for name, (target, _) in standalone.items():
                setattr(bins, name, str(out / target))
        else:
            # The library's CMake may be mid-change; these need none of it.
            for name, (target, source) in standalone.items():
                path = self.build_dir / "bench-direct" / target
                if self._direct_compile(source, path):
                    setattr(bins, name, str(path))
                else:
                    bins.why_not[name] = f"could not compile bench/{source} (see {self.log_path})"
        if not configured:
            reason = f"CMake configuration failed (see {self.log_path})"
            bins.why_not["snapshot"] = reason
            bins.why_not["psi_ps"] = reason
            return bins
        if want_snapshot:
            if self.build_targets("psi_bench_snapshot"):
                bins.snapshot = str(out / "psi_bench_snapshot")
            else:
                bins.why_not["snapshot"] = f"build of psi_bench_snapshot failed (see {self.log_path})"
        if want_psi_ps:
            bins.psi_ps = self._build_psi_ps()
            if bins.psi_ps is None:
                bins.why_not["psi_ps"] = f"no psi-ps target built in {self.build_dir} (see {self.log_path})"
        return bins

    def _build_psi_ps(self) -> Optional[str]:
        # The CLI's target name is the lead's choice; try the likely ones,
        # then look for the executable wherever the build put it.
        for target in ("psi-ps", "psi_ps"):
            if self.build_targets(target):
                break
        for path in sorted(self.build_dir.rglob("psi-ps")):
            if path.is_file() and os.access(path, os.X_OK):
                return str(path)
        return None

    def failure_summary(self) -> str:
        return self._log_tail()
