package dev.hearth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes manifests of deploy/kubernetes parse as YAML and carry what the agent and the
 * collector need: the agent's host PID namespace, its capabilities (the same as the systemd unit's)
 * and host folders mounted where its flags point; the collector's volume, tokens Secret and Service.
 */
class DeployManifestsTest {
    static final Path DEPLOY = project().resolve("deploy");

    @Test
    @SuppressWarnings("unchecked")
    void theAgentDaemonSetSeesTheHostsProcessesWithTheUnitsCapabilities() throws Exception {
        Map<String, Object> ds = only(load("agent.yaml"), "DaemonSet");
        Map<String, Object> pod = map(map(map(ds, "spec"), "template"), "spec");
        assertEquals(true, pod.get("hostPID"), "hostPID");
        Map<String, Object> agent = onlyContainer(pod);
        List<String> args = (List<String>) agent.get("args");
        Map<String, Object> sc = map(agent, "securityContext");
        assertEquals(0, sc.get("runAsUser"), "HotSpot takes attach requests from root (or the JVM's user) only");
        assertNotEquals(true, sc.get("privileged"));
        assertEquals(false, sc.get("allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), map(sc, "capabilities").get("drop"));
        Set<String> added = new HashSet<>((List<String>) map(sc, "capabilities").get("add"));
        assertEquals(unitCapabilities(), added, "the DaemonSet adds what the systemd unit keeps");
        for (String c : DistTarballTest.AGENT_CAPABILITIES) assertTrue(added.contains(c.toUpperCase()), c);

        Map<String, String> mounts = mounts(pod, agent);
        assertEquals(
                "hostPath:/run/hearth", mounts.get(arg(args, "--run-dir")), "one agent per node: the node's run dir");
        assertEquals(
                "hostPath:/var/lib/hearth/agent-spool",
                mounts.get(arg(args, "--spool-dir")),
                "the spool outlives the pod");
        assertEquals("hostPath:/sys/kernel/btf", mounts.get("/sys/kernel/btf"));
        assertEquals(
                "secret:hearth-agent-token",
                mounts.get(Path.of(arg(args, "--token-file")).getParent().toString()));
        if (Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem")))
            assertEquals("emptyDir", mounts.get("/tmp"), "JNA unpacks into /tmp");
        assertPrivateSecret(pod, "hearth-agent-token");

        Map<String, Object> service = only(load("collector.yaml"), "Service");
        URI collector = URI.create(arg(args, "--collector"));
        assertEquals(
                map(service, "metadata").get("name") + "."
                        + map(service, "metadata").get("namespace") + ".svc",
                collector.getHost());
        assertEquals(
                ((List<Map<String, Object>>) map(service, "spec").get("ports"))
                        .get(0)
                        .get("port"),
                collector.getPort());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCollectorStatefulSetKeepsItsDataOnAClaimAndReadsTokensFromASecret() throws Exception {
        List<Map<String, Object>> docs = load("collector.yaml");
        Map<String, Object> sts = only(docs, "StatefulSet");
        Map<String, Object> service = only(docs, "Service");
        Map<String, Object> template = map(map(sts, "spec"), "template");
        Map<String, Object> pod = map(template, "spec");
        Map<String, Object> collector = onlyContainer(pod);
        List<String> args = (List<String>) collector.get("args");

        List<Map<String, Object>> claims =
                (List<Map<String, Object>>) map(sts, "spec").get("volumeClaimTemplates");
        Map<String, String> mounts = mounts(pod, collector);
        String dataClaim = (String) map(claims.get(0), "metadata").get("name");
        assertEquals("claim:" + dataClaim, mounts.get(arg(args, "--data")), "the DuckDB folder is on the claim");
        assertEquals(
                "secret:hearth-collector-tokens",
                mounts.get(Path.of(arg(args, "--tokens")).getParent().toString()));
        assertPrivateSecret(pod, "hearth-collector-tokens");

        assertEquals(true, map(pod, "securityContext").get("runAsNonRoot"));
        assertEquals(
                List.of("ALL"),
                map(map(collector, "securityContext"), "capabilities").get("drop"));
        assertEquals(false, map(collector, "securityContext").get("allowPrivilegeEscalation"));

        assertEquals(map(service, "metadata").get("name"), map(sts, "spec").get("serviceName"));
        Map<String, Object> podLabels = map(map(template, "metadata"), "labels");
        assertTrue(
                podLabels
                        .entrySet()
                        .containsAll(map(map(service, "spec"), "selector").entrySet()),
                "the Service selects the pods");
        Object target = ((List<Map<String, Object>>) map(service, "spec").get("ports"))
                .get(0)
                .get("targetPort");
        Map<String, Object> port = ((List<Map<String, Object>>) collector.get("ports"))
                .stream()
                        .filter(p -> p.get("name").equals(target))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no container port " + target));
        assertEquals(Integer.parseInt(arg(args, "--port")), port.get("containerPort"));
    }

    /** The unit's CapabilityBoundingSet, without the CAP_ prefix Kubernetes leaves out. */
    static Set<String> unitCapabilities() throws Exception {
        return Files.readAllLines(DEPLOY.resolve("systemd/hearth-agent.service")).stream()
                .filter(l -> l.startsWith("CapabilityBoundingSet="))
                .flatMap(l -> List.of(l.substring(l.indexOf('=') + 1).trim().split("\\s+")).stream())
                .map(c -> c.replaceFirst("^CAP_", ""))
                .collect(Collectors.toSet());
    }

    /** Secret files must not be readable by others: the agent and the collector refuse them otherwise. */
    @SuppressWarnings("unchecked")
    private static void assertPrivateSecret(Map<String, Object> pod, String secret) {
        for (Map<String, Object> v : (List<Map<String, Object>>) pod.get("volumes")) {
            Map<String, Object> s = (Map<String, Object>) v.get("secret");
            if (s != null && secret.equals(s.get("secretName"))) {
                assertEquals(
                        0,
                        ((Integer) s.get("defaultMode")) & 0007,
                        secret + " mode " + Integer.toOctalString((Integer) s.get("defaultMode")));
                return;
            }
        }
        throw new AssertionError("no volume of secret " + secret);
    }

    /** Mount path to what is mounted there: "hostPath:PATH", "secret:NAME", "claim:NAME", "emptyDir". */
    @SuppressWarnings("unchecked")
    private static Map<String, String> mounts(Map<String, Object> pod, Map<String, Object> container) {
        Map<String, String> sources = new java.util.HashMap<>();
        for (Map<String, Object> v : (List<Map<String, Object>>) pod.getOrDefault("volumes", List.of())) {
            String name = (String) v.get("name");
            if (v.get("hostPath") != null)
                sources.put(name, "hostPath:" + map(v, "hostPath").get("path"));
            else if (v.get("secret") != null)
                sources.put(name, "secret:" + map(v, "secret").get("secretName"));
            else if (v.containsKey("emptyDir")) sources.put(name, "emptyDir");
        }
        Map<String, String> out = new java.util.HashMap<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) container.get("volumeMounts")) {
            String name = (String) m.get("name");
            out.put((String) m.get("mountPath"), sources.getOrDefault(name, "claim:" + name));
        }
        return out;
    }

    /** The value of a flag given as "--name=value" or "--name value". */
    private static String arg(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith(name + "=")) return args.get(i).substring(name.length() + 1);
            if (args.get(i).equals(name) && i + 1 < args.size()) return args.get(i + 1);
        }
        throw new AssertionError("no " + name + " in " + args);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyContainer(Map<String, Object> pod) {
        List<Map<String, Object>> containers = (List<Map<String, Object>>) pod.get("containers");
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    private static Map<String, Object> only(List<Map<String, Object>> docs, String kind) {
        List<Map<String, Object>> of =
                docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(1, of.size(), "one " + kind);
        return of.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof Map, key + " is not a mapping: " + v);
        return (Map<String, Object>) v;
    }

    /** Every document of a manifest file, each with apiVersion, kind and a name. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> load(String file) throws Exception {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(DEPLOY.resolve("kubernetes").resolve(file))) {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r)) {
                if (doc == null) continue;
                Map<String, Object> d = (Map<String, Object>) doc;
                assertTrue(
                        d.get("apiVersion") instanceof String && d.get("kind") instanceof String,
                        file + ": " + d.keySet());
                assertTrue(
                        map(d, "metadata").get("name") instanceof String,
                        file + ": a " + d.get("kind") + " without a name");
                docs.add(d);
            }
        }
        return docs;
    }

    private static Path project() {
        try {
            // this class's folder: <project>/integration-tests/<target>/test-classes
            return Path.of(DeployManifestsTest.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .getParent()
                    .getParent()
                    .getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
