package dev.hearth.symbolizer;

/** Demangles Itanium C++ ABI names (GCC, Clang on Linux) into c++filt's form. */
final class Demangler {
    private Demangler() {}

    static boolean isMangled(String name) { return name.startsWith("_Z"); }

    /** The demangled name, or null when {@code name} is not a mangled name this demangler understands. */
    static String demangle(String name) {
        if (!isMangled(name)) return null;
        try {
            return ItaniumParser.parse(name);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** The demangled name, or {@code name} itself: a frame keeps its raw symbol rather than lose it. */
    static String demangleOrSelf(String name) {
        String d = demangle(name);
        return d != null ? d : name;
    }
}
