package dev.hearth.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The compiled BPF object (a classpath resource) opened and loaded into the kernel through libbpf,
 * with map sizes and the read-only settings fixed before load.
 */
final class ProfileObject implements AutoCloseable {
    static final String RESOURCE = "/dev/hearth/bpf/profile.bpf.o";
    static final String OFF_CPU_BTF = "off_cpu";
    static final String OFF_CPU_RAW = "off_cpu_raw";
    static final String[] PROGRAMS = {"on_cpu", OFF_CPU_BTF, OFF_CPU_RAW, "uprobe_entry", "uprobe_return"};

    private static final long CONTROL_MAP_BYTES = 4096;
    private static final int PROG_INFO_SIZE = 232;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;

    private final Pointer obj;
    private Pointer controlMem;
    private final Memory image; // libbpf may refer to the buffer until close
    final String offCpuProgram;
    final KernelAbi abi;
    /** user stacks are walked by unwind table (the kernel accepted the unwinder) */
    final boolean unwinding;

    private ProfileObject(Pointer obj, Memory image, String offCpuProgram, boolean unwinding) {
        this.obj = obj;
        this.image = image;
        this.offCpuProgram = offCpuProgram;
        this.unwinding = unwinding;
        this.abi = KernelAbi.of(btf(obj));
    }

    /** Opens the object without loading it: its types, for checking them against this build. */
    static ProfileObject open() {
        return open(readResource(), null, false, LibbpfLog.mark());
    }

    static ProfileObject load(ProfilerConfig config, MapSizing sizing) {
        return load(config, sizing, false);
    }

    /**
     * Opens, sizes and loads; with {@code unwind}, the table walk of user stacks is tried first and
     * the frame-pointer walk kept if the kernel refuses it (see {@link UnwindProbe}).
     */
    static ProfileObject load(ProfilerConfig config, MapSizing sizing, boolean unwind) {
        byte[] elf = readResource();
        if (!unwind) {
            return loadSwitch(elf, config, sizing, false);
        }
        try {
            return loadSwitch(elf, config, sizing, true);
        } catch (BpfException refused) {
            UnwindProbe.refused(refused);
            return loadSwitch(elf, config, sizing, false);
        }
    }

    /** tp_btf is tried first for off-CPU, raw_tp if the kernel refuses it */
    private static ProfileObject loadSwitch(byte[] elf, ProfilerConfig config, MapSizing sizing, boolean unwind) {
        if (!config.offCpu()) {
            return loadOnce(elf, config, sizing, null, unwind);
        }
        try {
            return loadOnce(elf, config, sizing, OFF_CPU_BTF, unwind);
        } catch (BpfException tpBtfRefused) {
            System.getLogger("dev.hearth.bpf")
                    .log(
                            System.Logger.Level.INFO,
                            "tp_btf/sched_switch refused, falling back to raw_tp: " + tpBtfRefused.getMessage());
            try {
                return loadOnce(elf, config, sizing, OFF_CPU_RAW, unwind);
            } catch (BpfException rawRefused) {
                rawRefused.addSuppressed(tpBtfRefused);
                throw rawRefused;
            }
        }
    }

    private static ProfileObject loadOnce(
            byte[] elf, ProfilerConfig config, MapSizing sizing, String offCpu, boolean unwind) {
        long mark = LibbpfLog.mark();
        ProfileObject po = open(elf, offCpu, unwind, mark);
        try {
            po.configure(config, sizing);
            UnwindProbe.configure(po, unwind);
            int err = LibBpf.bpf_object__load(po.obj);
            if (err < 0) {
                throw loadError(-err, mark);
            }
            return po;
        } catch (RuntimeException e) {
            po.close();
            throw e;
        }
    }

    private static ProfileObject open(byte[] elf, String offCpu, boolean unwind, long mark) {
        Memory image = new Memory(elf.length);
        image.write(0, elf, 0, elf.length);
        Memory name = new Memory(16);
        name.setString(0, "hearth");
        Memory opts = new Memory(16);
        opts.setLong(0, 16);
        opts.setPointer(8, name);
        Pointer obj = LibBpf.bpf_object__open_mem(image, elf.length, opts);
        if (obj == null) {
            throw new BpfException("libbpf could not open the BPF object: " + LibC.errorName(Native.getLastError())
                    + " — is libbpf1 >= 1.0 installed?" + LibbpfLog.tail(mark, 5));
        }
        try {
            return new ProfileObject(obj, image, offCpu, unwind);
        } catch (RuntimeException e) {
            LibBpf.bpf_object__close(obj);
            image.close();
            throw e;
        }
    }

    /** the object's BTF as libbpf holds it once opened (data section offsets filled in from the ELF) */
    private static Btf btf(Pointer obj) {
        Pointer btf = LibBpf.bpf_object__btf(obj);
        if (btf == null) {
            throw new BpfException("the BPF object has no BTF: build it with clang -g");
        }
        try (Memory size = new Memory(4)) {
            Pointer raw = LibBpf.btf__raw_data(btf, size);
            if (raw == null) {
                throw new BpfException(
                        "libbpf could not write out the object's BTF: " + LibC.errorName(Native.getLastError()));
            }
            return Btf.parse(raw.getByteBuffer(0, Integer.toUnsignedLong(size.getInt(0))));
        }
    }

    private void configure(ProfilerConfig config, MapSizing sizing) {
        setMaxEntries("counts0", sizing.counts());
        setMaxEntries("counts1", sizing.counts());
        setMaxEntries("stacks0", sizing.stacks());
        setMaxEntries("stacks1", sizing.stacks());
        setMaxEntries("known_stacks", sizing.knownStacks());
        setMaxEntries("offcpu_starts", sizing.offCpuStarts());
        setMaxEntries("call_starts", sizing.callStarts());
        setMaxEntries("target_pids", sizing.targetPids());
        Pointer rodata = initialValue(".rodata");
        rodata.setLong(abi.settings().minBlockNs(), config.minBlockNs());
        rodata.setLong(abi.settings().maxBlockNs(), config.maxBlockNs());
        rodata.setInt(abi.settings().stateMask(), config.taskStateMask());
        boolean uprobes = !config.uprobes().isEmpty();
        autoload("on_cpu", config.onCpu());
        autoload(OFF_CPU_BTF, OFF_CPU_BTF.equals(offCpuProgram));
        autoload(OFF_CPU_RAW, OFF_CPU_RAW.equals(offCpuProgram));
        autoload("uprobe_entry", uprobes);
        autoload("uprobe_return", config.uprobes().stream().anyMatch(UprobeSpec::latency));
    }

    private static BpfException loadError(int errno, long mark) {
        String why = LibC.errorName(errno);
        String log = LibbpfLog.tail(mark, 12);
        if (errno == 1 || errno == 13) {
            return new BpfException("the kernel refused to load BPF programs (" + why + "): run as root, or grant "
                    + "CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN before Linux 5.8)" + log);
        }
        if (log.contains("vmlinux BTF") || log.contains("failed to find valid kernel BTF")) {
            return new BpfException("no kernel BTF: this kernel lacks /sys/kernel/btf/vmlinux; use a kernel built "
                    + "with CONFIG_DEBUG_INFO_BTF=y (Linux 5.8 or newer)" + log);
        }
        return new BpfException("the kernel refused the BPF programs (" + why + "); the verifier or libbpf "
                + "message below names the part" + log);
    }

    Pointer map(String name) {
        Pointer m = LibBpf.bpf_object__find_map_by_name(obj, name);
        if (m == null) {
            throw new IllegalStateException("BPF object has no map " + name);
        }
        return m;
    }

    int mapFd(String name) {
        return LibBpf.bpf_map__fd(map(name));
    }

    Pointer program(String name) {
        Pointer p = LibBpf.bpf_object__find_program_by_name(obj, name);
        if (p == null) {
            throw new IllegalStateException("BPF object has no program " + name);
        }
        return p;
    }

    /** id, name and run-time counters of each loaded program */
    List<ProgramStats> programStats() {
        List<ProgramStats> out = new ArrayList<>();
        for (String p : PROGRAMS) {
            int fd = LibBpf.bpf_program__fd(program(p));
            if (fd >= 0) {
                out.add(programInfo(fd));
            }
        }
        return out;
    }

    private static ProgramStats programInfo(int fd) {
        try (Memory info = new Memory(PROG_INFO_SIZE);
                Memory len = new Memory(4)) {
            info.clear();
            len.setInt(0, PROG_INFO_SIZE);
            int err = LibBpf.bpf_obj_get_info_by_fd(fd, info, len);
            if (err < 0) {
                throw new BpfException("bpf_obj_get_info_by_fd failed: " + LibC.errorName(-err));
            }
            // struct bpf_prog_info: id at 4, name at 64, run_time_ns at 192, run_cnt at 200, recursion_misses at 208
            return new ProgramStats(
                    info.getInt(4), info.getString(64), info.getLong(192), info.getLong(200), info.getLong(208));
        }
    }

    /**
     * Maps the .bss (the `control` block) shared with the programs. libbpf 1.1 maps internal maps
     * only for skeletons, so this maps the map's fd itself; {@link #close} unmaps it.
     */
    Pointer control() {
        if (controlMem == null) {
            Pointer p = LibC.mmap(null, CONTROL_MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, mapFd(".bss"), 0);
            if (p == null || Pointer.nativeValue(p) == -1) {
                throw new BpfException("cannot mmap the BPF .bss map: " + LibC.errorName(Native.getLastError())
                        + " — needs Linux 5.5 or newer (BPF_F_MMAPABLE)");
            }
            controlMem = p;
        }
        return controlMem;
    }

    /** an internal map's memory: before load the initial image, after load the mmap'ed map */
    Pointer initialValue(String map) {
        try (Memory size = new Memory(8)) {
            Pointer p = LibBpf.bpf_map__initial_value(map(map), size);
            if (p == null) {
                throw new IllegalStateException("no memory for BPF map " + map);
            }
            return p;
        }
    }

    void setMaxEntries(String map, int n) {
        int err = LibBpf.bpf_map__set_max_entries(map(map), n);
        if (err < 0) {
            throw new BpfException("cannot size map " + map + ": " + LibC.errorName(-err));
        }
    }

    private void autoload(String prog, boolean on) {
        LibBpf.bpf_program__set_autoload(program(prog), on);
    }

    private static byte[] readResource() {
        try (InputStream in = ProfileObject.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new BpfException("BPF object " + RESOURCE + " missing from the classpath: build bpf-profile "
                        + "with Maven (needs clang)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BpfException("cannot read " + RESOURCE, e);
        }
    }

    @Override
    public void close() {
        if (controlMem != null) {
            LibC.munmap(controlMem, CONTROL_MAP_BYTES);
            controlMem = null;
        }
        LibBpf.bpf_object__close(obj);
        image.close();
    }
}
