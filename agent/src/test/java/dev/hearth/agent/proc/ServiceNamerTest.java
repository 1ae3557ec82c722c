package dev.hearth.agent.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.ingest.IngestApi;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceNamerTest {
    static ServiceNamer.Naming name(Map<String, String> env, String... cmdline) {
        return ServiceNamer.name(
                env,
                List.of(cmdline),
                cmdline.length > 0 ? cmdline[0].substring(cmdline[0].lastIndexOf('/') + 1) : "x",
                null,
                false);
    }

    @Test
    void environmentWins() {
        ServiceNamer.Naming n = name(
                Map.of("HEARTH_SERVICE", "checkout", "HEARTH_VERSION", "2.3.1"), "/usr/bin/java", "-jar", "app.jar");
        assertEquals("checkout", n.service());
        assertEquals("2.3.1", n.version());
        assertEquals("app.jar", n.jar());
        assertTrue(n.jvm());
    }

    @Test
    void jvmMainClassSkipsOptionsAndTheirValues() {
        ServiceNamer.Naming n = name(
                Map.of(),
                "/usr/lib/jvm/java-17/bin/java",
                "-Xmx1g",
                "-cp",
                "a.jar:b.jar",
                "-XX:+PreserveFramePointer",
                "--add-opens",
                "java.base/java.lang=ALL-UNNAMED",
                "@opts",
                "com.example.shop.Main",
                "--port",
                "8080");
        assertEquals("com.example.shop.Main", n.service());
        assertNull(n.jar());
        assertNull(n.version());
    }

    @Test
    void jvmJarIsNamedWithoutItsExtension() {
        assertEquals(
                "orders-service-1.4",
                name(Map.of(), "java", "-Dx=y", "-jar", "/opt/orders/orders-service-1.4.jar")
                        .service());
        assertEquals(
                "/opt/orders/orders-service-1.4.jar",
                name(Map.of(), "java", "-jar", "/opt/orders/orders-service-1.4.jar")
                        .jar());
    }

    @Test
    void jvmModuleAndSourceFileModes() {
        assertEquals(
                "com.example.App",
                name(Map.of(), "java", "-p", "mods", "-m", "com.example/com.example.App")
                        .service());
        assertEquals(
                "com.example", name(Map.of(), "java", "--module=com.example").service());
        assertEquals("Hello", name(Map.of(), "java", "Hello.java").service());
    }

    @Test
    void otherProcessesAreNamedByTheirExecutableNotTheirComm() {
        ServiceNamer.Naming n = ServiceNamer.name(
                Map.of(), List.of("/usr/sbin/nginx", "-g", "daemon off;"), "nginx: worker", "/usr/sbin/nginx", false);
        assertEquals("nginx", n.service());
        assertTrue(n.byExecutable());
        assertFalse(n.jvm());
        assertEquals(
                "chromium",
                ServiceNamer.name(
                                Map.of(),
                                List.of("/usr/lib/chromium/chromium", "--type=renderer"),
                                "ThreadPoolForeg",
                                "/usr/lib/chromium/chromium",
                                false)
                        .service(),
                "a thread's name never names the service");
        assertEquals(
                "python3.11",
                ServiceNamer.name(Map.of(), List.of("python3", "x.py"), "python3", "/usr/bin/python3.11", false)
                        .service());
        assertEquals(
                "java",
                ServiceNamer.name(Map.of(), List.of(), "java", null, false).service(),
                "nothing readable: comm");
        assertEquals(
                "app",
                ServiceNamer.name(Map.of(), List.of(), "x", "/opt/app (deleted)", false)
                        .service(),
                "a replaced binary");
    }

    @Test
    void aMemfdProgramIsNamedByItsArgv0ElseTheMemfdWithoutItsCounter() {
        assertEquals(
                "runc",
                ServiceNamer.name(
                                Map.of(),
                                List.of("runc", "init"),
                                "runc:[2:INIT]",
                                "/memfd:runc_cloned:/proc/self/exe (deleted)",
                                false)
                        .service());
        assertEquals(
                "memfd:sealed",
                ServiceNamer.name(Map.of(), List.of(), "memfd:sealed-9", "/memfd:sealed-91 (deleted)", false)
                        .service());
        assertEquals(
                "memfd:sealed",
                ServiceNamer.name(Map.of(), List.of("/memfd:sealed-17"), "x", "/memfd:sealed-17 (deleted)", false)
                        .service());
    }

    @Test
    void anExecutableNameIsBounded() {
        String longName = "/" + "a".repeat(4000);
        assertEquals(
                ServiceNamer.MAX_EXECUTABLE_NAME,
                ServiceNamer.name(Map.of(), List.of(), "a", longName, false)
                        .service()
                        .length());
    }

    /** A name from the environment or a JVM's arguments is the process's choice too: sent as the collector takes it. */
    @Test
    void namesFromTheEnvironmentAndArgumentsAreBoundedToWhatTheCollectorTakes() {
        String fromEnv = name(Map.of("HEARTH_SERVICE", "shop\n" + "s".repeat(400)), "/bin/sleep", "1")
                .service();
        assertEquals("shop?" + "s".repeat(IngestApi.MAX_SERVICE_LENGTH - 5), fromEnv);
        String mainClass = "com.example." + "M".repeat(400) + "\u001b";
        String fromArgs =
                name(Map.of(), "/usr/bin/java", "-cp", "app.jar", mainClass).service();
        assertEquals(IngestApi.MAX_SERVICE_LENGTH, fromArgs.length());
        assertTrue(fromArgs.chars().noneMatch(Character::isISOControl), fromArgs);
    }

    @Test
    void namesChosenByTheOwnerAreNotByExecutable() {
        assertFalse(name(Map.of("HEARTH_SERVICE", "x"), "/bin/sleep", "1").byExecutable());
        assertFalse(name(Map.of(), "java", "-jar", "app.jar").byExecutable());
    }

    @Test
    void kernelThreadsShareOneService() {
        assertEquals(
                ServiceNamer.KERNEL_SERVICE,
                ServiceNamer.name(Map.of(), List.of(), "kworker/0:1", null, true)
                        .service());
    }
}
