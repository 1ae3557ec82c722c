package dev.hearth.symbolizer;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark (run by bench/demangle.sh): our bounded demangler against libstdc++'s own
 * {@code __cxa_demangle} called through JNA (direct mapping, the fastest JNA call), over every mangled
 * function symbol of real binaries, in one run. Arguments: the binaries.
 */
public final class DemanglerBench {
    static final int ROUNDS = 7, WARM_ROUNDS = 5;

    /** libstdc++'s demangler: char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status). */
    static final class CxxAbi {
        static native Pointer __cxa_demangle(String mangled, Pointer buf, Pointer len, int[] status);

        static {
            Native.register(CxxAbi.class, NativeLibrary.getInstance("libstdc++.so.6"));
        }

        /** The demangled name (copied into Java, the native buffer freed), or null. */
        static String demangle(String mangled) {
            int[] status = new int[1];
            Pointer p = __cxa_demangle(mangled, null, null, status);
            if (p == null) return null;
            try {
                return p.getString(0, "UTF-8");
            } finally {
                Native.free(Pointer.nativeValue(p));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(
                "# %s, %d CPUs, load %s%n",
                System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf(
                "%-28s %7s %12s %14s %7s %9s%n", "binary", "names", "ours ns/name", "native ns/name", "ratio", "agree");
        for (String a : args) {
            Path bin = Path.of(a);
            if (!Files.exists(bin)) {
                System.out.println(bin + ": not here, skipped");
                continue;
            }
            String[] names = mangledFunctions(bin);
            double ours = median(time(names, true)), theirs = median(time(names, false));
            int agree = 0;
            for (String n : names) {
                String o = Demangler.demangleOrSelf(n), t = CxxAbi.demangle(n);
                if (o.equals(t == null ? n : t)) agree++;
            }
            System.out.printf(
                    "%-28s %7d %12.0f %14.0f %7.2f %8.3f%%%n",
                    bin.getFileName(), names.length, ours, theirs, theirs / ours, 100.0 * agree / names.length);
        }
        System.out.println("ratio = native time / ours (above 1: ours is faster); agree = same text from both");
    }

    /** Nanoseconds per name of each measured round. */
    static double[] time(String[] names, boolean ours) {
        double[] out = new double[ROUNDS];
        long sink = 0;
        for (int r = 0; r < WARM_ROUNDS + ROUNDS; r++) {
            long t = System.nanoTime();
            for (String n : names) {
                String d = ours ? Demangler.demangleOrSelf(n) : CxxAbi.demangle(n);
                sink += d == null ? 0 : d.length();
            }
            if (r >= WARM_ROUNDS) out[r - WARM_ROUNDS] = (double) (System.nanoTime() - t) / names.length;
        }
        if (sink == 42) System.out.print("");
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Every mangled name of the file's function symbols, .symtab and .dynsym, as the agent reads them. */
    static String[] mangledFunctions(Path bin) throws Exception {
        byte[] bytes = Files.readAllBytes(bin);
        List<String> out = new ArrayList<>();
        try (ElfFile elf = ElfFile.of(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN))) {
            SymbolTable.Builder b = new SymbolTable.Builder();
            elf.addFunctions(ElfFile.SHT_SYMTAB, b, 0);
            elf.addFunctions(ElfFile.SHT_DYNSYM, b, 100);
            SymbolTable t = b.build();
            for (int i = 0; i < t.size(); i++) if (t.rawStartsWith(i, "_Z")) out.add(t.rawName(i));
        }
        return out.toArray(String[]::new);
    }
}
