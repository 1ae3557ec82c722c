package dev.hearth.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One binary's unwind table in the kernel's encoding ({@code struct unwind_row} in unwind.h):
 * 8 bytes a row, sorted by file address, each holding from its address up to the next row's:
 * how to find the CFA (canonical frame address) and where the caller's rbp was saved; the return
 * address is at CFA - 8. Built by whoever reads .eh_frame (the agent, from the symbolizer's
 * tables); offsets the encoding cannot hold become {@link #STOP} rows, so the walk ends there
 * instead of guessing.
 */
public final class UnwindRows {
    public static final int ROW_BYTES = 8;
    /** no rule known for these addresses: the walk follows the frame pointer */
    public static final int GAP = 0;
    /** CFA = rsp + offset */
    public static final int CFA_RSP = 1;
    /** CFA = rbp + offset */
    public static final int CFA_RBP = 2;
    /** a PLT stub: CFA = rsp + 8, and 8 more once (pc & 15) >= offset */
    public static final int CFA_PLT = 3;
    /**
     * a signal trampoline (__restore_rt): the interrupted rsp is at rsp + cfaOffset, rip after it,
     * rbp at rsp + rbpOffset
     */
    public static final int CFA_SIGNAL = 4;
    /** the outermost frame: the stack is whole here */
    public static final int END = 5;
    /** a rule the kernel side cannot follow: the walk is cut here */
    public static final int STOP = 6;
    /** file addresses are 32 bits in the kernel; larger binaries get no table */
    public static final long MAX_ADDRESS = 0xffff_ffffL;

    private final byte[] rows;
    private final int count;

    private UnwindRows(byte[] rows, int count) {
        this.rows = rows;
        this.count = count;
    }

    public int count() {
        return count;
    }

    /** bytes of kernel map memory the rows take */
    public long bytes() {
        return (long) count * ROW_BYTES;
    }

    /** the encoded rows, {@link #ROW_BYTES} each, little-endian */
    byte[] encoded() {
        return rows;
    }

    /** file address where row {@code i} starts to apply */
    public long address(int i) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(rows, i * ROW_BYTES, 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .getInt());
    }

    /** the CFA rule of row {@code i} */
    public int rule(int i) {
        return rows[i * ROW_BYTES + 4];
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Rows must come in ascending address order; a row at the address of the previous one replaces it. */
    public static final class Builder {
        private ByteBuffer buf = ByteBuffer.allocate(1024 * ROW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private int count;
        private long last = -1;
        private int unencodable;

        /**
         * Adds a row. {@code rule}: one of the constants above; {@code cfaOffset}: the offset for
         * CFA_RSP/CFA_RBP/CFA_SIGNAL, the threshold for CFA_PLT; {@code rbpOffset}: where rbp is saved
         * relative to the CFA (for CFA_SIGNAL to rsp), a multiple of 8, or 0 when this frame leaves rbp alone.
         * An offset the encoding cannot hold makes the row a STOP row (counted in {@link #unencodable()}).
         */
        public Builder add(long address, int rule, long cfaOffset, long rbpOffset) {
            if (address < 0 || address > MAX_ADDRESS) {
                throw new IllegalArgumentException("file address beyond 32 bits: " + Long.toHexString(address));
            }
            if (address < last) {
                throw new IllegalArgumentException("rows out of order at " + Long.toHexString(address));
            }
            if (rule < GAP || rule > STOP) {
                throw new IllegalArgumentException("unknown rule " + rule);
            }
            boolean fits = cfaOffset >= Short.MIN_VALUE
                    && cfaOffset <= Short.MAX_VALUE
                    && rbpOffset % 8 == 0
                    && rbpOffset / 8 >= Byte.MIN_VALUE
                    && rbpOffset / 8 <= Byte.MAX_VALUE;
            if (!fits) {
                unencodable++;
                rule = STOP;
                cfaOffset = 0;
                rbpOffset = 0;
            }
            if (address == last) {
                count--;
            } else if ((count + 1) * ROW_BYTES > buf.capacity()) {
                buf = ByteBuffer.wrap(Arrays.copyOf(buf.array(), buf.capacity() * 2))
                        .order(ByteOrder.LITTLE_ENDIAN);
            }
            int at = count * ROW_BYTES;
            buf.putInt(at, (int) address);
            buf.put(at + 4, (byte) rule);
            buf.put(at + 5, (byte) (rbpOffset / 8));
            buf.putShort(at + 6, (short) cfaOffset);
            count++;
            last = address;
            return this;
        }

        /** rows turned into STOP rows because an offset did not fit */
        public int unencodable() {
            return unencodable;
        }

        public UnwindRows build() {
            return new UnwindRows(Arrays.copyOf(buf.array(), count * ROW_BYTES), count);
        }
    }
}
