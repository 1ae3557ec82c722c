package dev.hearth.symbolizer;

import dev.hearth.pprof.FrameKind;
import java.util.regex.Pattern;

/** Turns JVM perf-map names into readable frame names and kinds. */
final class JavaNames {
    static final String INTERPRETER = "[interpreter]";
    /** A lambda's class carries a counter and an address that differ per JVM run: "Shop$$Lambda$14/0x0000000801001800". */
    private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda(?:\\$\\d+)?(?:[./]0x[0-9a-f]+)?");

    private JavaNames() {}

    /**
     * {@code void com.example.Shop.checkout(java.lang.String)} (HotSpot's Compiler.perfmap) and
     * {@code Lcom/example/Shop;::checkout} (JVMTI perf-map agents) both become
     * {@code com.example.Shop.checkout}; the interpreter becomes {@code [interpreter]}; stub names stay.
     */
    static String readable(String raw) {
        String name = javaName(raw);
        // one name per lambda across runs and hosts, so deploys can be compared (as async-profiler and Pyroscope do)
        return name.contains("$$Lambda") ? LAMBDA.matcher(name).replaceAll("\\$\\$Lambda") : name;
    }

    private static String javaName(String raw) {
        if (raw.equals("Interpreter")) return INTERPRETER;
        if (raw.startsWith("L")) {
            int semi = raw.indexOf(";::");
            if (semi > 1) {
                String method = raw.substring(semi + 3);
                int paren = method.indexOf('(');
                if (paren >= 0) method = method.substring(0, paren);
                return raw.substring(1, semi).replace('/', '.') + "." + method;
            }
        }
        if (!isJavaMethod(raw)) return raw;
        String head = raw.substring(0, raw.indexOf('('));
        int sp = head.lastIndexOf(' ');
        return sp < 0 ? head : head.substring(sp + 1);
    }

    static FrameKind kind(String raw) {
        if (raw.equals("Interpreter")) return FrameKind.INTERPRETED;
        if (raw.startsWith("L") && raw.contains(";::")) return FrameKind.JIT;
        return isJavaMethod(raw) ? FrameKind.JIT : FrameKind.STUB;
    }

    /** A compiled method: "[ret ]pkg.Class.method(params)", the qualified name holding a dot. */
    private static boolean isJavaMethod(String raw) {
        int paren = raw.indexOf('(');
        if (paren <= 0 || !raw.endsWith(")")) return false;
        String head = raw.substring(0, paren);
        String qualified = head.substring(head.lastIndexOf(' ') + 1);
        int dot = qualified.lastIndexOf('.');
        return dot > 0 && dot < qualified.length() - 1 && head.indexOf(' ') == head.lastIndexOf(' ');
    }
}
