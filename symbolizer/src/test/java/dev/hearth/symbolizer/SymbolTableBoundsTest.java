package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** What a table of symbols may cost, whatever the file it was read from holds. */
class SymbolTableBoundsTest {
    @Test
    void aTableKeepsAtMostItsBoundOfSymbolsAndNameBytes() {
        SymbolTable.Builder b = new SymbolTable.Builder();
        int tried = SymbolTable.Builder.MAX_SYMBOLS + 1000;
        for (int i = 0; i < tried; i++) b.add(0x1000L + 16L * i, 16, "f" + i, 0, 0);
        assertEquals(1000, b.dropped());
        assertEquals(SymbolTable.Builder.MAX_SYMBOLS, b.build().size());

        SymbolTable.Builder names = new SymbolTable.Builder();
        byte[] big = new byte[1 << 20];
        java.util.Arrays.fill(big, (byte) 'x');
        int fit = SymbolTable.Builder.MAX_NAME_BYTES / big.length;
        for (int i = 0; i < fit + 3; i++) names.add(0x1000L + 16L * i, 16, big, 0, big.length, 0, 0);
        assertEquals(3, names.dropped());
        assertTrue(names.build().bytes() < SymbolTable.Builder.MAX_NAME_BYTES + (1 << 20));
    }

    @Test
    void displayNamesStopBeingKeptAtTheTablesBudget() {
        SymbolTable.Builder b = new SymbolTable.Builder();
        int n = 20_000;
        for (int i = 0; i < n; i++) b.add(0x1000L + 16L * i, 16, "_Z1fv", 0, 0);
        SymbolTable t = b.build();
        String longName = "x".repeat(Demangler.MAX_NAME); // as long as a cut name may be
        int kept = 0;
        for (int i = 0; i < n; i++) {
            String s = t.displayName(i, raw -> new String(longName));
            if (s == null) continue;
            assertEquals(longName, s);
            kept++;
        }
        assertTrue(kept > 0 && kept < n, kept + " of " + n + " kept");
        assertTrue(t.bytes() <= SymbolTable.MAX_DISPLAY_BYTES + 16L * 20 * n, "bytes " + t.bytes());
        assertNull(t.displayName(n - 1, raw -> {
            throw new AssertionError("not computed again");
        }));
        assertEquals(longName, t.displayName(0, raw -> {
            throw new AssertionError("kept");
        }));
    }
}
