package dev.hearth.collector.storage;

/** ClickHouse's TabSeparated answers (fields unescaped, Int64 arrays), and string literals for SQL text. */
final class Tsv {
    private Tsv() {}

    /** A field of a TabSeparated answer, unescaped. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) return field;
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\' || i + 1 == field.length()) {
                sb.append(c);
                continue;
            }
            char e = field.charAt(++i);
            sb.append(
                    switch (e) {
                        case 't' -> '\t';
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case '0' -> '\0';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        default -> e; // \\ \' and anything else stand for themselves
                    });
        }
        return sb.toString();
    }

    /** An Array(Int64) field: {@code [1,-2,3]}. */
    static long[] longs(String field) {
        String inner = field.substring(1, field.length() - 1);
        if (inner.isEmpty()) return new long[0];
        String[] parts = inner.split(",", -1);
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Long.parseLong(parts[i]);
        return out;
    }

    /** A string literal for SQL text. */
    static String literal(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.append('\'').toString();
    }
}
