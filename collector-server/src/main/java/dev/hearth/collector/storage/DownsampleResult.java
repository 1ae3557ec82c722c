package dev.hearth.collector.storage;

/**
 * What one downsampling pass did: {@code merged} profiles as ingested went into downsampled ones;
 * {@code removed} profile rows (those, and downsampled ones late profiles joined) became
 * {@code written}, and their {@code samplesBefore} sample rows became {@code samplesAfter}.
 */
public record DownsampleResult(long merged, long removed, long written, long samplesBefore, long samplesAfter) {
    public static final DownsampleResult NOTHING = new DownsampleResult(0, 0, 0, 0, 0);

    /** Profile and sample rows fewer than before. */
    public long rowsSaved() {
        return (removed - written) + (samplesBefore - samplesAfter);
    }

    public DownsampleResult plus(DownsampleResult o) {
        return new DownsampleResult(
                merged + o.merged,
                removed + o.removed,
                written + o.written,
                samplesBefore + o.samplesBefore,
                samplesAfter + o.samplesAfter);
    }
}
