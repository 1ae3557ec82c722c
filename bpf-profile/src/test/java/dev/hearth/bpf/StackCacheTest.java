package dev.hearth.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The cache's rules, drain by drain, without a kernel. */
class StackCacheTest {
    private static final long[] A = {0x10, 0x20};
    private static final long[] B = {0x30};

    /** a stack read in two drains, published after the second */
    private static StackCache published(long hash, long[] frames) {
        StackCache c = new StackCache();
        c.put(hash, frames, 1);
        assertEquals(
                0,
                c.settle(1, 1 - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN).publish().length,
                "seen once: not published");
        c.put(hash, frames, 2);
        StackCache.Changes second = c.settle(2, 2 - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN);
        assertArrayEquals(new long[] {hash}, second.publish());
        c.published(second.publish(), 0, 1, true);
        return c;
    }

    @Test
    void recurringStacksArePublishedAndStayWhileKnown() {
        StackCache c = published(1, A);
        for (long d = 3; d <= Drainer.KEEP_DRAINS + 2; d++) {
            StackCache.Changes none = c.settle(d, d - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN);
            assertEquals(0, none.publish().length + none.withdraw().length, "drain " + d);
        }
        assertArrayEquals(A, c.frames(1, Drainer.KEEP_DRAINS + 3));
    }

    @Test
    void aStaleKnownStackIsWithdrawnThenKeptTwoMoreDrains() {
        StackCache c = published(1, A);
        long w = 2 + Drainer.KEEP_DRAINS + 1; // first drain where mark 2 is older than KEEP_DRAINS
        for (long d = 3; d < w; d++) {
            assertEquals(
                    0,
                    c.settle(d, d - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN)
                            .withdraw()
                            .length,
                    "drain " + d);
        }
        assertArrayEquals(
                new long[] {1},
                c.settle(w, w - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN).withdraw());
        c.settle(w + 1, w + 1 - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN);
        assertArrayEquals(A, c.frames(1, w + 2), "counts read in drain W+2 still resolve");
        c.settle(w + 3, w + 3 - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN);
        c.settle(w + 5, w + 5 - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN);
        assertEquals(0, c.size(), "forgotten once not needed for two drains");
    }

    @Test
    void anUnpublishedStackIsForgottenAfterTheNextDrain() {
        StackCache c = new StackCache();
        c.put(1, A, 1);
        c.settle(1, 1 - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN); // read once: not published
        c.settle(2, 2 - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN);
        assertEquals(1, c.size());
        c.keep(1, 3); // a start entry still names it
        c.settle(3, 3 - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN);
        c.settle(4, 4 - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN);
        assertEquals(1, c.size());
        c.settle(5, 5 - Drainer.KEEP_DRAINS, Drainer.PUBLISH_PER_DRAIN);
        assertEquals(0, c.size());
    }

    @Test
    void publishingIsSpreadOverDrainsAndUnpublishedStacksStayResolvable() {
        StackCache c = new StackCache();
        java.util.Set<Long> published = new java.util.HashSet<>();
        for (long d = 1; d <= 4; d++) {
            for (long h = 1; h <= 5; h++) {
                if (!published.contains(h)) c.put(h, new long[] {h}, d); // the programs store what is not known
            }
            long[] fresh = c.settle(d, d - Drainer.KEEP_DRAINS, 2).publish();
            assertEquals(d == 1 ? 0 : d == 4 ? 1 : 2, fresh.length, "drain " + d);
            c.published(fresh, 0, fresh.length, true);
            for (long h : fresh) assertEquals(true, published.add(h), "published once: " + h);
        }
        assertEquals(5, published.size());
        for (long h = 1; h <= 5; h++) assertArrayEquals(new long[] {h}, c.frames(h, 5));
    }

    @Test
    void collisionsAndUnresolvedHashesAreCounted() {
        StackCache c = new StackCache();
        c.put(1, A, 1);
        c.put(1, B, 2);
        assertEquals(1, c.collisions());
        assertArrayEquals(A, c.frames(1, 2), "the first frames stay");
        assertArrayEquals(StackCache.NONE, c.frames(0, 2), "hash 0: no stack, not a miss");
        assertEquals(0, c.unresolved());
        assertArrayEquals(StackCache.NONE, c.frames(99, 2));
        assertEquals(1, c.unresolved());
    }

    /**
     * Many drains of thousands of stacks, half of them recurring: the table grows and forgets
     * entries in long probe runs (small hashes crowd neighbouring slots), and every stack it still
     * holds resolves to its own frames, every forgotten one to none.
     */
    @Test
    void manyStacksGrowAndAreForgottenWithoutLosingOthers() {
        StackCache c = new StackCache();
        Map<Long, long[]> frames = new HashMap<>();
        Map<Long, Long> needed = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(7);
        for (long d = 1; d <= 12; d++) {
            for (int i = 0; i < 6000; i++) {
                long hash = i % 2 == 0 ? 1 + rnd.nextInt(20_000) : rnd.nextLong() | 1;
                long[] stack = frames.computeIfAbsent(hash, h -> new long[] {h, 3 * h});
                c.put(hash, stack, d);
                needed.put(hash, d);
            }
            c.settle(
                    d,
                    d - Drainer.KEEP_DRAINS,
                    Drainer.PUBLISH_PER_DRAIN); // nothing published: forgotten unless needed in d or d-1
            long drain = d;
            needed.values().removeIf(n -> n < drain - 1);
            frames.keySet().retainAll(needed.keySet());
            assertEquals(needed.size(), c.size(), "drain " + d);
            if (d % 3 == 0) { // resolving marks them needed: not every drain, so that some are forgotten
                for (Map.Entry<Long, long[]> e : frames.entrySet()) {
                    assertArrayEquals(e.getValue(), c.frames(e.getKey(), d), "hash " + e.getKey());
                    needed.put(e.getKey(), d);
                }
            }
        }
        assertEquals(0, c.unresolved());
        assertEquals(0, c.collisions());
        assertArrayEquals(StackCache.NONE, c.frames(20_001, 13), "never put: small hashes stop at 20,000");
        assertEquals(1, c.unresolved());
    }
}
