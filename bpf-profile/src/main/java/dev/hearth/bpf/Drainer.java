package dev.hearth.bpf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Switches the programs to the other map set and reads the old one, losing nothing:
 * <ol>
 * <li>increment gen: new samples go to the other set;</li>
 * <li>wait for an RCU grace period: every program that saw the old gen has finished;</li>
 * <li>read and delete the old set's stacks into the {@link StackCache}, then its counts, resolving
 *     their stack hashes there;</li>
 * <li>mark the stacks that pending off-CPU blocks and timed calls name, and remove those of
 *     threads that exited (see {@link StartMap});</li>
 * <li>withdraw stale stacks from the kernel's known set, forget unpublished ones no longer
 *     needed, and publish the stacks read now and in an earlier drain, so the programs stop
 *     storing the ones that recur.</li>
 * </ol>
 * In a steady state the recurring stacks are known and a drain reads little more than the counts
 * and the stacks seen for the first time (a JVM's leaf addresses make many of those).
 *
 * <p>Why a stack is in the cache when a count needs it. Drain D reads set D (the set of gen D).
 * An entry's mark is the last drain that read it, resolved a count with it, or found it named by
 * a start entry. At the end of drain D: a published entry marked before D-{@value #KEEP_DRAINS}
 * is removed from the known set and marked D; an unpublished entry marked before D-1 is
 * forgotten. So a published entry stays, and an entry withdrawn or last needed in drain D stays
 * through the reading of drain D+2. A count names a stack a program found known, or stored in the
 * set it chose, either in the same run or when an interval started:
 * <ul>
 * <li>stored, same run: in the set of the count, or, if gen moved between the two reads of it, one
 *     gen earlier; drain D or D-1 read and marked it.</li>
 * <li>found known, same run: the program ran before the withdrawal (at drain W, after the switch to
 *     gen W+1), so its count is in set W+2 at the latest, read while the entry stays.</li>
 * <li>an interval that started in gen g: the stack was stored (drain g marked it) or known at that
 *     time (and stays at least through drain g+1, as above). Let k be the last drain whose start
 *     scan still saw the start entry, each such scan marking the stack. The scan of k follows the
 *     switch to gen k+1, and the scan of k+1 did not see the entry, so it ended in gen k+1 or k+2
 *     and its count is read by drain k+1 or k+2, while the mark k keeps it.</li>
 * </ul>
 * A stack missing from every map (its map was full) resolves to an empty stack and is counted.
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
    record Timing(long graceNanos, long readNanos, int keys, int stacksRead) {
    }

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
        control.gen(gen + 1);
        Grace.waitForPrograms();
        long grace = System.nanoTime() - t0;
        int read = stacks[old].forEach(true, (k, ka, v, va) -> cache.put(k.getLong(ka), frames(v, va), drain));
        List<RawSample> samples = readCounts(old, drain);
        for (StartMap s : starts) {
            swept += s.scan((user, kernel) -> {
                cache.keep(user, drain);
                cache.keep(kernel, drain);
            });
        }
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
            long[] user = withCaller(cache.frames(k.getLong(ka + key.userStack()), drain), k.getLong(ka + key.caller()));
            long[] kernel = cache.frames(k.getLong(ka + key.kernelStack()), drain);
            out.add(new RawSample(k.getInt(ka + key.tgid()), comms.at(k, ka + key.comm()), type, probe, user, kernel,
                    v.getLong(va)));
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
