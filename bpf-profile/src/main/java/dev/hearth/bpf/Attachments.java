package dev.hearth.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The links (and perf event fds) that hook loaded programs to the kernel; closing undoes them all. */
final class Attachments implements AutoCloseable {
    private final List<Pointer> links = new ArrayList<>();
    private final List<Integer> perfFds = new ArrayList<>();

    /** on-CPU: one cpu-clock perf event per online CPU, each running {@code prog} on overflow. */
    void perfEvents(Pointer prog, List<Integer> cpus, int hz) {
        for (int cpu : cpus) {
            int fd = PerfEvents.openCpuClock(cpu, hz);
            perfFds.add(fd);
            long mark = LibbpfLog.mark();
            add(LibBpf.bpf_program__attach_perf_event(prog, fd), "perf event on cpu " + cpu, mark);
        }
    }

    /** a program whose section names its hook (tp_btf, raw_tp) */
    void auto(Pointer prog, String what) {
        long mark = LibbpfLog.mark();
        add(LibBpf.bpf_program__attach(prog), what, mark);
    }

    /** a uprobe (or uretprobe) on {@code spec} in every process; the cookie tells the program which */
    void uprobe(Pointer prog, UprobeSpec spec, long cookie, boolean retprobe) {
        if (spec.binary().contains("/") && !Files.isReadable(Path.of(spec.binary()))) {
            throw new BpfException("uprobe " + spec + ": binary " + spec.binary() + " does not exist or is not "
                    + "readable: give the path of an executable or shared library");
        }
        try (Memory opts = new Memory(40);
                Memory func = new Memory(spec.symbol().length() * 3L + 1)) {
            opts.clear();
            func.setString(0, spec.symbol());
            opts.setLong(0, 40);
            opts.setLong(16, cookie);
            opts.setByte(24, (byte) (retprobe ? 1 : 0));
            opts.setPointer(32, func);
            long mark = LibbpfLog.mark();
            Pointer link = LibBpf.bpf_program__attach_uprobe_opts(prog, -1, spec.binary(), 0, opts);
            if (link == null) {
                int errno = Native.getLastError();
                String log = LibbpfLog.tail(mark, 4);
                if (errno == 2 || errno == 3 || log.contains("failed to find symbol") || log.contains("not found")) {
                    throw new BpfException("uprobe " + spec + ": no function '" + spec.symbol() + "' in "
                            + spec.binary() + " (" + LibC.errorName(errno) + "); list its functions with "
                            + "`nm -D " + spec.binary() + "` or `nm " + spec.binary() + "` and pass one of them" + log);
                }
                throw new BpfException("uprobe " + spec + ": attach failed: " + LibC.errorName(errno) + log);
            }
            links.add(link);
        }
    }

    private void add(Pointer link, String what, long mark) {
        if (link == null) {
            int errno = Native.getLastError();
            throw new BpfException("attaching " + what + " failed: " + LibC.errorName(errno)
                    + (errno == 1 || errno == 13 ? " — run as root or with CAP_BPF and CAP_PERFMON" : "")
                    + LibbpfLog.tail(mark, 4));
        }
        links.add(link);
    }

    @Override
    public void close() {
        for (Pointer link : links) {
            LibBpf.bpf_link__destroy(link);
        }
        links.clear();
        for (int fd : perfFds) {
            LibC.close(fd);
        }
        perfFds.clear();
    }
}
