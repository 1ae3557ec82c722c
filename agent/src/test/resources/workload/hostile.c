/* A program whose hot functions carry mangled names built to break a demangler, each spinning in turn.
 * hostile_nested: f with 5,000 nested pointers (deep recursion in a recursive-descent demangler).
 * hostile_doubling21/23: f(P<A, A>, P<P<A, A>, P<A, A> >, ...), each group naming the previous
 * parameter twice through a substitution: 223 characters that print as 54 MB, 243 as 218 MB.
 * Argument: seconds to run. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define P10 "PPPPPPPPPP"
#define P100 P10 P10 P10 P10 P10 P10 P10 P10 P10 P10
#define P1000 P100 P100 P100 P100 P100 P100 P100 P100 P100 P100

static volatile unsigned long sink;

/* not leaves, so that frame-pointer stacks keep their callers (see split.c) */
__attribute__((noinline)) void publish(unsigned long x)
{
	sink = x;
}

#define SPIN(x) \
	x |= 1; \
	for (int i = 0; i < 20000; i++) { \
		x ^= x << 13; \
		x ^= x >> 7; \
		x ^= x << 17; \
	} \
	publish(x); \
	return x;

__attribute__((noinline)) unsigned long
hostile_nested(unsigned long x) __asm__("_Z1f" P1000 P1000 P1000 P1000 P1000 "v");
__attribute__((noinline)) unsigned long hostile_nested(unsigned long x)
{
	SPIN(x)
}

__attribute__((noinline)) unsigned long hostile_doubling21(unsigned long x) __asm__(
	"_Z1f1PI1AS0_ES_IS1_S1_ES_IS2_S2_ES_IS3_S3_ES_IS4_S4_ES_IS5_S5_ES_IS6_S6_ES_IS7_S7_ES_IS8_S8_ES_IS9_"
	"S9_ES_ISA_SA_ES_ISB_SB_ES_ISC_SC_ES_ISD_SD_ES_ISE_SE_ES_ISF_SF_ES_ISG_SG_ES_ISH_SH_ES_ISI_SI_ES_ISJ_"
	"SJ_ES_ISK_SK_ES_ISL_SL_E");
__attribute__((noinline)) unsigned long hostile_doubling21(unsigned long x)
{
	SPIN(x)
}

__attribute__((noinline)) unsigned long hostile_doubling23(unsigned long x) __asm__(
	"_Z1f1PI1AS0_ES_IS1_S1_ES_IS2_S2_ES_IS3_S3_ES_IS4_S4_ES_IS5_S5_ES_IS6_S6_ES_IS7_S7_ES_IS8_S8_ES_IS9_"
	"S9_ES_ISA_SA_ES_ISB_SB_ES_ISC_SC_ES_ISD_SD_ES_ISE_SE_ES_ISF_SF_ES_ISG_SG_ES_ISH_SH_ES_ISI_SI_ES_ISJ_"
	"SJ_ES_ISK_SK_ES_ISL_SL_ES_ISM_SM_ES_ISN_SN_E");
__attribute__((noinline)) unsigned long hostile_doubling23(unsigned long x)
{
	SPIN(x)
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
		for (int i = 0; i < 30; i++)
			acc += hostile_nested(acc);
		for (int i = 0; i < 30; i++)
			acc += hostile_doubling21(acc);
		for (int i = 0; i < 30; i++)
			acc += hostile_doubling23(acc);
		sink = acc;
	}
	return 0;
}
