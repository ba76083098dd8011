/* Stand-in for Solaris <zone.h> (getzonenamebyid(3C)), syntax check only. */
#pragma once
#include <sys/types.h>
typedef id_t zoneid_t;
#define ZONENAME_MAX 64
#ifdef __cplusplus
extern "C" {
#endif
ssize_t getzonenamebyid(zoneid_t id, char* buf, size_t buflen);
#ifdef __cplusplus
}
#endif
