package dev.hearth.bpf;

/** A BPF setup or runtime failure; the message names the cause and the fix. */
public class BpfException extends RuntimeException {
    public BpfException(String message) {
        super(message);
    }

    public BpfException(String message, Throwable cause) {
        super(message, cause);
    }
}
