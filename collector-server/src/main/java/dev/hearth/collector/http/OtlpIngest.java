package dev.hearth.collector.http;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.collector.otlp.OtlpFormatException;
import dev.hearth.collector.otlp.OtlpProfiles;
import dev.hearth.pprof.Gunzip;
import dev.hearth.pprof.InvalidProfileException;
import dev.hearth.pprof.ingest.IngestApi;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesPartialSuccess;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code POST /v1development/profiles}: OTLP/HTTP profiles, binary protobuf, as opentelemetry-proto
 * 1.10.0 defines them. Each profile is converted to pprof and stored as our own ingest stores it,
 * under the caller's tenant. Answers follow the OTLP/HTTP specification: 200 with an
 * {@code ExportProfilesServiceResponse} (its partial_success counting the profiles refused and why),
 * 400 when nothing in the request could be taken, 503 with Retry-After when the store is full (a
 * retry is safe: profile ids come from the request, so what was stored is not stored twice);
 * errors carry a {@code google.rpc.Status} in protobuf.
 */
final class OtlpIngest {
    static final String PATH = "/v1development/profiles";
    static final String PROTOBUF = "application/x-protobuf";
    /** Profiles in one request; each becomes its own stored profile. */
    static final int MAX_PROFILES = 256;

    private static final System.Logger LOG = System.getLogger(OtlpIngest.class.getName());
    /** google.rpc.Code values for the Status body. */
    private static final int INVALID_ARGUMENT = 3, UNAVAILABLE = 14, INTERNAL = 13;

    /** Stores one converted profile under an id, as every ingest does. */
    interface Store {
        CompletableFuture<Endpoints.Stored> store(String tenant, String id, OtlpProfiles.Converted profile)
                throws InvalidProfileException;
    }

    private final Store store;
    private final long maxDecompressedBytes;
    private final int maxStackDepth;

    OtlpIngest(Store store, long maxDecompressedBytes, int maxStackDepth) {
        this.store = store;
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.maxStackDepth = maxStackDepth;
    }

    /** Never fails: every outcome is an OTLP answer. */
    CompletableFuture<Response> ingest(String tenant, byte[] body) {
        ExportProfilesServiceRequest req;
        byte[] raw;
        try {
            // a protobuf message never starts with 0x1f (wire type 7), so gzip is known by its magic, Content-Encoding
            // or not
            raw = Gunzip.ifGzipped(body, maxDecompressedBytes);
            if (raw.length > 0 && raw[0] == '{') {
                return done(status(
                        415,
                        INVALID_ARGUMENT,
                        "only binary protobuf (application/x-protobuf) is accepted, not OTLP/JSON"));
            }
            req = ExportProfilesServiceRequest.parseFrom(raw);
        } catch (InvalidProfileException | InvalidProtocolBufferException e) {
            return done(status(400, INVALID_ARGUMENT, "not an OTLP ExportProfilesServiceRequest: " + e.getMessage()));
        }
        int count = 0;
        for (ResourceProfiles rp : req.getResourceProfilesList()) {
            for (ScopeProfiles sp : rp.getScopeProfilesList()) count += sp.getProfilesCount();
        }
        if (count > MAX_PROFILES) {
            return done(status(
                    400,
                    INVALID_ARGUMENT,
                    "the request holds " + count + " profiles, at most " + MAX_PROFILES + " are taken at once"));
        }

        String requestId = HexFormat.of().formatHex(sha256(raw), 0, 12);
        OtlpProfiles converter = new OtlpProfiles(req.getDictionary(), maxStackDepth);
        List<String> refusals = new ArrayList<>();
        List<CompletableFuture<String>> parts = new ArrayList<>(); // each: null when stored, else why not
        try {
            for (int r = 0; r < req.getResourceProfilesCount(); r++) {
                ResourceProfiles rp = req.getResourceProfiles(r);
                for (int s = 0; s < rp.getScopeProfilesCount(); s++) {
                    ScopeProfiles sp = rp.getScopeProfiles(s);
                    for (int i = 0; i < sp.getProfilesCount(); i++) {
                        Profile p = sp.getProfiles(i);
                        String where = "profile " + r + "/" + s + "/" + i;
                        try {
                            OtlpProfiles.Converted c = converter.convert(
                                    p,
                                    rp.getResource().getAttributesList(),
                                    sp.getScope().getAttributesList());
                            QueryParams.checkWindow(
                                    "time_unix_nano", c.fromMs(), "time_unix_nano + duration_nano", c.untilMs());
                            new QueryParams(Map.of(IngestApi.SERVICE, List.of(c.service())))
                                    .service(); // the service name rules of every ingest
                            String id = p.getProfileId().isEmpty()
                                            || p.getProfileId().equals(ZERO_ID)
                                    ? "otlp-" + requestId + "-" + r + "." + s + "." + i
                                    : "otlp-"
                                            + HexFormat.of()
                                                    .formatHex(p.getProfileId().toByteArray());
                            parts.add(store.store(tenant, id, c)
                                    .handle((stored, err) -> err == null ? null : refusal(where, err)));
                        } catch (OtlpFormatException | InvalidProfileException | ApiException e) {
                            refusals.add(where + ": " + e.getMessage());
                        }
                    }
                }
            }
        } catch (
                RejectedExecutionException
                        e) { // full or closing: nothing is lost, the client retries the whole request
            return done(busy(e));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "OTLP ingest failed", e);
            return done(status(500, INTERNAL, "internal error: " + e));
        }
        int total = count;
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).handle((x, err) -> {
            try {
                for (CompletableFuture<String> part : parts) {
                    String why = part.join();
                    if (why != null) refusals.add(why);
                }
            } catch (CompletionException e) {
                if (e.getCause() instanceof RejectedExecutionException r) return busy(r);
                LOG.log(Level.WARNING, "OTLP ingest failed", e.getCause());
                return status(500, INTERNAL, "internal error: " + e.getCause());
            }
            if (refusals.size() > 0 && refusals.size() == total)
                return status(400, INVALID_ARGUMENT, String.join("; ", cap(refusals)));
            ExportProfilesServiceResponse.Builder res = ExportProfilesServiceResponse.newBuilder();
            if (!refusals.isEmpty()) {
                res.setPartialSuccess(ExportProfilesPartialSuccess.newBuilder()
                        .setRejectedProfiles(refusals.size())
                        .setErrorMessage(String.join("; ", cap(refusals))));
            }
            return new Response(200, PROTOBUF, res.build().toByteArray(), Map.of());
        });
    }

    private static final com.google.protobuf.ByteString ZERO_ID = com.google.protobuf.ByteString.copyFrom(new byte[16]);

    /** Why a store refused a profile; a full store fails the whole request (the client retries it). */
    private static String refusal(String where, Throwable err) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (e instanceof RejectedExecutionException r) throw r;
        if (e instanceof ApiException || e instanceof InvalidProfileException) return where + ": " + e.getMessage();
        throw new CompletionException(e);
    }

    /** The first few refusals: a message stays short whatever the request held. */
    private static List<String> cap(List<String> refusals) {
        if (refusals.size() <= 5) return refusals;
        List<String> out = new ArrayList<>(refusals.subList(0, 5));
        out.add("and " + (refusals.size() - 5) + " more");
        return out;
    }

    private static Response busy(RejectedExecutionException e) {
        return new Response(503, PROTOBUF, statusBytes(UNAVAILABLE, e.getMessage()), Map.of("Retry-After", "1"));
    }

    private static CompletableFuture<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }

    static Response status(int http, int code, String message) {
        return new Response(http, PROTOBUF, statusBytes(code, message), Map.of());
    }

    /** A google.rpc.Status (code = 1, message = 2), as OTLP/HTTP answers errors; the message is not in opentelemetry-proto. */
    static byte[] statusBytes(int code, String message) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CodedOutputStream c = CodedOutputStream.newInstance(out);
            c.writeInt32(1, code);
            c.writeString(2, message);
            c.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
