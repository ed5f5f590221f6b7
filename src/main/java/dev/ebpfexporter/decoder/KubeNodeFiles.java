package dev.ebpfexporter.decoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Pod and container names from files the kubelet and the container runtime keep on every node:
 * <ul>
 *   <li>pods: the kubelet's log directories {@code /var/log/pods/<namespace>_<name>_<uid>}</li>
 *   <li>containers: the OCI spec the runtime wrote for each container, whose annotations carry the
 *       container's name: containerd {@code /run/containerd/io.containerd.runtime.v2.task/k8s.io/<id>/config.json},
 *       CRI-O {@code /run/containers/storage/overlay-containers/<id>/userdata/config.json}; Docker
 *       (cri-dockerd) {@code /var/lib/docker/containers/<id>/config.v2.json} labels</li>
 * </ul>
 * Everything found is cached: a pod UID not yet known rescans the pod directory at most once per
 * {@link #RESCAN_NANOS}, a container's name is read once (a missing one again after that interval). Decoding a label never touches the files
 * again for a container already seen.
 */
final class KubeNodeFiles implements KubeNames {
    static final long RESCAN_NANOS = 10_000_000_000L;
    private static final Pattern POD_DIR = Pattern.compile("([a-z0-9-]+)_([a-z0-9.-]+)_([0-9a-f-]{36})");
    /** The annotation and label keys that hold a container's name, by runtime. */
    private static final List<String> CONTAINER_NAME_KEYS = List.of(
            "io.kubernetes.cri.container-name", "io.kubernetes.container.name");

    private final Path podLogs;
    private final List<Path> containerSpecs;
    private final LongSupplier nanoTime;
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final Map<String, Lookup> containers = new ConcurrentHashMap<>();
    private long lastPodScan = Long.MIN_VALUE;

    /** A container name as last looked up, and when. */
    private record Lookup(Optional<String> name, long at) {
    }

    KubeNodeFiles(Path root, LongSupplier nanoTime) {
        this.podLogs = root.resolve("var/log/pods");
        this.containerSpecs = List.of(
                root.resolve("run/containerd/io.containerd.runtime.v2.task/k8s.io/%s/config.json"),
                root.resolve("run/containers/storage/overlay-containers/%s/userdata/config.json"),
                root.resolve("var/lib/docker/containers/%s/config.v2.json"));
        this.nanoTime = nanoTime;
    }

    @Override
    public Optional<Pod> pod(String uid) {
        Pod pod = pods.get(uid);
        if (pod == null && podScanDue()) {
            scanPods();
            pod = pods.get(uid);
        }
        return Optional.ofNullable(pod);
    }

    @Override
    public Optional<String> container(String id) {
        Lookup lookup = containers.get(id);
        long now = nanoTime.getAsLong();
        // A container not found yet may just be starting: look again, but not on every call.
        if (lookup == null || lookup.name().isEmpty() && now - lookup.at() >= RESCAN_NANOS) {
            lookup = new Lookup(readContainerName(id), now);
            containers.put(id, lookup);
        }
        return lookup.name();
    }

    private synchronized boolean podScanDue() {
        long now = nanoTime.getAsLong();
        if (lastPodScan != Long.MIN_VALUE && now - lastPodScan < RESCAN_NANOS) {
            return false;
        }
        lastPodScan = now;
        return true;
    }

    private void scanPods() {
        try (Stream<Path> dirs = Files.list(podLogs)) {
            dirs.forEach(dir -> {
                Matcher m = POD_DIR.matcher(dir.getFileName().toString());
                if (m.matches()) {
                    pods.put(m.group(3), new Pod(m.group(1), m.group(2)));
                }
            });
        } catch (IOException | RuntimeException notThere) {
            // No kubelet on this node (or not mounted into the container): names stay empty.
        }
    }

    private Optional<String> readContainerName(String id) {
        for (Path template : containerSpecs) {
            Path spec = Path.of(template.toString().formatted(id));
            try {
                if (Files.isRegularFile(spec) && Files.size(spec) < 4 << 20) {
                    Optional<String> name = annotation(Files.readString(spec));
                    if (name.isPresent()) {
                        return name;
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // Gone meanwhile or not ours to read: try the next runtime's file.
            }
        }
        return Optional.empty();
    }

    /**
     * The container name annotation of an OCI spec (or Docker label). Matched as text rather than
     * parsed: the keys are fixed and their values are Kubernetes names (DNS labels), never escaped.
     */
    static Optional<String> annotation(String json) {
        for (String key : CONTAINER_NAME_KEYS) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"([a-z0-9.-]+)\"").matcher(json);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
