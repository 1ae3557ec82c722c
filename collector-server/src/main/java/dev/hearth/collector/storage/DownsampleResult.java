package dev.hearth.collector.storage;

/**
 * What one downsampling pass did: {@code merged} profiles became {@code written} ones, and their
 * {@code samplesBefore} sample rows became {@code samplesAfter}.
 */
public record DownsampleResult(long merged, long written, long samplesBefore, long samplesAfter) {
    public static final DownsampleResult NOTHING = new DownsampleResult(0, 0, 0, 0);

    /** Profile and sample rows fewer than before. */
    public long rowsSaved() {
        return (merged - written) + (samplesBefore - samplesAfter);
    }
}
