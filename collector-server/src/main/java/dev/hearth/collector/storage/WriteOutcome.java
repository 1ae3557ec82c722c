package dev.hearth.collector.storage;

import java.util.List;
import java.util.Map;

/** What became of one profile given to the writer; ids are unique per tenant and service. */
public enum WriteOutcome {
    /** stored now */
    STORED,
    /** its id was stored before with the same content (a client's retry): nothing to do */
    ALREADY_STORED,
    /** its id was stored before with other content: refused, nothing stored */
    CONFLICT;

    /**
     * What becomes of each profile of a batch, given the digests already stored under their ids
     * (by {@link #uidKey}): a new id is stored, also when it comes twice in the batch only the first;
     * a known id with the same content (or stored before contents were hashed) is a retry; with
     * other content, a conflict. {@code known} gains the batch's new ids.
     */
    static WriteOutcome[] decide(List<ProfileRows> batch, Map<String, Long> known) {
        WriteOutcome[] out = new WriteOutcome[batch.size()];
        for (int i = 0; i < out.length; i++) {
            ProfileRows p = batch.get(i);
            Long before =
                    known.putIfAbsent(uidKey(p.series().tenant(), p.series().service(), p.uid()), p.digest());
            if (before == null) out[i] = STORED;
            else if (before == p.digest() || before == Schema.UNKNOWN_DIGEST) out[i] = ALREADY_STORED;
            else out[i] = CONFLICT;
        }
        return out;
    }

    /** A profile id's identity: unique per tenant and service. */
    static String uidKey(String tenant, String service, String uid) {
        return tenant + '\n' + service + '\n' + uid;
    }
}
