/* A short-lived process: works about a millisecond (so that some are sampled), then exits. */
#include <time.h>

int main(void) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    volatile unsigned long x = 1;
    do {
        for (int i = 0; i < 10000; i++) x = x * 6364136223846793005UL + 1;
        clock_gettime(CLOCK_MONOTONIC, &b);
    } while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < 1000000);
    return 0;
}
