# The Hearth collector image, from the dist tarball (not from the sources: no Maven, no compiler):
#   ./hearth dist
#   docker build -f deploy/docker/collector.Dockerfile --build-arg VERSION=0.1.0-SNAPSHOT -t hearth-collector:0.1.0 target/dist
# Run it as deploy/kubernetes/collector.yaml does: a volume at /var/lib/hearth, a tokens file.
FROM eclipse-temurin:17-jre-noble
ARG VERSION
ADD hearth-${VERSION}.tar.gz /opt/
RUN ln -s /opt/hearth-${VERSION} /opt/hearth \
 && mkdir -p /var/lib/hearth \
 && chown 10001:10001 /var/lib/hearth
USER 10001:10001
EXPOSE 4040
VOLUME /var/lib/hearth
ENTRYPOINT ["/opt/hearth/hearth", "collector"]
CMD ["--host", "0.0.0.0", "--port", "4040", "--data", "/var/lib/hearth", "--tokens", "/etc/hearth/tokens/tokens"]
