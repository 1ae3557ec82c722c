package dev.hearth.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** CPU lists from sysfs ("0-3,5"): online ones get a perf event, possible ones size per-CPU maps. */
final class Cpus {
    private Cpus() {}

    static List<Integer> online() {
        return read("online");
    }

    static int possible() {
        List<Integer> p = read("possible");
        return p.get(p.size() - 1) + 1;
    }

    private static List<Integer> read(String which) {
        try {
            return parse(Files.readString(Path.of("/sys/devices/system/cpu", which)));
        } catch (IOException e) {
            throw new BpfException("cannot read /sys/devices/system/cpu/" + which + ": is sysfs mounted?", e);
        }
    }

    static List<Integer> parse(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.trim().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("empty CPU list '" + list + "'");
        }
        return cpus;
    }
}
