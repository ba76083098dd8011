/* A process whose threads name themselves and burn known CPU: the oracle
 * for thread listings (psi's System::threads, Process.thread_list, psi-ps
 * -L). Thread i (0..2) calls itself "psi-th<i>" (pthread_setname_np, which
 * writes /proc/self/task/TID/comm) and burns i * 300 ms of its own CPU
 * (CLOCK_THREAD_CPUTIME_ID), then sleeps; argv[1], when given, replaces
 * the 300 (0: no thread burns, so ps's lifetime C stays 0 and a listing of
 * the process is the same from one run to the next). The main thread prints its pid
 * and each thread's tid, one "tid name burn_ms" line each, then "ready", and
 * sleeps until stdin closes (the test's end). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { kThreads = 3 };

static pthread_barrier_t ready;
static pid_t tids[kThreads];
static long step_ms = 300;

static long thread_cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void *run(void *arg) {
    long i = (long)arg;
    char name[16];
    snprintf(name, sizeof name, "psi-th%ld", i);
    pthread_setname_np(pthread_self(), name);
    tids[i] = (pid_t)syscall(SYS_gettid);
    volatile unsigned long sink = 0;
    while (thread_cpu_ms() < i * step_ms)
        for (int k = 0; k < 100000; ++k) sink += (unsigned long)k;
    pthread_barrier_wait(&ready);
    for (;;) pause();
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1) step_ms = atol(argv[1]);
    pthread_t t[kThreads];
    pthread_barrier_init(&ready, NULL, kThreads + 1);
    for (long i = 0; i < kThreads; ++i) {
        /* 20 ms apart (two ticks even at USER_HZ 100): each thread has a
         * start time of its own, so the kernel's creation order and the
         * order by start time agree even when the tid counter wraps
         * between two of them (ps -L lists creation order, psi sorts by
         * start time, ties by tid). */
        if (i > 0) nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
        pthread_create(&t[i], NULL, run, (void *)i);
    }
    pthread_barrier_wait(&ready);
    printf("%d\n", (int)getpid());
    for (int i = 0; i < kThreads; ++i) printf("%d psi-th%d %ld\n", (int)tids[i], i, i * step_ms);
    printf("ready\n");
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0) {
    }
    return 0;
}
