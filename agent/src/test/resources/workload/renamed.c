/* Names its threads as a JVM or a browser does, and runs a copy of itself from a sealed memfd.
 * renamed          : main thread "C1 CompilerThre", a second thread "Chrome_IOThread"; prints "ready"
 * renamed memfd    : re-executes itself from a memfd named "sealed" (argv[0] "memfd-tool") as above
 * Both wait until stdin closes. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static void *io_thread(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "memfd") == 0) {
		int self = open("/proc/self/exe", O_RDONLY);
		int mem = memfd_create("sealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		struct stat st;
		if (self < 0 || mem < 0 || fstat(self, &st) != 0)
			return 1;
		if (sendfile(mem, self, NULL, st.st_size) != st.st_size)
			return 1;
		fcntl(mem, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
		char *args[] = { "memfd-tool", NULL };
		fexecve(mem, args, environ);
		return 1;
	}
	pthread_t t;
	pthread_create(&t, NULL, io_thread, NULL);
	pthread_setname_np(t, "Chrome_IOThread");
	prctl(PR_SET_NAME, "C1 CompilerThre");
	printf("ready\n");
	fflush(stdout);
	char c;
	while (read(0, &c, 1) > 0) {
	}
	return 0;
}
