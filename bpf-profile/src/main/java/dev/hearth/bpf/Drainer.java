package dev.hearth.bpf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Switches the programs to the other map set and reads the old one, losing nothing. The algorithm,
 * and why a stack is in the cache whenever a count names it, is told once in docs/bpf-profile.md
 * ("Draining without loss"); the steps below are numbered as there.
 */
final class Drainer implements AutoCloseable {
    /** drains a published stack stays known without being needed */
    static final int KEEP_DRAINS = 6;
    /** stacks published per drain: publishing costs about a microsecond each */
    static final int PUBLISH_PER_DRAIN = 2048;

    private final Control control;
    private final KernelAbi.CountKey key;
    private final KernelAbi.Stack stack;
    private final SampleType[] kinds;
    private final HashMapReader[] counts;
    private final HashMapReader[] stacks;
    private final StartMap[] starts;
    private long swept;
    private final KnownStacks known;
    private final StackCache cache = new StackCache();
    private final CommNames comms = new CommNames();
    private long drains;
    private Timing last = new Timing(0, 0, 0, 0);

    /** wall time of the last drain: waiting for a grace period (no CPU) and reading maps */
    record Timing(long graceNanos, long readNanos, int keys, int stacksRead) {}

    /** {@code startMaps}: those of off-CPU and timed calls in use (none: no interval spans a drain) */
    Drainer(Control control, KernelAbi abi, int[] countsFd, int[] stacksFd, int knownFd, List<StartMap> startMaps) {
        this.control = control;
        this.key = abi.countKey();
        this.stack = abi.stack();
        this.kinds = abi.kinds();
        this.known = new KnownStacks(knownFd);
        this.counts = new HashMapReader[] {counts(countsFd[0]), counts(countsFd[1])};
        this.stacks = new HashMapReader[] {stacks(stacksFd[0]), stacks(stacksFd[1])};
        this.starts = startMaps.toArray(StartMap[]::new);
    }

    private HashMapReader counts(int fd) {
        return new HashMapReader(fd, key.size(), 8, 4096);
    }

    private HashMapReader stacks(int fd) {
        return new HashMapReader(fd, 8, stack.size(), 1024);
    }

    List<RawSample> drain() {
        long drain = ++drains;
        long t0 = System.nanoTime();
        int gen = control.gen();
        int old = gen & 1;
        control.gen(gen + 1); // 1
        Grace.waitForPrograms(); // 2
        long grace = System.nanoTime() - t0;
        // 3
        int read = stacks[old].forEach(true, (k, ka, v, va) -> cache.put(k.getLong(ka), frames(v, va), drain));
        List<RawSample> samples = readCounts(old, drain);
        // 4
        for (StartMap s : starts) {
            swept += s.scan((user, kernel) -> {
                cache.keep(user, drain);
                cache.keep(kernel, drain);
            });
        }
        // 5
        StackCache.Changes changes = cache.settle(drain, drain - KEEP_DRAINS, PUBLISH_PER_DRAIN);
        long[] stale = changes.withdraw();
        cache.published(stale, known.remove(stale), stale.length, true); // any the kernel kept stay known
        long[] fresh = changes.publish();
        cache.published(fresh, 0, known.add(fresh), true);
        control.resetInserts(old);
        last = new Timing(grace, System.nanoTime() - t0 - grace, samples.size(), read);
        return samples;
    }

    private List<RawSample> readCounts(int old, long drain) {
        List<RawSample> out = new ArrayList<>();
        counts[old].forEach(true, (k, ka, v, va) -> {
            int probe = Short.toUnsignedInt(k.getShort(ka + key.probe()));
            SampleType type = kinds[Byte.toUnsignedInt(k.get(ka + key.kind()))];
            long[] user =
                    withCaller(cache.frames(k.getLong(ka + key.userStack()), drain), k.getLong(ka + key.caller()));
            long[] kernel = cache.frames(k.getLong(ka + key.kernelStack()), drain);
            out.add(new RawSample(
                    k.getInt(ka + key.tgid()), comms.at(k, ka + key.comm()), type, probe, user, kernel, v.getLong(va)));
        });
        return out;
    }

    /** a stacks map value at {@code at} (struct stack), only the used frames copied */
    private long[] frames(ByteBuffer v, int at) {
        int n = (int) Math.min(v.getLong(at + stack.len()), stack.depth());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = v.getLong(at + stack.ip() + 8 * i);
        }
        return out;
    }

    /** puts a uprobe's return address (read at function entry) after the leaf, where the walk missed it */
    private static long[] withCaller(long[] user, long caller) {
        if (caller == 0 || user.length == 0) {
            return user;
        }
        long[] out = new long[user.length + 1];
        out[0] = user[0];
        out[1] = caller;
        System.arraycopy(user, 1, out, 2, user.length - 1);
        return out;
    }

    Timing lastTiming() {
        return last;
    }

    /** different frames drained under one hash */
    long stackCollisions() {
        return cache.collisions();
    }

    /** start entries removed because their thread had exited before the interval ended */
    long sweptStarts() {
        return swept;
    }

    /** stack hashes that drained counts named but no stacks map held */
    long unresolvedStacks() {
        return cache.unresolved();
    }

    @Override
    public void close() {
        for (HashMapReader[] rs : List.of(counts, stacks)) {
            for (HashMapReader r : rs) {
                r.close();
            }
        }
        for (StartMap s : starts) {
            s.close();
        }
    }
}
