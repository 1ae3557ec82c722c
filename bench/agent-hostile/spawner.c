/* Starts RATE short-lived processes a second (each execs the given program) for SECONDS, then
 * prints how many it started. Arguments: rate, seconds, program. */
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
    if (argc < 4) return 2;
    int rate = atoi(argv[1]);
    double seconds = atof(argv[2]);
    signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
    struct timespec start, t;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long started = 0;
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &t);
        double elapsed = (t.tv_sec - start.tv_sec) + (t.tv_nsec - start.tv_nsec) / 1e9;
        if (elapsed >= seconds) break;
        long due = (long)(elapsed * rate);
        for (; started < due; started++) {
            pid_t p; /* posix_spawn: a vfork, cheaper than fork at this rate */
            if (posix_spawn(&p, argv[3], NULL, NULL, argv + 3, environ) != 0) { perror("posix_spawn"); return 1; }
        }
        struct timespec nap = {0, 1000000}; /* 1 ms */
        nanosleep(&nap, NULL);
    }
    printf("%ld processes in %.0f s: %.0f a second\n", started, seconds, started / seconds);
    return 0;
}
