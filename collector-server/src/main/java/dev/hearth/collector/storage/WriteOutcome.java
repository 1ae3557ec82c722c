package dev.hearth.collector.storage;

/** What became of one profile given to the writer; ids are unique per tenant and service. */
public enum WriteOutcome {
    /** stored now */
    STORED,
    /** its id was stored before with the same content (a client's retry): nothing to do */
    ALREADY_STORED,
    /** its id was stored before with other content: refused, nothing stored */
    CONFLICT
}
