/* Stand-in for Solaris <sys/mnttab.h>, for a syntax check on Linux only:
 * the declarations src/platform/solaris/system_info.cpp uses, as mnttab(5)
 * and getmntent(3C) document them. Not a copy of the real header. */
#pragma once
#include <stdio.h>
#define MNTTAB "/etc/mnttab"
#define MNT_TOOLONG 1
#define MNT_TOOMANY 2
#define MNT_TOOFEW 3
struct mnttab {
    char* mnt_special;
    char* mnt_mountp;
    char* mnt_fstype;
    char* mnt_mntopts;
    char* mnt_time;
};
#ifdef __cplusplus
extern "C" {
#endif
int getmntent(FILE* fp, struct mnttab* mp);
#ifdef __cplusplus
}
#endif
