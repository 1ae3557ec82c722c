package dev.hearth.bpf;

import java.util.Arrays;
import java.util.Map;

/**
 * Where user space finds what the programs share with it ({@code profile_abi.h}): every offset,
 * size and enum value is read by name from the object's BTF, which the compiler wrote from that
 * header, so the two sides cannot disagree silently. A renamed, resized or missing field fails
 * the load with its name, and the build fails first (KernelAbiTest). Sizes here are those Java
 * reads and writes; the BTF is checked against them.
 *
 * @param kinds the sample type of each {@code enum kind} value, by constant name
 */
record KernelAbi(
        CountKey countKey,
        Start start,
        ProbeKey probeKey,
        Stack stack,
        ControlBlock control,
        Settings settings,
        SampleType[] kinds,
        Drops drops) {

    static KernelAbi of(Btf btf) {
        return new KernelAbi(
                CountKey.of(btf),
                Start.of(btf),
                ProbeKey.of(btf),
                Stack.of(btf),
                ControlBlock.of(btf),
                Settings.of(btf),
                kinds(btf),
                Drops.of(btf));
    }

    /** struct count_key, the key of the counts maps */
    record CountKey(int size, int tgid, int probe, int kind, int comm, int userStack, int kernelStack, int caller) {
        static CountKey of(Btf btf) {
            Btf.Struct s = btf.struct("count_key");
            return new CountKey(
                    s.size(),
                    s.at("tgid", 4),
                    s.at("probe", 2),
                    s.at("kind", 1),
                    s.at("comm", CommNames.SIZE),
                    s.at("user_stack", 8),
                    s.at("kernel_stack", 8),
                    s.at("caller", 8));
        }
    }

    /** struct start, the value of the start maps (intervals in progress) */
    record Start(int size, int userStack, int kernelStack) {
        static Start of(Btf btf) {
            Btf.Struct s = btf.struct("start");
            return new Start(s.size(), s.at("user_stack", 8), s.at("kernel_stack", 8));
        }
    }

    /** struct probe_key, the key of call_starts (offcpu_starts is keyed by a bare u32 tid); StartMap holds it as a u64 */
    record ProbeKey(int size, int tid) {
        static ProbeKey of(Btf btf) {
            Btf.Struct s = btf.struct("probe_key");
            if (s.size() != 8) {
                throw new BpfException("the BPF object and this build disagree: probe_key is " + s.size()
                        + " bytes, user space reads 8");
            }
            return new ProbeKey(s.size(), s.at("tid", 4));
        }
    }

    /** struct stack, the value of the stacks maps: {@code depth} frames at {@code ip}, {@code len} used */
    record Stack(int size, int len, int ip, int depth) {
        static Stack of(Btf btf) {
            Btf.Struct s = btf.struct("stack");
            Btf.Field ip = s.field("ip");
            if (ip.elementSize() != 8) {
                throw new BpfException("the BPF object and this build disagree: stack.ip holds " + ip.elementSize()
                        + "-byte frames, user space reads 8");
            }
            return new Stack(s.size(), s.at("len", 8), ip.offset(), ip.size() / 8);
        }
    }

    /** the control block in .bss; offsets from the start of .bss, the two counters per set */
    record ControlBlock(int gen, int filterPids, int inserts, int stackInserts) {
        static ControlBlock of(Btf btf) {
            Btf.Struct s = btf.varStruct("control");
            int at = btf.varOffset(".bss", "control");
            return new ControlBlock(
                    at + s.at("gen", 4),
                    at + s.at("filter_pids", 4),
                    at + s.at("inserts", 16),
                    at + s.at("stack_inserts", 16));
        }
    }

    /** the settings fixed before load, in .rodata; offsets from the start of .rodata */
    record Settings(int minBlockNs, int maxBlockNs, int stateMask) {
        static Settings of(Btf btf) {
            Btf.Struct s = btf.varStruct("settings");
            int at = btf.varOffset(".rodata", "settings");
            return new Settings(at + s.at("min_block_ns", 8), at + s.at("max_block_ns", 8), at + s.at("state_mask", 4));
        }
    }

    /** indexes of enum drop_reason in the per-CPU drops array, and its length */
    record Drops(
            int count, int userStack, int kernelStack, int stackMapFull, int countsFull, int startFull, int unended) {
        static Drops of(Btf btf) {
            Map<String, Long> r = btf.enumValues("drop_reason");
            int count = value(r, "drop_reason", "DROP_REASONS", Integer.MAX_VALUE);
            return new Drops(
                    count,
                    value(r, "drop_reason", "DROP_USER_STACK", count),
                    value(r, "drop_reason", "DROP_KERNEL_STACK", count),
                    value(r, "drop_reason", "DROP_STACK_MAP_FULL", count),
                    value(r, "drop_reason", "DROP_COUNTS_FULL", count),
                    value(r, "drop_reason", "DROP_START_FULL", count),
                    value(r, "drop_reason", "DROP_UNENDED", count));
        }
    }

    /** enum kind by value; its constants are named as {@link SampleType}'s, one for one */
    private static SampleType[] kinds(Btf btf) {
        Map<String, Long> kinds = btf.enumValues("kind");
        SampleType[] byValue = new SampleType[1];
        for (SampleType t : SampleType.values()) {
            int v = value(kinds, "kind", t.name(), 256); // count_key.kind is a u8
            byValue = Arrays.copyOf(byValue, Math.max(byValue.length, v + 1));
            byValue[v] = t;
        }
        if (kinds.size() != SampleType.values().length) {
            throw new BpfException("the BPF object and this build disagree: enum kind has " + kinds.keySet()
                    + ", SampleType has " + Arrays.toString(SampleType.values()));
        }
        return byValue;
    }

    private static int value(Map<String, Long> e, String enumName, String constant, int bound) {
        Long v = e.get(constant);
        if (v == null || v < 0 || v >= bound) {
            throw new BpfException("the BPF object and this build disagree: enum " + enumName + " "
                    + (v == null
                            ? "has no " + constant + " (it has " + e.keySet() + ")"
                            : constant + " = " + v + ", not below " + bound));
        }
        return v.intValue();
    }
}
