package dev.hearth.symbolizer.unwind;

import java.nio.ByteBuffer;

/**
 * The sections of one ELF file an unwind table is built from, each with the virtual address the
 * file gives it (pc-relative pointers in .eh_frame are relative to it). A missing section is null.
 *
 * @param ehFrame    {@code .eh_frame}: the table, as the C++ runtime reads it
 * @param ehFrameHdr {@code .eh_frame_hdr}: its sorted index, used to find the FDEs when sane
 * @param debugFrame {@code .debug_frame}: the debugger's copy, read only when there is no .eh_frame
 *                   (from the binary, or from its separate debug file)
 */
public record FrameSections(Section ehFrame, Section ehFrameHdr, Section debugFrame) {
    /** @param data the section's bytes, little-endian, position 0 at the section's start */
    public record Section(long addr, ByteBuffer data) {}
}
