/* Prints its registers from deep in a known call chain, then waits until stdin closes, so a test
 * can unwind its stack with the unwind tables alone: main -> level1 -> level2 -> qsort (libc) ->
 * compare -> capture; or, with HEARTH_SIGNAL set, level2 -> raise (libc) -> the signal trampoline
 * -> on_signal -> capture. Built -O2 -fomit-frame-pointer: no frame pointer to follow. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct regs {
	void *rsp, *rbp;
};
/* rsp as capture's call left it (pointing at the return address into capture), and rbp */
void grab(struct regs *r);
__asm__(".text\n.globl grab\n.type grab,@function\ngrab:\n  mov %rsp, (%rdi)\n  mov %rbp, 8(%rdi)\n  "
	"ret\n.size grab, .-grab\n");

static volatile int sink;

__attribute__((noinline)) void capture(void)
{
	struct regs r;
	grab(&r);
	printf("%p %p\n", r.rsp, r.rbp);
	fflush(stdout);
	char c;
	while (read(0, &c, 1) > 0) {
	}
	_exit(0);
}

__attribute__((noinline)) int compare(const void *a, const void *b)
{
	static int done;
	if (!done) {
		done = 1;
		capture();
	}
	return *(const int *)a - *(const int *)b;
}

__attribute__((noinline)) void on_signal(int s)
{
	capture();
	sink = s;
}

__attribute__((noinline)) void level2(int n)
{
	int v[64];
	for (int i = 0; i < 64; i++)
		v[i] = (i * 7919 + n) & 255;
	if (getenv("HEARTH_SIGNAL"))
		raise(SIGUSR1);
	qsort(v, 64, sizeof v[0], compare);
	sink = v[n & 63];
}

__attribute__((noinline)) void level1(int n)
{
	level2(n + 1);
	sink++;
}

int main(int argc, char **argv)
{
	(void)argv;
	signal(SIGUSR1, on_signal);
	level1(argc);
	return sink;
}
