package dev.hearth.pprof.flame;

import java.util.List;

/**
 * One frame of a flame graph under its caller path: its name, its kind ({@code jit}, {@code kernel},
 * …, {@code root}, {@code other}), its own value and the value of everything under it.
 */
public record FlameFrame(String name, String kind, long self, long total, List<FlameFrame> children) {
    public FlameFrame {
        children = List.copyOf(children);
    }
}
