package dev.hearth.agent.proc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The Implementation-Version of a jar a process was started with: a file of the process's choosing,
 * so read within bounds. Only the start of the file is read, as a stream (JarFile would load the
 * whole central directory, and the whole manifest however large it claims to be); the manifest
 * must be among the first entries, where the jar tool and build plugins put it.
 */
final class JarManifest {
    /** Bytes of the jar read; the manifest comes first. */
    static final int MAX_JAR_PREFIX = 1 << 20;
    /** Bytes of the manifest read: the main section, with the version, comes first. */
    static final int MAX_MANIFEST = 64 * 1024;

    private static final int MAX_ENTRIES_BEFORE = 4;

    private JarManifest() {}

    /** The version, or null when there is none within the bounds. */
    static String implementationVersion(InputStream jar) throws IOException {
        byte[] prefix = jar.readNBytes(MAX_JAR_PREFIX);
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(prefix))) {
            for (int i = 0; i < MAX_ENTRIES_BEFORE; i++) {
                ZipEntry e = zip.getNextEntry();
                if (e == null) return null;
                if (!e.getName().equalsIgnoreCase("META-INF/MANIFEST.MF")) continue;
                byte[] text = zip.readNBytes(MAX_MANIFEST);
                int end = text.length;
                if (zip.read() >= 0) while (end > 0 && text[end - 1] != '\n') end--; // cut to whole lines
                Manifest m = new Manifest(new ByteArrayInputStream(text, 0, end));
                return m.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
            }
        }
        return null;
    }
}
