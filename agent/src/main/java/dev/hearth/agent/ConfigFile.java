package dev.hearth.agent;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Settings from a Java properties file whose keys are the long option names without dashes
 * ({@code collector = http://…}, {@code label = env=prod,team=core}). Flags on the command line win.
 * A key that names no option is an error, so a typo is not silently ignored.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
    static final String OPTION = "--config";

    private final Properties props;

    private ConfigFile(Properties props) {
        this.props = props;
    }

    static ConfigFile load(Path file, CommandSpec spec) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "cannot read config file " + file + ": "
                            + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
        Set<String> known = new TreeSet<>();
        for (OptionSpec o : spec.options()) known.add(key(o));
        for (String k : p.stringPropertyNames()) {
            if (!known.contains(k) || k.equals(OPTION.substring(2))) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "unknown setting '" + k + "' in " + file + "; settings are the long options without dashes: "
                                + known);
            }
        }
        return new ConfigFile(p);
    }

    /** The {@code --config FILE} or {@code --config=FILE} among raw arguments, or null. */
    static Path find(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(OPTION) && i + 1 < args.length) return Path.of(args[i + 1]);
            if (args[i].startsWith(OPTION + "=")) return Path.of(args[i].substring(OPTION.length() + 1));
        }
        return null;
    }

    private static String key(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        return arg instanceof OptionSpec o ? props.getProperty(key(o)) : null;
    }
}
