/* Known call chains for unwind tables: built -O2 -fomit-frame-pointer (no rbp frames), with
 * functions that keep stack arrays (large CFA offsets), one that realigns its stack (CFA in
 * another register), and calls into libc through a lazily bound PLT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static long leaf(long *a, int n)
{
	long s = 0;
	for (int i = 0; i < n; i++)
		s += a[i] * (i + 1);
	return s;
}

__attribute__((noinline)) static long middle(int n)
{
	long big[9000]; /* a 72 KB frame: CFA offsets past 16 bits */
	for (int i = 0; i < 9000; i++)
		big[i] = i ^ n;
	return leaf(big, 9000) + strlen(getenv("PATH") ? getenv("PATH") : "");
}

__attribute__((noinline)) static long aligned(int n)
{
	_Alignas(64) char buf[256];
	snprintf(buf, sizeof buf, "%d", n);
	return atol(buf) + middle(n);
}

int main(int argc, char **argv)
{
	long total = 0;
	for (int i = 0; i < argc * 3; i++)
		total += aligned(i);
	printf("%ld\n", total);
	puts(argv[0]);
	return (int)(total & 1);
}
