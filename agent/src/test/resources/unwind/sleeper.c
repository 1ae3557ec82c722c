/* Off-CPU workload: a thread named "sleeper" naps in nap_here() -> usleep() (glibc keeps no frame
 * pointer there), while main waits for it. Argument: seconds to run. Prints "ready" first. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double seconds;
static volatile int naps;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

__attribute__((noinline)) void nap_here(void)
{
	usleep(10000);
	naps++;
}

static void *sleeper(void *arg)
{
	(void)arg;
	double end = now() + seconds;
	while (now() < end)
		nap_here();
	return NULL;
}

int main(int argc, char **argv)
{
	seconds = argc > 1 ? atof(argv[1]) : 5;
	pthread_t t;
	pthread_create(&t, NULL, sleeper, NULL);
	pthread_setname_np(t, "sleeper");
	printf("ready\n");
	fflush(stdout);
	pthread_join(t, NULL);
	return 0;
}
