/* Hostile workload: spins in anonymous executable memory (as JIT code would) with rbp pointing at a
 * forged frame that names itself as the caller's frame, so a frame-pointer walk would never end.
 * Argument: seconds to run (the spin is stopped by SIGALRM). Prints "ready" first. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void stop(int sig)
{
	(void)sig;
	_exit(0);
}

int main(int argc, char **argv)
{
	unsigned char *code =
		mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (code == MAP_FAILED)
		return 1;
	code[0] = 0xeb; /* jmp . */
	code[1] = 0xfe;
	static void *frame[2];
	frame[0] = frame; /* the caller's rbp: this frame again */
	frame[1] = code; /* the return address: the spin again */
	signal(SIGALRM, stop);
	alarm(argc > 1 ? atoi(argv[1]) : 5);
	printf("ready\n");
	fflush(stdout);
	__asm__ volatile("mov %0, %%rbp\n\tjmp *%1" : : "r"(frame), "r"(code) : "memory");
	return 0;
}
