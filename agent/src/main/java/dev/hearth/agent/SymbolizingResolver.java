package dev.hearth.agent;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import dev.hearth.symbolizer.Frame;
import dev.hearth.symbolizer.Symbolizer;
import java.util.ArrayList;
import java.util.List;

/** A {@link StackResolver} backed by the symbolizer module. */
public final class SymbolizingResolver implements StackResolver {
    private final Symbolizer symbolizer;

    public SymbolizingResolver(Symbolizer symbolizer) {
        this.symbolizer = symbolizer;
    }

    @Override
    public List<StackFrame> resolve(int pid, long[] userStack, long[] kernelStack) {
        List<StackFrame> out = new ArrayList<>(userStack.length + kernelStack.length);
        if (kernelStack.length > 0) for (Frame f : symbolizer.kernel(kernelStack)) out.add(toStackFrame(f));
        if (userStack.length > 0) for (Frame f : symbolizer.user(pid, userStack)) out.add(toStackFrame(f));
        return out;
    }

    @Override
    public void forget(int pid) {
        symbolizer.forget(pid);
    }

    static StackFrame toStackFrame(Frame f) {
        return new StackFrame(f.name(), kind(f.kind()), "", 0, f.binary(), f.buildId());
    }

    /** The two modules' kinds share names; pprof has one more (C1), never produced here. */
    static FrameKind kind(dev.hearth.symbolizer.FrameKind k) {
        return k == null ? FrameKind.UNKNOWN : FrameKind.valueOf(k.name());
    }
}
