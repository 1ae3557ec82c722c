package dev.hearth.symbolizer;

/**
 * Demangles Itanium C++ ABI names (GCC, Clang on Linux) into c++filt's form, within bounds: symbol
 * names come from binaries any process can map, so a name may be built to nest without end or to
 * double its text with every few characters.
 */
final class Demangler {
    /** Longest name a frame gets (LLVM's longest demangled name is 8,367 characters); longer ones are cut. */
    static final int MAX_NAME = 16 * 1024;
    /** Characters all the prints of one name may write (async-profiler's bound): about a millisecond of work. */
    static final int MAX_WORK = 1 << 20;

    static final String CUT = "...";

    private Demangler() {}

    /**
     * A symbol's name for a frame.
     *
     * @param complete false when the name was cut at a bound, or is a mangled name that could not be read
     */
    record Named(String name, boolean complete) {}

    static boolean isMangled(String name) {
        return name.startsWith("_Z");
    }

    /** The demangled name, or null when {@code name} is not a mangled name this demangler understands. */
    static String demangle(String name) {
        Named n = name(name);
        return n.complete() && isMangled(name) && !n.name().equals(name) ? n.name() : null;
    }

    /** The demangled name, or {@code name} itself: a frame keeps its raw symbol rather than lose it. */
    static String demangleOrSelf(String name) {
        return name(name).name();
    }

    /** The frame name of raw symbol {@code raw}: demangled when it can be, never longer than {@link #MAX_NAME} and a cut mark. */
    static Named name(String raw) {
        if (!isMangled(raw)) return cut(raw, true);
        DemangleOutput.Budget budget = new DemangleOutput.Budget(MAX_WORK);
        DemangleOutput out = new DemangleOutput(budget, MAX_NAME);
        try {
            ItaniumParser.parse(raw, budget, out);
            return new Named(out.toString(), true);
        } catch (DemangleOutput.Spent e) {
            // what fit is the start of the name: more use than the mangled text
            return out.length() > 0 ? new Named(out + CUT, false) : cut(raw, false);
        } catch (RuntimeException | StackOverflowError e) {
            // not a name this parser reads (or one built to break it): the raw symbol, kept
            return cut(raw, false);
        }
    }

    private static Named cut(String raw, boolean complete) {
        return raw.length() <= MAX_NAME ? new Named(raw, complete) : new Named(raw.substring(0, MAX_NAME) + CUT, false);
    }
}
