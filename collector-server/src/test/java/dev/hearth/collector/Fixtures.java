package dev.hearth.collector;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import dev.hearth.pprof.proto.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Profiles with known stacks and values for tests. */
final class Fixtures {
    static final StackFrame MAIN =
            new StackFrame("com.example.Shop.main", FrameKind.INTERPRETED, "Shop.java", 10, "", "");
    static final StackFrame CHECKOUT =
            new StackFrame("com.example.Shop.checkout", FrameKind.JIT, "Shop.java", 42, "", "");
    static final StackFrame HASH = new StackFrame("com.example.Shop.hash", FrameKind.INLINED, "Shop.java", 77, "", "");
    static final StackFrame PRICE = new StackFrame("com.example.Shop.price", FrameKind.JIT, "Shop.java", 90, "", "");
    static final StackFrame MEMCPY = new StackFrame(
            "__memmove_avx_unaligned_erms", FrameKind.NATIVE, "", 0, "/usr/lib/x86_64-linux-gnu/libc.so.6", "abc123");
    static final StackFrame SYSCALL = new StackFrame("do_syscall_64", FrameKind.KERNEL, "", 0, "[kernel.kallsyms]", "");

    private Fixtures() {}

    /**
     * A cpu profile (values: samples, cpu nanoseconds = samples × 10 ms): main;checkout;hash
     * {@code hash} samples, main;checkout;memcpy;syscall {@code memcpy}, main {@code main}.
     */
    static Profile shop(long hash, long memcpy, long main) {
        long ns = 10_000_000L;
        return new ProfileBuilder(ProfileType.CPU)
                .period(ns)
                .add(List.of(HASH, CHECKOUT, MAIN), new long[] {hash, hash * ns}, Map.of("thread", "worker-1"))
                .add(
                        List.of(SYSCALL, MEMCPY, CHECKOUT, MAIN),
                        new long[] {memcpy, memcpy * ns},
                        Map.of("thread", "worker, 2"))
                .add(List.of(MAIN), new long[] {main, main * ns}, Map.of())
                .build();
    }

    /** version 2 of the shop: price takes {@code price} samples under checkout. */
    static Profile shopWithPrice(long hash, long price) {
        long ns = 10_000_000L;
        return new ProfileBuilder(ProfileType.CPU)
                .period(ns)
                .add(List.of(HASH, CHECKOUT, MAIN), new long[] {hash, hash * ns}, Map.of())
                .add(List.of(PRICE, CHECKOUT, MAIN), new long[] {price, price * ns}, Map.of())
                .build();
    }

    static byte[] gz(Profile p) {
        return ProfileCodec.encodeGzip(p);
    }

    static String ingest(String service, String type, long from, long until, String labels, String id) {
        return Http.query(
                "/api/v1/ingest",
                "service",
                service,
                "type",
                type,
                "from",
                from,
                "until",
                until,
                "labels",
                labels,
                "id",
                id);
    }

    /** One stack of {@code depth} distinct frames, f0 the leaf. */
    static Profile deep(int depth, long samples) {
        List<StackFrame> stack = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) stack.add(new StackFrame("f" + i, FrameKind.JIT, "Deep.java", i, "", ""));
        return new ProfileBuilder(ProfileType.CPU)
                .period(10_000_000L)
                .add(stack, new long[] {samples, samples * 10_000_000L}, Map.of())
                .build();
    }

    /** {@code n} distinct two-frame stacks. */
    static Profile wide(int n) {
        ProfileBuilder b = new ProfileBuilder(ProfileType.CPU).period(10_000_000L);
        for (int i = 0; i < n; i++) {
            b.add(
                    List.of(new StackFrame("leaf" + i, FrameKind.JIT, "W.java", i, "", ""), Fixtures.MAIN),
                    new long[] {1, 10_000_000L},
                    Map.of());
        }
        return b.build();
    }
}
