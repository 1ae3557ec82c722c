package dev.hearth.symbolizer;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Kernel text symbols from a kallsyms file, with the module each belongs to. */
final class KernelSymbols {
    static final String KERNEL_BINARY = "[kernel.kallsyms]";

    private final SymbolTable table;
    private final String[] binaries; // group 0 is the kernel itself, others "[module]"

    private KernelSymbols(SymbolTable table, String[] binaries) {
        this.table = table;
        this.binaries = binaries;
    }

    /**
     * Reads text symbols (types t, T, w, W). When addresses are hidden (kptr_restrict, no privilege)
     * every address reads as zero and the table stays empty, so kernel frames come out unknown.
     */
    static KernelSymbols load(Path kallsyms) throws IOException {
        SymbolTable.Builder b = new SymbolTable.Builder();
        Map<String, Integer> modules = new HashMap<>();
        List<String> binaries = new ArrayList<>(List.of(KERNEL_BINARY));
        try (BufferedReader r = Files.newBufferedReader(kallsyms, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = r.readLine()) != null; ) {
                int sp1 = line.indexOf(' ');
                if (sp1 <= 0 || sp1 + 3 >= line.length()) continue;
                char type = line.charAt(sp1 + 1);
                if (type != 't' && type != 'T' && type != 'w' && type != 'W') continue;
                long addr = Long.parseUnsignedLong(line, 0, sp1, 16);
                if (addr == 0) continue;
                int nameStart = sp1 + 3;
                int tab = line.indexOf('\t', nameStart);
                String name = tab < 0 ? line.substring(nameStart) : line.substring(nameStart, tab);
                int group = 0;
                if (tab >= 0) {
                    String module = line.substring(tab + 1).trim();
                    if (module.startsWith("[") && module.endsWith("]"))
                        module = module.substring(1, module.length() - 1);
                    String bin = "[" + module + "]";
                    group = modules.computeIfAbsent(bin, k -> {
                        binaries.add(k);
                        return binaries.size() - 1;
                    });
                }
                // Prefer global names (T) over local ones at one address.
                b.add(addr, 0, name, Character.isUpperCase(type) ? 0 : 1, group);
            }
        }
        return new KernelSymbols(b.build(), binaries.toArray(String[]::new));
    }

    static KernelSymbols empty() {
        return new KernelSymbols(SymbolTable.EMPTY, new String[] {KERNEL_BINARY});
    }

    long bytes() {
        return table.bytes();
    }

    /** The frame for {@code addr}, named by the symbol covering {@code lookup}; null when none does. */
    StackFrame frame(long addr, long lookup) {
        int i = table.find(lookup);
        String name = i < 0 ? null : table.displayName(i, n -> n);
        if (name == null) return null;
        return StackFrame.ofAddress(name, FrameKind.KERNEL, binaries[table.group(i)], null, addr);
    }
}
