package dev.hearth.agent.jvm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of HotSpot's attach protocol (version 1, which every HotSpot JVM since JDK 6 accepts):
 * a request is the version, the command and exactly three arguments, each NUL-terminated; the reply
 * is a status line (0 for success), then the command's output. Pure functions: the socket is
 * {@link HotSpotAttach}'s.
 */
final class AttachProtocol {
    /** HotSpot refuses longer arguments (arg_length_max in attachListener.hpp). */
    static final int MAX_ARGUMENT_BYTES = 1024;

    private static final String LOAD_RESULT_PREFIX = "return code: ";

    private AttachProtocol() {}

    /** A command and its output, split at the status line. */
    record Reply(int status, String body) {}

    static byte[] request(String command, String... args) {
        if (args.length > 3) throw new IllegalArgumentException("at most three arguments, got " + args.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, "1");
        field(out, command);
        for (int i = 0; i < 3; i++) field(out, i < args.length && args[i] != null ? args[i] : "");
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_ARGUMENT_BYTES)
            throw new IllegalArgumentException("attach argument longer than " + MAX_ARGUMENT_BYTES + " bytes");
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("attach argument holds a NUL");
        out.writeBytes(b);
        out.write(0);
    }

    static Reply reply(byte[] bytes) throws IOException {
        String s = new String(bytes, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        String status = (nl < 0 ? s : s.substring(0, nl)).strip();
        try {
            return new Reply(Integer.parseInt(status), nl < 0 ? "" : s.substring(nl + 1));
        } catch (NumberFormatException e) {
            throw new IOException("not an attach reply: '" + abbreviate(status) + "'");
        }
    }

    /**
     * Agent_OnAttach's return code from the body of a successful {@code load}: the first line, a bare
     * number up to JDK 20, {@code "return code: N"} since JDK 21. Anything else is the JVM's reason for
     * not loading the library at all.
     */
    static int loadResult(String body) throws IOException {
        String first = body.lines().findFirst().orElse("").strip();
        String number = first.startsWith(LOAD_RESULT_PREFIX) ? first.substring(LOAD_RESULT_PREFIX.length()) : first;
        try {
            return Integer.parseInt(number.strip());
        } catch (NumberFormatException e) {
            throw new IOException("library not loaded: " + abbreviate(body.strip()));
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
