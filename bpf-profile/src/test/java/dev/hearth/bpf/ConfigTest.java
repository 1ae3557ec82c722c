package dev.hearth.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void uprobeSpecsParse() {
        assertEquals(
                new UprobeSpec("/lib/x86_64-linux-gnu/libc.so.6", "malloc", false),
                UprobeSpec.parse("/lib/x86_64-linux-gnu/libc.so.6:malloc"));
        assertEquals(new UprobeSpec("/bin/app", "handle", true), UprobeSpec.parse("/bin/app:handle:latency"));
        assertThrows(IllegalArgumentException.class, () -> UprobeSpec.parse("/bin/app"));
        assertThrows(IllegalArgumentException.class, () -> UprobeSpec.parse("/bin/app:"));
        assertThrows(IllegalArgumentException.class, () -> UprobeSpec.parse(":malloc"));
    }

    @Test
    void defaultsAndCopies() {
        ProfilerConfig d = ProfilerConfig.defaults();
        assertTrue(d.onCpu());
        assertEquals(99, d.hz());
        assertFalse(d.offCpu());
        assertTrue(d.pids().isEmpty());
        assertEquals(Duration.ofSeconds(10), d.drainPeriod());
        ProfilerConfig c = d.withHz(49).withOffCpu(true).withPids(Set.of(1)).withDrainPeriod(Duration.ofSeconds(2));
        assertEquals(49, c.hz());
        assertTrue(c.offCpu());
        assertEquals(Set.of(1), c.pids());
        assertEquals(99, d.hz(), "copies leave the original alone");
    }

    @Test
    void badValuesAreRefused() {
        ProfilerConfig d = ProfilerConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withHz(0));
        assertThrows(IllegalArgumentException.class, () -> d.withHz(ProfilerConfig.MAX_HZ + 1));
        assertThrows(IllegalArgumentException.class, () -> d.withMinBlockNs(10).withMaxBlockNs(5));
        assertThrows(IllegalArgumentException.class, () -> d.withTaskStateMask(0));
        assertThrows(IllegalArgumentException.class, () -> d.withDrainPeriod(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.withPids(Set.of(-1)));
    }

    @Test
    void mapsAreSizedFromCpusHzAndPeriodWithCaps() {
        MapSizing s = MapSizing.of(ProfilerConfig.defaults(), 2);
        assertEquals(1980, s.counts());
        assertEquals(1980, s.stacks());
        assertEquals(MapSizing.MIN_KNOWN, s.knownStacks());
        assertEquals(15_840, MapSizing.of(ProfilerConfig.defaults(), 8).knownStacks(), "twice the stacks");
        MapSizing big = MapSizing.of(ProfilerConfig.defaults().withHz(1000).withDrainPeriod(Duration.ofMinutes(1)), 64);
        assertEquals(MapSizing.MAX_COUNTS, big.counts());
        assertEquals(MapSizing.MAX_STACKS, big.stacks());
        assertEquals(MapSizing.MAX_KNOWN, big.knownStacks());
        assertFalse(s.pastThreshold(100, 100));
        assertTrue(s.pastThreshold(1500, 0));
        assertTrue(s.pastThreshold(0, 1500));
        assertTrue(MapSizing.of(ProfilerConfig.defaults().withUprobes(List.of(UprobeSpec.parse("/a:b:latency"))), 2)
                        .callStarts()
                > 1);
    }

    @Test
    void cpuListsParse() {
        assertEquals(List.of(0, 1, 2, 3, 5), Cpus.parse("0-3,5\n"));
        assertEquals(List.of(0), Cpus.parse("0"));
    }
}
