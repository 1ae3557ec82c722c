package dev.hearth.agent;

import picocli.CommandLine;

/** {@code --version} of every command: the Implementation-Version the build writes into the jar's manifest. */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"hearth " + (v != null ? v : "(unknown version: not run from a built jar)")};
    }

    /** Gives {@code cmd} and all its subcommands this version. */
    static void applyTo(CommandLine cmd) {
        cmd.getCommandSpec().versionProvider(new Version());
        for (CommandLine sub : cmd.getSubcommands().values()) applyTo(sub);
    }
}
