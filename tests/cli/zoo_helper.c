/* zoo_helper: hostile processes for the test suites (see hostile_zoo.py).
 *
 * Each mode makes the process look the way some real program can look to
 * ps, then writes "ready\n" on stdout and waits to be killed:
 *   title-nul TITLE ARG...   argv area overwritten with TITLE, the rest NULs
 *                            (what setproctitle-style libraries leave)
 *   title-space TITLE ARG... TITLE, then spaces up to the end of the area
 *   flap ARG...              title rewritten every 20 ms ("zoo: flap N")
 *   empty-argv               re-executes itself with argv = {NULL}
 *   pause ARG...             nothing special (a huge argv, a stopped process)
 *   chain N                  N processes, each the only child of the last;
 *                            a SIGTERM to the group ends the leaf, and each
 *                            parent exits once its child is reaped, so
 *                            nothing is left to init
 * After execve with an empty argv there is no argv[1]: the mode comes from
 * ZOO_MODE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

static void ready_and_wait(void) {
    if (write(STDOUT_FILENO, "ready\n", 6) != 6) _exit(3);
    for (;;) pause();
}

/* The argv strings are contiguous: [argv[0], end of the last one]. */
static char* area_end(int argc, char** argv) { return argv[argc - 1] + strlen(argv[argc - 1]); }

static void set_title(int argc, char** argv, const char* title, char pad) {
    char* start = argv[0];
    char* end = area_end(argc, argv); /* the last terminator stays */
    size_t room = (size_t)(end - start);
    size_t n = strlen(title);
    if (n > room) n = room;
    memcpy(start, title, n);
    memset(start + n, pad, room - n);
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : getenv("ZOO_MODE");
    if (!mode) return 2;
    if (strcmp(mode, "title-nul") == 0 && argc > 2) {
        set_title(argc, argv, argv[2], '\0');
    } else if (strcmp(mode, "title-space") == 0 && argc > 2) {
        set_title(argc, argv, argv[2], ' ');
    } else if (strcmp(mode, "empty-argv") == 0) {
        char* const none[] = {NULL};
        char* const env[] = {"ZOO_MODE=pause", NULL};
        execve("/proc/self/exe", none, env);
        return 4;
    } else if (strcmp(mode, "flap") == 0) {
        if (write(STDOUT_FILENO, "ready\n", 6) != 6) return 3;
        for (unsigned long n = 0;; ++n) {
            char title[32];
            snprintf(title, sizeof title, "zoo: flap %lu", n);
            set_title(argc, argv, title, '\0');
            usleep(20000);
        }
    } else if (strcmp(mode, "chain") == 0 && argc > 2) {
        int left = atoi(argv[2]);
        while (left-- > 1) {
            pid_t child = fork();
            if (child < 0) return 5;
            if (child > 0) {
                /* A middle link: outlive the child, then go. */
                signal(SIGTERM, SIG_IGN);
                int st;
                while (waitpid(child, &st, 0) < 0 && errno == EINTR) {
                }
                return 0;
            }
        }
    } else if (strcmp(mode, "pause") != 0) {
        return 2;
    }
    ready_and_wait();
    return 0;
}
