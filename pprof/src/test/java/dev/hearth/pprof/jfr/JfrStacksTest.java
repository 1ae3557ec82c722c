package dev.hearth.pprof.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JfrStacksTest {
    @Test
    void classNamesAreJavaNamesAndLambdasHaveOneNameAcrossRuns() {
        assertEquals("com.example.Shop", JfrStacks.javaClassName("com/example/Shop"));
        assertEquals("com.example.Shop$Cart", JfrStacks.javaClassName("com/example/Shop$Cart"));
        // JDK 17 and JDK 21+ hidden-class names of the same lambda in two runs
        assertEquals(
                "com.example.Shop$$Lambda", JfrStacks.javaClassName("com/example/Shop$$Lambda$14.0x0000000801001800"));
        assertEquals(
                "com.example.Shop$$Lambda", JfrStacks.javaClassName("com/example/Shop$$Lambda$15.0x0000000800c0a000"));
        assertEquals(
                "com.example.Shop$$Lambda", JfrStacks.javaClassName("com/example/Shop$$Lambda.0x00007f3a1c00a000"));
    }
}
