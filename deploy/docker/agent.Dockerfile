# The Hearth agent image, from the dist tarball (not from the sources: no Maven, no compiler):
#   ./hearth dist
#   docker build -f deploy/docker/agent.Dockerfile --build-arg VERSION=0.1.0-SNAPSHOT -t hearth-agent:0.1.0 target/dist
# Run it as deploy/kubernetes/agent.yaml does: host PID namespace, uid 0, the listed capabilities.
FROM eclipse-temurin:17-jre-noble
ARG VERSION
# libbpf loads the BPF object (built into the agent's jars); the JRE is the image's
RUN apt-get update \
 && apt-get install -y --no-install-recommends libbpf1 \
 && rm -rf /var/lib/apt/lists/*
# ADD unpacks a local tarball
ADD hearth-${VERSION}.tar.gz /opt/
RUN ln -s /opt/hearth-${VERSION} /opt/hearth
ENTRYPOINT ["/opt/hearth/hearth", "agent"]
