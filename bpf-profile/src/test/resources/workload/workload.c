/* Test workload for bpf-profile. Prints "ready", waits for a line on stdin, runs one mode,
 * prints "done", waits for stdin to close. Compiled with frame pointers and no inlining, so
 * the named functions appear in user stacks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>

static volatile unsigned long sink;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

__attribute__((noinline)) void spin_fn(double seconds)
{
	double end = now() + seconds;
	while (now() < end)
		for (int i = 0; i < 10000; i++)
			sink += i;
}

/* a frame-pointer frame between libc's (frameless) nanosleep and block_fn */
__attribute__((noinline)) void nap_fn(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&t, NULL);
	sink++;
}

__attribute__((noinline)) void block_fn(int times, long ms)
{
	for (int i = 0; i < times; i++)
		nap_fn(ms);
	sink++;
}

__attribute__((noinline)) void call_fn(int i)
{
	sink += i;
}

__attribute__((noinline)) void slow_fn(long ms)
{
	nap_fn(ms);
}

/* distinct stacks: the bits of n pick pa or pb at each of 17 levels, then call_fn at the leaf */
void pick(long n, int bits);
__attribute__((noinline)) void pa(long n, int bits)
{
	pick(n, bits);
	sink++;
}
__attribute__((noinline)) void pb(long n, int bits)
{
	pick(n, bits);
	sink++;
}
__attribute__((noinline)) void pick(long n, int bits)
{
	if (!bits)
		call_fn(n);
	else if (n & 1)
		pa(n >> 1, bits - 1);
	else
		pb(n >> 1, bits - 1);
}

/* two threads bouncing a byte over pipes: two context switches per round trip */
static int ping[2], pong[2];
static volatile int stop;

static void *ponger(void *arg)
{
	char c;
	while (read(ping[0], &c, 1) == 1 && c)
		if (write(pong[1], &c, 1) != 1)
			break;
	return arg;
}

__attribute__((noinline)) long pingpong_fn(long ms)
{
	pthread_t t;
	long trips = 0;
	char c = 1;
	if (pipe(ping) || pipe(pong) || pthread_create(&t, NULL, ponger, NULL))
		return -1;
	double end = now() + ms / 1000.0;
	while (now() < end) {
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			break;
		trips++;
	}
	c = 0;
	if (write(ping[1], &c, 1) == 1)
		pthread_join(t, NULL);
	return trips;
}

int main(int argc, char **argv)
{
	char line[64];
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready\n");
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	const char *mode = argc > 1 ? argv[1] : "";
	long a = argc > 2 ? atol(argv[2]) : 0;
	long b = argc > 3 ? atol(argv[3]) : 0;
	if (!strcmp(mode, "spin"))
		spin_fn(a / 1000.0);
	else if (!strcmp(mode, "sleep"))
		nap_fn(a);
	else if (!strcmp(mode, "block"))
		block_fn(a, b);
	else if (!strcmp(mode, "calls"))
		for (long i = 0; i < a; i++)
			call_fn(i);
	else if (!strcmp(mode,
			 "stacks")) /* b rounds (at least one), each started by a line; "fresh": new stacks each round */
		for (long r = 0; r < (b > 0 ? b : 1); r++) {
			if (r > 0 && (printf("round\n"), !fgets(line, sizeof(line), stdin)))
				return 1;
			long first = argc > 4 && !strcmp(argv[4], "fresh") ? r * a : 0;
			for (long i = first; i < first + a; i++)
				pick(i, 17);
		}
	else if (!strcmp(mode, "pingpong"))
		printf("roundtrips %ld\n", pingpong_fn(a));
	else if (!strcmp(mode, "slowcalls"))
		for (long i = 0; i < a; i++)
			slow_fn(b);
	else
		return 2;
	printf("done\n");
	while (fgets(line, sizeof(line), stdin))
		;
	return 0;
}
