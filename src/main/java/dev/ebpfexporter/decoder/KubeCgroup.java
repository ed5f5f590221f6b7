package dev.ebpfexporter.decoder;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a cgroup path alone says about a Kubernetes container: the pod's UID and the container's ID.
 * Both cgroup drivers of the kubelet and the usual runtimes name their directories so:
 * <ul>
 *   <li>systemd driver: {@code kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/
 *       cri-containerd-<id>.scope} (UID dashes written as underscores; {@code crio-<id>.scope},
 *       {@code docker-<id>.scope} for CRI-O and Docker; Guaranteed pods have no QoS slice)</li>
 *   <li>cgroupfs driver: {@code kubepods/burstable/pod<uid>/<id>} (CRI-O: {@code crio-<id>})</li>
 * </ul>
 *
 * @param containerId empty for the pod's own cgroup (no container below it)
 */
record KubeCgroup(String podUid, String containerId) {
    private static final Pattern SYSTEMD_POD = Pattern.compile("kubepods(?:-[a-z]+)?-pod([0-9a-f_]{36})\\.slice");
    private static final Pattern CGROUPFS_POD = Pattern.compile("pod([0-9a-f-]{36})");
    private static final Pattern CONTAINER = Pattern.compile(
            "(?:cri-containerd-|crio-|docker-)?([0-9a-f]{64})(?:\\.scope)?");

    /** The pod and container of a cgroup path, or empty when the path is not below a pod's cgroup. */
    static Optional<KubeCgroup> parse(String path) {
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length; i++) {
            String uid = podUid(segments[i]);
            if (uid != null) {
                String container = "";
                if (i + 1 < segments.length) {
                    Matcher m = CONTAINER.matcher(segments[i + 1]);
                    if (m.matches()) {
                        container = m.group(1);
                    }
                }
                return Optional.of(new KubeCgroup(uid, container));
            }
        }
        return Optional.empty();
    }

    private static String podUid(String segment) {
        Matcher systemd = SYSTEMD_POD.matcher(segment);
        if (systemd.matches()) {
            return systemd.group(1).replace('_', '-');
        }
        Matcher cgroupfs = CGROUPFS_POD.matcher(segment);
        return cgroupfs.matches() ? cgroupfs.group(1) : null;
    }
}
