package dev.hearth.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class UnwindRowsTest {
    @Test
    void encodesRowsAsStructUnwindRow() {
        UnwindRows rows = UnwindRows.builder()
                .add(0x1000, UnwindRows.CFA_RSP, 8, 0)
                .add(0x1004, UnwindRows.CFA_RBP, 16, -16)
                .add(0x2000, UnwindRows.END, 0, 0)
                .build();
        assertEquals(3, rows.count());
        ByteBuffer b = ByteBuffer.wrap(rows.encoded()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x1004, b.getInt(8));
        assertEquals(UnwindRows.CFA_RBP, b.get(12));
        assertEquals(-2, b.get(13)); // rbp at CFA - 16, in words
        assertEquals(16, b.getShort(14));
        assertEquals(24, rows.bytes());
    }

    @Test
    void offsetsTheEncodingCannotHoldStopTheWalkInsteadOfLying() {
        UnwindRows.Builder b = UnwindRows.builder()
                .add(0x10, UnwindRows.CFA_RSP, 70_000, 0) // a frame of 70 KB
                .add(0x20, UnwindRows.CFA_RBP, 16, -12); // rbp saved at an odd place
        UnwindRows rows = b.build();
        assertEquals(2, b.unencodable());
        assertEquals(UnwindRows.STOP, rows.rule(0));
        assertEquals(UnwindRows.STOP, rows.rule(1));
    }

    @Test
    void aRowAtTheSameAddressReplacesThePreviousOne() {
        UnwindRows rows = UnwindRows.builder()
                .add(0x10, UnwindRows.CFA_RSP, 8, 0)
                .add(0x10, UnwindRows.GAP, 0, 0)
                .build();
        assertEquals(1, rows.count());
        assertEquals(UnwindRows.GAP, rows.rule(0));
    }

    @Test
    void refusesRowsOutOfOrderOrBeyond32Bits() {
        UnwindRows.Builder b = UnwindRows.builder().add(0x20, UnwindRows.CFA_RSP, 8, 0);
        assertThrows(IllegalArgumentException.class, () -> b.add(0x10, UnwindRows.CFA_RSP, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> b.add(1L << 32, UnwindRows.CFA_RSP, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> b.add(0x30, 9, 8, 0));
    }

    @Test
    void growsPastItsFirstBuffer() {
        UnwindRows.Builder b = UnwindRows.builder();
        for (int i = 0; i < 5000; i++) {
            b.add(16L * i, UnwindRows.CFA_RSP, 8 + (i % 4) * 8, 0);
        }
        UnwindRows rows = b.build();
        assertEquals(5000, rows.count());
        assertEquals(16L * 4999, rows.address(4999));
        assertArrayEquals(new int[] {UnwindRows.CFA_RSP}, new int[] {rows.rule(4321)});
    }
}
