/* A process whose code changes under the same addresses, for the frame cache tests. It prints the
 * address of named_function and of an anonymous executable region, then obeys lines on stdin:
 * "jit NAME" names the region NAME in its perf map (as a JIT reusing an address would), "exec"
 * replaces the program with sleep. Each command is answered with "ok". */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

__attribute__((noinline)) int named_function(int x)
{
	return x * 3 + 1;
}

int main(void)
{
	void *jit = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (jit == MAP_FAILED)
		return 1;
	printf("%lx %lx\n", (unsigned long)&named_function, (unsigned long)jit);
	fflush(stdout);
	char line[256], path[64];
	snprintf(path, sizeof path, "/tmp/perf-%d.map", getpid());
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = 0;
		if (strcmp(line, "exec") == 0) {
			unlink(path);
			execl("/bin/sleep", "sleep", "60", (char *)NULL);
			return 1;
		}
		if (strncmp(line, "jit ", 4) == 0) {
			FILE *f = fopen(path, "w");
			if (!f)
				return 1;
			fprintf(f, "%lx 100 %s\n", (unsigned long)jit, line + 4);
			fclose(f);
		}
		printf("ok\n");
		fflush(stdout);
	}
	unlink(path);
	return named_function(0) == 1 ? 0 : 1;
}
