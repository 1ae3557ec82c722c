package dev.hearth.symbolizer;

/**
 * ELF symbol versions in names. A symbol table can name one function {@code clock_gettime} and
 * {@code clock_gettime@@GLIBC_2.17} (the default version) or {@code name@VERS} (an older one);
 * a profile shows them as one function, so the version is dropped from the displayed name.
 */
public final class SymbolVersions {
    private SymbolVersions() {}

    /** {@code raw} without a trailing {@code @VERSION} or {@code @@VERSION}; unchanged when it has none. */
    public static String strip(String raw) {
        int at = raw.indexOf('@');
        if (at <= 0) return raw;
        int version = raw.startsWith("@@", at) ? at + 2 : at + 1;
        if (version == raw.length()) return raw;
        for (int i = version; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!(c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'))
                return raw;
        }
        return raw.substring(0, at);
    }
}
