package dev.hearth.collector.pyroscope;

import dev.hearth.collector.labels.Labels;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Pyroscope's {@code name} parameter, {@code app.cpu{env=prod,region=eu}}: the application, an
 * optional profile-type suffix after its last dot, and labels. As Pyroscope does, a
 * {@code service_name} label names the service, and the application is then kept as
 * {@code app_name}.
 *
 * @param service the service to store under
 * @param suffix  the type suffix ("cpu", "alloc_objects", …) when the application name ends with a
 *                known one, else null
 * @param labels  the labels, without {@code service_name}
 */
public record PyroscopeName(String service, String suffix, SortedMap<String, String> labels) {
    /** The characters Pyroscope allows in an application name. */
    private static final Pattern APP = Pattern.compile("[A-Za-z0-9_./-]{1,256}");

    static final String SERVICE_LABEL = "service_name";
    static final String APP_LABEL = "app_name";

    /** Parses a name; a malformed one is an IllegalArgumentException saying what is wrong. */
    public static PyroscopeName parse(String name) {
        if (name == null || name.isBlank())
            throw new IllegalArgumentException("missing parameter 'name' (the application, as app.cpu{k=v})");
        int brace = name.indexOf('{');
        String app = (brace < 0 ? name : name.substring(0, brace)).strip();
        if (!APP.matcher(app).matches()) {
            throw new IllegalArgumentException(
                    "the application name must be 1-256 of [A-Za-z0-9_./-], got '" + app + "'");
        }
        SortedMap<String, String> labels = new TreeMap<>();
        if (brace >= 0) {
            String rest = name.substring(brace).strip();
            if (!rest.endsWith("}")) throw new IllegalArgumentException("the labels of name must be closed by '}'");
            String inner = rest.substring(1, rest.length() - 1);
            if (inner.indexOf('{') >= 0 || inner.indexOf('}') >= 0)
                throw new IllegalArgumentException("name holds more than one {…}");
            labels.putAll(Labels.parse(inner.endsWith(",") ? inner.substring(0, inner.length() - 1) : inner));
        }
        if (labels.containsKey("__name__")) throw new IllegalArgumentException("label name '__name__' is reserved");
        String suffix = null;
        int dot = app.lastIndexOf('.');
        if (dot > 0 && PyroscopeTypes.isKnown(app.substring(dot + 1))) {
            suffix = app.substring(dot + 1);
            app = app.substring(0, dot);
        }
        labels.remove("service"); // the service is said once, by the name
        String service = labels.remove(SERVICE_LABEL);
        if (service == null || service.isBlank()) service = app;
        else labels.putIfAbsent(APP_LABEL, app);
        return new PyroscopeName(service, suffix, Collections.unmodifiableSortedMap(labels));
    }
}
