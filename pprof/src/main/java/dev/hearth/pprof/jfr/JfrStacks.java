package dev.hearth.pprof.jfr;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;

/**
 * Turns JFR stack traces into leaf-first frames. The consumer API hands out one object per
 * constant-pool entry, so a stack or method seen again is looked up by identity instead of rebuilt.
 */
final class JfrStacks {
    /** A lambda class as JFR names it: "Shop$$Lambda$14/0x0000000801001800" (JDK 17), "Shop$$Lambda/0x…" (21+). */
    private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda(?:\\$\\d+)?(?:\\.0x[0-9a-f]+)?");

    private final Map<RecordedStackTrace, List<StackFrame>> seen = new IdentityHashMap<>();
    private final Map<RecordedMethod, Method> methods = new IdentityHashMap<>();

    List<StackFrame> frames(RecordedStackTrace trace) {
        if (trace == null) return List.of(StackFrame.of("[no stack]", FrameKind.UNKNOWN));
        return seen.computeIfAbsent(trace, this::convert);
    }

    private List<StackFrame> convert(RecordedStackTrace trace) {
        List<RecordedFrame> frames = trace.getFrames();
        List<StackFrame> out = new ArrayList<>(frames.size() + 1);
        for (RecordedFrame f : frames) out.add(frame(f));
        if (trace.isTruncated()) out.add(StackFrame.of("[truncated]", FrameKind.UNKNOWN));
        return List.copyOf(out);
    }

    /**
     * Java code is named "pkg.Class.method". async-profiler files C, C++ and kernel functions under
     * a "class" that is their library ("libjvm.so", "[vdso]"): that becomes the frame's binary.
     */
    private StackFrame frame(RecordedFrame f) {
        FrameKind kind = JfrFrameKinds.of(f.getType());
        Method m = methods.computeIfAbsent(f.getMethod(), Method::of);
        int line = Math.max(0, f.getLineNumber());
        if (kind == FrameKind.CPP || kind == FrameKind.KERNEL || (kind == FrameKind.NATIVE && m.library())) {
            return new StackFrame(m.function(), kind, "", line, m.rawClass(), "");
        }
        return new StackFrame(m.javaName(), kind, "", line, "", "");
    }

    /**
     * A method's names, worked out once per method: the consumer API looks every field up by
     * name, which cost more than the rest of the conversion when done for each frame.
     *
     * @param function the bare name ("[unknown]" if none): a native frame's name
     * @param rawClass the class as recorded (a library for native frames), "" if none
     * @param javaName "pkg.Class.method", or the bare name without a class
     */
    private record Method(String function, String rawClass, String javaName, boolean library) {
        static Method of(RecordedMethod method) {
            String name = method == null || method.getName() == null ? "" : method.getName();
            RecordedClass type = method == null ? null : method.getType();
            String cls = type == null || type.getName() == null ? "" : type.getName();
            String function = name.isEmpty() ? "[unknown]" : name;
            String javaName;
            if (cls.isEmpty()) {
                javaName = function;
            } else {
                String javaClass = javaClassName(cls);
                javaName = name.isEmpty() ? javaClass : javaClass + "." + name;
            }
            return new Method(function, cls, javaName, isLibrary(cls));
        }
    }

    /**
     * "pkg/Shop" as "pkg.Shop". A lambda's counter and address differ per JVM run, so they are
     * dropped ("Shop$$Lambda$14.0x…" is "Shop$$Lambda"): one name lets deploys be compared.
     */
    static String javaClassName(String internal) {
        String cls = internal.replace('/', '.');
        return cls.contains("$$Lambda") ? LAMBDA.matcher(cls).replaceAll("\\$\\$Lambda") : cls;
    }

    /** A native frame's "class" names a library, not a Java class (the JDK's own native Java methods). */
    private static boolean isLibrary(String cls) {
        return cls.isEmpty()
                || cls.startsWith("[")
                || cls.startsWith("/")
                || cls.endsWith(".so")
                || cls.contains(".so.");
    }

    /** A class as Java source spells it: "[B" is "byte[]", "[Ljava/lang/String;" is "java.lang.String[]". */
    static String className(RecordedClass type) {
        if (type == null || type.getName() == null) return "[unknown class]";
        String n = type.getName();
        int dims = 0;
        while (dims < n.length() && n.charAt(dims) == '[') dims++;
        String base = n.substring(dims);
        if (dims > 0) {
            base = switch (base) {
                case "B" -> "byte";
                case "C" -> "char";
                case "S" -> "short";
                case "I" -> "int";
                case "J" -> "long";
                case "Z" -> "boolean";
                case "F" -> "float";
                case "D" -> "double";
                default -> base.startsWith("L") && base.endsWith(";") ? base.substring(1, base.length() - 1) : base;
            };
        }
        return base.replace('/', '.') + "[]".repeat(dims);
    }
}
