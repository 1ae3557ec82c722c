// C++ workload for table unwinding, built -O2 -fomit-frame-pointer: in_library() searches strings
// in libstdc++, and a SIGPROF handler spins in in_handler(), so its stacks pass the kernel's
// signal frame before reaching the interrupted code.
// Argument: seconds to run. Prints "ready" first.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <sys/time.h>

static volatile unsigned long sink;

static double now() {
    timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

extern "C" __attribute__((noinline)) void in_handler(int) {
    unsigned long x = sink | 1;
    for (int i = 0; i < 20000000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    sink = x;
}

// std::string::find(const char*, size_type, size_type) is not inline: the extern template in
// libstdc++'s headers makes it a call into libstdc++.so through the PLT (and on into libc's memchr)
extern "C" __attribute__((noinline)) unsigned long in_library(unsigned long seed) {
    std::string hay(4096, 'a');
    hay[seed % 4000] = 'b';
    unsigned long n = 0;
    for (int round = 0; round < 2000; round++) n += hay.find("ab", round % 7, 2);
    return n;
}

int main(int argc, char **argv) {
    double end = now() + (argc > 1 ? atof(argv[1]) : 5);
    struct sigaction sa = {};
    sa.sa_handler = in_handler;
    sigaction(SIGPROF, &sa, nullptr);
    itimerval it = {{0, 50000}, {0, 50000}};
    setitimer(ITIMER_PROF, &it, nullptr);
    std::printf("ready\n");
    std::fflush(stdout);
    unsigned long acc = 0;
    while (now() < end) acc += in_library(acc);
    sink = acc;
    return 0;
}
