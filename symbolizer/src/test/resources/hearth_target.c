/* A process with known functions for symbolizer tests: prints its pid and function addresses, then
 * waits until stdin closes. hearth_local is static, so only .symtab (or a debug file) names it. */
#include <dlfcn.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

__attribute__((noinline)) int hearth_alpha(int x)
{
	return x * 3 + 1;
}
__attribute__((noinline)) int hearth_beta(int x)
{
	return hearth_alpha(x) ^ 7;
}
static __attribute__((noinline)) int hearth_local(int x)
{
	return x + 11;
}

int main(void)
{
	void *vdso = dlopen("linux-vdso.so.1", RTLD_LAZY | RTLD_NOLOAD);
	void *vdso_clock = vdso ? dlsym(vdso, "__vdso_clock_gettime") : NULL;
	/* anonymous executable memory, as a JIT would use */
	void *jit = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("%d %p %p %p %p %p %p\n", getpid(), (void *)hearth_alpha, (void *)hearth_beta,
	       (void *)hearth_local, (void *)getpid, vdso_clock, jit);
	fflush(stdout);
	char buf[1];
	while (read(0, buf, 1) > 0) {
	}
	return hearth_beta(hearth_local(1)) == 0;
}
