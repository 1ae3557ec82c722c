package dev.hearth.agent.proc;

import dev.hearth.pprof.ingest.IngestApi;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names a process's service from what it was started with: {@code HEARTH_SERVICE} in its
 * environment, else a JVM's main class or jar, else its executable's file name. Never a thread's
 * name: any thread can rename itself (and the process's comm) to anything, 15 bytes cut, so
 * {@code C1 CompilerThre} or {@code Chrome_IOThread} would each become a service. Kernel threads
 * all belong to the service {@code kernel}. Pure: callers read /proc.
 */
public final class ServiceNamer {
    public static final String SERVICE_ENV = "HEARTH_SERVICE";
    public static final String VERSION_ENV = "HEARTH_VERSION";
    public static final String KERNEL_SERVICE = "kernel";
    /**
     * The service of processes named only by their executable that start and exit within one period
     * (a build's or a script's awk, sed, sleep): one host-level bucket, as Pyroscope's eBPF profiler
     * gathers processes no service claims, rather than a service per command. Their {@code comm} label
     * still tells them apart.
     */
    public static final String SHORT_LIVED_SERVICE = "short-lived";
    /** Longest service name taken from an executable's path; a path can be 4 KB. */
    static final int MAX_EXECUTABLE_NAME = 128;

    private static final String DELETED = " (deleted)";
    private static final String MEMFD = "memfd:";

    /** java launcher options that take the next argument as their value */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of(
            "-cp",
            "-classpath",
            "--class-path",
            "-p",
            "--module-path",
            "--upgrade-module-path",
            "--add-modules",
            "--limit-modules",
            "--add-reads",
            "--add-exports",
            "--add-opens",
            "--patch-module",
            "--enable-native-access",
            "--source",
            "-d",
            "--describe-module");

    private ServiceNamer() {}

    /**
     * @param service  the service name
     * @param version  {@code HEARTH_VERSION}, or null
     * @param jar      the {@code -jar} argument of a JVM, as written (maybe relative), or null
     * @param byExecutable the name is the executable's only: nothing the process or its owner chose
     */
    public record Naming(String service, String version, String jar, boolean jvm, boolean byExecutable) {}

    /** @param exe the target of /proc/PID/exe, or null when unreadable */
    public static Naming name(
            Map<String, String> env, List<String> cmdline, String comm, String exe, boolean kernelThread) {
        String version = nonBlank(env.get(VERSION_ENV));
        String fromEnv = nonBlank(env.get(SERVICE_ENV));
        if (kernelThread)
            return new Naming(
                    fromEnv != null ? bounded(fromEnv, IngestApi.MAX_SERVICE_LENGTH) : KERNEL_SERVICE,
                    version,
                    null,
                    false,
                    false);
        JavaMain main = isJava(cmdline, comm) ? javaMain(cmdline) : null;
        String service = fromEnv;
        if (service == null && main != null) service = main.name();
        boolean byExecutable = service == null;
        if (service == null) service = executableName(exe, cmdline, comm);
        return new Naming(
                bounded(service, IngestApi.MAX_SERVICE_LENGTH),
                version,
                main != null ? main.jar() : null,
                main != null,
                byExecutable);
    }

    /**
     * The executable's file name. A program run from a memfd (a sealed copy of itself, as runc and
     * some tools re-execute) has no file: its argv[0], else the memfd's name without the counter
     * ({@code memfd:sealed-91} → {@code memfd:sealed}), so each run is not a new service.
     */
    static String executableName(String exe, List<String> cmdline, String comm) {
        String argv0 = cmdline.isEmpty() ? "" : baseName(cmdline.get(0));
        if (exe == null || exe.isEmpty()) return bounded(!argv0.isEmpty() ? argv0 : comm, MAX_EXECUTABLE_NAME);
        String path = exe.endsWith(DELETED) ? exe.substring(0, exe.length() - DELETED.length()) : exe;
        if (path.startsWith("/" + MEMFD)) { // the memfd's name may hold slashes
            if (!argv0.isEmpty() && !argv0.startsWith(MEMFD)) return bounded(argv0, MAX_EXECUTABLE_NAME);
            return bounded(path.substring(1).replaceFirst("-[0-9]+$", ""), MAX_EXECUTABLE_NAME);
        }
        String base = baseName(path);
        return bounded(base.isEmpty() ? comm : base, MAX_EXECUTABLE_NAME);
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * A name from the process (its environment, its arguments, its file's name) is anyone's choice:
     * cut to {@code max}, control characters (a newline, an escape) made visible as '?', so that the
     * collector takes it ({@link IngestApi#MAX_SERVICE_LENGTH}).
     */
    private static String bounded(String name, int max) {
        String cut = name.length() > max ? name.substring(0, max) : name;
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }

    static boolean isJava(List<String> cmdline, String comm) {
        if (!cmdline.isEmpty()) {
            String exe = cmdline.get(0);
            String base = exe.substring(exe.lastIndexOf('/') + 1);
            if (base.equals("java")) return true;
        }
        return "java".equals(comm);
    }

    /** @param name main class, module's main class, or jar file name without ".jar"; null if none */
    record JavaMain(String name, String jar) {}

    static JavaMain javaMain(List<String> cmdline) {
        for (int i = 1; i < cmdline.size(); i++) {
            String a = cmdline.get(i);
            String next = i + 1 < cmdline.size() ? cmdline.get(i + 1) : null;
            if (a.equals("-jar")) {
                if (next == null) break;
                String file = next.substring(next.lastIndexOf('/') + 1);
                return new JavaMain(file.endsWith(".jar") ? file.substring(0, file.length() - 4) : file, next);
            }
            if (a.equals("-m") || a.equals("--module")) return next == null ? new JavaMain(null, null) : module(next);
            if (a.startsWith("--module=")) return module(a.substring("--module=".length()));
            if (OPTIONS_WITH_VALUE.contains(a)) {
                i++;
                continue;
            }
            if (a.startsWith("-") || a.startsWith("@")) continue;
            // source-file mode: java Hello.java
            return new JavaMain(a.endsWith(".java") ? a.substring(0, a.length() - 5) : a, null);
        }
        return new JavaMain(null, null);
    }

    /** {@code module/mainclass} names the class; a bare module name names itself. */
    private static JavaMain module(String spec) {
        int slash = spec.indexOf('/');
        return new JavaMain(slash >= 0 ? spec.substring(slash + 1) : spec, null);
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
