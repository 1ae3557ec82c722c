package dev.hearth.symbolizer.unwind;

/**
 * A Common Information Entry: what its FDEs share.
 *
 * @param codeAlign     factor of advance_loc deltas
 * @param dataAlign     factor of offsets in register rules
 * @param fdeEncoding   pointer encoding of the FDEs' addresses ({@code DW_EH_PE_*})
 * @param augmented     the augmentation starts with 'z': FDEs carry augmentation data to skip
 * @param initial       the register rules after the initial instructions (DW_CFA_restore returns to them)
 */
record Cie(int codeAlign, int dataAlign, int fdeEncoding, boolean augmented, CfaState initial) {}
