// psi/psi.hpp - the whole public C++ API.
//
//   #include <psi/psi.hpp>
//   psi::System sys;
//   for (const psi::ProcessInfo& p : sys.table(psi::groups::ps))
//       std::printf("%d %s\n", p.pid, p.name.value_or("?").c_str());
#pragma once

#include "psi/attr.hpp"
#include "psi/error.hpp"
#include "psi/fields.hpp"
#include "psi/family.hpp"
#include "psi/process.hpp"
#include "psi/rates.hpp"
#include "psi/sysinfo.hpp"
#include "psi/system.hpp"
#include "psi/timespec.hpp"
#include "psi/version.hpp"
