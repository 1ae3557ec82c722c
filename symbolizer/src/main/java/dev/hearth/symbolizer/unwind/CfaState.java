package dev.hearth.symbolizer.unwind;

/**
 * The rules of one row while a CFA program runs: how to compute the CFA, and where the two
 * registers a table row needs are (rbp, and the return address). Other registers' rules are read
 * and dropped.
 */
final class CfaState {
    // CFA rules
    static final int CFA_REG = 0, CFA_PLT = 1, CFA_DEREF_RSP = 2, CFA_OTHER = 3;
    // register rules
    static final int UNSPECIFIED = 0, UNDEFINED = 1, SAME = 2, OFFSET = 3, EXPR_RSP = 4, OTHER = 5;
    static final int RBP = 6, RSP = 7, RA = 16;

    int cfaRule = CFA_OTHER;
    int cfaReg = -1;
    long cfaOffset;
    int rbpRule = UNSPECIFIED;
    long rbpValue;
    int raRule = UNSPECIFIED;
    long raValue;

    CfaState copy() {
        CfaState c = new CfaState();
        c.cfaRule = cfaRule;
        c.cfaReg = cfaReg;
        c.cfaOffset = cfaOffset;
        c.rbpRule = rbpRule;
        c.rbpValue = rbpValue;
        c.raRule = raRule;
        c.raValue = raValue;
        return c;
    }

    /** Sets register {@code reg}'s rule, when it is one a row keeps. */
    void set(int reg, int rule, long value) {
        if (reg == RBP) {
            rbpRule = rule;
            rbpValue = value;
        } else if (reg == RA) {
            raRule = rule;
            raValue = value;
        }
    }

    /** Register {@code reg}'s rule back to what {@code from} has. */
    void restore(int reg, CfaState from) {
        if (reg == RBP) set(reg, from.rbpRule, from.rbpValue);
        else if (reg == RA) set(reg, from.raRule, from.raValue);
    }

    /** The table row for these rules: appended to {@code sink} from {@code start} on. */
    void emit(RowSink sink, long start) {
        if (raRule == UNDEFINED) {
            sink.add(start, UnwindTable.END, 0, 0);
            return;
        }
        switch (cfaRule) {
            case CFA_REG -> {
                byte rule = cfaReg == RSP ? UnwindTable.RSP : cfaReg == RBP ? UnwindTable.RBP : UnwindTable.STOP;
                boolean raAtCall = raRule == UNSPECIFIED || (raRule == OFFSET && raValue == -8);
                boolean rbpKnown = rbpRule == UNSPECIFIED
                        || rbpRule == SAME
                        || (rbpRule == OFFSET && rbpValue >= -32768 && rbpValue <= -16);
                if (rule == UnwindTable.STOP
                        || cfaOffset < 0
                        || cfaOffset > Integer.MAX_VALUE
                        || !raAtCall
                        || !rbpKnown) {
                    sink.add(start, UnwindTable.STOP, 0, 0);
                } else {
                    sink.add(start, rule, (int) cfaOffset, rbpRule == OFFSET ? (int) rbpValue : 0);
                }
            }
            case CFA_PLT -> {
                boolean plain = (raRule == UNSPECIFIED || (raRule == OFFSET && raValue == -8))
                        && (rbpRule == UNSPECIFIED || rbpRule == SAME);
                sink.add(start, plain ? UnwindTable.PLT : UnwindTable.STOP, plain ? (int) cfaOffset : 0, 0);
            }
            case CFA_DEREF_RSP -> {
                boolean signal = cfaOffset > 0
                        && cfaOffset <= 32767
                        && raRule == EXPR_RSP
                        && raValue == cfaOffset + 8
                        && rbpRule == EXPR_RSP
                        && rbpValue > 0
                        && rbpValue <= 32767;
                if (signal) sink.add(start, UnwindTable.SIGNAL, (int) cfaOffset, (int) rbpValue);
                else sink.add(start, UnwindTable.STOP, 0, 0);
            }
            default -> sink.add(start, UnwindTable.STOP, 0, 0);
        }
    }
}
