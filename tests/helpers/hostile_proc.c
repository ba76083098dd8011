/* A process that makes its own /proc entries hostile, for the hardening
 * tests (tests/linux/test_hostile.cpp, tests/python/test_hostile.py,
 * tests/cli/test_cli_hostile_lib.py). It changes what the kernel shows as
 * its argument and environment areas, prints "ready" and sleeps until
 * killed (or until its parent dies: PR_SET_PDEATHSIG).
 *
 *   hostile_proc args HEX           cmdline becomes exactly these bytes
 *   hostile_proc env HEX            environ becomes exactly these bytes
 *                                   (@PATH instead of HEX: the bytes of that
 *                                   file, for areas beyond MAX_ARG_STRLEN)
 *   hostile_proc big MIB [tail]     cmdline: MIB MiB of zero pages (never
 *                                   touched, so they cost no memory); with
 *                                   "tail", the area ends in "x\0", so the
 *                                   NULs are not trailing padding
 *   hostile_proc empty-argv         re-executes itself with argv = {NULL}
 *   hostile_proc pause              just prints ready and sleeps
 *
 * The areas are moved with prctl(PR_SET_MM, PR_SET_MM_MAP): the kernel lets
 * a process describe its own memory map without privilege (only exe_fd
 * would need CAP_CHECKPOINT_RESTORE), CONFIG_CHECKPOINT_RESTORE permitting.
 * Failing that (EINVAL, EPERM), PR_SET_MM_ARG_START and friends, which need
 * CAP_SYS_RESOURCE, are tried in an order that keeps start <= end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/prctl.h>

extern char** environ;

static void die(const char* what) {
    fprintf(stderr, "hostile_proc: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* Fields 26-28 and 45-51 of /proc/self/stat (proc(5)): what PR_SET_MM_MAP
 * must be given back unchanged. */
static int own_map(struct prctl_mm_map* m) {
    char buf[4096];
    FILE* f = fopen("/proc/self/stat", "re");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char* p = strrchr(buf, ')');
    if (!p) return -1;
    unsigned long long v[52] = {0};
    int field = 3;
    for (char* tok = strtok(p + 2, " \n"); tok && field <= 51; tok = strtok(NULL, " \n"), ++field)
        v[field] = strtoull(tok, NULL, 10);
    memset(m, 0, sizeof *m);
    m->start_code = v[26];
    m->end_code = v[27];
    m->start_stack = v[28];
    m->start_data = v[45];
    m->end_data = v[46];
    m->start_brk = v[47];
    m->brk = (unsigned long long)(unsigned long)sbrk(0);
    m->arg_start = v[48];
    m->arg_end = v[49];
    m->env_start = v[50];
    m->env_end = v[51];
    m->exe_fd = (__u32)-1;
    return 0;
}

/* Points the argument (which=0) or environment (which=1) area at [lo, hi). */
static void set_area(int which, unsigned long lo, unsigned long hi) {
    struct prctl_mm_map m;
    if (own_map(&m) != 0) die("reading /proc/self/stat");
    unsigned long old_lo = which ? m.env_start : m.arg_start;
    if (which) { m.env_start = lo; m.env_end = hi; }
    else { m.arg_start = lo; m.arg_end = hi; }
    if (prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&m, sizeof m, 0) == 0) return;
    int opt_lo = which ? PR_SET_MM_ENV_START : PR_SET_MM_ARG_START;
    int opt_hi = which ? PR_SET_MM_ENV_END : PR_SET_MM_ARG_END;
    /* One at a time the kernel checks start <= end after each step. */
    int first = lo > old_lo ? opt_hi : opt_lo, second = first == opt_hi ? opt_lo : opt_hi;
    if (prctl(PR_SET_MM, first, first == opt_hi ? hi : lo, 0, 0) != 0) die("prctl PR_SET_MM");
    if (prctl(PR_SET_MM, second, second == opt_hi ? hi : lo, 0, 0) != 0) die("prctl PR_SET_MM");
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The bytes of HEX (or of file PATH for "@PATH") in a mapping of their own. */
static char* bytes_from_hex(const char* hex, size_t* len) {
    if (hex[0] == '@') {
        FILE* f = fopen(hex + 1, "rb");
        if (!f) die("fopen");
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        char* p = mmap(NULL, (size_t)size / 4096 * 4096 + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
        if (p == MAP_FAILED) die("mmap");
        if (fread(p, 1, (size_t)size, f) != (size_t)size) die("fread");
        fclose(f);
        *len = (size_t)size;
        return p;
    }
    size_t n = strlen(hex) / 2;
    size_t map = (n / 4096 + 1) * 4096;
    char* p = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) die("mmap");
    for (size_t i = 0; i < n; ++i) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) { fprintf(stderr, "hostile_proc: bad hex\n"); exit(2); }
        p[i] = (char)(hi * 16 + lo);
    }
    *len = n;
    return p;
}

static void ready_and_wait(void) {
    if (write(STDOUT_FILENO, "ready\n", 6) != 6) die("write");
    for (;;) pause();
}

int main(int argc, char** argv) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    const char* mode = argc > 1 ? argv[1] : getenv("HOSTILE_MODE");
    if (!mode) { fprintf(stderr, "usage: hostile_proc MODE ...\n"); return 2; }
    if (!strcmp(mode, "pause")) ready_and_wait();
    if (!strcmp(mode, "args") || !strcmp(mode, "env")) {
        if (argc < 3) return 2;
        size_t n = 0;
        char* p = bytes_from_hex(argv[2], &n);
        set_area(!strcmp(mode, "env"), (unsigned long)p, (unsigned long)(p + n));
        ready_and_wait();
    }
    if (!strcmp(mode, "big")) {
        if (argc < 3) return 2;
        size_t len = (size_t)strtoull(argv[2], NULL, 10) << 20;
        /* Zero pages: reading them (the kernel does, for /proc/PID/cmdline)
         * maps the shared zero page, so 256 MiB cost this process nothing. */
        char* p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) die("mmap");
        if (argc > 3 && !strcmp(argv[3], "tail")) p[len - 2] = 'x';
        set_area(0, (unsigned long)p, (unsigned long)(p + len));
        ready_and_wait();
    }
    if (!strcmp(mode, "empty-argv")) {
        char* none[] = {NULL};
        setenv("HOSTILE_MODE", "pause", 1);
        execve("/proc/self/exe", none, environ);
        die("execve");
    }
    fprintf(stderr, "hostile_proc: unknown mode %s\n", mode);
    return 2;
}
