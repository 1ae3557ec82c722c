package dev.hearth.collector.storage;

/** The sum of one value over the profiles that start at {@code startMs} with downsampling step {@code stepMs} (0: as ingested). */
public record StartTotal(long startMs, long stepMs, long total) {}
