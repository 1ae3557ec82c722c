package dev.hearth.symbolizer;

/**
 * Where a demangled name is printed. Substitutions let a short mangled name refer to a long part
 * twice, and so double the printed text with every few characters (240 characters can spell a
 * gigabyte). Every print of one name, the final one and those the parser makes on the way, draws on
 * one budget of characters; each print also has its own cap. Either running out stops the print.
 */
final class DemangleOutput {
    /** Thrown when a print runs out of room: control flow, so without a stack trace. */
    static final class Spent extends RuntimeException {
        Spent() {
            super("demangled name too long", null, false, false);
        }
    }

    /** Characters left for all the prints of one name. */
    static final class Budget {
        private long left;

        Budget(long chars) {
            left = chars;
        }
    }

    private final StringBuilder sb = new StringBuilder();
    private final Budget budget;
    private final int cap;

    DemangleOutput(Budget budget, int cap) {
        this.budget = budget;
        this.cap = cap;
    }

    DemangleOutput append(String s) {
        charge(s.length());
        if (sb.length() + s.length() > cap) {
            sb.append(s, 0, cap - sb.length());
            throw new Spent();
        }
        sb.append(s);
        return this;
    }

    DemangleOutput append(char c) {
        charge(1);
        if (sb.length() >= cap) throw new Spent();
        sb.append(c);
        return this;
    }

    /** Walking a node that may print nothing (an empty pack) still costs: a walk cannot go on unbounded. */
    void visit() {
        charge(1);
    }

    private void charge(int chars) {
        budget.left -= Math.max(chars, 1);
        if (budget.left < 0) throw new Spent();
    }

    int length() {
        return sb.length();
    }

    /** The last character printed, or NUL when none was. */
    char last() {
        return sb.isEmpty() ? '\0' : sb.charAt(sb.length() - 1);
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
