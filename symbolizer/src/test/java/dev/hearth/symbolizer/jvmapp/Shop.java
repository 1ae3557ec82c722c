package dev.hearth.symbolizer.jvmapp;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * A JVM workload for symbolizer tests: runs checkout() hot from the start; refund() only after a line
 * "refund" arrives on stdin, so it is compiled after a first perf map was read. Exits when stdin closes.
 */
public final class Shop {
    static volatile long sink;
    static volatile boolean refunds;

    static long checkout(long x) {
        long h = x;
        for (int i = 0; i < 200; i++) h = h * 31 + i;
        return h;
    }

    static long refund(long x) {
        long h = x;
        for (int i = 0; i < 200; i++) h = (h ^ i) * 17;
        return h;
    }

    public static void main(String[] args) throws Exception {
        Thread worker = new Thread(
                () -> {
                    for (long n = 0; ; n++) {
                        sink += checkout(n);
                        if (refunds) sink += refund(n);
                    }
                },
                "shop-worker");
        worker.setDaemon(true);
        worker.start();
        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("refund")) refunds = true;
        }
    }
}
