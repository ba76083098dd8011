#!/usr/bin/env bash
# The Solaris backend's system_info.cpp needs Solaris headers (<sys/mnttab.h>,
# <sys/loadavg.h>, <zone.h>) that no Linux toolchain has, so it is never
# compiled here. This compiles it with -fsyntax-only against stand-ins that
# declare what it uses as the man pages document it (solaris-stubs/): it
# catches typos and misused calls, not wrong semantics or a wrong struct.
# The rest of the Solaris backend (context, parse, process) is compiled and
# tested by tests/solaris. Usage: bash tests/cross/check_solaris_syntax.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cxx=${CXX:-g++}
"$cxx" -std=c++20 -fsyntax-only -Wall -Wextra -Werror \
  -I "$root/tests/cross/solaris-stubs" -I "$root/src" -I "$root/include" \
  "$root/src/platform/solaris/system_info.cpp"
echo "check_solaris_syntax: OK (src/platform/solaris/system_info.cpp against stand-in headers)"
