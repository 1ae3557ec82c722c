package dev.hearth.symbolizer.safefs;

import java.io.IOException;

/** A path or file that failed the rule of {@link SafeDir}: a link, the wrong type, owner, mode or size. */
public final class UnsafeFileException extends IOException {
    public UnsafeFileException(String message) {
        super(message);
    }
}
