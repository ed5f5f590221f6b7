package dev.ebpfexporter.decoder;

import java.util.Optional;

/** Names of pods and containers, known from the node's files without asking an API server. */
public interface KubeNames {
    /** Namespace and name of the pod with this UID. */
    Optional<Pod> pod(String uid);

    /** Name of the container with this runtime ID (as in its cgroup). */
    Optional<String> container(String id);

    record Pod(String namespace, String name) {
    }
}
