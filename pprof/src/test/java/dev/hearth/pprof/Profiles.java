package dev.hearth.pprof;

import dev.hearth.pprof.proto.Profile;
import java.util.List;
import java.util.Map;

/** Small profiles for tests: a Java service with known stacks. */
public final class Profiles {
    static final StackFrame MAIN =
            new StackFrame("com.example.Shop.main", FrameKind.INTERPRETED, "Shop.java", 10, "", "");
    static final StackFrame CHECKOUT =
            new StackFrame("com.example.Shop.checkout", FrameKind.JIT, "Shop.java", 42, "", "");
    static final StackFrame HASH = new StackFrame("com.example.Shop.hash", FrameKind.INLINED, "Shop.java", 77, "", "");
    static final StackFrame MEMCPY = new StackFrame(
            "__memmove_avx_unaligned_erms", FrameKind.NATIVE, "", 0, "/usr/lib/x86_64-linux-gnu/libc.so.6", "abc123");
    static final StackFrame SYSCALL = new StackFrame("do_syscall_64", FrameKind.KERNEL, "", 0, "[kernel.kallsyms]", "");

    private Profiles() {}

    /** checkout;hash 30 samples, checkout;memcpy 10, main 5 (leaf first lists below). */
    public static Profile shop() {
        return new ProfileBuilder(ProfileType.CPU)
                .timeNanos(1_000_000_000L)
                .durationNanos(10_000_000_000L)
                .period(10_101_010)
                .add(List.of(HASH, CHECKOUT, MAIN), new long[] {30, 300}, Map.of("thread", "worker-1"))
                .add(List.of(MEMCPY, SYSCALL, CHECKOUT, MAIN), new long[] {10, 100}, Map.of("thread", "worker-2"))
                .add(List.of(MAIN), new long[] {5, 50}, Map.of())
                .build();
    }
}
