/* A single-threaded CPU workload with a known split: per round hot_seventy runs 70 times and
 * hot_thirty 30 times, each doing the same work. Argument: seconds to run. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

__attribute__((noinline)) static unsigned long spin(unsigned long x) {
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

__attribute__((noinline)) unsigned long hot_seventy(unsigned long seed) { return spin(seed | 1) + 1; }
__attribute__((noinline)) unsigned long hot_thirty(unsigned long seed) { return spin(seed | 1) + 2; }

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    double end = now() + (argc > 1 ? atof(argv[1]) : 10);
    unsigned long acc = 0;
    printf("ready\n");
    fflush(stdout);
    while (now() < end) {
        for (int i = 0; i < 70; i++) acc += hot_seventy(acc);
        for (int i = 0; i < 30; i++) acc += hot_thirty(acc);
        sink = acc;
    }
    return 0;
}
