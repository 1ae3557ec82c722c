package dev.hearth.pprof;

import dev.hearth.pprof.proto.Function;
import dev.hearth.pprof.proto.Label;
import dev.hearth.pprof.proto.Line;
import dev.hearth.pprof.proto.Location;
import dev.hearth.pprof.proto.Mapping;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.pprof.proto.Sample;

/** Checks that every index in a profile points somewhere and every sample has all its values. */
public final class ProfileValidator {
    private ProfileValidator() {}

    public static void validate(Profile p) throws InvalidProfileException {
        int strings = p.getStringTableCount();
        if (strings == 0 || !p.getStringTable(0).isEmpty()) {
            throw new InvalidProfileException("string_table[0] must be the empty string");
        }
        if (p.getSampleTypeCount() == 0) throw new InvalidProfileException("profile has no sample_type");
        for (int i = 0; i < p.getSampleTypeCount(); i++) {
            str(strings, p.getSampleType(i).getType(), "sample_type[" + i + "].type");
            str(strings, p.getSampleType(i).getUnit(), "sample_type[" + i + "].unit");
        }
        str(strings, p.getPeriodType().getType(), "period_type.type");
        str(strings, p.getPeriodType().getUnit(), "period_type.unit");
        str(strings, p.getDefaultSampleType(), "default_sample_type");
        for (int i = 0; i < p.getCommentCount(); i++) str(strings, p.getComment(i), "comment[" + i + "]");

        IdSet mappings =
                IdSet.of(p.getMappingList().stream().mapToLong(Mapping::getId).toArray(), "mapping");
        for (Mapping m : p.getMappingList()) {
            str(strings, m.getFilename(), "mapping " + m.getId() + " filename");
            str(strings, m.getBuildId(), "mapping " + m.getId() + " build_id");
        }
        IdSet functions =
                IdSet.of(p.getFunctionList().stream().mapToLong(Function::getId).toArray(), "function");
        for (Function f : p.getFunctionList()) {
            str(strings, f.getName(), "function ", f.getId(), " name");
            str(strings, f.getSystemName(), "function ", f.getId(), " system_name");
            str(strings, f.getFilename(), "function ", f.getId(), " filename");
        }
        IdSet locations =
                IdSet.of(p.getLocationList().stream().mapToLong(Location::getId).toArray(), "location");
        for (Location l : p.getLocationList()) {
            if (l.getMappingId() != 0 && !mappings.contains(l.getMappingId())) {
                throw new InvalidProfileException(
                        "location " + l.getId() + " refers to missing mapping " + l.getMappingId());
            }
            for (Line line : l.getLineList()) {
                if (!functions.contains(line.getFunctionId())) {
                    throw new InvalidProfileException(
                            "location " + l.getId() + " refers to missing function " + line.getFunctionId());
                }
            }
        }
        int values = p.getSampleTypeCount();
        for (int i = 0; i < p.getSampleCount(); i++) {
            Sample s = p.getSample(i);
            if (s.getValueCount() != values) {
                throw new InvalidProfileException("sample " + i + " has " + s.getValueCount()
                        + " values, the profile has " + values + " sample types");
            }
            for (int j = 0; j < s.getLocationIdCount(); j++) {
                long id = s.getLocationId(j);
                if (!locations.contains(id))
                    throw new InvalidProfileException("sample " + i + " refers to missing location " + id);
            }
            for (Label label : s.getLabelList()) {
                str(strings, label.getKey(), "sample ", i, " label key");
                str(strings, label.getStr(), "sample ", i, " label value");
                str(strings, label.getNumUnit(), "sample ", i, " label unit");
            }
        }
    }

    /** As below, for the checks made per function and per sample: the message is built only on failure. */
    private static void str(int size, long index, String what, long id, String field) throws InvalidProfileException {
        if (index < 0 || index >= size) str(size, index, what + id + field);
    }

    private static void str(int size, long index, String where) throws InvalidProfileException {
        if (index < 0 || index >= size) {
            throw new InvalidProfileException(where + " is string " + index + ", out of range [0, " + size + ")");
        }
    }
}
