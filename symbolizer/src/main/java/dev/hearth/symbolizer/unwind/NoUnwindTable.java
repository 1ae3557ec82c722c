package dev.hearth.symbolizer.unwind;

/**
 * A binary without a usable unwind table: no frame sections, not x86-64, unreadable, malformed
 * throughout, or past a bound. Its code is unwound by frame pointer, as before tables.
 *
 * @param reason one line for logs and metrics, such as "no .eh_frame or .debug_frame"
 */
public record NoUnwindTable(String reason) implements UnwindResult {}
