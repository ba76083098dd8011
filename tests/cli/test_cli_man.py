"""The man page psi-ps.1: installed beside psi-ps (a pip install's
<venv>/share/man/man1, a CMake install's <prefix>/share/man/man1, or the
build tree), found by man(1), rendered by it, and in agreement with
`psi-ps --help` (both are made from src/cli/psi-ps.help)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

import pytest



def plain_env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "MANPATH")}
    env.update(extra)
    return env


def man_page_for(psi_ps: str) -> Optional[Path]:
    exe = Path(psi_ps).resolve()
    for cand in (exe.parent.parent / "share" / "man" / "man1" / "psi-ps.1",  # <prefix>/bin/psi-ps
                 exe.parent / "psi-ps.1",                                    # build tree
                 Path(sys.prefix) / "share" / "man" / "man1" / "psi-ps.1"):  # psi/_bin/psi-ps in a venv
        if cand.is_file():
            return cand
    return None


def render(page: Path) -> str:
    """The page as a reader sees it, plain text, wide enough that no option
    is broken across lines."""
    env = plain_env(MANWIDTH="200", MAN_KEEP_FORMATTING="", LC_ALL="C.UTF-8")
    if shutil.which("man"):
        out = subprocess.run(["man", "-l", str(page)], capture_output=True, text=True, env=env, check=True).stdout
    elif shutil.which("groff"):
        out = subprocess.run(["groff", "-man", "-Tutf8", "-rLL=200n", str(page)],
                             capture_output=True, text=True, env=env, check=True).stdout
    else:
        pytest.skip("neither man nor groff is installed: cannot render the page")
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)         # SGR bold/underline
    out = re.sub(r".\x08", "", out)                  # overstrike bold/underline
    return out.replace("\u2212", "-").replace("\u2010", "-")  # roff minus and hyphen


def help_options(psi_ps: str) -> List[str]:
    """The option column of --help: "-p, --pid LIST", "--sort [+|-]KEY,..", "a, x"."""
    text = subprocess.run([psi_ps, "--help"], capture_output=True, text=True, env=plain_env(), check=True).stdout
    terms = [m.group(1) for m in re.finditer(r"^  (\S+(?: \S+)*)  +\S", text, re.MULTILINE)]
    assert len(terms) >= 20, text
    return terms


@pytest.fixture(scope="module")
def page(psi_ps: str) -> Path:
    found = man_page_for(psi_ps)
    assert found is not None, f"no psi-ps.1 beside {psi_ps} (share/man/man1 or the build tree)"
    return found


def test_every_help_option_is_in_the_man_page(psi_ps: str, page: Path) -> None:
    text = render(page)
    assert text.lstrip().startswith("PSI-PS(1)")
    flat = " ".join(text.split())
    missing = [t for t in help_options(psi_ps) if " ".join(t.split()) not in flat]
    assert not missing, f"options of psi-ps --help missing from {page}: {missing}"
    # The version is the program's.
    version = subprocess.run([psi_ps, "--version"], capture_output=True, text=True, env=plain_env()).stdout.split()[-1]
    assert f"psi {version}" in flat


def test_man_finds_the_installed_page(psi_ps: str, page: Path) -> None:
    if not shutil.which("man"):
        pytest.skip("man is not installed")
    if page.parent.parent.name != "man":
        pytest.skip(f"{page} is in a build tree, not installed")
    # MANPATH as a user of a CMake install would set it ...
    r = subprocess.run(["man", "-w", "psi-ps"], capture_output=True, text=True,
                       env=plain_env(MANPATH=str(page.parent.parent)))
    assert r.returncode == 0 and Path(r.stdout.strip()) == page
    # ... and with no MANPATH: man-db looks in ../share/man of each PATH
    # directory, so an activated venv (its bin/ on PATH) is enough.
    bindir = page.parent.parent.parent.parent / "bin"
    if (bindir / "psi-ps").is_file():
        r = subprocess.run(["man", "-w", "psi-ps"], capture_output=True, text=True,
                           env=plain_env(PATH=f"{bindir}:/usr/bin:/bin"))
        assert r.returncode == 0 and Path(r.stdout.strip()) == page, r.stderr


def test_cmake_install_has_the_page(tmp_path: Path) -> None:
    """PSI_TEST_CMAKE_BUILD (tests/run_all.sh sets it) names a CMake build
    tree of this source; installing it puts the page where man finds it."""
    build = os.environ.get("PSI_TEST_CMAKE_BUILD")
    if not build:
        pytest.skip("PSI_TEST_CMAKE_BUILD is not set (no CMake build tree to install)")
    prefix = tmp_path / "prefix"
    subprocess.run(["cmake", "--install", build, "--prefix", str(prefix)], check=True,
                   capture_output=True, env=plain_env())
    installed = prefix / "share" / "man" / "man1" / "psi-ps.1"
    assert installed.is_file()
    assert installed.read_bytes() == (Path(build) / "src" / "cli" / "psi-ps.1").read_bytes()
    if shutil.which("man"):
        r = subprocess.run(["man", "psi-ps"], capture_output=True, text=True,
                           env=plain_env(MANPATH=str(prefix / "share" / "man"), MANWIDTH="200"))
        assert r.returncode == 0 and "--list-fields" in r.stdout.replace("\u2212", "-").replace("\u2010", "-")
