package dev.hearth.agent.proc;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names a process's service from what it was started with: {@code HEARTH_SERVICE} in its
 * environment, else a JVM's main class or jar, else its comm. Kernel threads all belong to the
 * service {@code kernel}. Pure: callers read /proc.
 */
public final class ServiceNamer {
    public static final String SERVICE_ENV = "HEARTH_SERVICE";
    public static final String VERSION_ENV = "HEARTH_VERSION";
    public static final String KERNEL_SERVICE = "kernel";

    /** java launcher options that take the next argument as their value */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of(
            "-cp", "-classpath", "--class-path", "-p", "--module-path", "--upgrade-module-path",
            "--add-modules", "--limit-modules", "--add-reads", "--add-exports", "--add-opens",
            "--patch-module", "--enable-native-access", "--source", "-d", "--describe-module");

    private ServiceNamer() {}

    /**
     * @param service  the service name
     * @param version  {@code HEARTH_VERSION}, or null
     * @param jar      the {@code -jar} argument of a JVM, as written (maybe relative), or null
     */
    public record Naming(String service, String version, String jar, boolean jvm) {}

    public static Naming name(Map<String, String> env, List<String> cmdline, String comm, boolean kernelThread) {
        String version = nonBlank(env.get(VERSION_ENV));
        String fromEnv = nonBlank(env.get(SERVICE_ENV));
        if (kernelThread) return new Naming(fromEnv != null ? fromEnv : KERNEL_SERVICE, version, null, false);
        JavaMain main = isJava(cmdline, comm) ? javaMain(cmdline) : null;
        String service = fromEnv;
        if (service == null && main != null) service = main.name();
        if (service == null) service = comm;
        return new Naming(service, version, main != null ? main.jar() : null, main != null);
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
