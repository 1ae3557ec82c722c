package dev.hearth.symbolizer;

/** What kind of code a frame ran in. CPP is a native frame whose name was demangled from C++. */
public enum FrameKind { KERNEL, NATIVE, CPP, JIT, INTERPRETED, INLINED, STUB, UNKNOWN }
