/* Benchmark workload: spins at the bottom of a 20-frame stack (descend called 20 deep), built with
 * frame pointers so that both walks, by table and by frame pointer, see every frame.
 * Argument: seconds to run. Prints "ready" first. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

__attribute__((noinline)) unsigned long descend(int depth, unsigned long x)
{
	if (depth > 1) {
		x = descend(depth - 1, x);
		sink = x; /* not a tail call: the frame stays */
		return x + 1;
	}
	for (int i = 0; i < 1000000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

int main(int argc, char **argv)
{
	double end = now() + (argc > 1 ? atof(argv[1]) : 5);
	unsigned long acc = 1;
	printf("ready\n");
	fflush(stdout);
	while (now() < end)
		acc += descend(18, acc);
	return (int)(acc & 1) * 0;
}
