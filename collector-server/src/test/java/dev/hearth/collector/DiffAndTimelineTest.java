package dev.hearth.collector;

import static dev.hearth.collector.Http.child;
import static dev.hearth.collector.Http.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Deploy diffs (two label sets), window diffs, and the timeline. On every store. */
@ParameterizedClass
@EnumSource(TestStore.class)
class DiffAndTimelineTest {
    /** The store of this run of the class. */
    @Parameter
    TestStore store;

    static final long T0 = 1_700_000_000_000L;
    static final long NS = 10_000_000L;

    @TempDir
    static Path dir;

    static TestCollector c;

    @BeforeParameterizedClassInvocation
    static void start(TestStore store) throws Exception {
        c = new TestCollector(dir.resolve(store.name()), store);
        // version 1: 100 samples, all hash; two profiles in the first minute
        post(T0, "version=1", "a", Fixtures.shopWithPrice(50, 0));
        post(T0 + 10_000, "version=1", "b", Fixtures.shopWithPrice(50, 0));
        // version 2, ran shorter: 40 samples, half of them in the new price method; in the third minute
        post(T0 + 120_000, "version=2", "c", Fixtures.shopWithPrice(20, 20));
    }

    static void post(long from, String labels, String id, dev.hearth.pprof.proto.Profile p) throws Exception {
        Http.Reply r = c.http.post(Fixtures.ingest("shop", "cpu", from, from + 10_000, labels, id), Fixtures.gz(p));
        assertEquals(200, r.status(), r.text());
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception {
        c.close();
    }

    static Map<String, Object> diff(Object... extra) throws Exception {
        Object[] base = {
            "service",
            "shop",
            "type",
            "cpu",
            "from",
            T0,
            "until",
            T0 + 300_000,
            "labels",
            "version=2",
            "baseLabels",
            "version=1"
        };
        Object[] params = new Object[base.length + extra.length];
        System.arraycopy(base, 0, params, 0, base.length);
        System.arraycopy(extra, 0, params, base.length, extra.length);
        Http.Reply r = c.http.get(Http.query("/api/v1/diff", params));
        assertEquals(200, r.status(), r.text());
        return r.json();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> checkout(Map<String, Object> d) {
        return child(child((Map<String, Object>) d.get("root"), "com.example.Shop.main"), "com.example.Shop.checkout");
    }

    @Test
    void deployDiffIsNormalizedByEachSidesTotal() throws Exception {
        Map<String, Object> d = diff();
        assertEquals(40 * NS, num(d, "total"));
        Map<String, Object> checkout = checkout(d);
        Map<String, Object> hash = child(checkout, "com.example.Shop.hash");
        // compared: 20 of 40; baseline: 100 of 100, scaled to the compared total: 40
        assertEquals(20 * NS, num(hash, "self"));
        assertEquals(40 * NS, num(hash, "baseSelf"), 1);
        Map<String, Object> price = child(checkout, "com.example.Shop.price");
        assertEquals(20 * NS, num(price, "self"));
        assertEquals(0, num(price, "baseSelf")); // only on the compared side, still there
    }

    @Test
    void absoluteDiffKeepsRawValues() throws Exception {
        Map<String, Object> hash = child(checkout(diff("absolute", "true")), "com.example.Shop.hash");
        assertEquals(100 * NS, num(hash, "baseSelf"));
        assertEquals(20 * NS, num(hash, "self"));
    }

    @Test
    void nodesOnlyInTheBaselineAreKept() throws Exception {
        // swap sides: price exists only in the baseline now
        Map<String, Object> d = diff("labels", "version=1", "baseLabels", "version=2", "absolute", "true");
        Map<String, Object> price = child(checkout(d), "com.example.Shop.price");
        assertNotNull(price);
        assertEquals(0, num(price, "self"));
        assertEquals(20 * NS, num(price, "baseSelf"));
    }

    @Test
    void windowDiffComparesTwoTimeRanges() throws Exception {
        Http.Reply r = c.http.get(Http.query(
                "/api/v1/diff",
                "service",
                "shop",
                "type",
                "cpu",
                "from",
                T0 + 120_000,
                "until",
                T0 + 180_000,
                "baseFrom",
                T0,
                "baseUntil",
                T0 + 60_000,
                "absolute",
                "true"));
        assertEquals(200, r.status(), r.text());
        Map<String, Object> d = r.json();
        assertEquals(40 * NS, num(d, "total"));
        assertEquals(100 * NS, num(d, "baseTotal"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void timelineHasDataOnlyWhereProfilesWere() throws Exception {
        Http.Reply r = c.http.get(Http.query(
                "/api/v1/timeline",
                "service",
                "shop",
                "type",
                "cpu",
                "from",
                T0,
                "until",
                T0 + 180_000,
                "step",
                60_000));
        assertEquals(200, r.status(), r.text());
        List<List<Number>> points = (List<List<Number>>) r.json().get("points");
        assertEquals(3, points.size());
        assertEquals(List.of(T0, 100 * NS), longs(points.get(0)));
        assertEquals(List.of(T0 + 60_000, 0L), longs(points.get(1)));
        assertEquals(List.of(T0 + 120_000, 40 * NS), longs(points.get(2)));
        List<List<Number>> v1 = (List<List<Number>>) c.http.get(Http.query(
                        "/api/v1/timeline",
                        "service",
                        "shop",
                        "type",
                        "cpu",
                        "from",
                        T0,
                        "until",
                        T0 + 180_000,
                        "step",
                        60_000,
                        "labels",
                        "version=1",
                        "value",
                        "samples"))
                .json()
                .get("points");
        assertEquals(
                List.of(100.0, 0.0, 0.0),
                v1.stream().map(p -> p.get(1).doubleValue()).toList());
    }

    @Test
    void unknownServiceGivesEmptyAnswers() throws Exception {
        Map<String, Object> d = c.http.get(Http.query("/api/v1/diff", "service", "nobody", "type", "cpu"))
                .json();
        assertEquals(0, num(d, "total"));
        assertNull(child(checkout(diff()), "nothing"));
    }

    private static List<Long> longs(List<Number> numbers) {
        return numbers.stream().map(Number::longValue).toList();
    }
}
