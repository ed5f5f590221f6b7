package dev.ebpfexporter.decoder;

import java.util.function.BiFunction;

/**
 * Kubernetes labels from a cgroup path (the output of the {@code cgroup} decoder), with no API
 * server: {@code kube_pod_uid} and {@code container_id} from the path alone, {@code kube_namespace},
 * {@code kube_pod} and {@code kube_container} from the node's files ({@link KubeNames}). A cgroup
 * outside any pod, or a name not known, decodes to an empty value, so host processes keep their
 * series under empty pod labels.
 */
record KubeDecoder(KubeDecoder.Field field, KubeNames names) implements Decoder {
    /** One per decoder name (kube_pod_uid, container_id, kube_namespace, kube_pod, kube_container). */
    enum Field {
        POD_UID((cgroup, names) -> cgroup.podUid()),
        CONTAINER_ID((cgroup, names) -> cgroup.containerId()),
        NAMESPACE((cgroup, names) -> names.pod(cgroup.podUid()).map(KubeNames.Pod::namespace).orElse("")),
        POD((cgroup, names) -> names.pod(cgroup.podUid()).map(KubeNames.Pod::name).orElse("")),
        CONTAINER((cgroup, names) ->
                cgroup.containerId().isEmpty() ? "" : names.container(cgroup.containerId()).orElse(""));

        private final BiFunction<KubeCgroup, KubeNames, String> value;

        Field(BiFunction<KubeCgroup, KubeNames, String> value) {
            this.value = value;
        }
    }

    @Override
    public byte[] decode(byte[] in) {
        return Inputs.bytes(KubeCgroup.parse(Inputs.text(in)).map(cgroup -> field.value.apply(cgroup, names)).orElse(""));
    }
}
