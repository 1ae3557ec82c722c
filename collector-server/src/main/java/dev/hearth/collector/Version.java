package dev.hearth.collector;

import picocli.CommandLine;

/** {@code --version}: the Implementation-Version the build writes into the jar's manifest. */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"hearth collector " + (v != null ? v : "(unknown version: not run from a built jar)")};
    }
}
