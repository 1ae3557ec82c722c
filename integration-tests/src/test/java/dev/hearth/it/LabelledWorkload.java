package dev.hearth.it;

import io.pyroscope.labels.v2.LabelsSet;
import io.pyroscope.labels.v2.ScopedContext;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JVM under the Pyroscope Java agent that sets dynamic labels: one thread runs
 * {@link Workload#alpha} inside the labels {@code phase=alpha}, another {@link Workload#beta} inside
 * {@code phase=beta}, until the stop file exists (at most five minutes). Arg: stopFile.
 */
public final class LabelledWorkload {
    public static void main(String[] args) throws InterruptedException {
        Path stop = Path.of(args[0]);
        long end = System.nanoTime() + 300_000_000_000L;
        Thread a = new Phase("alpha", stop, end), b = new Phase("beta", stop, end);
        a.start();
        b.start();
        a.join();
        b.join();
    }

    static final class Phase extends Thread {
        private final Path stop;
        private final long end;

        Phase(String name, Path stop, long end) {
            super(name);
            this.stop = stop;
            this.end = end;
        }

        @Override
        public void run() {
            try (ScopedContext ignored = new ScopedContext(new LabelsSet("phase", getName()))) {
                for (int round = 0; System.nanoTime() < end; round++) {
                    if (getName().equals("alpha")) Workload.alpha(20_000);
                    else Workload.beta(20_000);
                    if (round % 256 == 0 && Files.exists(stop)) return;
                }
            }
        }
    }
}
