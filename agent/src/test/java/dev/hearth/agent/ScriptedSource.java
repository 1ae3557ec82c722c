package dev.hearth.agent;

import dev.hearth.bpf.DropCounters;
import dev.hearth.bpf.RawSample;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A sample source for tests of everything after the kernel: each drain returns what the supplier gives. */
final class ScriptedSource implements SampleSource {
    private final Supplier<List<RawSample>> next;
    final AtomicInteger drains = new AtomicInteger();

    ScriptedSource(Supplier<List<RawSample>> next) {
        this.next = next;
    }

    @Override
    public List<RawSample> drain() {
        drains.incrementAndGet();
        return next.get();
    }

    @Override
    public boolean drainDue() {
        return false;
    }

    @Override
    public DropCounters drops() {
        return new DropCounters(3, 0, 1, 0, 0, 0);
    }

    @Override
    public void close() {}
}
