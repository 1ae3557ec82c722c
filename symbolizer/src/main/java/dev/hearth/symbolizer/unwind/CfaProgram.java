package dev.hearth.symbolizer.unwind;

import java.util.ArrayDeque;

/**
 * Runs the call frame instructions (DW_CFA_*) of a CIE or an FDE. Each instruction takes at least
 * one byte, so a program runs at most as many steps as it has bytes; the remember-state stack is
 * bounded too.
 */
final class CfaProgram {
    /** gcc nests remember_state once or twice; hand-written assembly a few times. */
    static final int MAX_REMEMBERED = 64;

    private static final int ADVANCE_LOC = 0x1, OFFSET = 0x2, RESTORE = 0x3; // high two bits
    private static final int NOP = 0x00,
            SET_LOC = 0x01,
            ADVANCE_LOC1 = 0x02,
            ADVANCE_LOC2 = 0x03,
            ADVANCE_LOC4 = 0x04,
            OFFSET_EXTENDED = 0x05,
            RESTORE_EXTENDED = 0x06,
            UNDEFINED = 0x07,
            SAME_VALUE = 0x08,
            REGISTER = 0x09,
            REMEMBER_STATE = 0x0a,
            RESTORE_STATE = 0x0b,
            DEF_CFA = 0x0c,
            DEF_CFA_REGISTER = 0x0d,
            DEF_CFA_OFFSET = 0x0e,
            DEF_CFA_EXPRESSION = 0x0f,
            EXPRESSION = 0x10,
            OFFSET_EXTENDED_SF = 0x11,
            DEF_CFA_SF = 0x12,
            DEF_CFA_OFFSET_SF = 0x13,
            VAL_OFFSET = 0x14,
            VAL_OFFSET_SF = 0x15,
            VAL_EXPRESSION = 0x16,
            GNU_ARGS_SIZE = 0x2e,
            GNU_NEGATIVE_OFFSET_EXTENDED = 0x2f;
    // DWARF expression operations of the rules x86-64 toolchains write
    private static final int OP_DEREF = 0x06,
            OP_AND = 0x1a,
            OP_PLUS = 0x22,
            OP_SHL = 0x24,
            OP_GE = 0x2a,
            OP_LIT0 = 0x30,
            OP_LIT3 = 0x33,
            OP_LIT15 = 0x3f,
            OP_BREG7 = 0x77,
            OP_BREG16 = 0x80;

    private CfaProgram() {}

    /** The rules after a CIE's initial instructions, which {@code cur} is positioned over. */
    static CfaState initial(DwarfCursor cur, int codeAlign, int dataAlign) {
        CfaState s = new CfaState();
        run(cur, s, null, codeAlign, dataAlign, -1, 0, 0, null);
        return s;
    }

    /**
     * Runs an FDE's instructions over [begin, end) from its CIE's rules, adding a row to
     * {@code sink} for each address range.
     */
    static void rows(DwarfCursor cur, Cie cie, long begin, long end, RowSink sink) {
        run(
                cur,
                cie.initial().copy(),
                cie.initial(),
                cie.codeAlign(),
                cie.dataAlign(),
                cie.fdeEncoding(),
                begin,
                end,
                sink);
    }

    private static void run(
            DwarfCursor cur,
            CfaState s,
            CfaState initial,
            int codeAlign,
            int dataAlign,
            int fdeEncoding,
            long begin,
            long end,
            RowSink sink) {
        ArrayDeque<CfaState> remembered = new ArrayDeque<>();
        long loc = begin;
        while (cur.more()) {
            int op = cur.u8();
            long advance = -1;
            switch (op >>> 6) {
                case ADVANCE_LOC -> advance = (long) (op & 0x3f) * codeAlign;
                case OFFSET -> s.set(op & 0x3f, CfaState.OFFSET, (long) cur.ulebInt() * dataAlign);
                case RESTORE -> s.restore(op & 0x3f, initialOf(initial));
                default -> {
                    switch (op) {
                        case NOP -> {}
                        case SET_LOC -> {
                            if (sink == null) throw new BadFrameData("set_loc in a CIE");
                            long to = cur.pointer(fdeEncoding, -1);
                            if (to < loc) throw new BadFrameData("set_loc backwards");
                            advance = to - loc;
                        }
                        case ADVANCE_LOC1 -> advance = (long) cur.u8() * codeAlign;
                        case ADVANCE_LOC2 -> advance = (long) cur.u16() * codeAlign;
                        case ADVANCE_LOC4 -> advance = cur.u32() * codeAlign;
                        case OFFSET_EXTENDED -> s.set(cur.ulebInt(), CfaState.OFFSET, (long) cur.ulebInt() * dataAlign);
                        case RESTORE_EXTENDED -> s.restore(cur.ulebInt(), initialOf(initial));
                        case UNDEFINED -> s.set(cur.ulebInt(), CfaState.UNDEFINED, 0);
                        case SAME_VALUE -> s.set(cur.ulebInt(), CfaState.SAME, 0);
                        case REGISTER -> {
                            int reg = cur.ulebInt();
                            cur.ulebInt();
                            s.set(reg, CfaState.OTHER, 0);
                        }
                        case REMEMBER_STATE -> {
                            if (remembered.size() >= MAX_REMEMBERED)
                                throw new BadFrameData("remember_state nested too deep");
                            remembered.push(s.copy());
                        }
                        case RESTORE_STATE -> {
                            if (remembered.isEmpty()) throw new BadFrameData("restore_state without remember_state");
                            CfaState r = remembered.pop();
                            s = r;
                        }
                        case DEF_CFA -> defCfa(s, cur.ulebInt(), cur.uleb());
                        case DEF_CFA_SF -> defCfa(s, cur.ulebInt(), cur.sleb() * dataAlign);
                        case DEF_CFA_REGISTER -> {
                            int reg = cur.ulebInt();
                            if (s.cfaRule != CfaState.CFA_REG) s.cfaOffset = 0;
                            defCfa(s, reg, s.cfaOffset);
                        }
                        case DEF_CFA_OFFSET -> defCfaOffset(s, cur.uleb());
                        case DEF_CFA_OFFSET_SF -> defCfaOffset(s, cur.sleb() * dataAlign);
                        case DEF_CFA_EXPRESSION -> cfaExpression(s, cur);
                        case EXPRESSION -> {
                            int reg = cur.ulebInt();
                            long rspOffset = rspPlus(cur);
                            s.set(reg, rspOffset == Long.MIN_VALUE ? CfaState.OTHER : CfaState.EXPR_RSP, rspOffset);
                        }
                        case VAL_EXPRESSION -> {
                            int reg = cur.ulebInt();
                            cur.skip(cur.ulebInt());
                            s.set(reg, CfaState.OTHER, 0);
                        }
                        case OFFSET_EXTENDED_SF -> s.set(cur.ulebInt(), CfaState.OFFSET, cur.sleb() * dataAlign);
                        case VAL_OFFSET -> {
                            int reg = cur.ulebInt();
                            cur.uleb();
                            s.set(reg, CfaState.OTHER, 0);
                        }
                        case VAL_OFFSET_SF -> {
                            int reg = cur.ulebInt();
                            cur.sleb();
                            s.set(reg, CfaState.OTHER, 0);
                        }
                        case GNU_ARGS_SIZE -> cur.uleb();
                        case GNU_NEGATIVE_OFFSET_EXTENDED ->
                            s.set(cur.ulebInt(), CfaState.OFFSET, -(long) cur.ulebInt() * dataAlign);
                        default -> throw new BadFrameData("unknown DW_CFA op 0x" + Integer.toHexString(op));
                    }
                }
            }
            if (advance >= 0) {
                if (sink == null) throw new BadFrameData("advance_loc in a CIE");
                if (advance > 0) {
                    s.emit(sink, loc);
                    loc += advance;
                    if (loc >= end || loc < begin) return; // past the function (or wrapped): later rows cover nothing
                }
            }
        }
        if (sink != null) s.emit(sink, loc);
    }

    private static CfaState initialOf(CfaState initial) {
        return initial != null ? initial : new CfaState(); // a restore inside the CIE: back to unspecified
    }

    private static void defCfa(CfaState s, int reg, long offset) {
        s.cfaRule = CfaState.CFA_REG;
        s.cfaReg = reg;
        s.cfaOffset = offset;
    }

    private static void defCfaOffset(CfaState s, long offset) {
        if (s.cfaRule != CfaState.CFA_REG) throw new BadFrameData("def_cfa_offset without a register rule");
        s.cfaOffset = offset;
    }

    /**
     * The CFA expressions with a meaning a table row can hold: the x86-64 lazy PLT's
     * {@code rsp + 8 + ((rip & 15) >= K) << 3}, and the signal trampoline's {@code *(rsp + N)}.
     */
    private static void cfaExpression(CfaState s, DwarfCursor cur) {
        int len = cur.ulebInt();
        int start = cur.pos();
        cur.skip(len);
        int after = cur.pos(), limit = cur.limit();
        s.cfaRule = CfaState.CFA_OTHER;
        s.cfaOffset = 0;
        s.cfaReg = -1;
        try {
            cur.range(start, after);
            if (cur.u8() != OP_BREG7) return;
            long rspOffset = cur.sleb();
            int next = cur.u8();
            if (next == OP_DEREF && !cur.more()) {
                s.cfaRule = CfaState.CFA_DEREF_RSP;
                s.cfaOffset = rspOffset;
            } else if (next == OP_BREG16
                    && rspOffset == 8
                    && cur.sleb() == 0
                    && cur.u8() == OP_LIT15
                    && cur.u8() == OP_AND) {
                int lit = cur.u8();
                if (lit >= OP_LIT0
                        && lit <= OP_LIT15
                        && cur.u8() == OP_GE
                        && cur.u8() == OP_LIT3
                        && cur.u8() == OP_SHL
                        && cur.u8() == OP_PLUS
                        && !cur.more()) {
                    s.cfaRule = CfaState.CFA_PLT;
                    s.cfaOffset = lit - OP_LIT0;
                }
            }
        } catch (BadFrameData e) {
            // an expression of another shape: the rule stays "other"
        } finally {
            cur.range(after, limit);
        }
    }

    /** A register-rule expression {@code DW_OP_breg7 N} (saved at rsp + N): N, else Long.MIN_VALUE. */
    private static long rspPlus(DwarfCursor cur) {
        int len = cur.ulebInt();
        int start = cur.pos();
        cur.skip(len);
        int after = cur.pos(), limit = cur.limit();
        try {
            cur.range(start, after);
            if (cur.u8() != OP_BREG7) return Long.MIN_VALUE;
            long n = cur.sleb();
            return cur.more() ? Long.MIN_VALUE : n;
        } catch (BadFrameData e) {
            return Long.MIN_VALUE;
        } finally {
            cur.range(after, limit);
        }
    }
}
