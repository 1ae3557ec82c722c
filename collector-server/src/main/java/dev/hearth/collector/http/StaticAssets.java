package dev.hearth.collector.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web UI's files from the classpath folder {@code hearth-ui/}, at {@code /} and under
 * {@code /hearth-ui/}. Files are read once and kept; the folder is small.
 */
public final class StaticAssets {
    public static final String UI_FOLDER = "hearth-ui/";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"),
            Map.entry("woff2", "font/woff2"));

    private final String folder;
    private final Map<String, Optional<Response>> cache = new ConcurrentHashMap<>();

    /** Serves the classpath folder {@code folder} (ending in '/'). */
    public StaticAssets(String folder) {
        this.folder = folder;
    }

    /** The file for a URL path, or empty. */
    public Optional<Response> get(String path) throws IOException {
        String p = path.startsWith("/hearth-ui/") ? path.substring("/hearth-ui".length()) : path;
        if (p.isEmpty() || p.endsWith("/")) p += "index.html";
        if (p.contains("..") || p.contains("//") || p.contains("\\")) return Optional.empty();
        String resource = folder + p.substring(1);
        Optional<Response> hit = cache.get(resource);
        if (hit != null) return hit;
        Optional<Response> loaded = load(resource);
        cache.put(resource, loaded);
        return loaded;
    }

    private static Optional<Response> load(String resource) throws IOException {
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) return Optional.empty();
            String ext = resource.substring(resource.lastIndexOf('.') + 1);
            String type = TYPES.getOrDefault(ext, "application/octet-stream");
            return Optional.of(new Response(200, type, in.readAllBytes(), Map.of("Cache-Control", "no-cache")));
        }
    }
}
