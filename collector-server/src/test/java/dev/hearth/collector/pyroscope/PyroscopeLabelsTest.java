package dev.hearth.collector.pyroscope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.CodedOutputStream;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import dev.hearth.pprof.jfr.JfrToPprof;
import dev.hearth.pprof.proto.Profile;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PyroscopeLabelsTest {
    /** A LabelsSnapshot as the agent writes it: context 7 = {phase=alpha, tier=web}; strings 1..4. */
    static byte[] snapshot(String firstKey) throws Exception {
        ByteArrayOutputStream context = new ByteArrayOutputStream();
        CodedOutputStream c = CodedOutputStream.newInstance(context);
        for (long[] kv : new long[][] {{1, 2}, {3, 4}}) {
            c.writeTag(1, 2);
            c.writeUInt32NoTag(
                    CodedOutputStream.computeInt64Size(1, kv[0]) + CodedOutputStream.computeInt64Size(2, kv[1]));
            c.writeInt64(1, kv[0]);
            c.writeInt64(2, kv[1]);
        }
        c.flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        byte[] ctx = context.toByteArray();
        o.writeTag(1, 2);
        o.writeUInt32NoTag(CodedOutputStream.computeInt64Size(1, 7) + CodedOutputStream.computeByteArraySize(2, ctx));
        o.writeInt64(1, 7);
        o.writeByteArray(2, ctx);
        String[] strings = {null, firstKey, "alpha", "tier", "web"};
        for (int i = 1; i < strings.length; i++) {
            o.writeTag(2, 2);
            o.writeUInt32NoTag(
                    CodedOutputStream.computeInt64Size(1, i) + CodedOutputStream.computeStringSize(2, strings[i]));
            o.writeInt64(1, i);
            o.writeString(2, strings[i]);
        }
        o.flush();
        return out.toByteArray();
    }

    @Test
    void snapshotGivesLabelSetsByContext() throws Exception {
        assertEquals(
                Map.of(7L, new TreeMap<>(Map.of("phase", "alpha", "tier", "web"))),
                PyroscopeLabels.parse(snapshot("phase")));
        assertThrows(IllegalArgumentException.class, () -> PyroscopeLabels.parse(snapshot("bad key")));
        assertThrows(IllegalArgumentException.class, () -> PyroscopeLabels.parse(new byte[] {10, 100, 1}));
    }

    @Test
    void splitGroupsSamplesByTheirContextsLabels() throws Exception {
        StackFrame a = StackFrame.of("a", FrameKind.JIT), b = StackFrame.of("b", FrameKind.JIT);
        Profile p = new ProfileBuilder(ProfileType.CPU)
                .add(List.of(a), new long[] {3, 30}, Map.of(JfrToPprof.CONTEXT_LABEL, "7", "thread", "t1"))
                .add(List.of(b), new long[] {1, 10}, Map.of("thread", "t2"))
                .add(List.of(b), new long[] {2, 20}, Map.of(JfrToPprof.CONTEXT_LABEL, "99"))
                .build();
        Map<SortedMap<String, String>, Profile> split =
                PyroscopeLabels.split(p, PyroscopeLabels.parse(snapshot("phase")));
        assertEquals(2, split.size());
        Profile labelled = split.get(new TreeMap<>(Map.of("phase", "alpha", "tier", "web")));
        assertEquals(1, labelled.getSampleCount());
        assertEquals(Map.of("thread", "t1"), ProfileReader.labels(labelled, labelled.getSample(0)));
        assertEquals(2, split.get(new TreeMap<String, String>()).getSampleCount()); // no context, and an unknown one
    }
}
