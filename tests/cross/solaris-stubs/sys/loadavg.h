/* Stand-in for Solaris <sys/loadavg.h> (getloadavg(3C)), syntax check only. */
#pragma once
#define LOADAVG_1MIN 0
#define LOADAVG_5MIN 1
#define LOADAVG_15MIN 2
#define LOADAVG_NSTATS 3
