package dev.hearth.bpf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * <li>read and delete the old counts, resolve their stacks, clear the old stack map.</li>
 * </ol>
 */
final class Drainer {
    static final int KEY_SIZE = 48;
    static final int START_SIZE = 48;
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
    private long drains;

    Drainer(Control control, int[] countsFd, int[] stacksFd, int offCpuStartsFd, int callStartsFd) {
        this.control = control;
        this.countsFd = countsFd;
        this.stacks = new StackMap[] {new StackMap(stacksFd[0]), new StackMap(stacksFd[1])};
        this.offCpuStartsFd = offCpuStartsFd;
        this.callStartsFd = callStartsFd;
    }

    List<RawSample> drain() {
        drains++;
        int gen = control.gen();
        int old = gen & 1;
        control.gen(gen + 1);
        Grace.waitForPrograms();
        Set<Integer> pendingGens = stashPending(gen, stacks[old]);
        control.stashedBelow(gen + 1);
        Grace.waitForPrograms();
        List<RawSample> samples = readCounts(gen, old);
        stacks[old].clear();
        control.resetInserts(old);
        forgetStash(pendingGens);
        return samples;
    }

    private Set<Integer> stashPending(int gen, StackMap oldStacks) {
        Set<Integer> gens = new HashSet<>();
        HashMapReader.Entry visit = (k, v) -> {
            int g = v.getInt(8);
            gens.add(g);
            if (g == gen) {
                Map<Integer, long[]> s = stash.computeIfAbsent(g, x -> new HashMap<>());
                s.computeIfAbsent(v.getInt(12), oldStacks::lookup);
                s.computeIfAbsent(v.getInt(16), oldStacks::lookup);
            }
        };
        HashMapReader.forEach(offCpuStartsFd, 4, START_SIZE, false, visit);
        HashMapReader.forEach(callStartsFd, 8, START_SIZE, false, visit);
        return gens;
    }

    private List<RawSample> readCounts(int gen, int old) {
        Map<Integer, long[]> fresh = new HashMap<>();
        List<RawSample> out = new ArrayList<>();
        HashMapReader.forEach(countsFd[old], KEY_SIZE, 8, true, (k, v) -> {
            int stackGen = k.getInt(4);
            Map<Integer, long[]> source = stackGen == gen ? null : stash.getOrDefault(stackGen, Map.of());
            long[] user = withCaller(frames(k.getInt(8), source, fresh, stacks[old]), k.getLong(40));
            long[] kernel = frames(k.getInt(12), source, fresh, stacks[old]);
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

    int stashedStacks() {
        return stash.values().stream().mapToInt(Map::size).sum();
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
