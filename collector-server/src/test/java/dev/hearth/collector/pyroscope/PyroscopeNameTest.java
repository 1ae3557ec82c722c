package dev.hearth.collector.pyroscope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.ProfileType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PyroscopeNameTest {
    @Test
    void serviceSuffixAndLabels() {
        PyroscopeName n = PyroscopeName.parse("shop.cpu{env=prod, region=eu}");
        assertEquals("shop", n.service());
        assertEquals("cpu", n.suffix());
        assertEquals(Map.of("env", "prod", "region", "eu"), n.labels());
        assertEquals(new PyroscopeTypes.Target(ProfileType.CPU, 0), PyroscopeTypes.target(n.suffix()));
    }

    @Test
    void aDotThatIsNoTypeStaysInTheService() {
        PyroscopeName n = PyroscopeName.parse("com.example.shop{}");
        assertEquals("com.example.shop", n.service());
        assertNull(n.suffix());
        assertTrue(n.labels().isEmpty());
        assertEquals("com.example.shop", PyroscopeName.parse("com.example.shop").service());
        assertEquals("shop", PyroscopeName.parse("shop.itimer{}").service());
    }

    @Test
    void typesMapToOursOrAreRefused() {
        assertEquals(new PyroscopeTypes.Target(ProfileType.ALLOC, 1), PyroscopeTypes.target("alloc_space"));
        assertEquals(new PyroscopeTypes.Target(ProfileType.LOCK, 1), PyroscopeTypes.target("mutex_duration"));
        assertEquals(new PyroscopeTypes.Target(ProfileType.WALL, 0), PyroscopeTypes.target("wall"));
        assertEquals(new PyroscopeTypes.Target(ProfileType.CPU, 0), PyroscopeTypes.target(null));
        assertEquals("inuse_space", PyroscopeName.parse("shop.inuse_space").suffix());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PyroscopeTypes.target("inuse_space"))
                .getMessage()
                .contains("does not store 'inuse_space'"));
    }

    @Test
    void serviceNameLabelNamesTheServiceAsInPyroscope() {
        PyroscopeName n = PyroscopeName.parse("legacy-app.cpu{service_name=checkout,env=prod}");
        assertEquals("checkout", n.service());
        assertEquals(Map.of("app_name", "legacy-app", "env", "prod"), n.labels());
    }

    @Test
    void malformedNamesAreRefused() {
        for (String bad : new String[] {
            "",
            "  ",
            "{env=prod}",
            "sh op{}",
            "shop{env=prod",
            "shop{a=b}{c=d}",
            "shop{1bad=x}",
            "shop{a=1,a=2}",
            "shop{__name__=x}",
            "shop{novalue}",
            "x".repeat(300)
        }) {
            assertThrows(IllegalArgumentException.class, () -> PyroscopeName.parse(bad), bad);
        }
    }
}
