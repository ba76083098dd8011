// The whole contract between the portable core and a platform backend: the
// process reader (backend_process.hpp) and the system facts
// (backend_system.hpp). Code that needs one half includes that header.
#pragma once

#include "core/backend_process.hpp"
#include "core/backend_system.hpp"
