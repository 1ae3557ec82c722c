package dev.hearth.symbolizer;

/**
 * One symbolized frame.
 *
 * @param name    readable name: a function, a Java method, or {@code [unknown]}-style placeholder
 * @param kind    what kind of code the address was in
 * @param binary  path of the mapped file as the process sees it; {@code [kernel.kallsyms]} or
 *                {@code [module]} for the kernel; {@code [jit]} for JIT-compiled code, {@code [vdso]},
 *                {@code [anon]} or another pseudo mapping; null when the address is in no mapping
 * @param buildId hex GNU build-id of the binary, or null when it has none or is not a file
 * @param offset  file offset of the address in {@code binary}; for kernel, JIT and unmapped frames
 *                the address itself
 */
public record Frame(String name, FrameKind kind, String binary, String buildId, long offset) {
    /** A real name, not a placeholder for an address that could not be named (yet). */
    public boolean named() {
        return kind != FrameKind.UNKNOWN && !Frames.isUnnamedJit(this);
    }
}
