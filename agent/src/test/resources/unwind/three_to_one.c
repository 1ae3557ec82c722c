/* On-CPU workload for table unwinding, built -O2 -fomit-frame-pointer: main calls helper_outer,
 * which calls helper_inner, which calls leaf_three and leaf_one; leaf_three does three times the
 * work of leaf_one. Without tables a frame-pointer walk loses everything above the leaf.
 * Argument: seconds to run. Prints "ready" first. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

static unsigned long spin(unsigned long x, int rounds)
{
	for (int i = 0; i < rounds; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

__attribute__((noinline)) unsigned long leaf_three(unsigned long x)
{
	return spin(x | 1, 30000);
}

__attribute__((noinline)) unsigned long leaf_one(unsigned long x)
{
	return spin(x | 1, 10000);
}

/* the stores after each call keep them from being tail calls, which would drop a frame */
__attribute__((noinline)) unsigned long helper_inner(unsigned long x)
{
	unsigned long r = leaf_three(x);
	sink = r;
	r ^= leaf_one(r);
	sink = r;
	return r + 1;
}

__attribute__((noinline)) unsigned long helper_outer(unsigned long x)
{
	unsigned long r = helper_inner(x);
	sink = r;
	return r * 3;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double end = now() + (argc > 1 ? atof(argv[1]) : 5);
	unsigned long acc = 1;
	printf("ready\n");
	fflush(stdout);
	while (now() < end) {
		for (int i = 0; i < 50; i++)
			acc += helper_outer(acc);
		sink = acc;
	}
	return 0;
}
