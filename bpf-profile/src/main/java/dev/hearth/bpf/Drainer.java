package dev.hearth.bpf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Switches the programs to the other map set and reads the old one, losing nothing:
 * <ol>
 * <li>increment gen: new samples go to the other set;</li>
 * <li>wait for an RCU grace period: every program that saw the old gen has finished;</li>
 * <li>copy the stacks that pending off-CPU blocks and timed calls of the old gen refer to into a
 *     stash, then publish stashed_below: when they end, they count into the active set and name
 *     their gen, resolved here from the stash;</li>
 * <li>wait for a second grace period: intervals that ended between 1 and 3 wrote into the old set
 *     (its stacks still intact) and have now finished;</li>
 * <li>read and delete the old counts and resolve their stacks.</li>
 * </ol>
 * Without off-CPU and latency probes no interval spans a switch, and steps 3 and 4 are skipped.
 *
 * <p>Stack maps are not emptied at every drain: a stack id keeps its stack until deleted, so the
 * frames read once are remembered per set and the next drains look up only new ids (each bpf()
 * call costs microseconds). A set's stack map is swept when the remembered ids pass a share of its
 * buckets, when stacks may be left that no count refers to (the stack or counts map was full), and
 * periodically with off-CPU or latency probes, which leave such stacks (blocks below the minimum).
 */
final class Drainer {
    static final int KEY_SIZE = 48;
    static final int START_SIZE = 48;
    static final double SWEEP_SHARE = 0.5;
    static final int SWEEP_EVERY = 6;
    private static final SampleType[] TYPES = SampleType.values();

    private final Control control;
    private final int[] countsFd;
    private final StackMap[] stacks;
    private final int offCpuStartsFd;
    private final int callStartsFd;
    /** gen -> stack id -> frames, for intervals that began in a drained gen */
    private final Map<Integer, Map<Integer, long[]>> stash = new HashMap<>();
    /** gen -> drain number after which no start entry of that gen was left */
    private final Map<Integer, Long> stashGone = new HashMap<>();
    private final boolean intervals;
    private final int stackBuckets;
    private final LongSupplier stackFailures;
    private long stackFailuresSeen;
    /** per set: stack id -> frames, valid until that set's stack map is swept */
    private final List<Map<Integer, long[]>> known = List.of(new HashMap<>(), new HashMap<>());
    private long drains;
    private Timing last = new Timing(0, 0, 0, 0);

    /** wall time of the last drain: waiting for grace periods (no CPU) and reading maps */
    record Timing(long graceNanos, long readNanos, int keys, int stacksCleared) {
    }

    Drainer(Control control, int[] countsFd, int[] stacksFd, int offCpuStartsFd, int callStartsFd,
            boolean intervals, int stackBuckets, LongSupplier stackFailures) {
        this.control = control;
        this.intervals = intervals;
        this.stackBuckets = stackBuckets;
        this.stackFailures = stackFailures;
        this.countsFd = countsFd;
        this.stacks = new StackMap[] {new StackMap(stacksFd[0]), new StackMap(stacksFd[1])};
        this.offCpuStartsFd = offCpuStartsFd;
        this.callStartsFd = callStartsFd;
    }

    List<RawSample> drain() {
        drains++;
        long t0 = System.nanoTime();
        int gen = control.gen();
        int old = gen & 1;
        control.gen(gen + 1);
        Grace.waitForPrograms();
        long grace = System.nanoTime() - t0;
        Set<Integer> pendingGens = Set.of();
        if (intervals) {
            pendingGens = stashPending(gen, old);
            control.stashedBelow(gen + 1);
            long t1 = System.nanoTime();
            Grace.waitForPrograms();
            grace += System.nanoTime() - t1;
        }
        List<RawSample> samples = readCounts(gen, old, known.get(old));
        long failures = stackFailures.getAsLong();
        int cleared = 0;
        if (failures != stackFailuresSeen || known.get(old).size() > stackBuckets * SWEEP_SHARE
                || (intervals && drains % SWEEP_EVERY == 0)) {
            cleared = stacks[old].clear();
            known.get(old).clear();
            stackFailuresSeen = failures;
        }
        control.resetInserts(old);
        forgetStash(pendingGens);
        last = new Timing(grace, System.nanoTime() - t0 - grace, samples.size(), cleared);
        return samples;
    }

    private Set<Integer> stashPending(int gen, int old) {
        Set<Integer> gens = new HashSet<>();
        HashMapReader.Entry visit = (k, v) -> {
            int g = v.getInt(8);
            gens.add(g);
            if (g == gen) {
                Map<Integer, long[]> s = stash.computeIfAbsent(g, x -> new HashMap<>());
                s.computeIfAbsent(v.getInt(12), id -> frames(id, null, known.get(old), stacks[old]));
                s.computeIfAbsent(v.getInt(16), id -> frames(id, null, known.get(old), stacks[old]));
            }
        };
        HashMapReader.forEach(offCpuStartsFd, 4, START_SIZE, false, visit);
        HashMapReader.forEach(callStartsFd, 8, START_SIZE, false, visit);
        return gens;
    }

    private List<RawSample> readCounts(int gen, int old, Map<Integer, long[]> known) {
        List<RawSample> out = new ArrayList<>();
        HashMapReader.forEach(countsFd[old], KEY_SIZE, 8, true, (k, v) -> {
            int stackGen = k.getInt(4);
            Map<Integer, long[]> source = stackGen == gen ? null : stash.getOrDefault(stackGen, Map.of());
            long[] user = withCaller(frames(k.getInt(8), source, known, stacks[old]), k.getLong(40));
            long[] kernel = frames(k.getInt(12), source, known, stacks[old]);
            int probe = Short.toUnsignedInt(k.getShort(16));
            SampleType type = TYPES[k.get(18)];
            out.add(new RawSample(k.getInt(0), comm(k, 20), type, probe, user, kernel, v.getLong(0)));
        });
        return out;
    }

    private static long[] frames(int id, Map<Integer, long[]> stashed, Map<Integer, long[]> cache, StackMap map) {
        if (id < 0) {
            return StackMap.NONE;
        }
        if (stashed != null) {
            return stashed.getOrDefault(id, StackMap.NONE);
        }
        return cache.computeIfAbsent(id, map::lookup);
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

    /** A stash gen may go once no start entry refers to it and one more drain has read its late counts. */
    private void forgetStash(Set<Integer> pendingGens) {
        stash.keySet().removeIf(g -> {
            if (pendingGens.contains(g)) {
                stashGone.remove(g);
                return false;
            }
            Long since = stashGone.putIfAbsent(g, drains);
            boolean expired = since != null && since < drains;
            if (expired) {
                stashGone.remove(g);
            }
            return expired;
        });
    }

    Timing lastTiming() {
        return last;
    }

    private static String comm(ByteBuffer b, int offset) {
        int end = offset;
        while (end < offset + 16 && b.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end - offset];
        b.get(offset, s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
