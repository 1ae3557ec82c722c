/* A process that looks like a HotSpot JVM to the agent: it maps a file named libjvm.so, spins in
 * code it wrote to anonymous executable memory (as a JIT does), and writes a perf map of the given
 * size for that code at /tmp/perf-PID.map, removed when it ends. Arguments: seconds, perf map bytes,
 * the libjvm.so to map. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static char map_path[64];

static void cleanup(int sig) {
    unlink(map_path);
    if (sig) _exit(0);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 4) return 2;
    double seconds = atof(argv[1]);
    long long bytes = atoll(argv[2]);
    int fd = open(argv[3], O_RDONLY);
    if (fd < 0 || mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED) { perror(argv[3]); return 1; }

    /* mov ecx, 1000000; 1: dec ecx; jnz 1b; ret */
    static const unsigned char spin[] = {0xb9, 0x40, 0x42, 0x0f, 0x00, 0xff, 0xc9, 0x75, 0xfc, 0xc3};
    unsigned char *code = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) { perror("mmap"); return 1; }
    for (int i = 0; i < (1 << 20) / 16; i++) memcpy(code + i * 16, spin, sizeof spin);

    snprintf(map_path, sizeof map_path, "/tmp/perf-%d.map", getpid());
    signal(SIGTERM, cleanup);
    signal(SIGINT, cleanup);
    FILE *map = fopen(map_path, "w");
    if (!map) { perror(map_path); return 1; }
    static char buf[1 << 20];
    setvbuf(map, buf, _IOFBF, sizeof buf);
    long long written = 0;
    for (long i = 0; written < bytes; i++) {
        /* entries for every 16-byte stub, over and over: newer entries for the same addresses */
        int n = fprintf(map, "%lx 10 Lbench/Jit%ld;.method%ld(Ljava/lang/String;)V\n",
                        (unsigned long)(code + (i % ((1 << 20) / 16)) * 16), i % 977, i);
        if (n < 0) { perror("write"); return 1; }
        written += n;
    }
    fclose(map);
    printf("ready\n");
    fflush(stdout);

    double end = now() + seconds;
    void (*stub)(void) = (void (*)(void))code;
    for (unsigned long k = 0; now() < end; k++) {
        stub = (void (*)(void))(code + (k % ((1 << 20) / 16)) * 16);
        stub();
    }
    cleanup(0);
    return 0;
}
