/* libstdc++'s __cxa_demangle on one mangled name (read from stdin), in a process of its own so that
 * a name it cannot bound only costs this process: prints status, length, seconds and peak RSS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

int main(void) {
    static char name[1 << 20];
    if (!fgets(name, sizeof name, stdin)) return 2;
    name[strcspn(name, "\n")] = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int status;
    char *out = __cxa_demangle(name, NULL, NULL, &status);
    clock_gettime(CLOCK_MONOTONIC, &b);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("status %d, %zu characters, %.2f s, peak RSS %ld MB\n", status, out ? strlen(out) : 0,
           (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9, ru.ru_maxrss / 1024);
    free(out);
    return 0;
}
