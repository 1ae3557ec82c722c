package dev.hearth.bpf;

import java.util.Objects;

/**
 * A function to probe: a binary or shared library (path, or a library name found on the loader's
 * search path) and a symbol in it. With {@code latency}, the time from entry to return is measured
 * too (a uretprobe), in addition to counting calls.
 */
public record UprobeSpec(String binary, String symbol, boolean latency) {

    public UprobeSpec {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(symbol, "symbol");
        if (binary.isBlank() || symbol.isBlank()) {
            throw new IllegalArgumentException(
                    "uprobe needs a binary and a symbol, got '" + binary + ":" + symbol + "'");
        }
    }

    /** Parses {@code BINARY:SYMBOL} or {@code BINARY:SYMBOL:latency}. */
    public static UprobeSpec parse(String binaryColonSymbol) {
        String s = Objects.requireNonNull(binaryColonSymbol, "uprobe spec").trim();
        boolean latency = false;
        if (s.endsWith(":latency")) {
            latency = true;
            s = s.substring(0, s.length() - ":latency".length());
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("uprobe spec must be BINARY:SYMBOL[:latency], e.g. "
                    + "/lib/x86_64-linux-gnu/libc.so.6:malloc, got '" + binaryColonSymbol + "'");
        }
        return new UprobeSpec(s.substring(0, colon), s.substring(colon + 1), latency);
    }

    @Override
    public String toString() {
        return binary + ":" + symbol + (latency ? ":latency" : "");
    }
}
