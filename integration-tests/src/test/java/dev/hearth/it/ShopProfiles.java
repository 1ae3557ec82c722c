package dev.hearth.it;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CPU profiles of a shop with known shares, in two deploys: version 2 spends three times as
 * many samples in {@link #TAX}. Built with the pprof builder and ingested over HTTP.
 */
final class ShopProfiles {
    static final String SERVICE = "shop-ui";
    static final String CHECKOUT = "com.example.shop.Checkout.total";
    static final String TAX = "com.example.shop.Tax.compute";
    static final String ADD = "java.math.BigDecimal.add";
    static final String JSON = "com.example.shop.Json.write";
    static final String HOSTILE = "<img src=x onerror=alert(1)>";
    static final String SYSCALL = "do_syscall_64";
    static final long NANOS_PER_SAMPLE = 10_101_010; // 99 Hz

    static final long TAX_V1 = 200, TAX_V2 = 600;
    static final long TOTAL_V1 = 700 + TAX_V1, TOTAL_V2 = 700 + TAX_V2;

    /** Samples per stack (root first), with {@code tax} samples in TAX. */
    static Map<List<String>, Long> stacks(long tax) {
        return Map.of(
                List.of("java", "com.example.shop.Server.handle", CHECKOUT, ADD), 300L,
                List.of("java", "com.example.shop.Server.handle", CHECKOUT, TAX), tax,
                List.of("java", "com.example.shop.Server.handle", JSON), 250L,
                List.of("java", "com.example.shop.Server.handle", HOSTILE), 50L,
                List.of("java", "GCTaskThread::run()", SYSCALL), 100L);
    }

    private static FrameKind kindOf(String name) {
        if (name.equals("java")) return FrameKind.NATIVE;
        if (name.equals(SYSCALL)) return FrameKind.KERNEL;
        if (name.contains("::")) return FrameKind.CPP;
        if (name.equals(ADD)) return FrameKind.INLINED;
        return FrameKind.JIT;
    }

    static byte[] profile(long tax) {
        ProfileBuilder b = new ProfileBuilder(ProfileType.CPU);
        stacks(tax).forEach((stack, samples) -> {
            List<StackFrame> leafFirst = new ArrayList<>();
            for (int i = stack.size() - 1; i >= 0; i--)
                leafFirst.add(StackFrame.of(stack.get(i), kindOf(stack.get(i))));
            b.add(leafFirst, new long[] {samples, samples * NANOS_PER_SAMPLE}, Map.of());
        });
        return ProfileCodec.encodeGzip(b.build());
    }

    static final String WIDE_SERVICE = "plugins-ui";
    static final int PLUGINS = 10_000;

    /** More distinct frames than the collector keeps (8192 by default), so it folds the small ones into "other". */
    static byte[] wideProfile() {
        ProfileBuilder b = new ProfileBuilder(ProfileType.CPU);
        StackFrame root = StackFrame.of("java", FrameKind.NATIVE),
                run = StackFrame.of("com.example.Plugins.run", FrameKind.JIT);
        b.add(
                List.of(StackFrame.of("com.example.Hot.loop", FrameKind.JIT), run, root),
                new long[] {50_000, 50_000 * NANOS_PER_SAMPLE},
                Map.of());
        for (int i = 0; i < PLUGINS; i++) {
            b.add(
                    List.of(StackFrame.of("com.example.plugin.P" + i + ".call", FrameKind.JIT), run, root),
                    new long[] {1, NANOS_PER_SAMPLE},
                    Map.of());
        }
        return ProfileCodec.encodeGzip(b.build());
    }

    /** A short-lived process with almost nothing: first by name, never the page's first choice. */
    static final String TINY_SERVICE = "awk";

    static byte[] tinyProfile() {
        ProfileBuilder b = new ProfileBuilder(ProfileType.CPU);
        b.add(
                List.of(StackFrame.of("[unknown]", FrameKind.UNKNOWN), StackFrame.of("awk", FrameKind.NATIVE)),
                new long[] {1, NANOS_PER_SAMPLE},
                Map.of());
        return ProfileCodec.encodeGzip(b.build());
    }

    /** A JVM seen by eBPF without frame pointers and through several JIT tiers, with a recursive method and a long name. */
    static final String TIERS_SERVICE = "tiers-ui";

    static final String SORT = "com.example.Busy.sortStuff";
    static final String FIB = "com.example.Fib.fib";
    static final String LONG_NAME =
            "com.example.enterprise.platform.integration.adapters.persistence.OrderRepositoryAdapterImplementation.findAllPendingOrders";
    static final long SORT_SELF = 10 + 30 + 60 + 50, TIERS_TOTAL = SORT_SELF + 40 + 20;
    /** The series label through which the agent says why frames are unnamed (read by the page; see docs/jvm.md). */
    static final String UNNAMED_LABEL = "hearth_frames_unnamed=no-frame-pointers";

    static byte[] tiersProfile() {
        ProfileBuilder b = new ProfileBuilder(ProfileType.CPU);
        StackFrame java = StackFrame.of("java", FrameKind.NATIVE),
                run = StackFrame.of("com.example.Busy.run", FrameKind.JIT);
        Map<FrameKind, Long> tiers = Map.of(FrameKind.INTERPRETED, 10L, FrameKind.C1, 30L, FrameKind.JIT, 60L);
        tiers.forEach((kind, n) ->
                b.add(List.of(StackFrame.of(SORT, kind), run, java), new long[] {n, n * NANOS_PER_SAMPLE}, Map.of()));
        b.add(
                List.of(StackFrame.of(SORT, FrameKind.JIT), StackFrame.of("[unknown]", FrameKind.UNKNOWN), java),
                new long[] {50, 50 * NANOS_PER_SAMPLE},
                Map.of());
        StackFrame fib = StackFrame.of(FIB, FrameKind.JIT);
        b.add(
                List.of(StackFrame.of("com.example.Fib.add", FrameKind.INLINED), fib, fib, fib, java),
                new long[] {40, 40 * NANOS_PER_SAMPLE},
                Map.of());
        b.add(List.of(StackFrame.of(LONG_NAME, FrameKind.JIT), java), new long[] {20, 20 * NANOS_PER_SAMPLE}, Map.of());
        return ProfileCodec.encodeGzip(b.build());
    }

    static void ingest(String collector, String version, long tax, long fromMs, long untilMs)
            throws IOException, InterruptedException {
        post(collector, SERVICE, "version=" + version + ",host=it-host", profile(tax), fromMs, untilMs);
    }

    static void post(String collector, String service, String labels, byte[] body, long fromMs, long untilMs)
            throws IOException, InterruptedException {
        URI uri = URI.create(collector + "/api/v1/ingest?service=" + service + "&type=cpu&from=" + fromMs + "&until="
                + untilMs + "&labels=" + URLEncoder.encode(labels, StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2)
            throw new IllegalStateException("ingest refused: " + r.statusCode() + " " + r.body());
    }
}
