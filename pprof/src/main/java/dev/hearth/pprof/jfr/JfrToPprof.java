package dev.hearth.pprof.jfr;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.Gunzip;
import dev.hearth.pprof.InvalidProfileException;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import dev.hearth.pprof.proto.Profile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Converts a JFR recording (async-profiler's, or the JDK's own) into pprof profiles: cpu
 * (samples, nanoseconds), wall (samples, nanoseconds), alloc (estimated objects, bytes) and lock
 * (contentions, nanoseconds), with the thread name as the sample label "thread".
 */
public final class JfrToPprof {
    public static final String THREAD_LABEL = "thread";
    /**
     * The sample label holding an event's {@code contextId}, when the profiler wrote one (the
     * Pyroscope Java agent's async-profiler does: the id of the labels set around the code).
     */
    public static final String CONTEXT_LABEL = "jfr_context";

    private final JfrStacks stacks = new JfrStacks();
    private final JfrSettings settings = new JfrSettings();
    private final Map<ProfileType, Map<SampleKey, long[]>> samples = new EnumMap<>(ProfileType.class);
    private long executionSampleTypeId = -1;
    private long events;
    private long firstNanos = Long.MAX_VALUE;
    private long lastNanos = Long.MIN_VALUE;

    private record SampleKey(List<StackFrame> stack, String thread, long context) {}

    private JfrToPprof() {}

    /**
     * Converts a recording file. A cut-short last chunk is left out and named in
     * {@link JfrProfiles#damage()}; the whole chunks before it are converted.
     */
    public static JfrProfiles convert(Path recording) throws IOException {
        if (!JfrChunks.startsWithMagic(recording))
            throw new JfrFormatException("not a JFR recording: " + recording.getFileName());
        long size = Files.size(recording);
        long whole = JfrChunks.completePrefix(recording);
        if (whole == 0)
            throw new JfrFormatException("JFR recording " + recording.getFileName() + " has no complete chunk");
        if (whole == size) return read(recording, null);
        Path prefix = Files.createTempFile("hearth-", ".jfr");
        try {
            try (FileChannel in = FileChannel.open(recording);
                    FileChannel out = FileChannel.open(prefix, StandardOpenOption.WRITE)) {
                in.transferTo(0, whole, out);
            }
            return read(prefix, "last chunk cut short after " + whole + " of " + size + " bytes");
        } finally {
            Files.deleteIfExists(prefix);
        }
    }

    private static JfrProfiles read(Path recording, String damage) throws IOException {
        JfrToPprof c = new JfrToPprof();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) c.accept(file.readEvent());
        } catch (IOException | RuntimeException e) {
            String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            if (c.events == 0) throw new JfrFormatException("unreadable JFR recording: " + why, e);
            damage = damage == null ? why : damage + "; " + why;
        }
        return new JfrProfiles(c.build(), c.events, damage);
    }

    /**
     * Converts a recording held in memory, raw or gzipped (the consumer API reads files only).
     * A gzipped body may expand to at most {@code maxBytes}.
     */
    public static JfrProfiles convert(byte[] recording, long maxBytes) throws IOException {
        Path tmp = Files.createTempFile("hearth-", ".jfr");
        try {
            if (Gunzip.isGzip(recording)) {
                gunzip(recording, tmp, maxBytes);
            } else {
                Files.write(tmp, recording);
            }
            return convert(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void gunzip(byte[] body, Path to, long maxBytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(to)) {
            Gunzip.toStream(body, maxBytes, out);
        } catch (InvalidProfileException e) {
            throw new JfrFormatException("gzipped JFR recording: " + e.getMessage(), e);
        }
    }

    private void accept(RecordedEvent e) {
        String type = e.getEventType().getName();
        switch (type) {
            case "jdk.ActiveSetting" -> settings.add(e);
            case "jdk.ExecutionSample" -> {
                executionSampleTypeId = e.getEventType().getId();
                add(ProfileType.CPU, e, e.getThread("sampledThread"), 1, 0);
            }
            case "profiler.WallClockSample" ->
                add(ProfileType.WALL, e, e.getThread("sampledThread"), Math.max(1, e.getLong("samples")), 0);
            case "jdk.ObjectAllocationInNewTLAB" -> {
                long size = e.getLong("allocationSize");
                long weight = e.getLong("tlabSize");
                addAlloc(e, size, weight > 0 ? weight : size);
            }
            case "jdk.ObjectAllocationOutsideTLAB" ->
                addAlloc(e, e.getLong("allocationSize"), e.getLong("allocationSize"));
            case "jdk.ObjectAllocationSample" -> addAlloc(e, 0, e.getLong("weight"));
            case "jdk.JavaMonitorEnter" -> addLock(e, e.getClass("monitorClass"));
            case "jdk.ThreadPark" -> addLock(e, e.getClass("parkedClass"));
            default -> {}
        }
    }

    /**
     * One allocation sample stands for {@code weight} bytes; as objects it counts weight over the
     * sampled object's size (the JDK's own sampler gives no size: one object).
     */
    private void addAlloc(RecordedEvent e, long objectSize, long weight) {
        long objects = objectSize > 0 ? Math.max(1, Math.round((double) weight / objectSize)) : 1;
        put(ProfileType.ALLOC, withClassLeaf(e, e.getClass("objectClass")), e, objects, weight);
    }

    private void addLock(RecordedEvent e, RecordedClass lockClass) {
        put(
                ProfileType.LOCK,
                withClassLeaf(e, lockClass),
                e,
                1,
                Math.max(0, e.getDuration().toNanos()));
    }

    /** The allocated or locked class as the leaf frame, as async-profiler shows it. */
    private SampleKey withClassLeaf(RecordedEvent e, RecordedClass cls) {
        List<StackFrame> stack = stacks.frames(e.getStackTrace());
        if (cls == null) return new SampleKey(stack, threadName(e.getThread("eventThread")), context(e));
        List<StackFrame> withClass = new ArrayList<>(stack.size() + 1);
        withClass.add(StackFrame.of(JfrStacks.className(cls), FrameKind.UNKNOWN));
        withClass.addAll(stack);
        return new SampleKey(List.copyOf(withClass), threadName(e.getThread("eventThread")), context(e));
    }

    private void add(ProfileType type, RecordedEvent e, RecordedThread thread, long count, long value) {
        put(type, new SampleKey(stacks.frames(e.getStackTrace()), threadName(thread), context(e)), e, count, value);
    }

    private static long context(RecordedEvent e) {
        return e.hasField("contextId") ? e.getLong("contextId") : 0;
    }

    private void put(ProfileType type, SampleKey key, RecordedEvent e, long count, long value) {
        long[] sum = samples.computeIfAbsent(type, t -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new long[2]);
        sum[0] += count;
        sum[1] += value;
        events++;
        Instant t = e.getStartTime();
        long nanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
        firstNanos = Math.min(firstNanos, nanos);
        lastNanos = Math.max(lastNanos, nanos);
    }

    private static String threadName(RecordedThread t) {
        if (t == null) return "";
        String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        return name == null ? "" : name;
    }

    /** Sample counts become nanoseconds only here: settings may follow the samples in a recording. */
    private Map<ProfileType, Profile> build() {
        Map<ProfileType, Profile> out = new EnumMap<>(ProfileType.class);
        samples.forEach((type, table) -> {
            long interval = switch (type) {
                case CPU -> settings.cpuIntervalNanos(executionSampleTypeId);
                case WALL -> settings.wallIntervalNanos();
                default -> 0;
            };
            ProfileBuilder b =
                    new ProfileBuilder(type).timeNanos(firstNanos).durationNanos(Math.max(0, lastNanos - firstNanos));
            if (interval > 0) b.period(interval);
            Map<String, String> labels = new HashMap<>(1);
            table.forEach((key, v) -> {
                long value = interval > 0 ? v[0] * interval : v[1];
                labels.clear();
                if (!key.thread().isEmpty()) labels.put(THREAD_LABEL, key.thread());
                if (key.context() != 0) labels.put(CONTEXT_LABEL, Long.toString(key.context()));
                b.add(key.stack(), new long[] {v[0], value}, labels);
            });
            out.put(type, b.build());
        });
        return out;
    }
}
