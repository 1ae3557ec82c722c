package dev.hearth.agent.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceNamerTest {
    static ServiceNamer.Naming name(Map<String, String> env, String... cmdline) {
        return ServiceNamer.name(env, List.of(cmdline), cmdline.length > 0 ? cmdline[0].substring(cmdline[0].lastIndexOf('/') + 1) : "x", false);
    }

    @Test
    void environmentWins() {
        ServiceNamer.Naming n = name(Map.of("HEARTH_SERVICE", "checkout", "HEARTH_VERSION", "2.3.1"),
                "/usr/bin/java", "-jar", "app.jar");
        assertEquals("checkout", n.service());
        assertEquals("2.3.1", n.version());
        assertEquals("app.jar", n.jar());
        assertTrue(n.jvm());
    }

    @Test
    void jvmMainClassSkipsOptionsAndTheirValues() {
        ServiceNamer.Naming n = name(Map.of(), "/usr/lib/jvm/java-17/bin/java", "-Xmx1g", "-cp", "a.jar:b.jar",
                "-XX:+PreserveFramePointer", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "@opts",
                "com.example.shop.Main", "--port", "8080");
        assertEquals("com.example.shop.Main", n.service());
        assertNull(n.jar());
        assertNull(n.version());
    }

    @Test
    void jvmJarIsNamedWithoutItsExtension() {
        assertEquals("orders-service-1.4", name(Map.of(), "java", "-Dx=y", "-jar", "/opt/orders/orders-service-1.4.jar").service());
        assertEquals("/opt/orders/orders-service-1.4.jar", name(Map.of(), "java", "-jar", "/opt/orders/orders-service-1.4.jar").jar());
    }

    @Test
    void jvmModuleAndSourceFileModes() {
        assertEquals("com.example.App", name(Map.of(), "java", "-p", "mods", "-m", "com.example/com.example.App").service());
        assertEquals("com.example", name(Map.of(), "java", "--module=com.example").service());
        assertEquals("Hello", name(Map.of(), "java", "Hello.java").service());
    }

    @Test
    void otherProcessesAreNamedByComm() {
        ServiceNamer.Naming n = ServiceNamer.name(Map.of(), List.of("/usr/sbin/nginx", "-g", "daemon off;"), "nginx", false);
        assertEquals("nginx", n.service());
        assertFalse(n.jvm());
        assertEquals("java", ServiceNamer.name(Map.of(), List.of(), "java", false).service(), "a JVM without cmdline falls back to comm");
    }

    @Test
    void kernelThreadsShareOneService() {
        assertEquals(ServiceNamer.KERNEL_SERVICE, ServiceNamer.name(Map.of(), List.of(), "kworker/0:1", true).service());
    }
}
