package dev.hearth.agent.ship;

/** What became of one attempt to ship an upload. */
public record Outcome(Kind kind, int status, String message) {
    public enum Kind {
        /** stored by the collector (2xx) */
        STORED,
        /** refused for good (4xx other than 401/403/408/429): retrying cannot help */
        REJECTED,
        /**
         * worth retrying later: no connection, a timeout, 5xx, 408 or 429; and 401/403, since a
         * token that is not (yet) in the collector's file is fixed there, and the profile waits
         */
        RETRY
    }

    public static Outcome ofStatus(int status, String body) {
        if (status >= 200 && status < 300) return new Outcome(Kind.STORED, status, "");
        boolean retry =
                status >= 500 || status == 408 || status == 429 || status == 401 || status == 403 || status < 200;
        return new Outcome(retry ? Kind.RETRY : Kind.REJECTED, status, errorMessage(body));
    }

    public static Outcome unreachable(String why) {
        return new Outcome(Kind.RETRY, 0, why);
    }

    /** The collector's {@code {"error": "…"}}, else the body as it came (shortened). */
    static String errorMessage(String body) {
        if (body == null) return "";
        int key = body.indexOf("\"error\"");
        if (key >= 0) {
            int colon = body.indexOf(':', key);
            int open = colon < 0 ? -1 : body.indexOf('"', colon);
            if (open >= 0) {
                StringBuilder b = new StringBuilder();
                for (int i = open + 1; i < body.length(); i++) {
                    char c = body.charAt(i);
                    if (c == '\\' && i + 1 < body.length()) {
                        char n = body.charAt(++i);
                        b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
                    } else if (c == '"') {
                        return b.toString();
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        String s = body.strip();
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }
}
