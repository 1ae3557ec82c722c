/* A single-threaded CPU workload with a known split: per round hot_seventy runs 70 times and
 * hot_thirty 30 times, each doing the same work. Argument: seconds to run. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

/* GCC sets up no frame in a leaf function that needs none, even with -fno-omit-frame-pointer, and
 * then the leaf's caller is missing from frame-pointer stacks: so the hot loops are not leaves (they
 * call publish), and each function has its own loop rather than a shared leaf helper. */
__attribute__((noinline)) void publish(unsigned long x)
{
	sink = x;
}

__attribute__((noinline)) unsigned long hot_seventy(unsigned long x)
{
	x |= 1;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	publish(x);
	return x;
}

__attribute__((noinline)) unsigned long hot_thirty(unsigned long x)
{
	x |= 1;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	publish(x);
	return x;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double end = now() + (argc > 1 ? atof(argv[1]) : 10);
	unsigned long acc = 0;
	printf("ready\n");
	fflush(stdout);
	while (now() < end) {
		for (int i = 0; i < 70; i++)
			acc += hot_seventy(acc);
		for (int i = 0; i < 30; i++)
			acc += hot_thirty(acc);
		sink = acc;
	}
	return 0;
}
