package dev.hearth.symbolizer.unwind;

/** What building an unwind table for one binary gave: an {@link UnwindTable}, or {@link NoUnwindTable} and why. */
public sealed interface UnwindResult permits UnwindTable, NoUnwindTable {}
