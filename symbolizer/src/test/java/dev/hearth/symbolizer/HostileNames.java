package dev.hearth.symbolizer;

/** Mangled names built to break a demangler: nesting without end, and text that doubles with every group. */
final class HostileNames {
    private HostileNames() {}

    /** {@code f} of {@code levels} nested pointers: deep recursion for a recursive-descent parser. */
    static String nested(int levels) {
        return "_Z1f" + "P".repeat(levels) + "v";
    }

    /**
     * {@code f(P<A, A>, P<P<A, A>, P<A, A> >, ...)}: each group names the previous parameter twice
     * through a substitution, so the text doubles with every 10 characters (21 groups: 223 characters
     * that print as 54 MB; 23 groups: 243 characters, 218 MB).
     */
    static String doubling(int groups) {
        StringBuilder s = new StringBuilder("_Z1f1PI1AS0_E"); // substitutions: S_ = P, S0_ = A, S1_ = P<A, A>
        for (int g = 0; g < groups; g++) {
            String prev = "S" + Integer.toString(g + 1, 36).toUpperCase() + "_";
            s.append("S_I").append(prev).append(prev).append('E');
        }
        return s.toString();
    }
}
